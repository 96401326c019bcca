"""Chaque passage de relais a une sortie (issue 15).

La coordination Ac.Sé qui ne trouve pas de partenaire qui convienne **renvoie** la demande à l'émetteur (motif),
la **refuse** (motif de la liste des refus, comme une structure) ou **place hors de la règle d'éloignement** (motif,
puis seconde approbation par une autre personne de la coordination ou de l'administration de la Miprof). Un dossier
clos (à l'instruction ou pendant le suivi) ou réorienté vers le circuit des mineurs **annule** ses orientations en
attente et libère les places retenues (`cancel_open_referrals`), dans la transaction de l'acte qui le clôt.

Chaque sortie : verrou, état vérifié, écriture, ligne du journal du dossier, notifications sans donnée personnelle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from orientation.enums import (
    ClockStep,
    DistancingWaiverStatus,
    ReferralCancelReason,
    ReferralChannel,
    ReferralStatus,
)
from orientation.models import Clock, DistancingWaiver, Referral
from orientation.permissions import can_approve_distancing_waiver, can_dispatch_referral
from orientation.services import notices
from orientation.services.common import require
from orientation.services.referrals import (
    MINORS_NEVER_ACSE,
    _announce_to_shelter,
    _event,
    _locked,
    _notify,
    _place,
    _require_referral_status,
    check_refusal_reason,
    referral_path,
)
from orientation.services.shelters import danger_places, release_hold
from referents.enums import OrganisationKind

ACSE_ONLY = "Seule la coordination Ac.Sé traite les orientations qui lui sont adressées."
REASON_REQUIRED = "Expliquez le motif : il est inscrit au dossier et lu par la personne qui a orienté."
NO_PENDING_WAIVER = "Aucun placement hors règle d'éloignement n'attend d'approbation pour cette orientation."
SECOND_APPROVAL = (
    "La seconde approbation revient à une autre personne que celle qui a demandé le placement : la coordination "
    "Ac.Sé ou l'administration de la Miprof."
)

#: Les orientations qu'une clôture annule : celles qui attendent encore (Ac.Sé, structure, arrivée). Une personne
#: déjà arrivée dans l'hébergement y reste : son départ s'enregistre à part.
CANCELLABLE_REFERRAL_STATUSES = (ReferralStatus.AWAITING_DISPATCH, ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


def _clean_reason(reason, field="reason"):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: REASON_REQUIRED})
    return reason


def _sender(referral):
    """Qui a adressé l'orientation, et l'équipe de la Miprof (qui suit tout dossier orienté)."""
    return recipients.unique(recipients.person(referral.requested_by), recipients.miprof_team())


def _acse_awaiting(referral, by, action):
    referral = _locked(referral)
    require(can_dispatch_referral(by, referral), ACSE_ONLY)
    _require_referral_status(referral, {ReferralStatus.AWAITING_DISPATCH}, action)
    return referral


def _close_pending_waivers(referral, *, by):
    DistancingWaiver.objects.filter(referral=referral, status=DistancingWaiverStatus.PENDING).update(
        status=DistancingWaiverStatus.CANCELLED, decided_by=by, decided_at=timezone.now()
    )


def _end_acse_request(referral, *, by, status, comment, transition, reason=None, action):
    referral.status = status
    referral.refusal_reason = reason
    referral.answer_comment = comment
    referral.answered_by = by
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "refusal_reason", "answer_comment", "answered_by", "answered_at"])
    _close_pending_waivers(referral, by=by)
    _event(referral, transition, by, **({"reason": reason.code} if reason else {}))
    _notify(_sender(referral), template="referral_answered", action=action, referral=referral)
    return referral


@transaction.atomic
def return_referral(*, referral, by, reason):
    """La coordination Ac.Sé renvoie la demande à l'émetteur, avec un motif (ce qui manque, une autre voie à
    prendre) : l'orientation n'est plus en cours, l'émetteur peut en adresser une autre."""
    referral = _acse_awaiting(referral, by, "renvoyer l'orientation")
    return _end_acse_request(
        referral,
        by=by,
        status=ReferralStatus.RETURNED,
        comment=_clean_reason(reason),
        transition="return_referral",
        action="orientation renvoyée par la coordination Ac.Sé, avec son motif",
    )


