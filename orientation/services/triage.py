"""L'instruction par la Miprof (domaine §11.3) : une fonction par transition, verrou, contrôle d'état, prédicat,
ligne de journal, notifications (liens seulement)."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from mniop.roles import NATIONAL_CASE_ROLES
from orientation.enums import ClockStep, ClosureKind, ReferralCancelReason
from orientation.models import ClockSettings, Closure
from orientation.permissions import can_triage_signalement
from orientation.services import exits, notices
from orientation.services.common import lock, require
from referents.working_days import deadline_at
from signalements import lifecycle
from signalements.enums import ConsentPurpose, ReferenceCategory, SignalementStatus
from signalements.models import InformationRequest, Signalement
from signalements.notifications import information_request_path
from signalements.services.consents import require_consent
from signalements.services.events import apply_transition

NOT_MIPROF = "Seule la Miprof instruit les signalements."

OUT_OF_SCOPE_REASON_REQUIRED = "Choisissez un motif de la liste des motifs hors champ."
CLOSURE_COMMENT_REQUIRED = "Expliquez la clôture en quelques mots."
QUESTION_REQUIRED = "Écrivez la question posée à l'organisation déclarante."


def suggest_competent_departement(signalement):
    """Le département compétent suggéré : le département responsable (à défaut de qualification, celui du lieu de
    repérage)."""
    return signalement.responsible_departement


@transaction.atomic
def start_triage(*, signalement, by):
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    lifecycle.check(signalement, "start_triage")
    if signalement.assigned_to_id is None:
        signalement.assigned_to = by
    apply_transition(signalement, "start_triage", by=by, fields=["assigned_to"])
    return signalement


@transaction.atomic
def assign(*, signalement, to, by):
    """Attribue le signalement à soi-même ou à un·e collègue de la Miprof."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    lifecycle.check(signalement, "assign")
    is_colleague = to.is_active and to.memberships.filter(is_active=True, role__in=NATIONAL_CASE_ROLES).exists()
    if not is_colleague:
        raise ValidationError({"assigned_to": "Le signalement ne peut être attribué qu'à un·e agent·e de la Miprof."})
    if signalement.assigned_to_id == to.pk:
        raise ValidationError({"assigned_to": "Le signalement est déjà attribué à cette personne."})
    signalement.assigned_to = to
    apply_transition(signalement, "assign", by=by, data={"assigned_to": str(to.public_id)}, fields=["assigned_to"])
    if to.pk != by.pk:
        notices.notify_in_app([to], action="signalement attribué, à instruire", signalement=signalement)
    return signalement


@transaction.atomic
def qualify(*, signalement, by, exploitation_forms, is_minor_presumed, competent_departement):
    """Qualifie : formes d'exploitation, minorité présumée, département compétent (suggéré, modifiable)."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    lifecycle.check(signalement, "qualify")
    errors = {}
    forms = list(exploitation_forms)
    if not forms:
        errors["exploitation_forms"] = "Indiquez au moins une forme d'exploitation."
    elif any(form.category != ReferenceCategory.EXPLOITATION_FORM for form in forms):
        errors["exploitation_forms"] = "Une valeur n'appartient pas à la liste des formes d'exploitation."
    if competent_departement is None:
        errors["competent_departement"] = "Indiquez le département compétent."
    if errors:
        raise ValidationError(errors)
    changed = []
    if set(signalement.exploitation_forms.values_list("pk", flat=True)) != {form.pk for form in forms}:
        signalement.exploitation_forms.set(forms)
        changed.append("exploitation_forms")
    if signalement.is_minor_presumed != is_minor_presumed:
        signalement.is_minor_presumed = is_minor_presumed
        changed.append("is_minor_presumed")
    if signalement.competent_departement_id != competent_departement.pk:
        signalement.competent_departement = competent_departement
        changed.append("competent_departement")
    apply_transition(
        signalement,
        "qualify",
        by=by,
        data={"fields": changed, "competent_departement": competent_departement.code},
        fields=["is_minor_presumed", "competent_departement"],
    )
    return signalement


@transaction.atomic
def request_information(*, signalement, by, question):
    """Demande un complément à l'organisation déclarante : le délai d'instruction est suspendu jusqu'à la réponse."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    lifecycle.check(signalement, "request_information")
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": QUESTION_REQUIRED})
    now = timezone.now()
    days = ClockSettings.current().working_days(ClockStep.INFORMATION_REQUEST, urgent=signalement.urgent)
    request = InformationRequest.objects.create(
        signalement=signalement,
        question=question,
        requested_by=by,
        requested_at=now,
        due_at=deadline_at(signalement.departement, now, days),
    )
    apply_transition(signalement, "request_information", by=by, data={"information_request": str(request.public_id)})
    notices.notify(
        recipients.filing_organisation(signalement),
        template="orientation_information_requested",
        action=f"demande de complément à traiter avant le {local_date(request.due_at, signalement.departement)}",
        signalement=signalement,
        path=information_request_path(request),
    )
    return request


