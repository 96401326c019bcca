"""L'application Celery du MNIOP : notifications, rappels d'échéances, tâches planifiées (beat)."""

import os

from celery import Celery

from mniop.observability.celery import connect_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mniop.settings.dev")

app = Celery("mniop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_signals()
