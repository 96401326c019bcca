"""`make dev` : le mode développeur (DEBUG, runserver qui se recharge à chaque modification, fichiers statiques lus
dans les sources). Pour utiliser la plateforme comme en production : `make run` (mniop.settings.local)."""

from mniop.settings.base import *  # noqa: F403
from mniop.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-uniquement-jamais-en-production-0123456789abcdef")
MAILERS = {"default": {"BACKEND": env("MAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")}}
WHITENOISE_AUTOREFRESH = True
# runserver sert chaque requête dans un nouveau fil : une connexion persistante par fil resterait ouverte après lui
# et 8 clients simultanés épuiseraient les connexions de PostgreSQL (constat 6). Une connexion par requête ici ;
# gunicorn (`make run`, production) garde les siennes, une par processus.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)  # noqa: F405
