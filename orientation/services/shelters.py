"""Les places d'hébergement (registre en temps réel) et les suggestions de placement.

Chaque mouvement de places verrouille la ligne (`select_for_update`), vérifie qu'il reste assez de places, écrit le
nouvel état et une ligne du registre (`CapacityMovement`, en ajout seul). La base refuse de toute façon une place libre
négative (`capacity_free_never_negative`).

Éloignement géographique Ac.Sé : jamais dans un département d'exploitation ou de repérage, ni à moins de
`ORIENTATION_ACSE_MIN_DISTANCE_KM` de leur centre (distance du grand cercle, sans géocodage en ligne)."""

import math
from dataclasses import dataclass, field

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mniop.roles import current_membership
from orientation.enums import CapacityMovementKind, PlaceKind
from orientation.models import CapacityMovement, ShelterCapacity, ShelterProfile
from orientation.permissions import can_edit_shelter_profile, can_manage_shelters, is_shelter_member
from referents.enums import OrganisationKind
from signalements.enums import Sex

EARTH_RADIUS_KM = 6371.0
NO_SHELTER_PROFILE = "Votre structure n'a pas encore de profil d'hébergement : contactez la Miprof."


def own_shelter(user):
    """Le profil de la structure d'hébergement de la personne (pages et API de la structure) ; refus sinon."""
    if not is_shelter_member(user):
        raise PermissionDenied
    profile = (
        ShelterProfile.objects.select_related("organisation", "departement")
        .filter(organisation_id=current_membership(user).organisation_id)
        .first()
    )
    if profile is None:
        raise PermissionDenied(NO_SHELTER_PROFILE)
    return profile


def acse_min_distance_km():
    return getattr(settings, "ORIENTATION_ACSE_MIN_DISTANCE_KM", 200)


