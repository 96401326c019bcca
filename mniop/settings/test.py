from mniop.settings.base import *  # noqa: F403
from mniop.settings.base import MNIOP, env

DEBUG = False
SECRET_KEY = "tests-uniquement-0123456789abcdef0123456789abcdef"
SITE_URL = "http://127.0.0.1:8000"  # quel que soit WEB_PORT : les tests comparent des liens exacts
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost:8000"]
#: Les tests d'intégration lancent un worker Celery en sous-processus : il écrit ses courriels dans ce dossier.
MAIL_FILE_PATH = env("MAIL_FILE_PATH", default="")
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": MAIL_FILE_PATH}}
        if MAIL_FILE_PATH
        else {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# django-axes est actif dans les tests comme en production (tests/accounts/test_lockout.py).
# Le cache des tests : une base Redis à part (la 14), vidée avant chaque test (tests/conftest.py).
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env("REDIS_URL", default="redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/14",
        "KEY_PREFIX": "mniop-tests",
        "OPTIONS": CACHE_OPTIONS,  # noqa: F405
    }
}
CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
MNIOP = {**MNIOP}
# Les tests relisent la clé de données courante quand ils la changent (mniop.encryption.reset_keyring), jamais au fil
# de l'horloge : le nombre de requêtes d'une page ne dépend pas de l'instant.
IDENTITY_DATA_KEY_REFRESH_SECONDS = 0
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # les tests lisent les fichiers statiques sans collectstatic
# Le serveur des tests de navigateur (`live_server`) sert chaque requête dans un nouveau fil, comme runserver :
# une connexion par requête (voir mniop/settings/dev.py).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
