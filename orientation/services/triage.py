"""L'instruction par la Miprof (domaine §11.3) : une fonction par transition, verrou, contrôle d'état, prédicat,
ligne de journal, notifications (liens seulement)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mniop.roles import NATIONAL_CASE_ROLES
from orientation.enums import ClockStep, ClosureKind
from orientation.models import ClockSettings, Closure
from orientation.permissions import TRIAGE_STATUSES, can_triage_signalement
from orientation.services import clocks, recipients
from orientation.services.common import lock, require, require_status
from referents.working_days import deadline_at
from signalements.enums import ReferenceCategory, SignalementEventKind, SignalementStatus
from signalements.models import InformationRequest, Signalement
from signalements.services.events import record_event

NOT_MIPROF = "Seule la Miprof instruit les signalements."
OPEN_STATUSES = {SignalementStatus.SUBMITTED, *TRIAGE_STATUSES}

OUT_OF_SCOPE_REASON_REQUIRED = "Choisissez un motif de la liste des motifs hors champ."
CLOSURE_COMMENT_REQUIRED = "Expliquez la clôture en quelques mots."


def suggest_competent_departement(signalement):
    """Le département compétent suggéré : celui du lieu de repérage (le département du signalement)."""
    return signalement.competent_departement or signalement.departement


@transaction.atomic
def start_triage(*, signalement, by):
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    require_status(signalement, {SignalementStatus.SUBMITTED}, "commencer l'instruction")
    signalement.status = SignalementStatus.IN_TRIAGE
    if signalement.assigned_to_id is None:
        signalement.assigned_to = by
    signalement.save(update_fields=["status", "assigned_to", "updated_at"])
    clocks.start_clock(
        signalement=signalement,
        step=ClockStep.TRIAGE,
        territory=signalement.departement,
        at=signalement.submitted_at or timezone.now(),
    )
    record_event(signalement=signalement, kind=SignalementEventKind.TRIAGE_STARTED, by=by)
    return signalement


@transaction.atomic
def assign(*, signalement, to, by):
    """Attribue le signalement à soi-même ou à un·e collègue de la Miprof."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    require_status(signalement, OPEN_STATUSES, "attribuer le signalement")
    is_colleague = to.is_active and to.memberships.filter(is_active=True, role__in=NATIONAL_CASE_ROLES).exists()
    if not is_colleague:
        raise ValidationError({"assigned_to": "Le signalement ne peut être attribué qu'à un·e agent·e de la Miprof."})
    if signalement.assigned_to_id == to.pk:
        raise ValidationError({"assigned_to": "Le signalement est déjà attribué à cette personne."})
    signalement.assigned_to = to
    signalement.save(update_fields=["assigned_to", "updated_at"])
    record_event(
        signalement=signalement, kind=SignalementEventKind.ASSIGNED, by=by, data={"assigned_to": str(to.public_id)}
    )
    if to.pk != by.pk:
        recipients.notify_in_app([to], title="Un signalement vous a été attribué", signalement=signalement)
    return signalement


@transaction.atomic
def qualify(*, signalement, by, exploitation_forms, is_minor_presumed, competent_departement):
    """Qualifie : formes d'exploitation, minorité présumée, département compétent (suggéré, modifiable)."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    require_status(signalement, {SignalementStatus.IN_TRIAGE}, "qualifier le signalement")
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
    signalement.save(update_fields=["is_minor_presumed", "competent_departement", "updated_at"])
    record_event(
        signalement=signalement,
        kind=SignalementEventKind.QUALIFIED,
        by=by,
        data={"fields": changed, "competent_departement": competent_departement.code},
    )
    return signalement


@transaction.atomic
def request_information(*, signalement, by, question):
    """Demande un complément à l'organisation déclarante : le délai d'instruction est suspendu jusqu'à la réponse."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    require_status(signalement, {SignalementStatus.IN_TRIAGE}, "demander un complément")
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": "Écrivez la question posée à l'organisation déclarante."})
    now = timezone.now()
    days = ClockSettings.current().working_days(ClockStep.INFORMATION_REQUEST, urgent=signalement.urgent)
    request = InformationRequest.objects.create(
        signalement=signalement,
        question=question,
        requested_by=by,
        requested_at=now,
        due_at=deadline_at(signalement.departement, now, days),
    )
    signalement.status = SignalementStatus.INFORMATION_REQUESTED
    signalement.save(update_fields=["status", "updated_at"])
    clocks.pause_clock(signalement=signalement, step=ClockStep.TRIAGE, at=now)
    clocks.start_clock(
        signalement=signalement, step=ClockStep.INFORMATION_REQUEST, territory=signalement.departement, at=now
    )
    record_event(
        signalement=signalement,
        kind=SignalementEventKind.INFORMATION_REQUESTED,
        by=by,
        data={"information_request": str(request.public_id)},
    )
    recipients.notify(
        recipients.filing_organisation(signalement),
        template="orientation_information_requested",
        title="La Miprof demande un complément sur un signalement",
        signalement=signalement,
    )
    return request


