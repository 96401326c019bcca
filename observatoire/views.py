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
from observatoire import charts, export_jobs, exports, render_cache, reports
from observatoire.disclosure import threshold
from observatoire.models import CaseStatistic, ExportJob, RollupState
from observatoire.scope import can_view_statistics, statistics_scope
from observatoire.tables import adherence_rates, available_years, decision_rows, protected_tables, rate_rows

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


def _year(request, scope, state):
    years = render_cache.years(scope=scope, state=state, compute=lambda: available_years(scope))
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


def _context(scope, year, years, *, state, **extra):
    """Le contexte commun ; `state` : l'état des cumuls lu une fois par vue (sa date s'affiche, sa version fait la
    clé du cache de rendu : la date montrée est celle des chiffres montrés)."""
    return {
        "scope": scope,
        "year": year,
        "years": years,
        "threshold": threshold(),
        "refreshed_at": state.refreshed_at,
        "export_formats": EXPORT_FORMATS,
        **extra,
    }


def _export(request, page, *, scope, year, fmt):
    """L'export d'une page : rendu tout de suite s'il est court, sinon confié à une tâche Celery dont la page suit
    l'avancement. Journalisé dans les deux cas, avec ses paramètres."""
    rows, name = export_jobs.table_export_rows(page, year=year, scope=scope)
    if not export_jobs.needs_job(page, rows):
        _log(request, AccessAction.EXPORT, page=page, scope=scope, year=year, fmt=fmt)
        data, content_type, extension = exports.render(rows, fmt)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response
    departement = scope.keys[0] if scope.can_filter_territory and scope.kind == "departement" else None
    job = export_jobs.request_table_export(by=request.user, page=page, year=year, departement=departement, fmt=fmt)
    _log(request, AccessAction.EXPORT, page=page, scope=scope, year=year, fmt=f"{fmt};{job.public_id}")
    messages.info(request, "L'export se prépare en arrière-plan : le lien de téléchargement s'affichera ici.")
    return redirect("observatoire:export_job_detail", job.public_id)


@role_required(can_view_statistics)
def statistics_dashboard(request):
    scope = _scope(request)
    state = RollupState.current()
    year, years = _year(request, scope, state)
    fmt = _format(request, exports.FORMATS)
    if fmt:
        return _export(request, "dashboard", scope=scope, year=year, fmt=fmt)
    role = current_role(request.user)
    queue_url = reverse(QUEUE_URLS[role]) if role in QUEUE_URLS else ""
    figures = render_cache.rendered(
        "dashboard",
        scope=scope,
        filters={"annee": year},
        state=state,
        template="observatoire/includes/dashboard_figures.html",
        context=lambda: _dashboard_figures(scope, year, queue_url),
        variant={"queue_url": queue_url},
    )
    _log(request, AccessAction.READ, page="dashboard", scope=scope, year=year)
    return render(
        request,
        "observatoire/statistics_dashboard.html",
        _context(
            scope,
            year,
            years,
            state=state,
            figures=figures,
            can_download_microdata=role in MICRODATA_ROLES,
        ),
    )


def _dashboard_figures(scope, year, queue_url):
    """Les tableaux et graphiques du tableau de bord (lus dans les cumuls de la portée) : seulement quand le cache de
    rendu n'a pas cette page pour cette portée et cette version des cumuls."""
    tables = protected_tables(reports.DASHBOARD, year=year, scope=scope)
    by_departement = reports.departement_tables(year=year, scope=scope)
    decisions, delays = by_departement["departement_decision"]
    delay_bands = by_departement["departement_delay"][0]
    triage_deadlines = by_departement["departement_triage_deadline"][0]
    decision_deadlines = by_departement["departement_decision_deadline"][0]
    decision_rate_rows = decision_rows(decisions, delays)
    adherence = [
        (
            "triage",
            "Instruction par la Miprof",
            triage_deadlines,
            rate_rows(triage_deadlines, adherence_rates(triage_deadlines)),
        ),
        (
            "decision",
            "Décision départementale",
            decision_deadlines,
            rate_rows(decision_deadlines, adherence_rates(decision_deadlines)),
        ),
    ]
    form_sex, form_age, nationality_age, month_form, scope_form, kind_form = tables
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
        (
            "chart-kind",
            "Signalements et notifications statistiques anonymes",
            charts.row_totals(kind_form),
            kind_form,
        ),
    ]
    return {
        "charts": [
            (chart_id, title, charts.bar_chart(chart_id, title, items), table)
            for chart_id, title, items, table in chart_list
        ],
        "decisions": decisions,
        "decision_rows": decision_rate_rows,
        "rate_chart": charts.rate_chart(
            "chart-positive-rates", "Taux de décisions positives par département", decision_rate_rows
        ),
        "delay_bands": delay_bands,
        "delay_chart": charts.bar_chart(
            "chart-delays", "Décisions par délai (jours ouvrés)", charts.column_totals(delay_bands)
        ),
        "adherence": [
            (
                key,
                label,
                table,
                rows,
                charts.rate_chart(f"chart-adherence-{key}", f"{label} : part des délais tenus", rows),
            )
            for key, label, table, rows in adherence
        ],
        "queue_url": queue_url,
        "decision_chart": charts.bar_chart(
            "chart-decisions", "Décisions par département", charts.row_totals(decisions)
        ),
    }


