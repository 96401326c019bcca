"""Ce que chaque ligne de journal rappelle de son contexte : l'identifiant de la requête en cours, ou la tâche Celery
en cours (nom et identifiant). Des `contextvars` : justes dans un fil comme dans une coroutine."""

import re
import uuid
from contextvars import ContextVar

_request_id = ContextVar("mniop_request_id", default="")
_task = ContextVar("mniop_task", default=None)

#: Un identifiant reçu du proxy (X-Request-ID) est gardé s'il a cette forme : UUID, 32 caractères hexadécimaux
#: (nginx `$request_id`) ou tout identifiant de 16 à 64 lettres, chiffres, points, tirets et soulignés. Sinon
#: (vide, trop long, espaces, caractères de contrôle…) un UUID est tiré : rien d'arbitraire n'entre dans les journaux.
REQUEST_ID_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{15,63}")


def new_request_id():
    return str(uuid.uuid4())


def accepted_request_id(value):
    """L'identifiant reçu s'il est bien formé, sinon un nouveau."""
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return new_request_id()


def current_request_id():
    """L'identifiant de la requête en cours (ou de la requête qui a demandé la tâche en cours), ou ""."""
    return _request_id.get()


def bind_request_id(value):
    return _request_id.set(value)


def unbind_request_id(token):
    _request_id.reset(token)


def current_task():
    """(nom, identifiant) de la tâche Celery en cours, ou None."""
    return _task.get()


def bind_task(name, task_id):
    """La tâche en cours ; `bind_task(None, None)` : plus aucune."""
    _task.set((name, task_id) if name else None)
