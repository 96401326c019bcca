"""Le registre des places et les suggestions de placement, dont l'éloignement géographique Ac.Sé."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from orientation.enums import CapacityMovementKind, PlaceKind
from orientation.models import CapacityMovement, ShelterCapacity
from orientation.services import shelters as service
from signalements.enums import Sex
from tests.signalements.factories import ReferenceValueFactory


def names(suggestions, eligible=True):
    return [s.shelter.organisation.name for s in suggestions if s.is_eligible == eligible]


def exclusions_of(suggestions, name):
    return next(s.exclusions for s in suggestions if s.shelter.organisation.name == name)


def test_haversine_paris_marseille_is_about_660_km():
    assert 655 < service.haversine_km((48.85661, 2.35222), (43.2965, 5.3698)) < 665


def test_shelter_declares_its_places_with_a_ledger_row(shelters):
    service.declare_places(shelter=shelters.paris, by=shelters.paris_agent, place_kind=PlaceKind.TEH, declared=5)

    capacity = ShelterCapacity.objects.get(shelter=shelters.paris, place_kind=PlaceKind.TEH)
    assert (capacity.declared, capacity.free) == (5, 5)
    movement = CapacityMovement.objects.get(capacity=capacity)
    assert (movement.kind, movement.declared, movement.by) == (CapacityMovementKind.DECLARED, 5, shelters.paris_agent)


def test_another_shelter_cannot_update_the_places(shelters):
    with pytest.raises(PermissionDenied):
        service.declare_places(shelter=shelters.paris, by=shelters.nord_agent, place_kind=PlaceKind.TEH, declared=9)


def test_declared_places_never_below_occupied_and_held(shelters):
    with pytest.raises(ValidationError) as error:
        service.declare_places(
            shelter=shelters.paris, by=shelters.paris_agent, place_kind=PlaceKind.TEH, declared=1, occupied=2
        )
    assert "Au moins 2 places" in str(error.value)


def test_the_database_refuses_negative_free_places(shelters):
    with pytest.raises(IntegrityError), transaction.atomic():
        ShelterCapacity.objects.filter(shelter=shelters.paris).update(held=4)


def test_suggestions_rank_by_free_places(validated, shelters):
    service.declare_places(shelter=shelters.nord, by=shelters.nord_agent, place_kind=PlaceKind.TEH, declared=7)

    suggestions = service.suggest_shelters(validated)

    assert names(suggestions) == ["Centre du Nord", "Centre Les Glycines", "Centre du Sud"]


def test_acse_never_suggests_a_shelter_in_the_departement_of_exploitation(validated, shelters, world):
    validated.exploitation_departements.set([world.bouches_du_rhone])

    suggestions = service.suggest_shelters(validated, for_acse=True)

    assert "Centre du Sud" not in names(suggestions)
    assert "Dans le département d'exploitation ou de repérage (Bouches-du-Rhône (13))." in exclusions_of(
        suggestions, "Centre du Sud"
    )


def test_acse_excludes_shelters_too_close_with_the_distance_shown(validated, shelters):
    suggestions = service.suggest_shelters(validated, for_acse=True)

    assert names(suggestions) == ["Centre du Sud"]
    [reason] = exclusions_of(suggestions, "Centre du Nord")
    assert reason.startswith("À 18") and "il faut au moins 200 km" in reason


def test_acse_distance_is_a_setting(validated, shelters, settings):
    settings.ORIENTATION_ACSE_MIN_DISTANCE_KM = 100

    assert names(service.suggest_shelters(validated, for_acse=True)) == ["Centre du Nord", "Centre du Sud"]


def test_acse_only_offers_partner_shelters(validated, shelters):
    suggestions = service.suggest_shelters(validated, for_acse=True)

    assert "Centre Les Glycines" not in [s.shelter.organisation.name for s in suggestions]


def test_shelter_coordinates_win_over_the_departement_centroid(validated, shelters):
    shelters.nord.latitude, shelters.nord.longitude = 43.3, 5.37  # une antenne loin de Paris
    shelters.nord.save()

    assert "Centre du Nord" in names(service.suggest_shelters(validated, for_acse=True))


def test_women_only_places_are_excluded_for_a_man_with_the_reason(validated, shelters):
    shelters.paris.women_only = True
    shelters.paris.save()
    validated.sex = Sex.MALE
    validated.save()

    assert exclusions_of(service.suggest_shelters(validated), "Centre Les Glycines") == [
        "Places réservées aux femmes."
    ]


def test_children_and_pregnancy_filter_with_reasons(validated, shelters):
    shelters.paris.accepts_children = False
    shelters.paris.accepts_pregnancy = False
    shelters.paris.save()
    validated.children_count = 2
    validated.is_pregnant = True
    validated.save()

    assert exclusions_of(service.suggest_shelters(validated), "Centre Les Glycines") == [
        "N'accueille pas d'enfants avec leur parent.",
        "N'accueille pas de femmes enceintes.",
    ]


def test_no_common_language_excludes_when_an_interpreter_is_needed(validated, shelters):
    validated.languages = ["ro"]
    validated.needs_interpreter = True
    validated.save()

    assert "Aucune langue commune" in exclusions_of(service.suggest_shelters(validated), "Centre Les Glycines")[0]


def test_full_shelter_is_shown_as_excluded(validated, shelters):
    ShelterCapacity.objects.filter(shelter=shelters.paris).update(occupied=3)

    assert exclusions_of(service.suggest_shelters(validated), "Centre Les Glycines") == ["Aucune place libre."]


def test_minors_are_never_offered_acse(validated, shelters):
    validated.is_mna = True
    validated.save()

    assert service.suggest_shelters(validated, for_acse=True) == []


def test_minors_are_offered_places_for_young_victims_only(validated, shelters):
    validated.is_minor_presumed = True
    validated.save()
    shelters.south.accepts_minors = True
    shelters.south.save()

    suggestions = service.suggest_shelters(validated)

    assert names(suggestions) == ["Centre du Sud"]
    assert suggestions[0].place_kind == PlaceKind.YOUNG


def test_suggestion_queries_do_not_grow_with_shelters(validated, shelters, django_assert_max_num_queries):
    from tests.orientation.shelter_factories import ShelterProfileFactory

    ShelterProfileFactory.create_batch(10, is_acse_partner=True, departement=shelters.south.departement)
    with django_assert_max_num_queries(6):
        suggestions = service.suggest_shelters(validated, for_acse=True)
    assert len(suggestions) == 12


@pytest.mark.parametrize(
    "situation, offered",
    [("apatride", True), ("demandeur_asile", True), ("refugie", True), ("situation_irreguliere", False)],
)
def test_dna_places_are_offered_to_the_dna_public_including_stateless_people(validated, situation, offered):
    """Le public du DNA comprend les bénéficiaires de la protection au titre de l'apatridie (001:836-838)."""
    validated.administrative_situation = ReferenceValueFactory(category="administrative_situation", code=situation)
    validated.save()

    assert (PlaceKind.DNA in service.place_kinds_for(validated)) is offered