def haversine_km(a, b):
    """La distance du grand cercle entre deux points (latitude, longitude) en degrés."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


# --- Registre des places -----------------------------------------------------------------------------------------


def locked_capacity(shelter, place_kind):
    capacity = ShelterCapacity.objects.select_for_update().filter(shelter=shelter, place_kind=place_kind).first()
    if capacity is None:
        raise ValidationError({"place_kind": "Cette structure ne déclare pas de places de ce type."})
    return capacity


def _move(capacity, kind, *, by=None, referral=None, declared=0, occupied=0, held=0):
    capacity.declared += declared
    capacity.occupied += occupied
    capacity.held += held
    capacity.updated_at = timezone.now()
    capacity.save(update_fields=["declared", "occupied", "held", "updated_at"])
    CapacityMovement.objects.create(
        capacity=capacity,
        kind=kind,
        declared=capacity.declared,
        occupied=capacity.occupied,
        held=capacity.held,
        referral=referral,
        by=by,
        at=capacity.updated_at,
    )
    return capacity


@transaction.atomic
def declare_places(*, shelter, by, place_kind, declared, occupied=None):
    """La structure déclare ses places d'un type (et, si elle le précise, combien sont occupées hors plateforme).
    Jamais moins que les places occupées et retenues."""
    if not is_shelter_member(by, shelter):
        raise PermissionDenied("Seule la structure met à jour ses places.")
    if place_kind not in PlaceKind.values:
        raise ValidationError({"place_kind": "Choisissez un type de places."})
    capacity, _ = ShelterCapacity.objects.get_or_create(shelter=shelter, place_kind=place_kind)
    capacity = ShelterCapacity.objects.select_for_update().get(pk=capacity.pk)
    occupied = capacity.occupied if occupied is None else occupied
    if declared < occupied + capacity.held:
        raise ValidationError(
            {
                "declared": f"Au moins {occupied + capacity.held} places : {occupied} occupée(s) et "
                f"{capacity.held} retenue(s) pour des orientations en cours."
            }
        )
    return _move(
        capacity,
        CapacityMovementKind.DECLARED,
        by=by,
        declared=declared - capacity.declared,
        occupied=occupied - capacity.occupied,
    )


def hold_place(*, shelter, place_kind, referral, by):
    """Retient une place libre pour une orientation, ou refuse en français s'il n'en reste plus (sous verrou : de
    deux demandes pour la dernière place, une seule passe)."""
    capacity = locked_capacity(shelter, place_kind)
    if capacity.free < 1:
        raise ValidationError(
            {"shelter": f"Plus aucune place libre de ce type dans {shelter} : choisissez une autre structure."}
        )
    return _move(capacity, CapacityMovementKind.HOLD, by=by, referral=referral, held=1)


def release_hold(*, referral, by=None):
    capacity = locked_capacity(referral.shelter, referral.place_kind)
    return _move(capacity, CapacityMovementKind.HOLD_RELEASED, by=by, referral=referral, held=-1)


def occupy_held_place(*, referral, by):
    capacity = locked_capacity(referral.shelter, referral.place_kind)
    return _move(capacity, CapacityMovementKind.ARRIVAL, by=by, referral=referral, held=-1, occupied=1)


def free_occupied_place(*, referral, by):
    capacity = locked_capacity(referral.shelter, referral.place_kind)
    return _move(capacity, CapacityMovementKind.DEPARTURE, by=by, referral=referral, occupied=-1)


# --- Profils des structures ------------------------------------------------------------------------------------

#: Ce que la structure tient elle-même sur son profil ; `places` ({type: places déclarées}) passe par le registre.
PROFILE_FIELDS = (
    "women_only",
    "accepts_children",
    "accepts_minors",
    "accepts_pregnancy",
    "is_accessible",
    "languages",
    "latitude",
    "longitude",
    "sealed_address",
    "commune",
    "operator_name",
)
#: Ce que la Miprof renseigne à la création (jamais l'adresse scellée : seule la structure la connaît).
CREATE_FIELDS = ("departement", "is_acse_partner", *(name for name in PROFILE_FIELDS if name != "sealed_address"))


def _actor(by):
    return {"by": str(by.public_id)}


def _check_fields(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(unknown))}")


def _clean_profile(profile, exclude=()):
    if (profile.latitude is None) != (profile.longitude is None):
        missing = "longitude" if profile.longitude is None else "latitude"
        raise ValidationError({missing: "Indiquez la latitude et la longitude, ou aucune des deux."})
    errors = {}
    if profile.latitude is not None and not -90 <= profile.latitude <= 90:
        errors["latitude"] = "La latitude est comprise entre -90 et 90 degrés."
    if profile.longitude is not None and not -180 <= profile.longitude <= 180:
        errors["longitude"] = "La longitude est comprise entre -180 et 180 degrés."
    if errors:
        raise ValidationError(errors)
    profile.sealed_address = (profile.sealed_address or "").strip()
    profile.commune = (profile.commune or "").strip()
    profile.operator_name = (profile.operator_name or "").strip()
    profile.full_clean(exclude=["organisation", *exclude])


def _declare_offered_places(profile, places, by):
    """`places` : {type de places: nombre déclaré} ; un type absent ou à 0 n'est plus proposé (refusé en français
    tant que des places y sont occupées ou retenues)."""
    current = {capacity.place_kind: capacity for capacity in profile.capacities.all()}
    for kind in PlaceKind.values:
        declared = places.get(kind) or 0
        capacity = current.get(kind)
        if declared == (capacity.declared if capacity else 0):
            continue
        try:
            declare_places(shelter=profile, by=by, place_kind=kind, declared=declared)
        except ValidationError as error:
            raise ValidationError({f"places_{kind}": error.message_dict["declared"]}) from error


@transaction.atomic
def update_shelter_profile(*, profile, by, exploitation_forms=None, places=None, **fields):
    """La structure met à jour son profil : critères d'admission, langues, position, adresse scellée, formes
    d'exploitation accueillies et places proposées par type. Historisé (django-pghistory)."""
    if not can_edit_shelter_profile(by, profile):
        raise PermissionDenied("Seul·es les administrateur·rices de la structure modifient son profil.")
    _check_fields(fields, PROFILE_FIELDS)
    with pghistory.context(**_actor(by)):
        profile = ShelterProfile.objects.select_for_update().get(pk=profile.pk)
        for name, value in fields.items():
            setattr(profile, name, value)
        _clean_profile(profile)
        profile.save()
        if exploitation_forms is not None:
            profile.exploitation_forms.set(exploitation_forms)
        if places is not None:
            _declare_offered_places(profile, places, by)
    return profile


