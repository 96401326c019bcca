"""Le retrait d'un consentement et ses effets sur l'orientation : ce qui s'arrête (les orientations en attente d'une
finalité retirée sont annulées, la place retenue libérée, la structure prévenue) et ce qui est gardé, et pourquoi
(`WITHDRAWAL_EFFECTS`, montré sur la page du dossier)."""

from django.db import transaction

from orientation.enums import ReferralCancelReason
from orientation.services.common import lock
from orientation.services.exits import cancel_open_referrals
from signalements.enums import ConsentPurpose
from signalements.services.consents import mark_withdrawn

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


@transaction.atomic
def withdraw_consent(*, signalement, purpose, by, withdrawn_on=None):
    """La personne retire son consentement pour une finalité, à tout moment : il est inscrit retiré (l'historique
    garde l'accord), et ses effets s'appliquent. Renvoie (consentement, orientations annulées)."""
    signalement = lock(signalement)
    consent = mark_withdrawn(signalement=signalement, purpose=purpose, by=by, withdrawn_on=withdrawn_on)
    cancelled = []
    if purpose == ConsentPurpose.SHELTER:
        cancelled = cancel_open_referrals(
            signalement=signalement, by=by, reason=ReferralCancelReason.CONSENT_WITHDRAWN
        )
    return consent, cancelled
