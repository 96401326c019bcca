"""Chaque tâche planifiée dans `CELERY_BEAT_SCHEDULE` existe vraiment dans l'application Celery."""

import pytest
from django.conf import settings

from mniop.celery import app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_task_is_registered_with_the_celery_app(entry):
    app.autodiscover_tasks(force=True)
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
