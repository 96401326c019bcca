"""Profils des structures d'hébergement (issue 6) : la structure tient le sien (critères, langues, position, adresse
scellée, places proposées) ; l'administration de la Miprof crée les profils manquants, désigne les partenaires Ac.Sé
et voit les places libres, jamais l'adresse scellée."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog
from mniop.roles import Role
from orientation.enums import CapacityMovementKind, PlaceKind
from orientation.models import CapacityMovement, ShelterCapacity, ShelterProfile
from orientation.services import shelters as service
from referents.enums import OrganisationKind
from tests.orientation.shelter_factories import ShelterProfileFactory, shelter_member
from tests.personas import EVERYONE, acting_as
from tests.referents.factories import OrganisationFactory
from tests.two_factor import login_verified

pytestmark = pytest.mark.django_db

SHELTER_PERSONAS = ["paris_admin", "paris_agent", "nord_admin", "acse_agent"]
PROFILE_URL = reverse("orientation:shelter_profile")
LIST_URL = reverse("orientation:shelter_list")


@pytest.fixture
def admins(shelters):
    shelters.paris_admin = acting_as(shelter_member(shelters.paris, role=Role.ASSOCIATION_ADMIN))
    shelters.nord_admin = acting_as(shelter_member(shelters.nord, role=Role.ASSOCIATION_ADMIN))
    return shelters


@pytest.fixture
def client_for(admins, client_as):
    def make(persona):
        if persona not in SHELTER_PERSONAS:
            return client_as(persona)
        client = Client()
        login_verified(client, getattr(admins, persona))
        return client

    return make


@pytest.fixture
def miprof_admin(world):
    return world.acting("miprof_admin")


def profile_post(**overrides):
    data = {
        "women_only": "on",
        "accepts_children": "on",
        "languages": ["fr", "ro"],
        "latitude": "48.85341",
        "longitude": "2.34880",
        "sealed_address": "12 rue des Capucines",
        f"places_{PlaceKind.TEH}": "4",
        f"places_{PlaceKind.GENERAL}": "6",
    }
    return data | overrides


# --- Accès ---------------------------------------------------------------------------------------------------------

PROFILE_EXPECTED = {persona: 403 for persona in EVERYONE} | {
    "anonymous": 302,
    "paris_admin": 200,
    "nord_admin": 200,
    "paris_agent": 403,
    "acse_agent": 403,
}


@pytest.mark.parametrize("persona, expected_status", sorted(PROFILE_EXPECTED.items()))
def test_profile_page_access(client_for, persona, expected_status):
    assert client_for(persona).get(PROFILE_URL).status_code == expected_status


LIST_EXPECTED = {persona: 403 for persona in [*EVERYONE, *SHELTER_PERSONAS]} | {"anonymous": 302, "miprof_admin": 200}


@pytest.mark.parametrize("persona, expected_status", sorted(LIST_EXPECTED.items()))
def test_shelter_list_access(client_for, persona, expected_status):
    assert client_for(persona).get(LIST_URL).status_code == expected_status


@pytest.mark.parametrize("persona, expected_status", sorted(LIST_EXPECTED.items()))
def test_acse_partner_toggle_access(client_for, admins, persona, expected_status):
    url = reverse("orientation:shelter_acse_partner", args=[admins.paris.public_id])
    expected = 302 if expected_status == 200 else expected_status
    assert client_for(persona).post(url, {"is_acse_partner": "1"}).status_code == expected
    admins.paris.refresh_from_db()
    assert admins.paris.is_acse_partner is (persona == "miprof_admin")


def test_each_shelter_admin_edits_only_its_own_profile(client_for, admins):
    response = client_for("nord_admin").get(PROFILE_URL)
    assert "Centre du Nord" in response.content.decode()
    assert admins.paris.sealed_address not in response.content.decode()


def test_the_shelter_page_links_to_the_profile_for_its_admins_only(client_for):
    assert PROFILE_URL in client_for("paris_admin").get(reverse("orientation:shelter_home")).content.decode()
    assert PROFILE_URL not in client_for("paris_agent").get(reverse("orientation:shelter_home")).content.decode()


# --- Modifier son profil ------------------------------------------------------------------------------------------


def test_shelter_admin_updates_its_profile_with_history_and_access_log(client_for, admins):
    response = client_for("paris_admin").post(PROFILE_URL, profile_post())
    assert response.status_code == 302
    profile = ShelterProfile.objects.get(pk=admins.paris.pk)
    assert (profile.women_only, profile.languages, profile.sealed_address) == (
        True,
        ["fr", "ro"],
        "12 rue des Capucines",
    )
    assert (profile.latitude, profile.longitude) == (Decimal("48.85341"), Decimal("2.34880"))
    assert {c.place_kind: c.declared for c in profile.capacities.all()} == {PlaceKind.TEH: 4, PlaceKind.GENERAL: 6}
    event = profile.events.order_by("pgh_id").last()
    assert event.sealed_address == "12 rue des Capucines"
    assert event.pgh_context.metadata["by"] == str(admins.paris_admin.public_id)
    assert AccessLog.objects.for_object(profile).filter(action="update", user=admins.paris_admin).count() == 1


def test_shelter_admin_names_its_commune_and_operator_from_its_profile_page(client_for, admins):
    response = client_for("paris_admin").post(
        PROFILE_URL, profile_post(commune="Paris 18e", operator_name="Association Passerelles")
    )

    assert response.status_code == 302
    profile = ShelterProfile.objects.get(pk=admins.paris.pk)
    assert (profile.commune, profile.operator_name) == ("Paris 18e", "Association Passerelles")
    assert profile.events.order_by("pgh_id").last().operator_name == "Association Passerelles"


def test_profile_page_read_is_logged(client_for, admins):
    client_for("paris_admin").get(PROFILE_URL)
    assert AccessLog.objects.for_object(admins.paris).filter(action="read").count() == 1


def test_coordinates_go_in_pairs_with_a_french_error_next_to_the_field(client_for, admins):
    response = client_for("paris_admin").post(PROFILE_URL, profile_post(longitude=""))
    assert response.status_code == 400
    assert response.context["form"].errors["longitude"] == [
        "Indiquez la latitude et la longitude, ou aucune des deux."
    ]
    admins.paris.refresh_from_db()
    assert admins.paris.sealed_address != "12 rue des Capucines"


def test_latitude_out_of_range_is_refused(admins):
    with pytest.raises(ValidationError) as error:
        service.update_shelter_profile(
            profile=admins.paris, by=admins.paris_admin, latitude=Decimal("95"), longitude=Decimal("2")
        )
    assert error.value.message_dict["latitude"] == ["La latitude est comprise entre -90 et 90 degrés."]


def test_an_unknown_language_is_refused(admins):
    with pytest.raises(ValidationError) as error:
        service.update_shelter_profile(profile=admins.paris, by=admins.paris_admin, languages=["klingon"])
    assert "languages" in error.value.message_dict


def test_a_place_kind_cannot_be_withdrawn_while_places_are_occupied(client_for, admins):
    ShelterCapacity.objects.filter(shelter=admins.paris, place_kind=PlaceKind.TEH).update(occupied=2)
    response = client_for("paris_admin").post(PROFILE_URL, profile_post(**{f"places_{PlaceKind.TEH}": ""}))
    assert response.status_code == 400
    assert "Au moins 2 places" in response.context["form"].errors[f"places_{PlaceKind.TEH}"][0]
    assert ShelterCapacity.objects.get(shelter=admins.paris, place_kind=PlaceKind.TEH).declared == 3


def test_offered_places_go_through_the_ledger(admins):
    service.update_shelter_profile(profile=admins.paris, by=admins.paris_admin, places={PlaceKind.YOUNG: 2})
    kinds = dict(
        CapacityMovement.objects.filter(capacity__shelter=admins.paris).values_list("capacity__place_kind", "kind")
    )
    assert kinds == {PlaceKind.TEH: CapacityMovementKind.DECLARED, PlaceKind.YOUNG: CapacityMovementKind.DECLARED}
    assert {c.place_kind: c.declared for c in admins.paris.capacities.all()} == {PlaceKind.TEH: 0, PlaceKind.YOUNG: 2}


def test_a_shelter_agent_cannot_update_the_profile(admins):
    with pytest.raises(PermissionDenied):
        service.update_shelter_profile(profile=admins.paris, by=admins.paris_agent, women_only=True)


def test_another_shelter_admin_cannot_update_the_profile(admins):
    with pytest.raises(PermissionDenied):
        service.update_shelter_profile(profile=admins.paris, by=admins.nord_admin, women_only=True)


# --- La Miprof -----------------------------------------------------------------------------------------------------


def test_miprof_admin_creates_a_missing_profile(client_for, world, miprof_admin):
    organisation = OrganisationFactory(name="Foyer des Oliviers", kind=OrganisationKind.SHELTER)
    response = client_for("miprof_admin").post(
        LIST_URL,
        {
            "creer-organisation": organisation.public_id,
            "creer-departement": world.nord.code,
            "creer-is_acse_partner": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    profile = ShelterProfile.objects.get(organisation=organisation)
    assert (profile.departement, profile.is_acse_partner, profile.sealed_address) == (world.nord, True, "")
    assert profile.events.get().pgh_context.metadata["by"] == str(miprof_admin.public_id)
    assert AccessLog.objects.for_object(profile).filter(action="create").count() == 1


def test_a_profile_is_created_only_for_a_shelter_without_one(world, miprof_admin, admins):
    with pytest.raises(ValidationError) as error:
        service.create_shelter_profile(
            organisation=admins.paris.organisation, by=miprof_admin, departement=world.paris
        )
    assert error.value.message_dict["organisation"] == ["Cette structure a déjà un profil d'hébergement."]
    with pytest.raises(ValidationError) as error:
        service.create_shelter_profile(organisation=world.association, by=miprof_admin, departement=world.paris)
    assert error.value.message_dict["organisation"] == ["Cette organisation n'est pas une structure d'hébergement."]


def test_a_profile_needs_a_departement(miprof_admin):
    organisation = OrganisationFactory(kind=OrganisationKind.SHELTER)
    with pytest.raises(ValidationError) as error:
        service.create_shelter_profile(organisation=organisation, by=miprof_admin)
    assert error.value.message_dict["departement"] == ["Indiquez le département du lieu d'hébergement."]
    assert not ShelterProfile.objects.filter(organisation=organisation).exists()


def test_the_miprof_never_writes_the_sealed_address(world, miprof_admin):
    with pytest.raises(ValueError):
        service.create_shelter_profile(
            organisation=OrganisationFactory(kind=OrganisationKind.SHELTER),
            by=miprof_admin,
            departement=world.paris,
            sealed_address="1 rue Secrète",
        )


@pytest.mark.parametrize("persona", ["miprof_agent", "platform_admin", "association_admin"])
def test_only_the_miprof_admin_creates_profiles(world, persona):
    with pytest.raises(PermissionDenied):
        service.create_shelter_profile(
            organisation=OrganisationFactory(kind=OrganisationKind.SHELTER),
            by=world.acting(persona),
            departement=world.paris,
        )


def test_miprof_admin_marks_and_unmarks_an_acse_partner(client_for, admins):
    url = reverse("orientation:shelter_acse_partner", args=[admins.nord.public_id])
    client_for("miprof_admin").post(url, {"is_acse_partner": "0"})
    admins.nord.refresh_from_db()
    assert not admins.nord.is_acse_partner
    client_for("miprof_admin").post(url, {"is_acse_partner": "1"})
    admins.nord.refresh_from_db()
    assert admins.nord.is_acse_partner
    assert admins.nord.events.filter(is_acse_partner=False).count() == 1
    assert AccessLog.objects.for_object(admins.nord).filter(action="update").count() == 2


def test_the_list_shows_free_places_per_kind_but_never_a_sealed_address(client_for, admins):
    ShelterCapacity.objects.filter(shelter=admins.south, place_kind=PlaceKind.TEH).update(occupied=1)
    response = client_for("miprof_admin").get(LIST_URL)
    text = response.content.decode()
    rows = {row["profile"].organisation.name: row["free"] for row in response.context["rows"]}
    assert rows["Centre du Sud"] == [1, None, None, 2, None]
    for profile in (admins.paris, admins.nord, admins.south):
        assert profile.sealed_address not in text
    assert AccessLog.objects.filter(action="read", object_type="orientation.shelterprofile").count() == 1


def test_the_list_query_count_does_not_grow_with_shelters(client_for, admins, django_assert_max_num_queries):
    client = client_for("miprof_admin")
    with django_assert_max_num_queries(16) as first:
        client.get(LIST_URL)
    for n in range(5):
        ShelterProfileFactory(places={PlaceKind.TEH: n + 1, PlaceKind.DNA: 2})
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(client.get(LIST_URL).context["rows"]) == 8


def test_the_miprof_admin_navigation_links_to_the_shelter_list(client_as):
    assert LIST_URL in client_as("miprof_admin").get(reverse("home")).content.decode()
    assert LIST_URL not in client_as("miprof_agent").get(reverse("home")).content.decode()
