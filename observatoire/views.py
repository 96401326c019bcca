"""Les pages de l'observatoire : tableau de bord par rôle, enquête annuelle de la Miprof, grille du GRETA, exports et
microdonnées. Vues minces : la portée vient de `observatoire.scope`, les tableaux de `observatoire.tables`, et tout
nombre passe par `observatoire.disclosure` ; chaque consultation et chaque export sont journalisés."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reauth import recent_auth_required
from mniop.pdf import render_document
from mniop.roles import NATIONAL_CASE_ROLES, Role, current_role, role_required
from observatoire import charts, exports, reports
from observatoire.disclosure import threshold
from observatoire.export_jobs import request_microdata_export
from observatoire.models import CaseStatistic, ExportJob, RollupState
from observatoire.scope import can_view_statistics, statistics_scope
from observatoire.tables import available_years, decision_rows, departement_table, protected_tables

EXPORT_FORMATS = [("csv", "CSV"), ("ods", "ODS (tableur, format ouvert)"), ("xlsx", "XLSX")]
#: La file où un chiffre par département mène, pour les rôles qui voient les dossiers.
QUEUE_URLS = {
    Role.MIPROF_AGENT: "orientation:miprof_queue",
    Role.MIPROF_ADMIN: "orientation:miprof_queue",
    Role.DEPARTMENTAL_VALIDATOR: "orientation:departement_queue",
}
MICRODATA_ROLES = frozenset({*NATIONAL_CASE_ROLES, Role.STATISTICIAN})


def _scope(request):
    """La portée de la personne ; un filtre de département hors de sa portée : 403 (`statistics_scope`)."""
    return statistics_scope(request.user, departement=request.GET.get("departement", "").strip()[:3] or None)


def _year(request, scope):
    years = available_years(scope)
    default = years[0] if years else timezone.localdate().year
    raw = request.GET.get("annee", "").strip()
    if not raw:
        return default, years
    if raw.isdigit() and int(raw) in years:
        return int(raw), years
    messages.warning(request, f"Aucune statistique pour l'année « {raw[:10]} » : voici celles de {default}.")
    return default, years


def _format(request, allowed):
    fmt = request.GET.get("format", "").strip().lower()
    if fmt and fmt not in allowed:
        messages.warning(request, f"Format « {fmt[:10]} » inconnu : choisissez parmi {', '.join(allowed)}.")
        return ""
    return fmt


def _log(request, action, *, page, scope, year, fmt=""):
    """Le journal d'accès, avec les paramètres de la demande (jamais de donnée personnelle)."""
    parameters = f"{page};{year};{scope.describe()}" + (f";{fmt}" if fmt else "")
    log_access(request, action=action, model=CaseStatistic, object_id=parameters[:64])


def _context(scope, year, years, **extra):
    return {
        "scope": scope,
        "year": year,
        "years": years,
        "threshold": threshold(),
        "refreshed_at": RollupState.current().refreshed_at,
        "export_formats": EXPORT_FORMATS,
        **extra,
    }


