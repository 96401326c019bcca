"""Données de démonstration de l'hébergement : un profil et des places pour chaque structure d'hébergement de
démonstration, tirés de façon déterministe, par les services de `orientation.services.shelters` : l'administration
de la Miprof crée le profil, l'administrateur·rice de la structure y met son adresse scellée et déclare ses places.

Chaque structure reçoit donc un compte d'administration de démonstration (`admin.<structure>@demo.mniop.example`,
même mot de passe que les autres comptes). Idempotent : une structure qui a déjà un profil est laissée telle quelle
(ses places sont tenues par elle-même)."""

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from accounts.models import Membership, User
from demo.actors import MIPROF_ADMIN, acting
from demo.departements import DEPARTEMENTS, _towns
from demo.people import DEMO_EMAIL_DOMAIN
from demo.safety import demo_password, give_demo_second_factor
from demo.shelters import DEMO_SHELTER
from mniop.roles import Role
from orientation.enums import PlaceKind
from orientation.services.shelters import create_shelter_profile, declare_places, update_shelter_profile
from referents.enums import Language, OrganisationKind
from referents.models import Organisation

#: Des organismes gestionnaires fictifs : avec la commune et le département, ils distinguent les homonymes.
_OPERATORS = [
    "Association Horizon Solidarité",
    "Fondation Escale",
    "Association Le Relais des femmes",
    "Association Passerelles",
    "Union Accueil et Insertion",
]
_STREETS = ["rue des Lilas", "avenue des Tilleuls", "chemin des Acacias", "impasse du Colombier", "rue de la Source"]


def _place_fields(organisation, departement):
    """La commune (celle du nom quand il en porte une : « … – Cannes ») et l'organisme gestionnaire, tirés à part
    pour ne pas changer les autres tirages."""
    rng = random.Random(f"lieu:{organisation.name}")
    known = DEPARTEMENTS.get(departement.code)
    commune = organisation.name.rpartition(" – ")[2] if " – " in organisation.name else ""
    return {
        "commune": commune or (rng.choice(_towns(known)) if known else ""),
        "operator_name": rng.choice(_OPERATORS),
    }


def _profile_fields(rng, organisation, departement):
    is_demo = organisation.name == DEMO_SHELTER
    return {
        **_place_fields(organisation, departement),
        "is_acse_partner": is_demo or rng.random() < 0.6,
        "women_only": not is_demo and rng.random() < 0.3,
        "accepts_children": is_demo or rng.random() < 0.5,
        "accepts_minors": rng.random() < 0.15,
        "accepts_pregnancy": rng.random() < 0.8,
        "is_accessible": rng.random() < 0.4,
        "languages": [Language.FR, *rng.sample([Language.EN, Language.ES, Language.RO, Language.ZH, Language.AR], 2)],
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


def shelter_admin_email(organisation):
    return f"admin.{slugify(organisation.name)[:60]}@{DEMO_EMAIL_DOMAIN}"


def _shelter_admin(organisation, hashed_password):
    """L'administrateur·rice de démonstration de la structure, agissant en son nom."""
    user, _ = User.objects.get_or_create(
        email=shelter_admin_email(organisation),
        defaults={"first_name": "Administration", "last_name": organisation.name[:150], "password": hashed_password},
    )
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.ASSOCIATION_ADMIN})
    give_demo_second_factor([user])
    return acting(user.email, organisation=organisation)


@transaction.atomic
def seed_demo_orientation(seed="mniop"):
    """Crée les profils manquants ; renvoie le nombre de profils créés (aucun sans le compte de la Miprof)."""
    miprof_admin = acting(MIPROF_ADMIN)
    if miprof_admin is None:
        return 0
    shelters = (
        Organisation.objects.filter(kind=OrganisationKind.SHELTER, shelter_profile__isnull=True)
        .prefetch_related("territories")
        .order_by("name")
    )
    hashed_password = None
    created = 0
    for organisation in shelters:
        territories = sorted(organisation.territories.all(), key=lambda t: t.code)
        if not territories:
            continue
        rng = random.Random(f"{seed}:{organisation.name}")
        profile = create_shelter_profile(
            organisation=organisation,
            by=miprof_admin,
            departement=territories[0],
            **_profile_fields(rng, organisation, territories[0]),
        )
        hashed_password = hashed_password or make_password(demo_password())
        admin = _shelter_admin(organisation, hashed_password)
        profile = update_shelter_profile(
            profile=profile, by=admin, sealed_address=f"{rng.randint(1, 120)} {rng.choice(_STREETS)}"
        )
        for kind, declared in _places(rng, profile).items():
            declare_places(
                shelter=profile, by=admin, place_kind=kind, declared=declared, occupied=rng.randint(0, declared)
            )
        created += 1
    return created
