"""Production : tout vient de l'environnement, rien n'a de valeur par défaut dangereuse."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from mniop.settings.base import *  # noqa: F403
from mniop.settings.base import HASHED_STATIC_STORAGES, MNIOP, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# Rotation de la clé (docs/exploitation.md) : les anciennes clés, séparées par des virgules, valident encore ce
# qu'elles ont signé (liens d'attestation, curseurs des files, liens de réinitialisation) le temps de la bascule.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Obligatoire : l'adresse publique des liens des courriels et des PDF (jamais http://127.0.0.1 en production).
SITE_URL = env("SITE_URL").rstrip("/")
# Clés d'accès (WebAuthn) : le domaine et l'origine de SITE_URL, toujours en https.
OTP_WEBAUTHN_RP_ID = urlsplit(SITE_URL).hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL]
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Préfixe `__Host-` : le navigateur n'accepte ces cookies que marqués Secure, sans Domain, pour le chemin « / » ; un
# sous-domaine ne peut donc ni les poser ni les écraser.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# HSTS prêt pour la liste de préchargement des navigateurs (un an, sous-domaines compris, `preload`).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = HASHED_STATIC_STORAGES
# Obligatoire : sans elle, les empreintes de doublons changeraient avec SECRET_KEY.
MNIOP = {**MNIOP, "DUPLICATE_HMAC_KEY": env("DUPLICATE_HMAC_KEY")}
# Obligatoire : les clés de chiffrement de l'identité, de l'environnement ou d'un fichier (jamais de clé locale).
IDENTITY_ENCRYPTION_KEYS = env.list("IDENTITY_ENCRYPTION_KEYS", default=[])
IDENTITY_ENCRYPTION_KEYS_FILE = env("IDENTITY_ENCRYPTION_KEYS_FILE", default="")
IDENTITY_ENCRYPTION_LOCAL_KEY_FILE = ""
if not IDENTITY_ENCRYPTION_KEYS and not IDENTITY_ENCRYPTION_KEYS_FILE:
    raise ImproperlyConfigured(
        "IDENTITY_ENCRYPTION_KEYS (ou IDENTITY_ENCRYPTION_KEYS_FILE) est obligatoire en production : "
        "les clés de chiffrement de l'identité (docs/exploitation.md)."
    )
ACCESS_LOG_CHAIN_EXPORT_DIR = env("ACCESS_LOG_CHAIN_EXPORT_DIR", default="/app/var/journal-acces")
# Les documents joints : le volume `media` partagé par web et worker (le worker les relit pour l'antivirus), que le
# proxy ne monte pas et ne sert jamais (deploy/caddy/Caddyfile).
ATTACHMENTS_ROOT = env("ATTACHMENTS_ROOT", default="/app/media/pieces-jointes")
