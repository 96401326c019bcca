"""Les exports longs (les microdonnées) : demandés par la page, calculés par une tâche Celery qui met à jour leur
avancement, téléchargés quand ils sont prêts. Écritures par ces services seulement."""

from django.db import transaction
from django.utils import timezone

from observatoire import exports
from observatoire.microdata import microdata, with_labels
from observatoire.models import ExportJob


def request_microdata_export(*, by):
    """Écrit la demande et programme la tâche après la validation de la transaction."""
    job = ExportJob.objects.create(requested_by=by, kind="microdata", parameters="microdata;national")
    transaction.on_commit(lambda: _schedule(job.pk))
    return job


def _schedule(job_id):
    from observatoire.tasks import run_export_job  # noqa: PLC0415 - la tâche importe ce module

    run_export_job.delay(job_id)


def _set_progress(job_id, done, total):
    ExportJob.objects.filter(pk=job_id).update(progress=min(99, int(100 * done / max(total, 1))))


def run_microdata_export(job_id):
    """Le corps de la tâche : rejouable (un export terminé n'est pas recalculé)."""
    job = ExportJob.objects.get(pk=job_id)
    if job.is_finished:
        return job
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.RUNNING)
    try:
        header, rows, level, suppressed = microdata(progress=lambda done, total: _set_progress(job_id, done, total))
    except Exception:
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, finished_at=timezone.now())
        raise
    header, labelled_rows = with_labels(header, rows)
    content = exports.to_csv([header, *([exports.neutralise(value) for value in row] for row in labelled_rows)])
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        progress=100,
        content=content,
        filename="mniop-microdonnees.csv",
        summary=f"{len(rows)} lignes, niveau de généralisation {level}, {suppressed} lignes supprimées",
        finished_at=timezone.now(),
    )
    return ExportJob.objects.get(pk=job_id)
