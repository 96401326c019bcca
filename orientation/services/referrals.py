"""Les orientations vers un hébergement : demandée (à une structure, ou à la coordination Ac.Sé qui la confie à une
partenaire), acceptée ou refusée dans le délai de la retenue, arrivée confirmée, départ enregistré.

Chaque transition : verrou, vérification de l'état, écriture, ligne du journal du signalement, notifications par la
boîte d'envoi. La retenue d'une place expire seule (`expire_holds`, tâche beat rejouable). Pour un dossier urgent
(urgent, ou hébergement nécessaire ce soir), la retenue dure des heures (`ORIENTATION_URGENT_REFERRAL_HOLD_HOURS`) et
non des jours, et la structure comme l'astreinte de la Miprof sont prévenues aussitôt (`referral_urgent`)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from mniop.roles import current_membership
from orientation.enums import MeasureKind, MeasureStatus, ReferralChannel, ReferralStatus
from orientation.models import Measure, Referral, UrgentMeasure
from orientation.permissions import (
    can_answer_referral,
    can_dispatch_referral,
    can_propose_referral,
)
from orientation.services import notices
from orientation.services.common import lock, require
from orientation.services.shelters import (
    criteria_exclusions,
    free_occupied_place,
    hold_place,
    is_acse_compatible,
    occupy_held_place,
    place_kinds_for,
    release_hold,
)
from referents.enums import Language, OrganisationKind
from signalements import lifecycle
from signalements.enums import ConsentPurpose, ReferenceCategory
from signalements.services.consents import require_consent
from signalements.services.events import apply_transition

MINORS_NEVER_ACSE = (
    "Le dispositif Ac.Sé n'accueille que des personnes majeures : orientez ce mineur vers l'aide sociale à "
    "l'enfance du département (CRIP) et des places pour jeunes victimes."
)


def hold_hours(signalement=None):
    """La durée de retenue d'une place (heures) : quelques heures pour un dossier urgent, sinon deux jours."""
    if signalement is not None and signalement.urgent:
        return settings.ORIENTATION_URGENT_REFERRAL_HOLD_HOURS
    return settings.ORIENTATION_REFERRAL_HOLD_HOURS


def referral_path(referral, action=None):
    """La page de l'orientation ; `action` : le formulaire de cette action (« accepter », « confier »…)."""
    path = f"/orientations/{referral.public_id}/"
    return f"{path}#action-{action}" if action else path


def _notify(users, *, template, action, referral, place=None):
    notices.notify(
        users, template=template, action=action, signalement=referral.signalement, path=referral_path(referral, place)
    )


def _followers(referral):
    """Qui suit l'orientation côté dossier : la personne qui l'a demandée (ou confiée) et l'équipe de la Miprof."""
    return recipients.unique(recipients.miprof_team(), [referral.requested_by, referral.dispatched_by])


def _locked(referral):
    return Referral.objects.select_for_update(of=("self",)).select_related("shelter__organisation").get(pk=referral.pk)


def _require_referral_status(referral, statuses, action):
    if referral.status not in statuses:
        raise ValidationError(f"Impossible de {action} : l'orientation est « {referral.get_status_display()} ».")


def _event(referral, transition, by, **data):
    payload = {"referral": str(referral.public_id), "channel": referral.channel} | data
    if referral.place_kind:
        payload["place_kind"] = referral.place_kind
    membership = current_membership(by)
    # Le journal du dossier ne nomme jamais la structure qui accueille : son nom situerait la personne.
    shown = membership is not None and membership.organisation.kind != OrganisationKind.SHELTER
    return apply_transition(referral.signalement, transition, by=by, data=payload, show_organisation=shown)


def running_referral(signalement):
    """L'orientation en cours du dossier (en attente d'Ac.Sé ou de la structure, acceptée, arrivée), ou `None`."""
    return Referral.objects.open().filter(signalement=signalement).order_by("-requested_at", "-id").first()


def already_running_message(referral):
    """Pourquoi « Chercher une place » n'est pas proposé : le même texte sur la page du dossier et au refus."""
    return (
        f"Une orientation est déjà en cours pour ce signalement (« {referral.get_status_display()} ») : attendez sa "
        "réponse, ou qu'elle soit refusée, renvoyée ou annulée, avant d'en adresser une autre."
    )