@transaction.atomic
def refuse_acse_referral(*, referral, by, reason, comment=""):
    """La coordination Ac.Sé refuse la demande : motif de la liste des refus (la même que pour une structure) et
    précision obligatoire, lue par l'émetteur."""
    referral = _acse_awaiting(referral, by, "refuser l'orientation")
    check_refusal_reason(reason)
    return _end_acse_request(
        referral,
        by=by,
        status=ReferralStatus.REFUSED,
        comment=_clean_reason(comment, "comment"),
        transition="refuse_acse_referral",
        reason=reason,
        action="orientation refusée par la coordination Ac.Sé, avec son motif",
    )


# --- Placement hors de la règle d'éloignement ---------------------------------------------------------------------


def second_approvers(waiver):
    """La coordination Ac.Sé et l'administration de la Miprof, sauf la personne qui a demandé le placement."""
    users = recipients.unique(
        recipients.members_of(organisation_kind=OrganisationKind.ACSE), recipients.miprof_admins()
    )
    return [user for user in users if user.pk != waiver.requested_by_id]


def pending_waiver(referral):
    return DistancingWaiver.objects.filter(referral=referral, status=DistancingWaiverStatus.PENDING).first()


def waiver_clock(referral):
    """Le délai ouvert de la seconde approbation d'un placement hors règle d'éloignement de ce dossier, ou `None`."""
    return (
        Clock.objects.open()
        .filter(signalement_id=referral.signalement_id, step=ClockStep.DISTANCING_WAIVER)
        .select_related("territory")
        .first()
    )


@transaction.atomic
def request_distancing_waiver(*, referral, by, shelter, reason, place_kind=""):
    """Une personne de la coordination demande à placer chez une partenaire qui ne respecte pas la règle
    d'éloignement, avec un motif ; rien n'est retenu avant la seconde approbation."""
    referral = _acse_awaiting(referral, by, "demander un placement hors règle d'éloignement")
    if referral.signalement.is_minor:
        raise ValidationError(MINORS_NEVER_ACSE)
    if shelter is None:
        raise ValidationError({"shelter": "Choisissez la structure partenaire."})
    if not shelter.is_acse_partner:
        raise ValidationError({"shelter": "Cette structure n'est pas partenaire du dispositif Ac.Sé."})
    if pending_waiver(referral) is not None:
        raise ValidationError("Un placement hors règle d'éloignement attend déjà une seconde approbation.")
    waiver = DistancingWaiver.objects.create(
        referral=referral, shelter=shelter, place_kind=place_kind or "", reason=_clean_reason(reason), requested_by=by
    )
    _event(
        referral,
        "request_distancing_waiver",
        by,
        waiver=str(waiver.public_id),
        danger_departements=sorted(t.code for t in danger_places(referral.signalement)),
    )
    _notify(
        second_approvers(waiver),
        template="referral_requested",
        action="placement Ac.Sé hors règle d'éloignement à approuver (seconde approbation)",
        referral=referral,
    )
    return waiver


def _decidable_waiver(referral, by):
    waiver = DistancingWaiver.objects.select_for_update().filter(
        referral=referral, status=DistancingWaiverStatus.PENDING
    )
    waiver = waiver.select_related("shelter__organisation").first()
    if waiver is None:
        raise ValidationError(NO_PENDING_WAIVER)
    require(can_approve_distancing_waiver(by, waiver), SECOND_APPROVAL)
    return waiver


