from celery import shared_task

from observatoire.services import refresh_statistics as refresh


@shared_task
def refresh_statistics():
    """Tâche beat : fiches statistiques et cumuls à jour toutes les quelques minutes (tâche mince, rejouable)."""
    years = refresh()
    return sorted(years)


@shared_task(acks_late=True)
def run_export_job(job_id):
    """Un export long (microdonnées, tableaux) : tâche mince, prend l'identifiant et appelle le service."""
    from observatoire.export_jobs import run_export

    return run_export(job_id).status


@shared_task
def purge_expired_exports():
    """Tâche beat : efface le fichier des exports expirés."""
    from observatoire.export_jobs import purge_expired_exports as purge

    return purge()


@shared_task
def dispatch_pending_exports():
    """Tâche beat : reprend les exports dont la demande n'a pas atteint le worker (courtier indisponible)."""
    from observatoire.export_jobs import dispatch_pending_exports as dispatch

    return dispatch()
