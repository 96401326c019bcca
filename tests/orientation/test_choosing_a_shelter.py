"""Choisir un lieu d'hébergement : un bouton « Choisir ce lieu » par suggestion, des homonymes qu'on distingue
(nom, commune, département, organisme gestionnaire) et des distances justes (issue 15, observation 9)."""

from django.utils.html import escape

from mniop.roles import Role
from orientation.enums import PlaceKind
from orientation.services import shelters as service
from tests.orientation.shelter_factories import ShelterProfileFactory, shelter_member
from tests.personas import acting_as
from tests.referents.factories import TerritoryFactory

PARIS = (48.85661, 2.35222)
LYON = (45.76404, 4.83566)


def request_page(client, signalement, query=""):
    return client.get(f"/dossiers/{signalement.public_id}/hebergement/{query}")


def test_haversine_paris_lyon_is_about_392_km():
    assert 388 < service.haversine_km(PARIS, LYON) < 396


def test_haversine_between_two_places_in_paris_is_under_20_km():
    porte_maillot, porte_de_vincennes = (48.8781, 2.2828), (48.8470, 2.4106)

    assert service.haversine_km(porte_maillot, porte_de_vincennes) < 20


def test_a_paris_shelter_is_a_few_km_from_a_case_spotted_in_paris_not_at_the_exploitation_place(
    validated, shelters, world
):
    rhone = TerritoryFactory(code="69", name="Rhône", latitude=45.87028, longitude=4.64139)
    validated.exploitation_departements.set([rhone])
    shelters.paris.is_acse_partner = True
    shelters.paris.save()

    suggestions = {s.shelter: s for s in service.suggest_shelters(validated, for_acse=True)}

    assert validated.departement == world.paris
    assert suggestions[shelters.paris].distance_km < 20
    assert 180 < suggestions[shelters.nord].distance_km < 200


def test_ordinary_suggestions_carry_their_distance_to_the_place_of_spotting(validated, shelters):
    suggestions = {s.shelter: s for s in service.suggest_shelters(validated)}

    assert suggestions[shelters.paris].distance_km < 20
    assert 600 < suggestions[shelters.south].distance_km < 660


def test_each_eligible_suggestion_has_a_choose_button(client_as, validated, shelters):
    response = request_page(client_as("miprof_agent"), validated)

    content = response.content.decode()
    assert content.count("Choisir ce lieu<span") == 3
    assert f"?lieu={shelters.paris.public_id}#demande" in content


def test_choosing_a_place_prefills_the_request_with_its_best_place_kind(client_as, validated, shelters):
    ShelterProfileFactory(departement=shelters.nord.departement, places={PlaceKind.GENERAL: 4})
    response = request_page(client_as("miprof_agent"), validated, f"?lieu={shelters.south.public_id}")

    form = response.context["form"]
    assert form.initial == {"shelter": shelters.south, "place_kind": PlaceKind.TEH}
    content = response.content.decode()
    assert f'<option value="{shelters.south.public_id}" selected>' in content
    assert escape("Lieu choisi : Centre du Sud") in content


def test_an_excluded_or_unknown_place_prefills_nothing(client_as, validated, shelters):
    shelters.paris.women_only = True
    shelters.paris.save()
    client = client_as("miprof_agent")

    assert request_page(client, validated, f"?lieu={shelters.paris.public_id}").context["form"].initial == {}
    assert request_page(client, validated, "?lieu=pas-un-lieu").context["form"].initial == {}


def test_the_chosen_place_can_be_sent_from_the_prefilled_form(client_as, validated, shelters):
    client = client_as("departmental_validator")
    request_page(client, validated, f"?lieu={shelters.nord.public_id}")

    response = client.post(
        f"/dossiers/{validated.public_id}/hebergement/",
        {"orientation-shelter": shelters.nord.public_id, "orientation-place_kind": PlaceKind.TEH},
    )

    assert response.status_code == 302
    assert validated.referrals.get().shelter == shelters.nord


def test_homonyms_are_told_apart_by_commune_departement_and_operator(client_as, validated, shelters, world):
    first = ShelterProfileFactory(
        departement=world.paris,
        organisation__name="Centre La Source",
        commune="Paris 18e",
        operator_name="Association Passerelles",
    )
    second = ShelterProfileFactory(
        departement=world.nord,
        organisation__name="Centre La Source",
        commune="Lille",
        operator_name="Fondation Escale",
    )

    response = request_page(client_as("miprof_agent"), validated)

    content = response.content.decode()
    labels = {choice.instance: label for choice, label in response.context["form"].fields["shelter"].choices if choice}
    assert labels[first] == "Centre La Source — Paris 18e, Paris (75) — géré par Association Passerelles"
    assert labels[second] == "Centre La Source — Lille, Nord (59) — géré par Fondation Escale"
    assert "Géré par Fondation Escale" in content and "Lille," in content


def test_a_shelter_keeps_its_commune_and_operator_on_its_profile(shelters):
    admin = acting_as(shelter_member(shelters.paris, role=Role.ASSOCIATION_ADMIN))

    profile = service.update_shelter_profile(
        profile=shelters.paris, by=admin, commune="  Paris 11e ", operator_name="Union Accueil et Insertion"
    )

    profile.refresh_from_db()
    assert (profile.commune, profile.operator_name) == ("Paris 11e", "Union Accueil et Insertion")
    assert profile.events.filter(commune="Paris 11e").exists()


def test_the_miprof_shelter_list_tells_homonyms_apart(client_as, shelters):
    shelters.paris.commune, shelters.paris.operator_name = "Paris 18e", "Association Passerelles"
    shelters.paris.save()

    content = client_as("miprof_admin").get("/miprof/hebergements/").content.decode()

    assert "Paris 18e," in content and "Géré par Association Passerelles" in content