def _check_can_be_referred(signalement):
    """Prise en charge validée ou en suivi ; avant la décision, seulement après une mesure urgente."""
    if signalement.status in lifecycle.JOURNEY:
        return
    if lifecycle.allows(signalement, "record_urgent_measure") and UrgentMeasure.objects.filter(
        signalement=signalement
    ):
        return
    raise ValidationError(
        "Une orientation vers un hébergement se propose quand la prise en charge est validée, ou avant la "
        f"décision après une mesure urgente : le signalement est « {signalement.get_status_display()} »."
    )


def _choose_place_kind(shelter, signalement, place_kind):
    kinds = place_kinds_for(signalement)
    if place_kind:
        if place_kind not in kinds:
            raise ValidationError({"place_kind": "Ce type de place ne convient pas à la situation de la personne."})
        return place_kind
    capacities = [c for c in shelter.capacities.all() if c.place_kind in kinds]
    if not capacities:
        raise ValidationError({"shelter": "Cette structure n'a pas de places adaptées à la situation de la personne."})
    return max(capacities, key=lambda c: c.free).place_kind


def _check_criteria(shelter, signalement, *, interpreter_arranged=False):
    form_codes = {f.code for f in signalement.exploitation_forms.all()}
    reasons = criteria_exclusions(shelter, signalement, form_codes, interpreter_arranged=interpreter_arranged)
    if reasons:
        raise ValidationError({"shelter": reasons})


def _place(referral, *, shelter, place_kind, by):
    signalement = referral.signalement
    _check_criteria(shelter, signalement, interpreter_arranged=bool(referral.interpreter_language))
    referral.shelter = shelter
    referral.place_kind = _choose_place_kind(shelter, signalement, place_kind)
    referral.status = ReferralStatus.PENDING
    referral.hold_expires_at = timezone.now() + timedelta(hours=hold_hours(signalement))
    referral.save()
    hold_place(shelter=shelter, place_kind=referral.place_kind, referral=referral, by=by)


INTERPRETER_INCOMPLETE = (
    "Pour lever la règle de langue, indiquez la langue de l'interprète et le service d'interprétariat organisé."
)


def _arrange_interpreter(referral, language, service):
    """La règle de langue levée par la personne qui oriente : un·e interprète est organisé·e (langue + service
    d'interprétariat, jamais le nom d'une personne). Rien n'est levé sans les deux ; renvoie vrai si levée."""
    language, service = (language or "").strip(), (service or "").strip()
    if not language and not service:
        return False
    if not language or not service:
        raise ValidationError(
            {"interpreter_language" if not language else "interpreter_service": INTERPRETER_INCOMPLETE}
        )
    if language not in Language.values:
        raise ValidationError({"interpreter_language": "Choisissez la langue de l'interprète dans la liste."})
    referral.interpreter_language, referral.interpreter_service = language, service
    return True


def arranged_interpreting(signalement):
    """L'interprétariat déjà organisé pour la personne (la mesure « Interprétariat » vivante la plus récente du
    parcours) : {"interpreter_language", "interpreter_service"} pour pré-remplir la levée de la règle de langue d'une
    orientation, {} sans mesure. Une lecture : la personne qui oriente confirme en envoyant le formulaire."""
    measure = (
        Measure.objects.live()
        .filter(signalement=signalement, kind=MeasureKind.INTERPRETING)
        .exclude(status=MeasureStatus.ENDED)
        .order_by("-recorded_at", "-id")
        .only("interpreter_language", "interpreter_service")
        .first()
    )
    if measure is None:
        return {}
    return {"interpreter_language": measure.interpreter_language, "interpreter_service": measure.interpreter_service}


def _record_language_override(referral, by):
    _event(referral, "override_language_rule", by, interpreter_language=referral.interpreter_language)


def _announce_to_shelter(referral, transition, by, action):
    """La structure est prévenue, vers son formulaire de réponse ; pour un dossier urgent, par le courriel
    « URGENT » et, aussitôt, l'astreinte de la Miprof (à défaut son administration)."""
    _event(referral, transition, by)
    urgent = referral.signalement.urgent
    _notify(
        recipients.members_of(organisation=referral.shelter.organisation),
        template="referral_urgent" if urgent else "referral_requested",
        action=action,
        referral=referral,
        place="accepter",
    )
    if urgent:
        _notify(
            recipients.urgent_alert_recipients(),
            template="referral_urgent",
            action="orientation urgente adressée à une structure, réponse attendue dans les heures qui viennent",
            referral=referral,
        )