def _download(request, tables, *, fmt, name, heading):
    data, content_type, extension = exports.render(exports.table_rows(tables, heading), fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _heading(title, scope, year):
    return [title, f"Champ : {scope.champ}, année {year}", f"Produit le {timezone.localdate():%d/%m/%Y} par le MNIOP"]


@role_required(can_view_statistics)
def statistics_dashboard(request):
    scope = _scope(request)
    year, years = _year(request, scope)
    fmt = _format(request, exports.FORMATS)
    tables = protected_tables(reports.DASHBOARD, year=year, scope=scope)
    decisions, delays = departement_table(year=year, scope=scope)
    if fmt:
        _log(request, AccessAction.EXPORT, page="dashboard", scope=scope, year=year, fmt=fmt)
        return _download(
            request,
            [*tables, decisions],
            fmt=fmt,
            name=f"mniop-statistiques-{year}",
            heading=_heading("Statistiques du MNIOP", scope, year),
        )
    form_sex, form_age, nationality_age, month_form, scope_form = tables
    chart_list = [
        ("chart-forms", "Victimes par forme d'exploitation", charts.row_totals(form_sex), form_sex),
        ("chart-sex", "Victimes par sexe", charts.column_totals(form_sex), form_sex),
        ("chart-age", "Victimes par âge", charts.column_totals(form_age), form_age),
        (
            "chart-nationality",
            "Victimes par groupe de nationalités",
            charts.row_totals(nationality_age),
            nationality_age,
        ),
        ("chart-months", "Signalements par mois de dépôt", charts.row_totals(month_form), month_form),
        ("chart-scope", "Traite interne ou transnationale", charts.row_totals(scope_form), scope_form),
    ]
    _log(request, AccessAction.READ, page="dashboard", scope=scope, year=year)
    return render(
        request,
        "observatoire/statistics_dashboard.html",
        _context(
            scope,
            year,
            years,
            charts=[
                (chart_id, title, charts.bar_chart(chart_id, title, items), table)
                for chart_id, title, items, table in chart_list
            ],
            decisions=decisions,
            decision_rows=decision_rows(decisions, delays),
            can_download_microdata=current_role(request.user) in MICRODATA_ROLES,
            queue_url=reverse(QUEUE_URLS[role]) if (role := current_role(request.user)) in QUEUE_URLS else "",
            decision_chart=charts.bar_chart(
                "chart-decisions", "Décisions par département", charts.row_totals(decisions)
            ),
        ),
    )


@role_required(can_view_statistics)
def statistics_survey(request):
    scope = _scope(request)
    year, years = _year(request, scope)
    fmt = _format(request, [*exports.FORMATS, "pdf"])
    tables = protected_tables(reports.SURVEY, year=year, scope=scope)
    title = f"Enquête annuelle sur les victimes de traite suivies par les associations : données {year}"
    if fmt:
        _log(request, AccessAction.EXPORT, page="survey", scope=scope, year=year, fmt=fmt)
        if fmt == "pdf":
            pdf = render_document(
                "pdf/observatoire/survey.html",
                {
                    "title": title,
                    "tables": tables,
                    "scope": scope,
                    "year": year,
                    "threshold": threshold(),
                    "generated_at": timezone.localtime(),
                },
                stylesheets=["pdf/statistics.css"],
            )
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="mniop-enquete-miprof-{year}.pdf"'
            return response
        return _download(
            request, tables, fmt=fmt, name=f"mniop-enquete-miprof-{year}", heading=_heading(title, scope, year)
        )
    _log(request, AccessAction.READ, page="survey", scope=scope, year=year)
    return render(
        request,
        "observatoire/statistics_survey.html",
        _context(scope, year, years, tables=tables, title=title, survey_formats=[*EXPORT_FORMATS, ("pdf", "PDF")]),
    )


@role_required(can_view_statistics)
def statistics_greta(request):
    scope = _scope(request)
    year, years = _year(request, scope)
    fmt = _format(request, exports.FORMATS)
    specs = [spec for item in reports.GRETA for spec in item.tables]
    protected = iter(protected_tables(specs, year=year, scope=scope))
    items = [(item, [next(protected) for _ in item.tables]) for item in reports.GRETA]
    if fmt:
        _log(request, AccessAction.EXPORT, page="greta", scope=scope, year=year, fmt=fmt)
        rows = exports.table_rows([], _heading(f"Grille du GRETA, question 42 : {year}", scope, year))
        for item, tables in items:
            rows.append([exports.neutralise(item.item), item.breakdowns])
            if item.unavailable:
                rows.append(["Non disponible", item.unavailable])
            rows.extend(exports.table_rows(tables, [])[1:])
        data, content_type, extension = exports.render(rows, fmt)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="mniop-grille-greta-{year}.{extension}"'
        return response
    _log(request, AccessAction.READ, page="greta", scope=scope, year=year)
    return render(request, "observatoire/statistics_greta.html", _context(scope, year, years, items=items))


@role_required(MICRODATA_ROLES)
@recent_auth_required(only_writes=True)
def statistics_microdata(request):
    """Les microdonnées k-anonymes (agents de la Miprof et statisticien·nes) : la page les explique ; le bouton demande
    un export calculé par une tâche Celery, suivi sur sa propre page."""
    if request.method == "POST":
        job = request_microdata_export(by=request.user)
        log_access(request, action=AccessAction.CREATE, obj=job)
        return redirect("observatoire:export_job_detail", job.public_id)
    jobs = ExportJob.objects.visible_to(request.user).defer("content")[:10]
    return render(
        request, "observatoire/statistics_microdata.html", {"jobs": jobs, "k": settings.MNIOP["MICRODATA_K"]}
    )


@role_required(MICRODATA_ROLES)
def export_job_detail(request, public_id):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user).defer("content"), public_id=public_id)
    return render(request, "observatoire/export_job_detail.html", {"job": job})


@role_required(MICRODATA_ROLES)
@recent_auth_required
def export_job_download(request, public_id):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), public_id=public_id)
    if job.status != ExportJob.Status.DONE:
        messages.warning(request, "Cet export n'est pas encore prêt.")
        return redirect("observatoire:export_job_detail", job.public_id)
    log_access(request, action=AccessAction.EXPORT, obj=job)
    response = HttpResponse(bytes(job.content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
