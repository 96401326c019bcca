"""Les exports longs de tableaux : une tâche Celery avec son avancement, un lien de téléchargement pour la seule
personne qui l'a demandé, une expiration, et le journal d'accès avec les paramètres de la demande."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AccessLog
from observatoire import services
from observatoire.export_jobs import purge_expired_exports
from observatoire.models import ExportJob
from observatoire.tasks import run_export_job

DASHBOARD = reverse("observatoire:statistics_dashboard")
SURVEY = reverse("observatoire:statistics_survey")


def detail_url(job):
    return reverse("observatoire:export_job_detail", args=[job.public_id])


def download_url(job):
    return reverse("observatoire:export_job_download", args=[job.public_id])


def test_the_whole_year_survey_spreadsheet_runs_as_a_job_and_is_logged_with_its_parameters(
    client_as, paris_cases, django_capture_on_commit_callbacks
):
    client = client_as("miprof_agent")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(SURVEY, {"format": "xlsx"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(job)
    assert len(callbacks) == 1  # la tâche est programmée après la validation
    assert (job.kind, job.status) == ("survey", "pending")
    assert job.parameters.startswith(f"survey;{timezone.localdate().year};;xlsx;")
    log = AccessLog.objects.get(action="export", view_name="observatoire:statistics_survey")
    assert log.object_id == f"survey;{timezone.localdate().year};national;xlsx;{job.public_id}"


def test_the_progress_page_refreshes_itself_until_the_download_link_appears(client_as, paris_cases):
    client = client_as("miprof_agent")
    client.get(SURVEY, {"format": "xlsx"})
    job = ExportJob.objects.get()

    waiting = client.get(detail_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert "Avancement : 0 %" in waiting
    assert "Export de l&#x27;enquête annuelle du" in waiting

    assert run_export_job(job.pk) == "done"  # le corps de la tâche

    ready = client.get(detail_url(job)).content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert download_url(job) in ready
    job.refresh_from_db()
    assert job.progress == 100
    assert job.expires_at > timezone.now()


def test_the_downloaded_survey_is_protected_and_its_download_is_logged(client_as, paris_cases):
    client = client_as("miprof_agent")
    client.get(SURVEY, {"format": "xlsx"})
    job = ExportJob.objects.get()
    run_export_job(job.pk)

    response = client.get(download_url(job))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    values = [
        cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for cell in row
    ]
    assert ":" in values
    assert 2 not in values  # les deux hommes en travail forcé
    assert AccessLog.objects.filter(action="export", object_id=str(job.public_id)).exists()


@pytest.mark.parametrize("persona", ["statistician", "departmental_validator", "association_admin"])
def test_only_the_requester_sees_and_downloads_a_table_export(client_as, paris_cases, persona):
    client_as("miprof_agent").get(SURVEY, {"format": "csv"})
    job = ExportJob.objects.get()
    run_export_job(job.pk)

    other = client_as(persona)
    assert other.get(detail_url(job)).status_code == 404
    assert other.get(download_url(job)).status_code == 404


def test_a_validator_export_job_keeps_its_departement_scope(client_as, world, paris_cases, file_signalement):
    for _ in range(6):
        file_signalement(departement=world.nord, persona="association_agent_other_org")
    services.refresh_statistics()
    client = client_as("departmental_validator")
    client.get(SURVEY, {"format": "csv"})
    job = ExportJob.objects.get()

    run_export_job(job.pk)

    job.refresh_from_db()
    content = bytes(job.content).decode("utf-8-sig")
    assert "Paris (75)" in content
    assert "Nord" not in content


def test_a_short_dashboard_export_stays_immediate(client_as, paris_cases):
    response = client_as("statistician").get(DASHBOARD, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mniop-statistiques-')
    assert not ExportJob.objects.exists()


def test_a_dashboard_export_over_the_row_threshold_becomes_a_job(client_as, paris_cases, settings):
    settings.MNIOP = settings.MNIOP | {"STATISTICS_SYNC_EXPORT_MAX_ROWS": 10}

    response = client_as("statistician").get(DASHBOARD, {"format": "ods"})

    job = ExportJob.objects.get()
    assert response["Location"] == detail_url(job)
    assert job.kind == "dashboard"
    run_export_job(job.pk)
    job.refresh_from_db()
    assert job.filename.endswith(".ods")


def test_an_expired_export_is_refused_then_its_file_is_purged(client_as, paris_cases, settings):
    settings.MNIOP = settings.MNIOP | {"STATISTICS_EXPORT_RETENTION_HOURS": 0}
    client = client_as("miprof_agent")
    client.get(SURVEY, {"format": "csv"})
    job = ExportJob.objects.get()
    run_export_job(job.pk)

    response = client.get(download_url(job))
    assert response["Location"] == detail_url(job)
    assert purge_expired_exports() == 1

    job.refresh_from_db()
    assert (job.status, job.content) == ("expired", None)
    assert not AccessLog.objects.filter(action="export", object_id=str(job.public_id)).exists()
    assert "a expiré" in client.get(detail_url(job)).content.decode()


def test_an_export_whose_membership_ended_fails_with_a_french_reason(client_as, world, paris_cases):
    client_as("departmental_validator").get(SURVEY, {"format": "csv"})
    job = ExportJob.objects.get()
    membership = world.memberships["departmental_validator"]
    membership.is_active = False
    membership.save(update_fields=["is_active"])

    assert run_export_job(job.pk) == "failed"

    job.refresh_from_db()
    assert "plus active" in job.summary


def test_a_broker_outage_leaves_the_export_pending_and_the_beat_task_dispatches_it_later(
    client_as, paris_cases, django_capture_on_commit_callbacks, monkeypatch
):
    """Courtier indisponible à la demande : pas d'erreur 500, la demande reste en attente ; la tâche beat la
    reconfie au worker quand le courtier répond de nouveau (rien n'est perdu)."""
    from kombu.exceptions import OperationalError

    from observatoire.export_jobs import PENDING_REDISPATCH_AFTER, dispatch_pending_exports

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(run_export_job, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("miprof_agent").get(SURVEY, {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ExportJob.Status.PENDING

    dispatched = []
    monkeypatch.setattr(run_export_job, "delay", dispatched.append)
    assert dispatch_pending_exports() == 0  # trop récente : peut-être déjà en route vers le worker
    assert dispatch_pending_exports(now=timezone.now() + PENDING_REDISPATCH_AFTER * 2) == 1
    assert dispatched == [job.pk]