@transaction.atomic
def request_referral(
    *,
    signalement,
    by,
    shelter=None,
    place_kind="",
    via_acse=False,
    safety_notes="",
    override_ground="",
    override_reason="",
    interpreter_language="",
    interpreter_service="",
):
    """À une structure (une place est retenue jusqu'à sa réponse) ou à la coordination Ac.Sé (qui la confiera).
    Exige le consentement « prise en charge » de la personne, ou un motif légal écrit (`require_consent`). Un·e
    interprète organisé·e (langue + service) lève la règle de langue, inscrite au journal."""
    signalement = lock(signalement)
    require(can_propose_referral(by, signalement), "Seules la Miprof et l'autorité départementale orientent.")
    _check_can_be_referred(signalement)
    if via_acse and signalement.is_minor:
        raise ValidationError(MINORS_NEVER_ACSE)
    running = running_referral(signalement)
    if running is not None:
        raise ValidationError(already_running_message(running))
    if not via_acse and shelter is None:
        raise ValidationError({"shelter": "Choisissez une structure d'hébergement."})
    require_consent(
        signalement=signalement,
        purpose=ConsentPurpose.SHELTER,
        by=by,
        override_ground=override_ground,
        override_reason=override_reason,
    )
    referral = Referral(
        signalement=signalement,
        channel=ReferralChannel.ACSE if via_acse else ReferralChannel.DIRECT,
        status=ReferralStatus.AWAITING_DISPATCH,
        safety_notes=(safety_notes or "").strip(),
        requested_by=by,
    )
    lifted = _arrange_interpreter(referral, interpreter_language, interpreter_service)
    if via_acse:
        referral.save()
        _event(referral, "request_referral", by)
        if lifted:
            _record_language_override(referral, by)
        _notify(
            recipients.members_of(organisation_kind=OrganisationKind.ACSE),
            template="referral_requested",
            action="orientation adressée à la coordination Ac.Sé, structure partenaire à choisir",
            referral=referral,
            place="confier",
        )
        return referral
    _place(referral, shelter=shelter, place_kind=place_kind, by=by)
    _announce_to_shelter(referral, "request_referral", by, "orientation vers votre structure à accepter ou refuser")
    if lifted:
        _record_language_override(referral, by)
    return referral


@transaction.atomic
def dispatch_referral(*, referral, by, shelter, place_kind="", interpreter_language="", interpreter_service=""):
    """La coordination Ac.Sé confie l'orientation à une structure partenaire éloignée des lieux de danger ; elle
    peut aussi lever la règle de langue en organisant un·e interprète."""
    referral = _locked(referral)
    require(can_dispatch_referral(by, referral), "Seule la coordination Ac.Sé confie ses orientations.")
    _require_referral_status(referral, {ReferralStatus.AWAITING_DISPATCH}, "confier l'orientation")
    signalement = referral.signalement
    if signalement.is_minor:
        raise ValidationError(MINORS_NEVER_ACSE)
    reasons = is_acse_compatible(shelter, signalement)
    if reasons:
        raise ValidationError({"shelter": reasons})
    lifted = _arrange_interpreter(referral, interpreter_language, interpreter_service)
    referral.dispatched_by = by
    referral.dispatched_at = timezone.now()
    _place(referral, shelter=shelter, place_kind=place_kind, by=by)
    _announce_to_shelter(
        referral, "dispatch_referral", by, "orientation Ac.Sé vers votre structure à accepter ou refuser"
    )
    if lifted:
        _record_language_override(referral, by)
    return referral


@transaction.atomic
def accept_referral(*, referral, by):
    referral = _locked(referral)
    require(can_answer_referral(by, referral), "Seule la structure sollicitée répond à l'orientation.")
    _require_referral_status(referral, {ReferralStatus.PENDING}, "accepter")
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_by = by
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "answered_by", "answered_at"])
    _event(referral, "accept_referral", by)
    _notify(_followers(referral), template="referral_answered", action="orientation acceptée", referral=referral)
    return referral


def check_refusal_reason(reason):
    """Le motif d'un refus (structure ou coordination Ac.Sé) : un motif de la même liste, jamais retiré."""
    if reason is None or reason.category != ReferenceCategory.REFERRAL_REFUSAL_REASON or reason.is_retired:
        raise ValidationError({"reason": "Choisissez un motif de refus dans la liste."})