def _close(signalement, *, by, status, kind, event_kind, reason=None, comment="", data=None):
    now = timezone.now()
    signalement.status = status
    signalement.closure_reason = reason
    signalement.save(update_fields=["status", "closure_reason", "duplicate_of", "updated_at"])
    Closure.objects.create(
        signalement=signalement, kind=kind, reason=reason, comment=comment, closed_by=by, closed_at=now
    )
    clocks.stop_clocks(signalement=signalement, steps=ClockStep.values, at=now)
    record_event(signalement=signalement, kind=event_kind, by=by, data=data or {})
    recipients.notify(
        recipients.filing_organisation(signalement),
        template="orientation_closed",
        title="Un signalement a été clos par la Miprof",
        signalement=signalement,
    )
    return signalement


@transaction.atomic
def close_as_duplicate(*, signalement, original, by):
    """Clôt comme doublon d'un original que la personne voit et qui n'est pas lui-même un doublon."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    require_status(signalement, {SignalementStatus.IN_TRIAGE}, "clore comme doublon")
    visible = Signalement.objects.visible_to(by).filter(pk=getattr(original, "pk", None)).first()
    if visible is None or visible.pk == signalement.pk:
        raise ValidationError({"original": "Choisissez un autre signalement, déposé, comme original."})
    if visible.status == SignalementStatus.CLOSED_DUPLICATE or visible.duplicate_of_id is not None:
        raise ValidationError({"original": "Ce signalement est lui-même un doublon : choisissez son original."})
    signalement.duplicate_of = visible
    return _close(
        signalement,
        by=by,
        status=SignalementStatus.CLOSED_DUPLICATE,
        kind=ClosureKind.DUPLICATE,
        event_kind=SignalementEventKind.CLOSED_DUPLICATE,
        data={"original": visible.reference},
    )


@transaction.atomic
def close_out_of_scope(*, signalement, reason, comment, by):
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    require_status(signalement, {SignalementStatus.IN_TRIAGE}, "clore hors champ")
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
        status=SignalementStatus.CLOSED_OUT_OF_SCOPE,
        kind=ClosureKind.OUT_OF_SCOPE,
        event_kind=SignalementEventKind.CLOSED_OUT_OF_SCOPE,
        reason=reason,
        comment=comment,
        data={"reason": reason.code},
    )


@transaction.atomic
def forward_to_departement(*, signalement, by, departement=None):
    """Transmet à l'autorité du département compétent (qualifié, ou celui donné) et prévient ses valideur·ses."""
    require(can_triage_signalement(by), NOT_MIPROF)
    signalement = lock(signalement)
    require_status(signalement, {SignalementStatus.IN_TRIAGE}, "transmettre au département")
    departement = departement or signalement.competent_departement
    if departement is None:
        raise ValidationError(
            {"departement": "Qualifiez le signalement ou choisissez le département compétent avant de le transmettre."}
        )
    if not recipients.validators_of(departement):
        raise ValidationError(
            {"departement": f"Aucun·e valideur·se n'est actif·ve pour {departement} : la transmission est impossible."}
        )
    now = timezone.now()
    signalement.competent_departement = departement
    signalement.status = SignalementStatus.FORWARDED
    signalement.save(update_fields=["competent_departement", "status", "updated_at"])
    clocks.stop_clocks(signalement=signalement, steps=[ClockStep.TRIAGE], at=now)
    clocks.start_clock(signalement=signalement, step=ClockStep.DEPARTMENTAL_DECISION, territory=departement, at=now)
    record_event(
        signalement=signalement,
        kind=SignalementEventKind.FORWARDED,
        by=by,
        data={"departement": departement.code},
    )
    recipients.notify(
        recipients.validators_of(departement),
        template="orientation_forwarded",
        title="Un signalement a été transmis à votre département",
        signalement=signalement,
    )
    return signalement
