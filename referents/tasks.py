from celery import shared_task

from referents import services


@shared_task
def send_directory_freshness_reminders():
    """Tâche beat quotidienne : relance les organisations dont des fiches ne sont plus vérifiées."""
    return services.send_freshness_reminders()
