"""La décision départementale sur la prise en charge, le réexamen demandé par l'organisation déclarante et les
mesures urgentes (distinctes de la décision)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from mniop.roles import current_membership
from orientation.enums import DecisionKind, RedirectTarget, UrgentMeasureKind
from orientation.models import Decision, ReconsiderationRequest, UrgentMeasure
from orientation.permissions import (
    can_activate_acse_on_the_spot,
    can_decide_signalement,
    can_record_urgent_measure,
    can_request_reconsideration,
)
from orientation.services import child_protection, measures, notices
from orientation.services.common import lock, require
from referents.enums import OrganisationKind
from signalements import lifecycle
from signalements.enums import ReferenceCategory, SignalementStatus, VictimStatus
from signalements.models import Signalement
from signalements.services.events import apply_transition

#: La transition du cycle de vie (`signalements.lifecycle`) de chaque décision.
TRANSITION_OF_DECISION = {
    DecisionKind.VALIDATED: "validate",
    DecisionKind.NOT_VALIDATED: "not_validate",
    DecisionKind.REDIRECTED: "redirect",
}


def last_decision(signalement):
    return signalement.decisions.order_by("-decided_at", "-id").first()


def awaits_decision(signalement):
    """Transmis, ou réorienté vers un autre département qui n'a pas encore décidé (`lifecycle.AWAITING_DECISION`) ;
    réorienté hors des départements (circuit des mineurs), le signalement n'attend plus de décision."""
    if not lifecycle.allows(signalement, "validate"):
        return False
    if signalement.status == SignalementStatus.REDIRECTED:
        decision = last_decision(signalement)
        return decision is not None and decision.redirect_target == RedirectTarget.DEPARTEMENT
    return True


def _check_decision(kind, reason, comment, redirect_target, redirected_to, current_departement):
    errors = {}
    if kind not in DecisionKind.values:
        errors["kind"] = "Choisissez une décision."
    if kind == DecisionKind.NOT_VALIDATED:
        if reason is None or reason.category != ReferenceCategory.NON_VALIDATION_REASON or reason.is_retired:
            errors["reason"] = "Choisissez un motif de la liste des motifs de non-validation."
        if not comment:
            errors["comment"] = "Expliquez la décision de non-validation."
    if kind == DecisionKind.REDIRECTED:
        if redirect_target not in RedirectTarget.values:
            errors["redirect_target"] = "Indiquez vers quoi le signalement est réorienté."
        elif redirect_target == RedirectTarget.DEPARTEMENT:
            if redirected_to is None:
                errors["redirected_to"] = "Indiquez le département vers lequel réorienter."
            elif redirected_to.pk == current_departement.pk:
                errors["redirected_to"] = "Choisissez un autre département que le vôtre."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decide(*, signalement, by, kind, reason=None, comment="", redirect_target="", redirected_to=None):
    """Validée (victime identifiée, droits à l'hébergement et aux soins ouverts), non validée (motif + commentaire)
    ou réorientée (autre département, ou circuit des mineurs)."""
    signalement = lock(signalement)
    require(can_decide_signalement(by, signalement), "Seule l'autorité du département compétent décide.")
    if not awaits_decision(signalement):
        raise lifecycle.refusal(signalement, "décider")
    comment = (comment or "").strip()
    departement = signalement.responsible_departement
    _check_decision(kind, reason, comment, redirect_target, redirected_to, departement)
    now = timezone.now()
    membership = current_membership(by)
    is_reconsideration = ReconsiderationRequest.objects.filter(signalement=signalement).exists()
    validated = kind == DecisionKind.VALIDATED
    decision = Decision.objects.create(
        signalement=signalement,
        kind=kind,
        reason=reason if kind == DecisionKind.NOT_VALIDATED else None,
        comment=comment,
        departement=departement,
        redirect_target=redirect_target if kind == DecisionKind.REDIRECTED else "",
        redirected_to=redirected_to if redirect_target == RedirectTarget.DEPARTEMENT else None,
        has_shelter_right=validated,
        has_health_care_right=validated,
        is_reconsideration=is_reconsideration,
        decided_by=by,
        decided_at=now,
        decided_by_role=membership.role if membership else "",
        decided_by_organisation=membership.organisation if membership else None,
    )
    if validated:
        signalement.victim_status = VictimStatus.IDENTIFIED
    if decision.redirected_to is not None:
        signalement.competent_departement = decision.redirected_to
    data = {"decision": str(decision.public_id), "departement": departement.code}
    if decision.reason is not None:
        data["reason"] = decision.reason.code
    if decision.redirect_target:
        data["redirect_target"] = decision.redirect_target
    if decision.redirected_to is not None:
        data["redirected_to"] = decision.redirected_to.code
    transition = TRANSITION_OF_DECISION[kind]
    if decision.redirect_target == RedirectTarget.MINORS_TRACK:
        transition = "redirect_to_minors_track"
    apply_transition(
        signalement,
        transition,
        by=by,
        data=data,
        fields=["victim_status", "competent_departement"],
    )
    if validated:
        measures.open_rights_measures(signalement=signalement, decision=decision, by=by)
    notices.notify(
        recipients.unique(recipients.filing_organisation(signalement), recipients.miprof_team()),
        template="orientation_decision",
        action="décision départementale rendue",
        signalement=signalement,
    )
    if decision.redirect_target == RedirectTarget.MINORS_TRACK:
        child_protection.enter_minors_track(signalement, by=by)
    if decision.redirected_to is not None:
        notices.notify(
            recipients.deciders_of(decision.redirected_to),
            template="orientation_forwarded",
            action="réorienté vers votre département, décision à prendre",
            signalement=signalement,
            path=notices.case_path(signalement, "decider"),
        )
    return decision


