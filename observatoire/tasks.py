from celery import shared_task

from observatoire.services import refresh_statistics as refresh


@shared_task
def refresh_statistics():
    """Tâche beat : fiches statistiques et cumuls à jour toutes les quelques minutes (tâche mince, rejouable)."""
    years = refresh()
    return sorted(years)