@transaction.atomic
def create_shelter_profile(*, organisation, by, **fields):
    """La Miprof crée le profil d'une structure d'hébergement qui n'en a pas ; la structure le complète ensuite."""
    if not can_manage_shelters(by):
        raise PermissionDenied("Seule l'administration de la Miprof crée le profil d'une structure.")
    _check_fields(fields, CREATE_FIELDS)
    if organisation.kind != OrganisationKind.SHELTER:
        raise ValidationError({"organisation": "Cette organisation n'est pas une structure d'hébergement."})
    if ShelterProfile.objects.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": "Cette structure a déjà un profil d'hébergement."})
    if fields.get("departement") is None:
        raise ValidationError({"departement": "Indiquez le département du lieu d'hébergement."})
    profile = ShelterProfile(organisation=organisation, **fields)
    # Les langues parlées : la structure les renseigne elle-même en complétant son profil.
    _clean_profile(profile, exclude=[] if profile.languages else ["languages"])
    with pghistory.context(**_actor(by)):
        profile.save()
    return profile


@transaction.atomic
def set_acse_partner(*, profile, by, is_partner):
    """La Miprof marque (ou retire) une structure comme partenaire du dispositif Ac.Sé."""
    if not can_manage_shelters(by):
        raise PermissionDenied("Seule l'administration de la Miprof désigne les partenaires Ac.Sé.")
    with pghistory.context(**_actor(by)):
        profile = ShelterProfile.objects.select_for_update().get(pk=profile.pk)
        profile.is_acse_partner = is_partner
        profile.save(update_fields=["is_acse_partner"])
    return profile


# --- Suggestions -------------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    shelter: ShelterProfile
    place_kind: str = ""
    free: int = 0
    distance_km: int | None = None
    exclusions: list = field(default_factory=list)

    @property
    def is_eligible(self):
        return not self.exclusions

    @property
    def place_kind_label(self):
        return PlaceKind(self.place_kind).label if self.place_kind else ""


def danger_places(signalement):
    """Les départements dont la personne doit être éloignée : ceux d'exploitation et celui du repérage."""
    places = {t.pk: t for t in signalement.exploitation_departements.all()}
    if signalement.departement is not None:
        places.setdefault(signalement.departement.pk, signalement.departement)
    return list(places.values())


#: Les situations administratives du public du DNA (001:836-838), apatrides compris.
DNA_PUBLIC = frozenset({"demandeur_asile", "refugie", "protection_subsidiaire", "apatride"})


def place_kinds_for(signalement):
    """Les places pour jeunes victimes aux mineurs seulement ; les places DNA au public du dispositif national
    d'asile (001:836-838) : demandeurs d'asile, bénéficiaires d'une protection internationale (réfugiés, protection
    subsidiaire) et bénéficiaires de la protection au titre de l'apatridie."""
    if signalement.is_minor:
        return [PlaceKind.YOUNG]
    kinds = [PlaceKind.TEH, PlaceKind.WOMEN_VIOLENCE, PlaceKind.GENERAL]
    situation = signalement.administrative_situation
    if situation is not None and situation.code in DNA_PUBLIC:
        kinds.append(PlaceKind.DNA)
    if signalement.sex != Sex.FEMALE:
        kinds.remove(PlaceKind.WOMEN_VIOLENCE)
    return kinds


#: La règle de langue : levée quand la personne qui oriente a organisé un·e interprète (`interpreter_arranged`).
NO_COMMON_LANGUAGE = "Aucune langue commune avec la personne, qui a besoin d'un·e interprète."


