"""Les réglages de `make run` (`mniop.settings.local`) pour le serveur que lance tests/mniop/test_run_server_load.py,
à une différence près : les fichiers statiques ne sont pas empreints. collectstatic (plus d'une minute sur un poste
à deux cœurs) n'a rien à voir avec ce que ce test mesure (connexions PostgreSQL, erreurs sous charge) ; le manifeste
des fichiers empreints a ses propres tests (tests/mniop/test_run_settings.py)."""

from mniop.settings.local import *  # noqa: F403
from mniop.settings.local import STORAGES as RUN_STORAGES

STORAGES = {**RUN_STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
