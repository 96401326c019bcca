"""Tâches Celery du socle : minces, elles appellent `mniop.key_rotation`."""

import logging

from celery import shared_task
from django.db import transaction

from mniop.key_rotation import reencrypt_all

logger = logging.getLogger(__name__)
#: Lignes par table et par passage : la tâche se relance tant qu'il en reste, sans monopoliser un worker.
ROWS_PER_RUN = 5000


@shared_task
def reencrypt_identity(batch_size=500, rows_per_run=ROWS_PER_RUN):
    """Rechiffre sous la clé de données courante, par tranches de `rows_per_run` lignes par table, et se relance
    tant qu'il reste des lignes. Idempotente et reprenable : interrompue (worker arrêté), la prochaine exécution
    reprend les lignes restantes. Renvoie le nombre de lignes restantes après ce passage."""
    remaining = reencrypt_all(batch_size=batch_size, limit=rows_per_run)
    if remaining:
        logger.info("Rechiffrement : passage suivant", extra={"remaining": remaining})
        transaction.on_commit(lambda: reencrypt_identity.delay(batch_size=batch_size, rows_per_run=rows_per_run))
    return remaining
