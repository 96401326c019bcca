"""Les exports longs, demandés par une page, calculés par une tâche Celery qui met à jour leur avancement,
téléchargés par la seule personne qui les a demandés tant qu'ils n'ont pas expiré. Un seul mécanisme pour :

- les microdonnées (toujours en tâche) ;
- les exports de tableaux (CSV, ODS, XLSX) d'une page de statistiques (`TABLE_PAGES`) : toujours pour l'enquête
  annuelle (l'année entière), et pour les autres pages au-delà de `MNIOP["STATISTICS_SYNC_EXPORT_MAX_ROWS"]` lignes.

Écritures par ces services seulement ; la tâche mince est `observatoire.tasks.run_export_job`."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.membership import resolve_current_membership
from observatoire import exports, reports
from observatoire.microdata import microdata, with_labels
from observatoire.models import ExportJob
from observatoire.scope import statistics_scope
from observatoire.tables import protected_tables

logger = logging.getLogger(__name__)

DEFAULT_SYNC_EXPORT_MAX_ROWS = 400
DEFAULT_RETENTION_HOURS = 24
#: Les pages dont les tableaux s'exportent, et celles qui passent toujours par une tâche (l'année entière).
TABLE_PAGES = ("dashboard", "survey", "greta")
ALWAYS_ASYNC_PAGES = frozenset({"survey"})


def sync_export_max_rows():
    return settings.MNIOP.get("STATISTICS_SYNC_EXPORT_MAX_ROWS", DEFAULT_SYNC_EXPORT_MAX_ROWS)


def retention():
    return datetime.timedelta(hours=settings.MNIOP.get("STATISTICS_EXPORT_RETENTION_HOURS", DEFAULT_RETENTION_HOURS))


def heading(title, scope, year):
    return [title, f"Champ : {scope.champ}, année {year}", f"Produit le {timezone.localdate():%d/%m/%Y} par le MNIOP"]


def survey_title(year):
    return f"Enquête annuelle sur les victimes de traite suivies par les associations : données {year}"


def dashboard_tables(*, year, scope):
    """Les tableaux du tableau de bord, puis ceux par département (décisions, délais, respect des délais)."""
    tables = protected_tables(reports.DASHBOARD, year=year, scope=scope)
    by_departement = [table for table, _ in reports.departement_tables(year=year, scope=scope).values()]
    return [*tables, *by_departement]


def greta_items(*, year, scope):
    """[(ligne de la grille, [tableaux protégés])], lus en une requête."""
    specs = [spec for item in reports.GRETA for spec in item.tables]
    protected = iter(protected_tables(specs, year=year, scope=scope))
    return [(item, [next(protected) for _ in item.tables]) for item in reports.GRETA]


def table_export_rows(page, *, year, scope):
    """(lignes, nom du fichier sans extension) de l'export d'une page : tout nombre y est déjà protégé."""
    if page == "dashboard":
        rows = exports.table_rows(
            dashboard_tables(year=year, scope=scope), heading("Statistiques du MNIOP", scope, year)
        )
        return rows, f"mniop-statistiques-{year}"
    if page == "survey":
        tables = protected_tables(reports.SURVEY, year=year, scope=scope)
        return exports.table_rows(tables, heading(survey_title(year), scope, year)), f"mniop-enquete-miprof-{year}"
    rows = exports.table_rows([], heading(f"Grille du GRETA, question 42 : {year}", scope, year))
    for item, tables in greta_items(year=year, scope=scope):
        rows.append([exports.neutralise(item.item), item.breakdowns])
        if item.unavailable:
            rows.append(["Non disponible", item.unavailable])
        rows.extend(exports.table_rows(tables, [])[1:])
    return rows, f"mniop-grille-greta-{year}"


def needs_job(page, rows):
    """Un export passe par une tâche : toujours pour l'enquête annuelle, au-delà du seuil de lignes sinon."""
    return page in ALWAYS_ASYNC_PAGES or len(rows) > sync_export_max_rows()


def parameters(page, *, year, departement, fmt, membership_id):
    """Les paramètres d'un export, tels qu'ils sont rejoués par la tâche et écrits au journal d'accès."""
    return f"{page};{year};{departement or ''};{fmt};{membership_id}"


