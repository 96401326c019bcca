"""Réglages du fournisseur d'identité des tests : un projet Django minimal, sans rien du MNIOP."""

import os
from pathlib import Path

SECRET_KEY = "fournisseur-d-identite-des-tests-uniquement-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.accounts.oidc_idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
    }
]
# Une base jetable, propre à ce fournisseur de test (ce n'est pas la plateforme : elle reste sur PostgreSQL).
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OIDC_IDP_DATABASE"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/connexion/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ["OIDC_IDP_PRIVATE_KEY"],
    "PKCE_REQUIRED": False,
    "SCOPES": {"openid": "OpenID Connect", "email": "Adresse électronique", "given_name": "Prénom"},
    "OAUTH2_VALIDATOR_CLASS": "tests.accounts.oidc_idp.validator.ClaimsValidator",
    # La déconnexion demandée par le MNIOP (RP-Initiated Logout), sans page de confirmation quand le jeton d'identité
    # est bien celui de la personne connectée chez le fournisseur.
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}
