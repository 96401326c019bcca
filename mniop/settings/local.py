"""`make run` : la plateforme telle qu'en production, sur http://127.0.0.1:WEB_PORT.

DEBUG faux (pages d'erreur 400, 403, 404, 500 et CSRF en français, jamais la page de débogage de Django), fichiers
statiques empreints et compressés par collectstatic, servis par WhiteNoise avec un long cache, gunicorn comme
serveur. Seuls changent ce qui n'a pas de sens sur un poste : la clé secrète par défaut, les courriels écrits dans la
console, HTTP sans redirection vers HTTPS. Le mode développeur (DEBUG, rechargement automatique) est `make dev`.
"""

from mniop.settings.base import *  # noqa: F403
from mniop.settings.base import HASHED_STATIC_STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="local-uniquement-jamais-en-production-0123456789abcdef")
STORAGES = HASHED_STATIC_STORAGES
MAILERS = {"default": {"BACKEND": env("MAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")}}
