from celery import shared_task

from observatoire.services import refresh_statistics as refresh


@shared_task
def refresh_statistics():
    """Tâche beat : fiches statistiques et cumuls à jour toutes les quelques minutes (tâche mince, rejouable)."""
    years = refresh()
    return sorted(years)


@shared_task(acks_late=True)
def run_export_job(job_id):
    """Un export long (microdonnées) : tâche mince, prend l'identifiant et appelle le service."""
    from observatoire.export_jobs import run_microdata_export

    return run_microdata_export(job_id).status