@transaction.atomic
def request_reconsideration(*, signalement, by, motive):
    """Une seule fois, par l'organisation déclarante, après une non-validation ou une réorientation : le dossier
    revient à l'autorité qui a décidé, avec son propre délai."""
    signalement = lock(signalement)
    require(can_request_reconsideration(by, signalement), "Seule l'organisation déclarante peut demander un réexamen.")
    lifecycle.check(signalement, "request_reconsideration")
    if ReconsiderationRequest.objects.filter(signalement=signalement).exists():
        raise ValidationError("Un réexamen a déjà été demandé pour ce signalement : il ne peut l'être qu'une fois.")
    motive = (motive or "").strip()
    if not motive:
        raise ValidationError({"motive": "Expliquez pourquoi vous demandez un réexamen."})
    decision = last_decision(signalement)
    now = timezone.now()
    ReconsiderationRequest.objects.create(
        signalement=signalement, decision=decision, motive=motive, requested_by=by, requested_at=now
    )
    signalement.competent_departement = decision.departement
    apply_transition(
        signalement,
        "request_reconsideration",
        by=by,
        data={"decision": str(decision.public_id)},
        fields=["competent_departement"],
    )
    notices.notify(
        recipients.validators_of(decision.departement),
        template="orientation_reconsideration",
        action="réexamen demandé, décision à prendre",
        signalement=signalement,
        path=notices.case_path(signalement, "decider"),
    )
    return signalement


@transaction.atomic
def record_urgent_measure(*, signalement, by, kind, started_on, requested_by_police=False):
    """Mise à l'abri en urgence ou activation Ac.Sé : possible avant la décision, distincte d'elle."""
    signalement = lock(signalement)
    require(can_record_urgent_measure(by, signalement), "Vous ne pouvez pas enregistrer de mesure urgente ici.")
    return _record_urgent_measure(signalement, by, kind, started_on, requested_by_police)


@transaction.atomic
def activate_acse_on_the_spot(*, signalement, by, started_on):
    """La police ou la gendarmerie active Ac.Sé sur place pendant une opération (001:1656-1661) : la demande urgente
    est enregistrée par l'unité elle-même, et la coordination Ac.Sé et l'astreinte de la Miprof sont prévenues
    aussitôt (courriel et notification, sans donnée personnelle)."""
    signalement = lock(signalement)
    require(
        can_activate_acse_on_the_spot(by, signalement),
        "Seule l'unité de police ou de gendarmerie qui a déposé le signalement active Ac.Sé sur place.",
    )
    measure = _record_urgent_measure(signalement, by, UrgentMeasureKind.ACSE_ACTIVATION, started_on, True)
    notices.notify(
        recipients.members_of(organisation_kind=OrganisationKind.ACSE),
        template="acse_on_the_spot",
        action="activation Ac.Sé demandée sur place par les forces de l'ordre, place à trouver",
        signalement=signalement,
        path=reverse("orientation:acse_dispatch"),
    )
    notices.notify(
        recipients.miprof_on_call() or recipients.miprof_team(),
        template="acse_on_the_spot",
        action="activation Ac.Sé demandée sur place par les forces de l'ordre",
        signalement=signalement,
    )
    return measure


def _record_urgent_measure(signalement, by, kind, started_on, requested_by_police):
    lifecycle.check(signalement, "record_urgent_measure")
    errors = {}
    if kind not in UrgentMeasureKind.values:
        errors["kind"] = "Choisissez une mesure urgente."
    if started_on is None:
        errors["started_on"] = "Indiquez la date de la mesure."
    elif started_on > timezone.localdate():
        errors["started_on"] = "La date de la mesure ne peut pas être dans le futur."
    if kind == UrgentMeasureKind.ACSE_ACTIVATION and signalement.is_minor:
        errors["kind"] = "Le dispositif Ac.Sé n'accueille pas de mineurs : orientez vers le circuit des mineurs."
    if errors:
        raise ValidationError(errors)
    measure = UrgentMeasure.objects.create(
        signalement=signalement,
        kind=kind,
        started_on=started_on,
        requested_by_police=requested_by_police,
        recorded_by=by,
    )
    apply_transition(
        signalement,
        "record_urgent_measure",
        by=by,
        data={"measure": kind, "requested_by_police": requested_by_police},
    )
    return measure


def visible_decision(user, public_id):
    return (
        Decision.objects.filter(public_id=public_id, signalement__in=Signalement.objects.visible_to(user))
        .select_related("signalement", "departement", "decided_by", "reason", "redirected_to")
        .first()
    )