@role_required(can_view_statistics)
def statistics_survey(request):
    scope = _scope(request)
    state = RollupState.current()
    year, years = _year(request, scope, state)
    fmt = _format(request, [*exports.FORMATS, "pdf"])
    if fmt in exports.FORMATS:
        return _export(request, "survey", scope=scope, year=year, fmt=fmt)
    title = export_jobs.survey_title(year)
    if fmt:
        _log(request, AccessAction.EXPORT, page="survey", scope=scope, year=year, fmt=fmt)
        if fmt == "pdf":
            tables = protected_tables(reports.SURVEY, year=year, scope=scope)
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
    figures = render_cache.rendered(
        "survey",
        scope=scope,
        filters={"annee": year},
        state=state,
        template="observatoire/includes/survey_figures.html",
        context=lambda: {"tables": protected_tables(reports.SURVEY, year=year, scope=scope)},
    )
    _log(request, AccessAction.READ, page="survey", scope=scope, year=year)
    return render(
        request,
        "observatoire/statistics_survey.html",
        _context(
            scope,
            year,
            years,
            state=state,
            figures=figures,
            title=title,
            survey_formats=[*EXPORT_FORMATS, ("pdf", "PDF")],
        ),
    )


@role_required(can_view_statistics)
def statistics_greta(request):
    scope = _scope(request)
    state = RollupState.current()
    year, years = _year(request, scope, state)
    fmt = _format(request, exports.FORMATS)
    if fmt:
        return _export(request, "greta", scope=scope, year=year, fmt=fmt)
    figures = render_cache.rendered(
        "greta",
        scope=scope,
        filters={"annee": year},
        state=state,
        template="observatoire/includes/greta_figures.html",
        context=lambda: {"items": export_jobs.greta_items(year=year, scope=scope)},
    )
    _log(request, AccessAction.READ, page="greta", scope=scope, year=year)
    return render(
        request, "observatoire/statistics_greta.html", _context(scope, year, years, state=state, figures=figures)
    )


@role_required(MICRODATA_ROLES)
@recent_auth_required(only_writes=True)
def statistics_microdata(request):
    """Les microdonnées k-anonymes (agents de la Miprof et statisticien·nes) : la page les explique ; le bouton demande
    un export calculé par une tâche Celery, suivi sur sa propre page."""
    if request.method == "POST":
        job = export_jobs.request_microdata_export(by=request.user)
        log_access(request, action=AccessAction.CREATE, obj=job)
        return redirect("observatoire:export_job_detail", job.public_id)
    jobs = ExportJob.objects.visible_to(request.user).filter(kind="microdata").defer("content")[:10]
    return render(
        request, "observatoire/statistics_microdata.html", {"jobs": jobs, "k": settings.MNIOP["MICRODATA_K"]}
    )


#: Le retour depuis la page d'un export : la page qui l'a demandé.
BACK_LINKS = {
    "microdata": ("observatoire:statistics_microdata", "Retour aux microdonnées"),
    "dashboard": ("observatoire:statistics_dashboard", "Retour au tableau de bord"),
    "survey": ("observatoire:statistics_survey", "Retour à l'enquête annuelle"),
    "greta": ("observatoire:statistics_greta", "Retour à la grille du GRETA"),
}
#: La page d'un export en cours se recharge seule (balise meta, sans script) toutes les quelques secondes.
EXPORT_REFRESH_SECONDS = 3


@role_required(can_view_statistics)
def export_job_detail(request, public_id):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user).defer("content"), public_id=public_id)
    return render(
        request,
        "observatoire/export_job_detail.html",
        {"job": job, "refresh_seconds": EXPORT_REFRESH_SECONDS, "back": BACK_LINKS[job.kind]},
    )


@role_required(can_view_statistics)
@recent_auth_required
def export_job_download(request, public_id):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), public_id=public_id)
    if job.is_expired:
        messages.warning(request, "Cet export a expiré : demandez-en un nouveau depuis la page de statistiques.")
        return redirect("observatoire:export_job_detail", job.public_id)
    if job.status != ExportJob.Status.DONE:
        messages.warning(request, "Cet export n'est pas encore prêt.")
        return redirect("observatoire:export_job_detail", job.public_id)
    log_access(request, action=AccessAction.EXPORT, obj=job)
    response = HttpResponse(bytes(job.content), content_type=exports.content_type_for(job.filename))
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