def criteria_exclusions(shelter, signalement, form_codes, *, interpreter_arranged=False):
    reasons = []
    if signalement.is_minor and not shelter.accepts_minors:
        reasons.append("N'accueille pas de mineurs.")
    if shelter.women_only and signalement.sex != Sex.FEMALE:
        reasons.append("Places réservées aux femmes.")
    if (signalement.children_count or 0) > 0 and not shelter.accepts_children:
        reasons.append("N'accueille pas d'enfants avec leur parent.")
    if signalement.is_pregnant and not shelter.accepts_pregnancy:
        reasons.append("N'accueille pas de femmes enceintes.")
    spoken = {code[:2] for code in signalement.languages}
    no_common_language = spoken and shelter.languages and not spoken & set(shelter.languages)
    if no_common_language and signalement.needs_interpreter and not interpreter_arranged:
        reasons.append(NO_COMMON_LANGUAGE)
    accepted_forms = {form.code for form in shelter.exploitation_forms.all()}
    if accepted_forms and form_codes and not accepted_forms & form_codes:
        reasons.append("N'accueille pas cette forme d'exploitation.")
    return reasons


def distance_to_dangers_km(shelter, dangers):
    """La plus petite distance (km, arrondie) entre le lieu et les départements d'exploitation ou de repérage, le
    département du lieu compris : un lieu parisien est à quelques kilomètres d'un repérage à Paris. None si une
    position manque."""
    position = shelter.position()
    distances = [
        haversine_km(position, (float(territory.latitude), float(territory.longitude)))
        for territory in dangers
        if position is not None and territory.latitude is not None and territory.longitude is not None
    ]
    return round(min(distances)) if distances else None


def _distancing_exclusions(shelter, dangers, min_km):
    """Les raisons d'écarter une structure pour Ac.Sé."""
    reasons = []
    position = shelter.position()
    for territory in dangers:
        if territory.pk == shelter.departement_id:
            reasons.append(f"Dans le département d'exploitation ou de repérage ({territory}).")
            continue
        km = distance_to_dangers_km(shelter, [territory])
        if km is not None and km < min_km:
            reasons.append(f"À {km} km de {territory} : il faut au moins {min_km} km.")
    if position is None:
        reasons.append("Position inconnue : l'éloignement ne peut pas être vérifié.")
    return reasons


def suggest_shelters(signalement, *, for_acse=False):
    """Les structures classées : d'abord celles qui conviennent (le plus de places libres, puis la plus éloignée
    pour Ac.Sé), puis les écartées avec la raison de chaque exclusion. Chacune porte sa distance aux lieux de
    repérage et d'exploitation. Pour Ac.Sé : les partenaires seulement, et
    jamais pour un·e mineur·e."""
    if for_acse and signalement.is_minor:
        return []
    shelters = ShelterProfile.objects.filter(organisation__is_active=True).select_related(
        "organisation", "departement"
    )
    if for_acse:
        shelters = shelters.filter(is_acse_partner=True)
    shelters = shelters.prefetch_related("capacities", "exploitation_forms")
    form_codes = {form.code for form in signalement.exploitation_forms.all()}
    dangers = danger_places(signalement)
    kinds = place_kinds_for(signalement)
    min_km = acse_min_distance_km()
    suggestions = []
    for shelter in shelters:
        exclusions = criteria_exclusions(shelter, signalement, form_codes)
        if for_acse:
            exclusions += _distancing_exclusions(shelter, dangers, min_km)
        offered = [c for c in shelter.capacities.all() if c.place_kind in kinds]
        best = max(offered, key=lambda c: c.free, default=None)
        if best is None:
            exclusions.append("Aucune place d'un type adapté à la situation de la personne.")
        elif best.free < 1:
            exclusions.append("Aucune place libre.")
        suggestions.append(
            Suggestion(
                shelter=shelter,
                place_kind=best.place_kind if best else "",
                free=max(best.free, 0) if best else 0,
                distance_km=distance_to_dangers_km(shelter, dangers),
                exclusions=exclusions,
            )
        )
    farthest_first = -1 if for_acse else 0
    suggestions.sort(
        key=lambda s: (not s.is_eligible, -s.free, farthest_first * (s.distance_km or 0), s.shelter.organisation.name)
    )
    return suggestions


def is_acse_compatible(shelter, signalement):
    """Les raisons d'écarter cette structure pour Ac.Sé (liste vide : elle convient)."""
    if not shelter.is_acse_partner:
        return ["Cette structure n'est pas partenaire du dispositif Ac.Sé."]
    return _distancing_exclusions(shelter, danger_places(signalement), acse_min_distance_km())