@transaction.atomic
def approve_distancing_waiver(*, referral, by):
    """La seconde approbation : l'orientation est confiée à la structure choisie (place retenue, structure
    prévenue), au nom de la personne qui l'a demandée."""
    referral = _locked(referral)
    _require_referral_status(referral, {ReferralStatus.AWAITING_DISPATCH}, "approuver le placement")
    waiver = _decidable_waiver(referral, by)
    if referral.signalement.is_minor:
        raise ValidationError(MINORS_NEVER_ACSE)
    referral.dispatched_by = waiver.requested_by
    referral.dispatched_at = timezone.now()
    _place(referral, shelter=waiver.shelter, place_kind=waiver.place_kind, by=by)
    _decide_waiver(
        referral,
        waiver,
        by=by,
        status=DistancingWaiverStatus.APPROVED,
        transition="approve_distancing_waiver",
        action="placement Ac.Sé hors règle d'éloignement approuvé",
    )
    _announce_to_shelter(
        referral, "dispatch_referral", by, "orientation Ac.Sé vers votre structure à accepter ou refuser"
    )
    return referral


@transaction.atomic
def reject_distancing_waiver(*, referral, by, reason):
    """La seconde personne rejette le placement, avec un motif : l'orientation reste à confier (ou à renvoyer)."""
    referral = _locked(referral)
    waiver = _decidable_waiver(referral, by)
    _decide_waiver(
        referral,
        waiver,
        by=by,
        status=DistancingWaiverStatus.REJECTED,
        transition="reject_distancing_waiver",
        action="placement Ac.Sé hors règle d'éloignement rejeté, avec son motif",
        comment=_clean_reason(reason),
    )
    return referral


def _decide_waiver(referral, waiver, *, by, status, transition, action, comment=""):
    """Approuvé ou rejeté : la décision, la ligne du journal, la personne qui l'a demandé prévenue."""
    waiver.status, waiver.decision_comment = status, comment
    waiver.decided_by, waiver.decided_at = by, timezone.now()
    waiver.save(update_fields=["status", "decision_comment", "decided_by", "decided_at"])
    _event(referral, transition, by, waiver=str(waiver.public_id))
    _notify(recipients.person(waiver.requested_by), template="referral_answered", action=action, referral=referral)


# --- Annulation quand le dossier se ferme --------------------------------------------------------------------------


def _told_of_cancellation(referral):
    """La structure sollicitée (ou la coordination Ac.Sé si rien n'est confié) et la personne qui a orienté."""
    if referral.shelter_id:
        holders = recipients.members_of(organisation=referral.shelter.organisation)
    elif referral.channel == ReferralChannel.ACSE:
        holders = recipients.members_of(organisation_kind=OrganisationKind.ACSE)
    else:
        holders = []
    return recipients.unique(holders, recipients.person(referral.requested_by))


def cancel_open_referrals(*, signalement, by, reason):
    """Annule les orientations en attente du dossier (verrouillé par l'appelant, dans sa transaction) : la place
    retenue est libérée au registre, un placement hors règle en attente est annulé, une ligne au journal par
    orientation, la structure (ou la coordination Ac.Sé) et l'émetteur sont prévenus. Renvoie les orientations
    annulées."""
    pending = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("shelter__organisation", "requested_by")
        .filter(signalement=signalement, status__in=CANCELLABLE_REFERRAL_STATUSES)
    )
    cancelled = []
    for referral in pending:
        referral.signalement = signalement
        if referral.is_holding and referral.shelter_id:
            release_hold(referral=referral, by=by)
        referral.status = ReferralStatus.CANCELLED
        referral.cancel_reason = reason
        referral.save(update_fields=["status", "cancel_reason"])
        _close_pending_waivers(referral, by=by)
        _event(referral, "cancel_referral", by, reason=reason)
        notices.notify(
            [user for user in _told_of_cancellation(referral) if user.pk != by.pk],
            template="referral_cancelled",
            action=f"orientation annulée : {ReferralCancelReason(reason).label.lower()}, place libérée",
            signalement=signalement,
            path=referral_path(referral),
        )
        cancelled.append(referral)
    return cancelled
