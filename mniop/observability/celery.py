"""Journaux des processus Celery : la configuration `LOGGING` de Django (JSON), le nom et l'identifiant de la tâche
sur chaque ligne, et l'identifiant de la requête qui a demandé la tâche (en-tête du message `mniop_request_id`)."""

from logging.config import dictConfig

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from mniop.observability.context import bind_request_id, bind_task, current_request_id

HEADER = "mniop_request_id"


def configure_logging(**kwargs):
    """Celery ne pose pas ses propres gestionnaires (`setup_logging` a un récepteur) : ceux de Django servent."""
    from django.conf import settings

    dictConfig(settings.LOGGING)


def add_request_id(headers=None, **kwargs):
    request_id = current_request_id()
    if headers is not None and request_id:
        headers.setdefault(HEADER, request_id)


def bind_running_task(task_id=None, task=None, **kwargs):
    bind_task(task.name, task_id)
    bind_request_id(getattr(task.request, HEADER, None) or "")


def unbind_running_task(**kwargs):
    bind_task(None, None)
    bind_request_id("")


def connect_signals():
    setup_logging.connect(configure_logging, weak=False)
    before_task_publish.connect(add_request_id, weak=False)
    task_prerun.connect(bind_running_task, weak=False)
    task_postrun.connect(unbind_running_task, weak=False)
