"""Le circuit des mineurs (domaine §5.5) : un dossier réorienté vers le circuit des mineurs prévient l'ASE / CRIP du
département et le parquet, qui répondent dans la plateforme (prise en charge, placement, OPP, enquête) ; les mesures
pour mineurs s'y enregistrent (`orientation.services.measures`) ; l'ASE / CRIP le clôt « confié à la protection de
l'enfance »."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from mniop.roles import current_membership
from orientation.enums import ENTRUSTING_ANSWERS, ChildProtectionAnswerKind, ReferralCancelReason
from orientation.models import ChildProtectionAnswer
from orientation.permissions import can_answer_child_protection, can_entrust_to_child_protection
from orientation.services import exits, notices
from orientation.services.common import lock, require
from signalements import lifecycle
from signalements.services.events import apply_transition

NO_ENTRUSTING_ANSWER = (
    "Le dossier ne peut être clos « confié à la protection de l'enfance » qu'après une réponse de prise en charge, "
    "de placement ou d'ordonnance de placement provisoire."
)


def child_protection_team(signalement):
    """L'ASE / CRIP et le parquet du département responsable."""
    departement = signalement.responsible_departement
    return recipients.unique(recipients.child_protection_of(departement), recipients.parquet_of(departement))


def enter_minors_track(signalement, *, by):
    """Appelé par la décision qui réoriente vers le circuit des mineurs (dans sa transaction) : les orientations en
    attente sont annulées (jamais Ac.Sé pour un·e mineur·e ; l'ASE / CRIP prend le relais) et leurs places libérées ;
    l'ASE / CRIP et le parquet sont prévenus (courriel sans donnée personnelle, notification dans l'application)."""
    exits.cancel_open_referrals(signalement=signalement, by=by, reason=ReferralCancelReason.MINORS_TRACK)
    notices.notify(
        child_protection_team(signalement),
        template="minors_track",
        action="dossier d'une personne mineure confié au circuit des mineurs, réponse à donner",
        signalement=signalement,
        path=notices.case_path(signalement, "reponse-mineurs"),
    )


@transaction.atomic
def answer_child_protection(*, signalement, by, kind, decided_on=None, comment=""):
    """La réponse de l'ASE / CRIP ou du parquet, inscrite au journal ; l'organisation déclarante, la Miprof et
    l'autre acteur du circuit sont prévenus."""
    signalement = lock(signalement)
    require(can_answer_child_protection(by, signalement), "Seuls l'ASE / CRIP et le parquet du département répondent.")
    lifecycle.check(signalement, "answer_child_protection")
    if kind not in ChildProtectionAnswerKind.values:
        raise ValidationError({"kind": "Choisissez une réponse."})
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "La date de la décision ne peut pas être dans le futur."})
    answer = ChildProtectionAnswer.objects.create(
        signalement=signalement,
        kind=kind,
        decided_on=decided_on,
        comment=(comment or "").strip(),
        organisation_id=current_membership(by).organisation_id,
        answered_by=by,
    )
    apply_transition(signalement, "answer_child_protection", by=by, data={"answer": kind})
    followers = recipients.unique(
        recipients.filing_organisation(signalement), recipients.miprof_team(), child_protection_team(signalement)
    )
    notices.notify(
        [user for user in followers if user.pk != by.pk],
        template="child_protection_answered",
        action="réponse de la protection de l'enfance",
        signalement=signalement,
    )
    return answer


@transaction.atomic
def entrust_to_child_protection(*, signalement, by):
    """Clôt le dossier « confié à la protection de l'enfance » : seulement après une réponse qui confie l'enfant. Il
    n'a plus d'orientation en attente : l'entrée dans le circuit des mineurs les a annulées (`enter_minors_track`)
    et aucune ne se demande ensuite."""
    signalement = lock(signalement)
    require(
        can_entrust_to_child_protection(by, signalement),
        "Seuls l'ASE / CRIP du département et la Miprof closent un dossier du circuit des mineurs.",
    )
    lifecycle.check(signalement, "entrust_to_child_protection")
    answers = ChildProtectionAnswer.objects.filter(signalement=signalement, kind__in=ENTRUSTING_ANSWERS)
    if not answers.exists():
        raise ValidationError(NO_ENTRUSTING_ANSWER)
    apply_transition(
        signalement,
        "entrust_to_child_protection",
        by=by,
        data={"answers": sorted(set(answers.values_list("kind", flat=True)))},
    )
    notices.notify_in_app(
        recipients.unique(recipients.filing_organisation(signalement), recipients.miprof_team()),
        action="dossier confié à la protection de l'enfance",
        signalement=signalement,
    )
    return signalement
