from decimal import Decimal
from io import StringIO

import holidays
import pytest
from django.core.management import CommandError, call_command

from referents.enums import TerritoryKind, Zone
from referents.models import Region, Territory
from referents.reference_data import ReferenceDataError, load_reference_data

OVERSEAS_CODES = {"971", "972", "973", "974", "975", "976", "977", "978", "986", "987", "988"}

# Boîtes larges (latitude min, max, longitude min, max) où le centre de chaque territoire doit tomber.
METROPOLITAN_BOX = (41.3, 51.1, -5.2, 9.6)
OVERSEAS_BOXES = {
    "971": (15.8, 16.6, -61.9, -61.0),
    "972": (14.3, 14.9, -61.3, -60.8),
    "973": (2.1, 5.8, -54.6, -51.6),
    "974": (-21.4, -20.8, 55.2, 55.9),
    "975": (46.7, 47.2, -56.5, -56.1),
    "976": (-13.1, -12.6, 44.9, 45.4),
    "977": (17.8, 18.0, -62.95, -62.78),
    "978": (18.0, 18.2, -63.2, -62.9),
    "986": (-14.4, -13.1, -178.3, -176.0),
    "987": (-28.0, -7.0, -155.0, -134.0),
    "988": (-23.0, -19.5, 163.5, 168.2),
}

TERRITORY_HEADER = "code,name,kind,region_code,zone,time_zone,holiday_subdivision,latitude,longitude\n"
GOOD_TERRITORY = "75,Paris,departement,11,hexagone,Europe/Paris,,48.85667,2.34222\n"


@pytest.fixture
def reference_data(db):
    return load_reference_data()


def write_data(directory, bad_territory_row):
    (directory / "regions.csv").write_text("code,name,zone\n11,Île-de-France,hexagone\n", encoding="utf-8")
    (directory / "territories.csv").write_text(TERRITORY_HEADER + GOOD_TERRITORY + bad_territory_row, encoding="utf-8")
    return directory


def test_loading_gives_18_regions_101_departements_and_6_collectivites(reference_data):
    assert Region.objects.count() == 18
    assert Territory.objects.departements().count() == 101
    assert Territory.objects.filter(kind=TerritoryKind.COLLECTIVITE).count() == 6
    assert (reference_data.regions.created, reference_data.territories.created) == (18, 107)


def test_loading_twice_changes_nothing(reference_data):
    before = list(Territory.objects.values())

    counts = load_reference_data()

    assert list(Territory.objects.values()) == before
    assert Region.objects.count() == 18
    assert (counts.territories.created, counts.territories.updated, counts.territories.unchanged) == (0, 0, 107)
    assert (counts.regions.created, counts.regions.updated, counts.regions.unchanged) == (0, 0, 18)


def test_loading_again_restores_a_row_changed_by_hand(reference_data):
    Territory.objects.filter(code="75").update(name="Lutèce", time_zone="UTC")

    counts = load_reference_data()

    paris = Territory.objects.get(code="75")
    assert (paris.name, paris.time_zone) == ("Paris", "Europe/Paris")
    assert counts.territories.updated == 1


def test_corsica_is_2a_and_2b_and_there_is_no_20(reference_data):
    assert set(Territory.objects.filter(region__code="94").values_list("code", flat=True)) == {"2A", "2B"}
    assert not Territory.objects.filter(code="20").exists()


def test_mayotte_is_a_departement_of_region_06(reference_data):
    mayotte = Territory.objects.get(code="976")

    assert (mayotte.name, mayotte.kind, mayotte.region.code, mayotte.region.name) == (
        "Mayotte",
        TerritoryKind.DEPARTEMENT,
        "06",
        "Mayotte",
    )


def test_every_departement_has_a_region_and_no_collectivite_has_one(reference_data):
    assert not Territory.objects.departements().filter(region__isnull=True).exists()
    assert set(Territory.objects.filter(region__isnull=True).values_list("code", flat=True)) == {
        "975",
        "977",
        "978",
        "986",
        "987",
        "988",
    }


def test_every_overseas_territory_is_outre_mer_with_a_non_paris_time_zone(reference_data):
    overseas = Territory.objects.filter(code__in=OVERSEAS_CODES)

    assert overseas.count() == len(OVERSEAS_CODES)
    assert set(overseas.values_list("zone", flat=True)) == {Zone.OUTRE_MER}
    assert not overseas.filter(time_zone="Europe/Paris").exists()
    assert set(Territory.objects.overseas().values_list("code", flat=True)) == OVERSEAS_CODES


