"""Le retrait d'un consentement et ses effets sur l'orientation : ce qui s'arrête (les orientations en attente d'une
finalité retirée sont annulées, la place retenue libérée, la structure prévenue) et ce qui est gardé, et pourquoi
(`WITHDRAWAL_EFFECTS`, montré sur la page du dossier)."""

from django.db import transaction

from accounts import recipients
from orientation.enums import ReferralChannel, ReferralStatus
from orientation.models import Referral
from orientation.services.common import lock
from orientation.services.notices import notify
from orientation.services.referrals import referral_path
from orientation.services.shelters import release_hold
from referents.enums import OrganisationKind
from signalements.enums import ConsentPurpose
from signalements.services.consents import mark_withdrawn
from signalements.services.events import apply_transition

#: Les orientations encore en attente, qu'un retrait annule ; une personne arrivée dans l'hébergement y reste.
CANCELLABLE_REFERRAL_STATUSES = (ReferralStatus.AWAITING_DISPATCH, ReferralStatus.PENDING, ReferralStatus.ACCEPTED)

#: Par finalité : (ce qui s'arrête, ce qui est gardé et pourquoi).
WITHDRAWAL_EFFECTS = {
    ConsentPurpose.SHELTER: (
        "Plus aucune transmission à l'autorité départementale ni orientation vers un hébergement ou Ac.Sé sans un "
        "nouveau consentement (ou un motif légal) ; les orientations en attente sont annulées et la structure "
        "prévenue.",
        "Une personne déjà accueillie le reste ; le dossier et son journal sont gardés pour la durée de conservation "
        "(obligation de traçabilité de la Miprof).",
    ),
    ConsentPurpose.POLICE_JUSTICE: (
        "Plus aucune transmission à la police, à la gendarmerie ni au parquet sans motif légal (personne mineure, "
        "danger pour la vie).",
        "Ce qui a déjà été transmis reste aux services qui l'ont reçu ; le journal garde la trace de la transmission.",
    ),
    ConsentPurpose.ASSOCIATION: (
        "Plus aucun partage avec une autre association.",
        "L'organisation déclarante garde le dossier : elle accompagne la personne.",
    ),
    ConsentPurpose.STATISTICS: (
        "Le dossier ne doit plus entrer dans les statistiques produites après le retrait.",
        "Les statistiques déjà publiées, agrégées et sans identité, ne sont pas recalculées.",
    ),
}


def _cancel(referral, *, by):
    if referral.status in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED) and referral.shelter_id:
        release_hold(referral=referral, by=by)
    referral.status = ReferralStatus.CANCELLED
    referral.save(update_fields=["status"])
    apply_transition(
        referral.signalement,
        "cancel_referral",
        by=by,
        data={"referral": str(referral.public_id), "reason": "consent_withdrawn"},
    )
    if referral.shelter_id:
        told = recipients.members_of(organisation=referral.shelter.organisation)
    elif referral.channel == ReferralChannel.ACSE:
        told = recipients.members_of(organisation_kind=OrganisationKind.ACSE)
    else:
        told = []
    notify(told, template="referral_cancelled", title="Une orientation est annulée", path=referral_path(referral))


@transaction.atomic
def withdraw_consent(*, signalement, purpose, by, withdrawn_on=None):
    """La personne retire son consentement pour une finalité, à tout moment : il est inscrit retiré (l'historique
    garde l'accord), et ses effets s'appliquent. Renvoie (consentement, orientations annulées)."""
    signalement = lock(signalement)
    consent = mark_withdrawn(signalement=signalement, purpose=purpose, by=by, withdrawn_on=withdrawn_on)
    cancelled = []
    if purpose == ConsentPurpose.SHELTER:
        pending = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("shelter__organisation")
            .filter(signalement=signalement, status__in=CANCELLABLE_REFERRAL_STATUSES)
        )
        for referral in pending:
            referral.signalement = signalement
            _cancel(referral, by=by)
            cancelled.append(referral)
    return consent, cancelled
