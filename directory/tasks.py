from celery import shared_task

from directory import services


@shared_task
def send_directory_freshness_reminders():
    """Tâche beat quotidienne : relance les organisations dont des fiches ne sont plus vérifiées."""
    return services.send_freshness_reminders()


@shared_task
def mark_bounced_emails():
    """Tâche beat quotidienne : les courriels en échec définitif marquent « à vérifier » les fiches qui les portent."""
    return services.process_failed_emails()


@shared_task
def alert_coverage_gaps():
    """Tâche beat hebdomadaire : les territoires dont l'annuaire n'a pas une catégorie obligatoire, à la Miprof."""
    return services.alert_coverage_gaps()
