from mniop.settings.base import *  # noqa: F403
from mniop.settings.base import MNIOP, env

DEBUG = False
SECRET_KEY = "tests-uniquement-0123456789abcdef0123456789abcdef"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
MNIOP = {**MNIOP}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # les tests lisent les fichiers statiques sans collectstatic
