"""Journaux en JSON, une ligne par événement, sans donnée personnelle (python-json-logger).

- `JsonFormatter` n'écrit que les champs de `FIELDS` : un `extra=` inconnu (par exemple la requête entière que
  Django joint à ses messages d'erreur, avec sa chaîne de requête) n'atteint jamais la sortie. Une trace d'exception
  garde les fichiers, lignes et fonctions, et le type de l'exception, jamais son message (il peut citer une valeur
  saisie : un nom, une date de naissance).
- `ContextFilter` ajoute l'identifiant de la requête en cours et la tâche Celery en cours.
- `RedactionFilter` retire le chemin des messages de Django (`Not Found: /chemin`, ligne d'accès de runserver) et
  les arguments des messages de Celery : une adresse tapée ou un terme de recherche n'y entre pas.
"""

import datetime
import logging
import traceback

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from mniop.observability.context import current_request_id, current_task

#: Les seuls champs d'une ligne de journal, en plus de l'horodatage, du niveau, du journal et du message.
FIELDS = (
    "request_id",
    "task_name",
    "task_id",
    "method",
    "view",
    "route",
    "status",
    "duration_ms",
    "db_queries",
    "user_id",
    "organisation_id",
    "status_code",
)
BASE_FIELDS = ("asctime", "levelname", "name", "message")
#: Journaux dont le message cite le chemin ou la requête : remplacé par un message générique.
PATH_LOGGERS = {"django.request", "django.server", "django.security.csrf"}
CELERY_SAFE_KEYS = {"name", "id", "runtime", "hostname", "description"}
FILTERED = "[filtré]"


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(list(BASE_FIELDS), **kwargs)

    def add_fields(self, log_data, record, message_dict):
        for field in BASE_FIELDS:
            log_data[self._get_rename(field)] = getattr(record, field, None)
        for field in FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                log_data[field] = value
        if message_dict.get("exc_info"):
            log_data["exc_info"] = message_dict["exc_info"]

    def formatTime(self, record, datefmt=None):  # noqa: N802 - nom imposé par logging.Formatter
        return datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds")

    def formatException(self, ei):  # noqa: N802 - nom imposé par logging.Formatter
        return redacted_traceback(ei[1])

    def formatStack(self, stack_info):  # noqa: N802 - nom imposé par logging.Formatter
        return stack_info


def redacted_traceback(exception):
    """La trace d'une exception (et de ses causes) sans les messages des exceptions."""
    parts = []
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        kind = type(exception)
        frames = "".join(traceback.format_tb(exception.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}")
        exception = exception.__cause__ or (None if exception.__suppress_context__ else exception.__context__)
    return "\n\nCaused by:\n".join(reversed(parts)) if len(parts) > 1 else (parts[0] if parts else "")


class ContextFilter(logging.Filter):
    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        task = current_task()
        if task is not None:
            record.task_name, record.task_id = task
        return True


class RedactionFilter(logging.Filter):
    def filter(self, record):
        if record.name in PATH_LOGGERS or record.name.startswith("django.security."):
            status = getattr(record, "status_code", None)
            record.msg = f"{record.name} {status}" if status else record.name
            record.args = ()
        elif record.name.startswith("celery.") and isinstance(record.args, dict):
            # Messages de Celery (« Task %(name)s[%(id)s] raised unexpected: %(exc)s ») : le nom, l'identifiant et
            # la durée restent ; arguments, valeur rendue et message d'exception sont masqués.
            record.args = {key: value if key in CELERY_SAFE_KEYS else FILTERED for key, value in record.args.items()}
        return True
