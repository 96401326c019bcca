"""Les réglages de `make run` (`mniop.settings.local`) pour le serveur que lance tests/mniop/test_run_server_load.py,
à une différence près : les fichiers statiques ne sont pas empreints. collectstatic (plus d'une minute sur un poste
à deux cœurs) n'a rien à voir avec ce que ce test mesure (connexions PostgreSQL, erreurs sous charge) ; le manifeste
des fichiers empreints a ses propres tests (tests/mniop/test_run_settings.py)."""

from mniop.settings.local import *  # noqa: F403
from mniop.settings.local import STORAGES as RUN_STORAGES

STORAGES = {**RUN_STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

#: Les connexions du serveur se reconnaissent dans pg_stat_activity : le test ne compte qu'elles (une autre
#: connexion ouverte sur la base de test par la suite ne fausse pas la mesure).
APPLICATION_NAME = "mniop-run-server"
DATABASES = {**DATABASES}  # noqa: F405
DATABASES["default"] = {
    **DATABASES["default"],
    "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), "application_name": APPLICATION_NAME},
}