def request_table_export(*, by, page, year, departement, fmt):
    """Écrit la demande d'export d'une page (au nom de l'adhésion courante) et programme la tâche après la
    validation de la transaction. La portée est recalculée par la tâche : un accès retiré entre-temps fait échouer
    l'export."""
    membership = by.membership
    job = ExportJob.objects.create(
        requested_by=by,
        kind=page,
        parameters=parameters(page, year=year, departement=departement, fmt=fmt, membership_id=membership.pk),
    )
    transaction.on_commit(lambda: _schedule(job.pk))
    return job


def request_microdata_export(*, by):
    """Écrit la demande et programme la tâche après la validation de la transaction."""
    job = ExportJob.objects.create(requested_by=by, kind="microdata", parameters="microdata;national")
    transaction.on_commit(lambda: _schedule(job.pk))
    return job


def _schedule(job_id):
    """Confie l'export au worker. Courtier indisponible : la demande reste en attente (jamais d'erreur 500 pour la
    personne qui la fait) et la tâche beat `dispatch_pending_exports` la reprend."""
    from observatoire.tasks import run_export_job  # noqa: PLC0415 - la tâche importe ce module

    try:
        run_export_job.delay(job_id)
    except Exception:  # noqa: BLE001 - le courtier est indisponible : la tâche beat reprendra l'export
        logger.warning("Courtier indisponible : export %s laissé en attente", job_id)


#: Une demande plus ancienne que ce délai et toujours en attente n'a pas atteint le worker.
PENDING_REDISPATCH_AFTER = datetime.timedelta(minutes=2)


def dispatch_pending_exports(now=None):
    """Tâche beat : reconfie au worker les exports restés en attente (courtier indisponible au moment de la
    demande). Rejouable : un export déjà pris passe « en cours » et n'est plus repris. Renvoie leur nombre."""
    cutoff = (now or timezone.now()) - PENDING_REDISPATCH_AFTER
    pending = list(
        ExportJob.objects.filter(status=ExportJob.Status.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)
    )
    for job_id in pending:
        _schedule(job_id)
    return len(pending)


def _set_progress(job_id, done, total, start=0, end=99):
    """L'avancement de `start` à `end` % au fil de `done` / `total`."""
    percent = start + int((end - start) * done / max(total, 1))
    ExportJob.objects.filter(pk=job_id).update(progress=min(99, percent))


def _microdata(job):
    header, rows, level, suppressed = microdata(progress=lambda done, total: _set_progress(job.pk, done, total))
    header, labelled_rows = with_labels(header, rows)
    content = exports.to_csv([header, *([exports.neutralise(value) for value in row] for row in labelled_rows)])
    summary = f"{len(rows)} lignes, niveau de généralisation {level}, {suppressed} lignes supprimées"
    return content, "mniop-microdonnees.csv", summary


def _table_export(job):
    page, year, departement, fmt, membership_id = job.parameters.split(";")
    user = job.requested_by
    membership = resolve_current_membership(user, int(membership_id))
    if membership is None or membership.pk != int(membership_id):
        raise PermissionDenied("L'adhésion qui a demandé cet export n'est plus active.")
    user.membership = membership
    scope = statistics_scope(user, departement=departement or None)
    rows, name = table_export_rows(page, year=int(year), scope=scope)
    _set_progress(job.pk, 1, 10)
    data, _, extension = exports.render(
        rows, fmt, progress=lambda done, total: _set_progress(job.pk, done, total, start=10)
    )
    return data, f"{name}.{extension}", f"{len(rows)} lignes, {scope.label}, format {fmt.upper()}"


BUILDERS = {"microdata": _microdata, **dict.fromkeys(TABLE_PAGES, _table_export)}


def run_export(job_id):
    """Le corps de la tâche : rejouable (un export terminé n'est pas recalculé). Le fichier est gardé jusqu'à
    `expires_at` (réglage `MNIOP["STATISTICS_EXPORT_RETENTION_HOURS"]`)."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.is_finished:
        return job
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.RUNNING)
    try:
        content, filename, summary = BUILDERS[job.kind](job)
    except PermissionDenied as error:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, summary=str(error)[:200], finished_at=timezone.now()
        )
        return ExportJob.objects.get(pk=job_id)
    except Exception:
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, finished_at=timezone.now())
        raise
    now = timezone.now()
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        progress=100,
        content=content,
        filename=filename,
        summary=summary,
        finished_at=now,
        expires_at=now + retention(),
    )
    return ExportJob.objects.get(pk=job_id)


def purge_expired_exports(now=None):
    """Efface le fichier des exports expirés (la ligne reste : qui a exporté quoi, et quand)."""
    return ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now or timezone.now()).update(
        status=ExportJob.Status.EXPIRED, content=None
    )
