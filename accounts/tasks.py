"""Tâches planifiées des comptes (beat) : minces, elles appellent les services."""

from celery import shared_task

from accounts import services


@shared_task
def purge_expired_invitations():
    """Tâche beat quotidienne : supprime les invitations expirées depuis longtemps et jamais acceptées."""
    return services.purge_expired_invitations()


@shared_task
def purge_idempotency_records():
    """Tâche beat horaire : supprime les réponses d'API gardées pour l'idempotence au-delà de leur durée."""
    return services.purge_idempotency_records()