def test_every_metropolitan_territory_uses_europe_paris(reference_data):
    metropolitan = Territory.objects.exclude(code__in=OVERSEAS_CODES)

    assert metropolitan.count() == 96
    assert set(metropolitan.values_list("zone", "time_zone")) == {(Zone.HEXAGONE, "Europe/Paris")}


def test_every_territory_has_coordinates_within_its_plausible_box(reference_data):
    for territory in Territory.objects.all():
        lat_min, lat_max, lon_min, lon_max = OVERSEAS_BOXES.get(territory.code, METROPOLITAN_BOX)
        assert territory.latitude is not None and territory.longitude is not None, territory.code
        assert lat_min <= territory.latitude <= lat_max, territory.code
        assert lon_min <= territory.longitude <= lon_max, territory.code


@pytest.mark.parametrize(
    "code, latitude, longitude",
    [("13", "43.5", "5.1"), ("75", "48.86", "2.35"), ("59", "50.45", "3.2"), ("2A", "41.9", "9.0")],
)
def test_known_territory_centres_are_close_to_their_reference_point(reference_data, code, latitude, longitude):
    territory = Territory.objects.get(code=code)

    assert abs(territory.latitude - Decimal(latitude)) < Decimal("0.2")
    assert abs(territory.longitude - Decimal(longitude)) < Decimal("0.2")


def test_every_holiday_subdivision_is_accepted_by_the_holidays_package(reference_data):
    subdivisions = set(Territory.objects.exclude(holiday_subdivision="").values_list("holiday_subdivision", flat=True))

    for subdivision in subdivisions:
        assert holidays.country_holidays("FR", subdiv=subdivision, years=2026)


def test_only_alsace_moselle_and_overseas_have_a_holiday_subdivision(reference_data):
    with_subdivision = Territory.objects.exclude(holiday_subdivision="")

    assert set(with_subdivision.values_list("code", flat=True)) == {"57", "67", "68"} | OVERSEAS_CODES
    assert dict(with_subdivision.filter(code__in=["57", "67", "68"]).values_list("code", "holiday_subdivision")) == {
        "57": "57",
        "67": "6AE",
        "68": "6AE",
    }


@pytest.mark.parametrize(
    "bad_row, message",
    [
        ("13,Bouches-du-Rhône,departement,11,metropole,Europe/Paris,,43.5,5.1\n", "metropole"),
        ("13,Bouches-du-Rhône,departement,93,hexagone,Europe/Paris,,43.5,5.1\n", "région inconnu « 93 »"),
        ("13,Bouches-du-Rhône,departement,11,hexagone,Europe/Marseille,,43.5,5.1\n", "Europe/Marseille"),
        ("13,Bouches-du-Rhône,departement,11,hexagone,Europe/Paris,PACA,43.5,5.1\n", "PACA"),
        ("13,Bouches-du-Rhône,departement,11,hexagone,Europe/Paris,,143.5,5.1\n", "latitude"),
        ("13,Bouches-du-Rhône,departement,,hexagone,Europe/Paris,,43.5,5.1\n", "pas de code de région"),
    ],
)
def test_a_bad_row_raises_an_error_naming_the_line_and_writes_nothing(db, tmp_path, bad_row, message):
    with pytest.raises(ReferenceDataError, match="territories.csv, ligne 3") as error:
        load_reference_data(write_data(tmp_path, bad_row))

    assert message in str(error.value)
    assert not Region.objects.exists()
    assert not Territory.objects.exists()


def test_a_bad_row_leaves_previously_loaded_data_untouched(reference_data, tmp_path):
    Territory.objects.filter(code="75").update(name="Lutèce")
    bad_row = "13,Bouches-du-Rhône,departement,11,metropole,Europe/Paris,,43.5,5.1\n"

    with pytest.raises(ReferenceDataError):
        load_reference_data(write_data(tmp_path, bad_row))

    assert Territory.objects.get(code="75").name == "Lutèce"


def test_command_prints_counts_in_french(db):
    out = StringIO()

    call_command("load_reference_data", stdout=out)

    assert "Régions : 18 au total, 18 créé(s)" in out.getvalue()
    assert "Territoires : 107 au total, 107 créé(s)" in out.getvalue()
    assert Territory.objects.count() == 107


def test_command_reports_a_bad_row_as_a_command_error(db, tmp_path):
    bad_row = "13,Bouches-du-Rhône,departement,11,metropole,Europe/Paris,,43.5,5.1\n"

    with pytest.raises(CommandError, match="rien n'a été écrit.*ligne 3"):
        call_command("load_reference_data", data_dir=str(write_data(tmp_path, bad_row)))

    assert not Territory.objects.exists()
