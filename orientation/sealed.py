"""Le lieu scellé : où est hébergée une personne, et qui peut le lire.

Une structure d'hébergement et la coordination Ac.Sé ont un lieu scellé (`SEALED_KINDS`) : leur nom situerait la
personne. Ce lieu ne sort que par `location_of` : la structure qui accueille, la coordination Ac.Sé pour ses
orientations (`orientation.permissions.can_see_location`), ou un accès d'urgence en cours (bris de glace,
`orientation.services.break_glass`). Chaque lecture ouverte par un accès d'urgence est inscrite au journal d'accès par
la page qui l'affiche (`emergency_reads`).

L'adresse d'une élection de domicile (art. 706-40-1 CPP, mesure `address_for_service`) est scellée de la même façon :
elle ne sort que par `service_address_of` (l'organisation auprès de qui le domicile est élu, le parquet du dossier,
ou un accès d'urgence en cours), jamais au journal du dossier, dans un PDF, un courriel ou un journal technique."""

from orientation.enums import ReferralChannel, ReferralStatus
from orientation.permissions import can_see_location, can_see_service_address
from orientation.services import break_glass
from referents.enums import OrganisationKind

#: Les sortes d'organisation dont le lieu est scellé : jamais nommées au journal, jamais opératrices d'une mesure.
SEALED_KINDS = (OrganisationKind.SHELTER, OrganisationKind.ACSE)


def is_sealed(organisation):
    return organisation is not None and organisation.kind in SEALED_KINDS


def location_of(user, referral, *, emergency=False):
    """Ce que cette personne peut lire du lieu : la structure et son adresse, ou seulement la voie et le type."""
    if referral.shelter_id is not None and (emergency or can_see_location(user, referral)):
        shelter = referral.shelter
        return {
            "sealed": False,
            "name": shelter.organisation.name,
            "address": shelter.sealed_address,
            "departement": shelter.departement,
        }
    if referral.channel == ReferralChannel.ACSE:
        text = "Hébergé·e via Ac.Sé" if referral.status == ReferralStatus.ARRIVED else "Orientation via Ac.Sé"
    else:
        text = referral.get_place_kind_display() or "Structure d'hébergement"
    return {"sealed": True, "text": text}


def reveal_locations(user, signalement, referrals):
    """Pose `referral.location` sur chaque orientation du dossier, selon les droits de la personne et son accès
    d'urgence en cours. Renvoie (l'accès d'urgence ou None, les orientations dont le lieu n'est lisible que par lui :
    leur lecture est à inscrire au journal d'accès)."""
    emergency = break_glass.active_access(user, signalement)
    emergency_reads = []
    for referral in referrals:
        referral.location = location_of(user, referral, emergency=emergency is not None)
        if emergency is not None and referral.shelter_id is not None and not can_see_location(user, referral):
            emergency_reads.append(referral)
    return emergency, emergency_reads


SEALED_SERVICE_ADDRESS = "Adresse scellée"


def service_address_of(user, measure, *, emergency=False):
    """Ce que cette personne peut lire de l'adresse d'une élection de domicile : l'adresse, ou « Adresse scellée »."""
    if not measure.service_address:
        return None
    if emergency or can_see_service_address(user, measure):
        return {"sealed": False, "address": measure.service_address}
    return {"sealed": True, "text": SEALED_SERVICE_ADDRESS}


def reveal_service_addresses(user, signalement, case_measures):
    """Pose `measure.address` sur chaque mesure du dossier qui a une adresse scellée. Renvoie les mesures dont
    l'adresse n'est lisible que par l'accès d'urgence en cours : leur lecture est à inscrire au journal d'accès."""
    with_address = [measure for measure in case_measures if measure.service_address]
    if not with_address:
        return []
    emergency = break_glass.active_access(user, signalement) is not None
    emergency_reads = []
    for measure in with_address:
        measure.address = service_address_of(user, measure, emergency=emergency)
        if emergency and not can_see_service_address(user, measure):
            emergency_reads.append(measure)
    return emergency_reads
