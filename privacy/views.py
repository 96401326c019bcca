"""Les pages des données personnelles : les consentements d'un dossier et la notice d'information (organisation
déclarante, Miprof), les droits de la personne et la conservation (délégué·e à la protection des données,
administration de la Miprof). Minces : les services écrivent, chaque lecture de dossier est journalisée."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reauth import recent_auth_required
from mniop.forms import add_service_errors
from mniop.roles import role_required
from orientation.rights_sheet import LANGUAGES
from orientation.services.consents import WITHDRAWAL_EFFECTS, withdraw_consent
from privacy import exports, retention
from privacy.forms import (
    ConsentRecordForm,
    RectificationForm,
    ReferenceSearchForm,
    RightsRequestForm,
    WithdrawalForm,
)
from privacy.models import RetentionRun, RightsRequest
from privacy.notice import render_notice
from privacy.permissions import can_manage_consents, can_run_rights_requests
from privacy.services import RECTIFIABLE_FIELDS, decide_rights_request, rectify_signalement
from signalements.enums import ConsentPurpose
from signalements.models import Signalement
from signalements.services.consents import consents_of, locked, record_consent


def _case(request, public_id, allowed):
    signalement = get_object_or_404(
        Signalement.objects.visible_to(request.user).select_related("organisation"), public_id=public_id
    )
    if not allowed(request.user, signalement):
        raise PermissionDenied
    return signalement


def _consents_context(signalement, record_form=None, withdrawal_form=None):
    return {
        "signalement": signalement,
        "consents": [
            (consent, WITHDRAWAL_EFFECTS[ConsentPurpose(consent.purpose)]) for consent in consents_of(signalement)
        ],
        "record_form": record_form or ConsentRecordForm(prefix="consentement"),
        "withdrawal_form": withdrawal_form or WithdrawalForm(prefix="retrait"),
        "languages": LANGUAGES,
        "overrides": list(signalement.consent_overrides.select_related("decided_by")),
    }


def consents(request, public_id):
    """Les consentements par finalité du dossier, leurs effets s'ils sont retirés, la notice d'information."""
    signalement = _case(request, public_id, can_manage_consents)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(request, "privacy/consents.html", _consents_context(signalement))


@require_POST
def consent_record(request, public_id):
    signalement = _case(request, public_id, can_manage_consents)
    form = ConsentRecordForm(request.POST, prefix="consentement")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                record_consent(signalement=locked(signalement), by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            messages.success(request, "Le consentement est enregistré.")
            return redirect("privacy:consents", public_id=signalement.public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(request, "privacy/consents.html", _consents_context(signalement, record_form=form), status=400)


@require_POST
def consent_withdraw(request, public_id):
    signalement = _case(request, public_id, can_manage_consents)
    form = WithdrawalForm(request.POST, prefix="retrait")
    if form.is_valid():
        try:
            _, cancelled = withdraw_consent(signalement=signalement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            stops, kept = WITHDRAWAL_EFFECTS[ConsentPurpose(form.cleaned_data["purpose"])]
            note = f" {len(cancelled)} orientation(s) en attente annulée(s)." if cancelled else ""
            messages.success(
                request, f"Le consentement est retiré. Ce qui s'arrête : {stops}{note} Ce qui est gardé : {kept}"
            )
            return redirect("privacy:consents", public_id=signalement.public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(request, "privacy/consents.html", _consents_context(signalement, withdrawal_form=form), status=400)


def notice(request, public_id, language):
    """La notice d'information dans la langue de la personne : téléchargement journalisé."""
    if language not in dict(LANGUAGES):
        raise Http404
    signalement = _case(request, public_id, can_manage_consents)
    pdf = render_notice(signalement, language)
    log_access(request, action=AccessAction.DOWNLOAD, obj=signalement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-information-{language}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Délégué·e à la protection des données ------------------------------------------------------------------


def _dpo_case(request, public_id):
    return _case(request, public_id, lambda user, _: can_run_rights_requests(user))


@role_required(can_run_rights_requests)
def dpo_home(request):
    form = ReferenceSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data["reference"].strip()
        found = Signalement.objects.visible_to(request.user).filter(reference__iexact=reference).first()
        log_access(request, action=AccessAction.SEARCH, model=Signalement)
        if found is not None:
            return redirect("privacy:dpo_case", public_id=found.public_id)
        form.add_error("reference", "Aucun dossier déposé ne porte cette référence.")
    return render(request, "privacy/dpo_home.html", {"form": form})


def _dpo_context(signalement, rectification_form=None, request_form=None):
    return {
        "signalement": signalement,
        "rectification_form": rectification_form or RectificationForm(prefix="rectification"),
        "request_form": request_form or RightsRequestForm(prefix="demande"),
        "requests": list(RightsRequest.objects.filter(signalement=signalement).select_related("decided_by")),
        "rectifiable": RECTIFIABLE_FIELDS,
    }


def dpo_case(request, public_id):
    signalement = _dpo_case(request, public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(request, "privacy/dpo_case.html", _dpo_context(signalement))


@recent_auth_required
def dpo_export(request, public_id, fmt):
    """L'export du droit d'accès : JSON pour le ou la délégué·e, PDF pour la personne."""
    if fmt not in ("json", "pdf"):
        raise Http404
    signalement = _dpo_case(request, public_id)
    log_access(request, action=AccessAction.EXPORT, obj=signalement)
    if fmt == "json":
        response = HttpResponse(exports.access_export_json(signalement), content_type="application/json")
    else:
        response = HttpResponse(exports.access_export_pdf(signalement), content_type="application/pdf")
    name = signalement.reference or signalement.public_id
    response["Content-Disposition"] = f'attachment; filename="donnees-{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _rectified_value(field, raw):
    if field == "birth_date":
        try:
            return datetime.date.fromisoformat(raw.strip()) if raw.strip() else None
        except ValueError as error:
            raise ValidationError({"value": "Écrivez la date au format AAAA-MM-JJ."}) from error
    if field == "estimated_age":
        if not raw.strip():
            return None
        if not raw.strip().isdigit():
            raise ValidationError({"value": "Écrivez un âge en années (un nombre)."})
        return int(raw)
    return raw


@require_POST
@recent_auth_required
def dpo_rectify(request, public_id):
    signalement = _dpo_case(request, public_id)
    form = RectificationForm(request.POST, prefix="rectification")
    if form.is_valid():
        data = form.cleaned_data
        try:
            rectify_signalement(
                signalement=signalement,
                by=request.user,
                field=data["field"],
                value=_rectified_value(data["field"], data["value"]),
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            messages.success(request, "La rectification est enregistrée ; l'ancienne valeur reste dans l'historique.")
            return redirect("privacy:dpo_case", public_id=signalement.public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(request, "privacy/dpo_case.html", _dpo_context(signalement, rectification_form=form), status=400)


@require_POST
@recent_auth_required
def dpo_request(request, public_id):
    signalement = _dpo_case(request, public_id)
    form = RightsRequestForm(request.POST, prefix="demande")
    if form.is_valid():
        try:
            decide_rights_request(signalement=signalement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            messages.success(request, "La demande et sa décision sont inscrites au dossier.")
            return redirect("privacy:dpo_case", public_id=signalement.public_id)
    log_access(request, action=AccessAction.READ, obj=signalement)
    return render(request, "privacy/dpo_case.html", _dpo_context(signalement, request_form=form), status=400)


@role_required(can_run_rights_requests)
@recent_auth_required(only_writes=True)
def retention_report(request):
    """Le rapport à blanc de la conservation (ce qu'un passage ferait maintenant) et les passages précédents ;
    l'autorisation d'appliquer, une fois le rapport lu."""
    if request.method == "POST":
        retention.approve_retention(by=request.user)
        messages.success(request, "Rapport lu : la conservation s'appliquera chaque nuit à partir de maintenant.")
        return redirect("privacy:retention_report")
    counts = retention.dry_run_counts()
    rows = [(rule, counts[rule.code], retention.periods().get(rule.period)) for rule in retention.RULES]
    return render(
        request,
        "privacy/retention_report.html",
        {
            "rows": rows,
            "runs": RetentionRun.objects.select_related("approved_by")[:20],
            "approved": retention.is_approved(),
        },
    )
