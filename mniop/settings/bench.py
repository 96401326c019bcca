"""Bancs d'essai (`make bench`) : comme la production pour le chemin d'une requête (DEBUG faux, mêmes
intergiciels), sur la base dédiée que prépare `python -m benchmarks`. Ajoute une vue nue pour comparer."""

from mniop.settings.base import *  # noqa: F403
from mniop.settings.base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="banc-d-essai-uniquement-0123456789abcdef0123456789")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.urls"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "ERROR"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # pas de collectstatic pour un banc d'essai ; sans effet sur les requêtes mesurées
