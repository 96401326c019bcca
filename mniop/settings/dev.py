from mniop.settings.base import *  # noqa: F403
from mniop.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-uniquement-jamais-en-production-0123456789abcdef")
MAILERS = {"default": {"BACKEND": env("MAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")}}
WHITENOISE_AUTOREFRESH = True
