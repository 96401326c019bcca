"""Couverture : catégories obligatoires couvertes par territoire, carte en tuiles et tableau des manques."""

import pytest
from django.urls import reverse

from directory.coverage import PALETTE, coverage_by_territory, palette_index, tile_positions
from referents.enums import REQUIRED_CATEGORIES, ReferentCategory, TerritoryKind, required_categories_for
from referents.reference_data import load_reference_data
from tests.referents.factories import DirectoryEntryFactory, OrganisationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def by_code():
    return {coverage.territory.code: coverage for coverage in coverage_by_territory()}


def test_coverage_counts_distinct_required_categories_of_active_entries(world):
    DirectoryEntryFactory(category=ReferentCategory.PARQUET, territories=[world.paris, world.nord])
    DirectoryEntryFactory(category=ReferentCategory.PARQUET, territories=[world.paris])
    DirectoryEntryFactory(category=ReferentCategory.PREFECTURE, territories=[world.paris])
    DirectoryEntryFactory(category=ReferentCategory.CRP, territories=[world.paris])  # pas obligatoire
    DirectoryEntryFactory(category=ReferentCategory.ASSOCIATION, territories=[world.paris], is_active=False)
    DirectoryEntryFactory(
        category=ReferentCategory.ASSOCIATION,
        territories=[world.paris],
        organisation=OrganisationFactory(is_active=False),
    )
    coverage = by_code()
    assert coverage["75"].covered == {ReferentCategory.PARQUET, ReferentCategory.PREFECTURE}
    assert coverage["75"].count == 2
    assert coverage["59"].count == 1
    assert coverage["13"].count == 0
    assert ReferentCategory.ASSOCIATION in coverage["75"].missing


def test_a_territory_with_every_required_category_is_complete(world):
    for category in REQUIRED_CATEGORIES:
        DirectoryEntryFactory(category=category, territories=[world.nord])
    assert by_code()["59"].is_complete
    assert not by_code()["75"].is_complete


def test_coverage_takes_two_queries_whatever_the_number_of_entries(world, django_assert_num_queries):
    for category in REQUIRED_CATEGORIES:
        DirectoryEntryFactory(category=category, territories=[world.nord, world.paris])
    with django_assert_num_queries(2):
        coverage_by_territory()


def test_the_tile_grid_places_every_territory_of_the_reference_data_once(db):
    load_reference_data()
    from referents.models import Territory

    positions = tile_positions()
    assert set(positions) == set(Territory.objects.values_list("code", flat=True))
    assert len(set(positions.values())) == len(positions), "deux territoires sur la même tuile"


def test_coverage_page_colours_tiles_and_lists_gaps(world, client_as, django_assert_max_num_queries):
    load_reference_data()
    for category in REQUIRED_CATEGORIES:
        DirectoryEntryFactory(category=category, territories=[world.nord])
    DirectoryEntryFactory(category=ReferentCategory.PARQUET, territories=[world.paris])
    client = client_as("miprof_agent")
    # + 1 requête : le second facteur de la session (django-otp)
    with django_assert_max_num_queries(13):  # +1 : le compteur de notifications non lues de l'en-tête
        response = client.get(reverse("directory:coverage"))
    content = response.content.decode()
    assert response.context["complete_count"] == 1
    tiles = {tile.coverage.territory.code: tile for tile in response.context["tiles"]}
    assert len(tiles) == 107
    assert tiles["59"].fill == PALETTE[6][0]
    assert tiles["75"].fill == PALETTE[1][0]
    assert tiles["973"].is_inset and not tiles["59"].is_inset
    assert 'data-code="976"' in content
    gaps = [gap.territory.code for gap in response.context["gaps"]]
    assert "59" not in gaps
    assert gaps[-1] == "75"  # le mieux couvert des incomplets en dernier


@pytest.mark.parametrize(
    "code, name, expected",
    [
        ("987", "Polynésie française", ReferentCategory.HAUT_COMMISSARIAT),
        ("986", "Wallis-et-Futuna", ReferentCategory.ADMINISTRATION_SUPERIEURE),
    ],
)
def test_an_overseas_collectivite_has_its_own_required_categories(world, code, name, expected):
    """Issue 16 : haut-commissariat ou administration supérieure, pas de préfecture ; la carte ne montre que les
    vrais manques."""
    territory = TerritoryFactory(code=code, name=name, kind=TerritoryKind.COLLECTIVITE)
    assert expected in by_code()[code].missing
    assert ReferentCategory.PREFECTURE not in by_code()[code].missing
    assert ReferentCategory.ASSOCIATION not in by_code()[code].missing
    for category in required_categories_for(code):
        DirectoryEntryFactory(category=category, territories=[territory])
    coverage = by_code()[code]
    assert coverage.is_complete
    assert palette_index(coverage) == len(PALETTE) - 1


def test_a_gendarmerie_only_collectivite_does_not_miss_a_police_referent(world):
    TerritoryFactory(code="977", name="Saint-Barthélemy", kind=TerritoryKind.COLLECTIVITE)
    missing = by_code()["977"].missing
    assert ReferentCategory.GENDARMERIE_NATIONALE in missing
    assert ReferentCategory.POLICE_NATIONALE not in missing
