"""Données de démonstration de l'hébergement : un profil et des places pour chaque structure d'hébergement de
démonstration (`seed_demo` d'abord), tirés de façon déterministe. Idempotent : une structure qui a déjà un profil
est laissée telle quelle (ses places sont tenues par elle-même)."""

import random

from django.db import transaction

from orientation.enums import CapacityMovementKind, PlaceKind
from orientation.models import CapacityMovement, ShelterCapacity, ShelterProfile
from referents.enums import Language, OrganisationKind
from referents.models import Organisation

#: La structure du compte de démonstration « agent.hebergement » (accounts/demo/shelters.py).
DEMO_SHELTER = "Centre d'hébergement Les Glycines"
_STREETS = ["rue des Lilas", "avenue des Tilleuls", "chemin des Acacias", "impasse du Colombier", "rue de la Source"]


def _profile_fields(rng, organisation):
    is_demo = organisation.name == DEMO_SHELTER
    return {
        "is_acse_partner": is_demo or rng.random() < 0.6,
        "women_only": not is_demo and rng.random() < 0.3,
        "accepts_children": is_demo or rng.random() < 0.5,
        "accepts_minors": rng.random() < 0.15,
        "accepts_pregnancy": rng.random() < 0.8,
        "is_accessible": rng.random() < 0.4,
        "languages": [Language.FR, *rng.sample([Language.EN, Language.ES, Language.RO, Language.ZH, Language.AR], 2)],
        "sealed_address": f"{rng.randint(1, 120)} {rng.choice(_STREETS)}",
    }


def _places(rng, profile):
    kinds = {PlaceKind.TEH: rng.randint(2, 8)}
    if profile.women_only or rng.random() < 0.3:
        kinds[PlaceKind.WOMEN_VIOLENCE] = rng.randint(2, 10)
    if rng.random() < 0.3:
        kinds[PlaceKind.DNA] = rng.randint(5, 20)
    if profile.accepts_minors:
        kinds[PlaceKind.YOUNG] = rng.randint(2, 6)
    if rng.random() < 0.4:
        kinds[PlaceKind.GENERAL] = rng.randint(5, 30)
    return kinds


@transaction.atomic
def seed_demo_orientation(seed="mniop"):
    """Crée les profils manquants ; renvoie le nombre de profils créés."""
    created = 0
    shelters = (
        Organisation.objects.filter(kind=OrganisationKind.SHELTER, shelter_profile__isnull=True)
        .prefetch_related("territories")
        .order_by("name")
    )
    for organisation in shelters:
        territories = sorted(organisation.territories.all(), key=lambda t: t.code)
        if not territories:
            continue
        rng = random.Random(f"{seed}:{organisation.name}")
        profile = ShelterProfile.objects.create(
            organisation=organisation, departement=territories[0], **_profile_fields(rng, organisation)
        )
        for kind, declared in _places(rng, profile).items():
            occupied = rng.randint(0, declared)
            capacity = ShelterCapacity.objects.create(
                shelter=profile, place_kind=kind, declared=declared, occupied=occupied
            )
            CapacityMovement.objects.create(
                capacity=capacity, kind=CapacityMovementKind.DECLARED, declared=declared, occupied=occupied, held=0
            )
        created += 1
    return created