@transaction.atomic
def refuse_referral(*, referral, by, reason, comment=""):
    """La structure sollicitée refuse, avec un motif de la liste et, si elle le veut, une précision."""
    referral = _locked(referral)
    require(can_answer_referral(by, referral), "Seule la structure sollicitée répond à l'orientation.")
    _require_referral_status(referral, {ReferralStatus.PENDING}, "refuser")
    check_refusal_reason(reason)
    release_hold(referral=referral, by=by)
    referral.status = ReferralStatus.REFUSED
    referral.refusal_reason = reason
    referral.answer_comment = (comment or "").strip()
    referral.answered_by = by
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "refusal_reason", "answer_comment", "answered_by", "answered_at"])
    _event(referral, "refuse_referral", by, reason=reason.code)
    _notify(_followers(referral), template="referral_answered", action="orientation refusée", referral=referral)
    if referral.channel == ReferralChannel.ACSE:
        _back_to_acse(referral)
    return referral


def _back_to_acse(refused):
    """Refusée par une partenaire, l'orientation Ac.Sé revient à la coordination, qui la confie ailleurs."""
    referral = Referral.objects.create(
        signalement=refused.signalement,
        channel=ReferralChannel.ACSE,
        status=ReferralStatus.AWAITING_DISPATCH,
        safety_notes=refused.safety_notes,
        requested_by=refused.requested_by,
        interpreter_language=refused.interpreter_language,
        interpreter_service=refused.interpreter_service,
    )
    _notify(
        recipients.members_of(organisation_kind=OrganisationKind.ACSE),
        template="referral_requested",
        action="orientation Ac.Sé refusée par une structure, à confier de nouveau",
        referral=referral,
        place="confier",
    )
    return referral


@transaction.atomic
def confirm_arrival(*, referral, by):
    referral = _locked(referral)
    require(can_answer_referral(by, referral), "Seule la structure d'accueil confirme l'arrivée.")
    _require_referral_status(referral, {ReferralStatus.ACCEPTED}, "confirmer l'arrivée")
    occupy_held_place(referral=referral, by=by)
    referral.status = ReferralStatus.ARRIVED
    referral.arrived_at = timezone.now()
    referral.save(update_fields=["status", "arrived_at"])
    _event(referral, "record_arrival", by)
    _notify(_followers(referral), template="referral_answered", action="arrivée dans l'hébergement", referral=referral)
    return referral


@transaction.atomic
def record_departure(*, referral, by, reason):
    referral = _locked(referral)
    require(can_answer_referral(by, referral), "Seule la structure d'accueil enregistre le départ.")
    _require_referral_status(referral, {ReferralStatus.ARRIVED}, "enregistrer le départ")
    if reason is None or reason.category != ReferenceCategory.DEPARTURE_REASON or reason.is_retired:
        raise ValidationError({"reason": "Choisissez un motif de départ dans la liste."})
    free_occupied_place(referral=referral, by=by)
    referral.status = ReferralStatus.DEPARTED
    referral.departed_at = timezone.now()
    referral.departure_reason = reason
    referral.save(update_fields=["status", "departed_at", "departure_reason"])
    _event(referral, "record_departure", by, reason=reason.code)
    _notify(_followers(referral), template="referral_answered", action="départ de l'hébergement", referral=referral)
    return referral


def expire_holds(now=None):
    """Tâche beat, rejouable : les orientations sans réponse à l'échéance libèrent leur place. Une orientation déjà
    traitée (ou verrouillée par une réponse en cours) est laissée telle quelle."""
    now = now or timezone.now()
    expired = 0
    due = Referral.objects.filter(status=ReferralStatus.PENDING, hold_expires_at__lt=now).values_list("pk", flat=True)
    for pk in list(due[:500]):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("shelter", "requested_by", "signalement")
                .filter(pk=pk, status=ReferralStatus.PENDING, hold_expires_at__lt=now)
                .first()
            )
            if referral is None:
                continue
            release_hold(referral=referral)
            referral.status = ReferralStatus.EXPIRED
            referral.save(update_fields=["status"])
            _event(referral, "expire_referral", referral.requested_by, automatic=True)
            _notify(
                _followers(referral),
                template="referral_answered",
                action="orientation restée sans réponse, place libérée",
                referral=referral,
            )
            expired += 1
    return expired
