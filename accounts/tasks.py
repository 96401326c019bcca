"""Tâches planifiées des comptes (beat) : minces, elles appellent les services."""

from celery import shared_task

from accounts import access_chain, reading_alerts, services, services_habilitations, services_role_grants


@shared_task
def purge_expired_invitations():
    """Tâche beat quotidienne : supprime les invitations expirées depuis longtemps et jamais acceptées."""
    return services.purge_expired_invitations()


@shared_task
def purge_idempotency_records():
    """Tâche beat horaire : supprime les réponses d'API gardées pour l'idempotence au-delà de leur durée."""
    return services.purge_idempotency_records()


@shared_task
def process_password_reset_request(request_id):
    """Après la réponse à « mot de passe oublié » : cherche le compte et envoie le lien s'il existe."""
    return services.process_password_reset_request(request_id=request_id)


@shared_task
def process_pending_password_reset_requests():
    """Tâche beat : reprend les demandes de réinitialisation restées en attente."""
    return services.process_pending_password_reset_requests()


@shared_task
def purge_expired_sessions():
    """Tâche beat horaire : oublie les lignes des sessions finies."""
    return services.purge_expired_sessions()


@shared_task
def export_access_log_chain_head():
    """Tâche beat quotidienne : exporte la tête de chaîne du journal d'accès hors de la base."""
    return str(access_chain.export_chain_head())


@shared_task
def send_reading_alerts():
    """Tâche beat quotidienne : alerte l'administration de la Miprof des lectures inhabituelles."""
    return reading_alerts.send_reading_alerts()


@shared_task
def send_habilitation_reminders():
    """Tâche beat quotidienne : rappels 60 et 15 jours avant la fin d'une habilitation (idempotente)."""
    return services_habilitations.send_habilitation_reminders()


@shared_task
def send_habilitation_request_reminders():
    """Tâche beat quotidienne : relance l'administration de la Miprof des demandes d'habilitation qui attendent
    (un rappel par palier de jours ouvrés, idempotente)."""
    return services_habilitations.send_habilitation_request_reminders()


@shared_task
def send_role_grant_reminders():
    """Tâche beat quotidienne : rappelle aux administrateur·rices de la plateforme une attribution de rôle qui attend
    un second administrateur (une fois, idempotente)."""
    return services_role_grants.send_role_grant_reminders()
