"""Recherche plein texte de l'annuaire : accents, formes des mots, filtres, regroupement, journal, requêtes."""

import pytest
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from directory.search import search_directory, search_entries
from referents.enums import Language, ReferentCategory, Speciality, Theme
from referents.models import DirectoryEntry
from tests.referents.factories import DirectoryEntryFactory, OrganisationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def titles(queryset):
    return sorted(entry.title for entry in queryset)


def search(q="", **filters):
    return titles(search_entries(DirectoryEntry.objects.all(), q=q, **filters))


@pytest.fixture
def entries(db):
    guyane = TerritoryFactory(code="973", name="Guyane", time_zone="America/Cayenne")
    nord = TerritoryFactory(code="59", name="Nord")
    return {
        "travail": DirectoryEntryFactory(
            title="Cellule exploitation par le travail",
            category=ReferentCategory.INSPECTION_DU_TRAVAIL,
            themes=[Theme.TRAVAIL],
            territories=[guyane],
        ),
        "prefecture": DirectoryEntryFactory(
            title="Référente de la préfecture",
            category=ReferentCategory.PREFECTURE,
            holder_name="Hélène Dubœuf",
            territories=[nord],
        ),
        "association": DirectoryEntryFactory(
            title="Accueil des victimes mineures",
            organisation=OrganisationFactory(name="Solidarité Femmes Exilées"),
            themes=[Theme.MINEURS],
            specialities=[Speciality.MINEURS_NON_ACCOMPAGNES],
            languages=[Language.RO, Language.EN],
            territories=[nord, guyane],
        ),
    }


def test_a_past_participle_finds_the_noun_of_the_same_stem(entries):
    assert search("exploitée") == ["Cellule exploitation par le travail"]


def test_search_ignores_accents_both_ways(entries):
    assert search("prefecture") == ["Référente de la préfecture"]
    assert search("HELENE") == ["Référente de la préfecture"]
    assert search("exilees") == ["Accueil des victimes mineures"]


def test_plural_and_feminine_forms_match(entries):
    assert search("mineur") == ["Accueil des victimes mineures"]
    assert search("référentes") == ["Référente de la préfecture"]


def test_search_covers_category_theme_and_territory_names(entries):
    assert search("inspection") == ["Cellule exploitation par le travail"]
    assert search("mineurs non accompagnés") == ["Accueil des victimes mineures"]
    assert search("guyane") == ["Accueil des victimes mineures", "Cellule exploitation par le travail"]


def test_a_word_in_the_title_ranks_before_a_word_in_the_description(db):
    DirectoryEntryFactory(title="Permanence juridique", description="Accompagnement des victimes de proxénétisme")
    DirectoryEntryFactory(title="Référent proxénétisme du parquet", category=ReferentCategory.PARQUET)
    ranked = [entry.title for entry in search_entries(DirectoryEntry.objects.all(), q="proxénétisme")]
    assert ranked == ["Référent proxénétisme du parquet", "Permanence juridique"]


def test_filters_by_territory_category_theme_speciality_and_language(entries):
    guyane = entries["travail"].main_territory
    assert search(territory=guyane) == ["Accueil des victimes mineures", "Cellule exploitation par le travail"]
    assert search(category=ReferentCategory.PREFECTURE) == ["Référente de la préfecture"]
    assert search(theme=Theme.TRAVAIL) == ["Cellule exploitation par le travail"]
    assert search(speciality=Speciality.MINEURS_NON_ACCOMPAGNES) == ["Accueil des victimes mineures"]
    assert search(language=Language.RO) == ["Accueil des victimes mineures"]
    assert search(language=Language.ZH) == []


def test_search_page_groups_results_by_territory_and_logs_a_search(entries, world, client_as):
    response = client_as("association_agent").get(reverse("directory:directory_search"), {"q": "travail"})
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(territory.code, [entry.title for entry in items]) for territory, items in groups] == [
        ("973", ["Cellule exploitation par le travail"])
    ]
    log = AccessLog.objects.get(action=AccessAction.SEARCH, view_name="directory:directory_search")
    assert log.user == world.user("association_agent")
    assert log.object_type == "referents.directoryentry"


def test_invalid_filters_answer_the_unfiltered_search(entries, world, client_as):
    response = client_as("association_agent").get(reverse("directory:directory_search"), {"territoire": "zz"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 3


def test_search_page_query_count_does_not_grow_with_results(world, client_as, django_assert_max_num_queries):
    client = client_as("association_agent")
    url = reverse("directory:directory_search")
    for index in range(30):
        DirectoryEntryFactory(title=f"Référent traite {index}", territories=[world.nord if index % 2 else world.paris])
    # + 1 requête : le second facteur de la session (django-otp)
    with django_assert_max_num_queries(15):  # +1 : le compteur de notifications non lues de l'en-tête
        response = client.get(url, {"q": "traite"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 25


def test_a_query_matching_too_many_entries_is_sorted_by_territory(entries, monkeypatch):
    monkeypatch.setattr("directory.search.RANK_LIMIT", 1)
    result = search_directory(DirectoryEntry.objects.all(), q="guyane")
    assert result.count == 2
    assert not result.is_ranked
    assert [entry.main_territory.code for entry in result.entries] == ["59", "973"]
    assert search_directory(DirectoryEntry.objects.all(), q="prefecture").is_ranked