def local_date(moment, territory):
    """La date d'une échéance à l'heure du territoire (« 08/12/2026 ») : elle tombe à 23:59 heure locale."""
    return moment.astimezone(zoneinfo.ZoneInfo(territory.time_zone)).strftime("%d/%m/%Y")


def _close(signalement, *, by, transition, kind, reason=None, comment="", data=None):
    now = timezone.now()
    signalement.closure_reason = reason
    apply_transition(signalement, transition, by=by, data=data, fields=["closure_reason", "duplicate_of"])
    Closure.objects.create(
        signalement=signalement, kind=kind, reason=reason, comment=comment, closed_by=by, closed_at=now
    )
    # Une mise à l'abri avant la décision a pu retenir une place : elle est libérée avec la clôture.
    exits.cancel_open_referrals(signalement=signalement, by=by, reason=ReferralCancelReason.TRIAGE_CLOSED)
    notices.notify(
        recipients.filing_organisation(signalement),
        template="orientation_closed",
        action="signalement clos par la Miprof",
        signalement=signalement,
    )
    return signalement


@transaction.atomic
def close_as_duplicate(*, signalement, original, by):
    """Clôt comme doublon d'un original que la personne voit et qui n'est pas lui-même un doublon."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    lifecycle.check(signalement, "close_as_duplicate")
    visible = Signalement.objects.visible_to(by).filter(pk=getattr(original, "pk", None)).first()
    if visible is None or visible.pk == signalement.pk:
        raise ValidationError({"original": "Choisissez un autre signalement, déposé, comme original."})
    if visible.status == SignalementStatus.CLOSED_DUPLICATE or visible.duplicate_of_id is not None:
        raise ValidationError({"original": "Ce signalement est lui-même un doublon : choisissez son original."})
    signalement.duplicate_of = visible
    return _close(
        signalement,
        by=by,
        transition="close_as_duplicate",
        kind=ClosureKind.DUPLICATE,
        data={"original": visible.reference},
    )


@transaction.atomic
def close_out_of_scope(*, signalement, reason, comment, by):
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    lifecycle.check(signalement, "close_out_of_scope")
    errors = {}
    if reason is None or reason.category != ReferenceCategory.OUT_OF_SCOPE_REASON or reason.is_retired:
        errors["reason"] = OUT_OF_SCOPE_REASON_REQUIRED
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = CLOSURE_COMMENT_REQUIRED
    if errors:
        raise ValidationError(errors)
    return _close(
        signalement,
        by=by,
        transition="close_out_of_scope",
        kind=ClosureKind.OUT_OF_SCOPE,
        reason=reason,
        comment=comment,
        data={"reason": reason.code},
    )


@transaction.atomic
def forward_to_departement(*, signalement, by, departement=None, override_ground="", override_reason=""):
    """Transmet à l'autorité du département compétent (qualifié, ou celui donné) et prévient ses valideur·ses. Exige
    le consentement « prise en charge » de la personne, ou un motif légal écrit (`require_consent`)."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    lifecycle.check(signalement, "forward")
    departement = departement or signalement.competent_departement
    if departement is None:
        raise ValidationError(
            {"departement": "Qualifiez le signalement ou choisissez le département compétent avant de le transmettre."}
        )
    # Sans valideur·se actif·ve, la Miprof (administration) décide : la transmission n'est jamais refusée.
    fallback = not recipients.validators_of(departement)
    require_consent(
        signalement=signalement,
        purpose=ConsentPurpose.SHELTER,
        by=by,
        override_ground=override_ground,
        override_reason=override_reason,
    )
    signalement.competent_departement = departement
    data = {"departement": departement.code} | ({"decider": "national"} if fallback else {})
    apply_transition(signalement, "forward", by=by, data=data, fields=["competent_departement"])
    notices.notify(
        recipients.deciders_of(departement),
        template="orientation_forwarded",
        action="transmis à votre département, décision à prendre"
        if not fallback
        else "décision à prendre : aucun·e valideur·se n'est actif·ve pour son département",
        signalement=signalement,
        path=notices.case_path(signalement, "decider"),
    )
    return signalement
