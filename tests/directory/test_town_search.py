"""Une commune dans la recherche de l'annuaire trouve les fiches qui couvrent son département (issue 15,
observation 13 : « traite Lyon » doit trouver les fiches que la page du Rhône liste)."""

import csv

import pytest
from django.urls import reverse

from directory.search import search_entries
from referents.communes import COMMUNES_FILE, communes, find_towns, normalise
from referents.models import DirectoryEntry
from referents.reference_data import DATA_DIR, TERRITORIES_FILE
from tests.referents.factories import DirectoryEntryFactory, OrganisationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def titles(q):
    return sorted(entry.title for entry in search_entries(DirectoryEntry.objects.all(), q=q))


@pytest.fixture
def rhone(db):
    rhone = TerritoryFactory(code="69", name="Rhône")
    ain = TerritoryFactory(code="01", name="Ain")
    DirectoryEntryFactory(title="Référent·e de la préfecture", territories=[rhone])
    DirectoryEntryFactory(
        title="Référent·e vulnérabilités",
        organisation=OrganisationFactory(name="OFII – direction territoriale"),
        territories=[rhone, ain],
    )
    DirectoryEntryFactory(title="Permanence de l'Ain", territories=[ain])
    DirectoryEntryFactory(title="Accueil à Lyon, antenne de Paris", territories=[TerritoryFactory()])
    return rhone


def test_traite_lyon_finds_every_entry_the_rhone_page_lists(rhone):
    listed = sorted(DirectoryEntry.objects.covering(rhone).values_list("title", flat=True))

    found = titles("traite Lyon")

    assert set(listed) <= set(found)
    assert "Permanence de l'Ain" not in found


def test_a_town_also_finds_the_entries_that_name_it(rhone):
    assert "Accueil à Lyon, antenne de Paris" in titles("Lyon")


def test_a_town_is_found_without_accents_hyphens_or_case(db):
    loire = TerritoryFactory(code="42", name="Loire")
    DirectoryEntryFactory(title="Permanence départementale", territories=[loire])

    assert titles("SAINT ETIENNE") == ["Permanence départementale"]


def test_a_town_shared_by_two_departements_finds_both(db):
    seine_saint_denis = TerritoryFactory(code="93", name="Seine-Saint-Denis")
    reunion = TerritoryFactory(code="974", name="La Réunion", time_zone="Indian/Reunion")
    DirectoryEntryFactory(title="Accueil du 93", territories=[seine_saint_denis])
    DirectoryEntryFactory(title="Accueil de La Réunion", territories=[reunion])

    assert titles("saint-denis") == ["Accueil de La Réunion", "Accueil du 93"]


def test_the_longest_town_name_wins_and_other_words_stay_text():
    towns, rest = find_towns(["magistrat", "Saint", "Germain", "en", "Laye"])

    assert [(town.name, town.departement_codes) for town in towns] == [("Saint-Germain-en-Laye", ("78",))]
    assert rest == ["magistrat"]


def test_every_commune_belongs_to_a_departement_of_the_reference_data():
    with (DATA_DIR / TERRITORIES_FILE).open(encoding="utf-8") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    with COMMUNES_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    assert {row["departement"] for row in rows} <= known
    assert normalise("L’Haÿ-les-Roses") == "l hay les roses"


def test_every_commune_of_france_is_known_including_overseas():
    known = communes()

    assert len(known) > 34_000
    for name, code in [
        ("Ahuillé", "53"),
        ("Cayenne", "973"),
        ("Mamoudzou", "976"),
        ("Saint-Pierre", "975"),
        ("Nouméa", "988"),
        ("Papeete", "987"),
        ("Ajaccio", "2A"),
    ]:
        assert code in known[normalise(name)][1], name


def test_a_village_finds_the_entries_of_its_departement(db):
    mayenne = TerritoryFactory(code="53", name="Mayenne")
    DirectoryEntryFactory(title="Permanence de Laval", territories=[mayenne])
    DirectoryEntryFactory(title="Permanence de l'Ain", territories=[TerritoryFactory(code="01", name="Ain")])

    assert titles("traite ahuille") == ["Permanence de Laval"]


def test_saint_denis_names_the_reunion_and_the_seine_saint_denis():
    [town], rest = find_towns(["saint", "denis"])

    assert {"93", "974"} <= set(town.departement_codes) and rest == []


def test_a_word_of_the_domain_or_a_common_word_is_never_a_town():
    from directory.search import ParsedQuery

    parsed = ParsedQuery.of("traite travail forcé")

    assert parsed.towns == () and parsed.words == ("travail", "forcé") and parsed.domain_words == ("traite",)


def test_the_search_page_resolves_a_town_for_a_professional(client_as, rhone):
    response = client_as("association_agent").get(reverse("directory:directory_search"), {"q": "traite lyon"})

    assert response.status_code == 200
    found = {entry.title for entry in response.context["page_obj"]}
    assert {"Référent·e de la préfecture", "Référent·e vulnérabilités"} <= found
