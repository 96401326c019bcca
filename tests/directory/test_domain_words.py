"""« traite » seul trouve toutes les fiches (issue 15) : les mots du domaine (traite, TEH, victime, êtres humains)
ne filtrent pas, ils classent, et la page demande de préciser un territoire, une commune ou une catégorie."""

import pytest
from django.urls import reverse

from directory.search import search_directory
from referents.enums import ReferentCategory
from referents.models import DirectoryEntry
from tests.referents.factories import DirectoryEntryFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    rhone = TerritoryFactory(code="69", name="Rhône")
    nord = TerritoryFactory(code="59", name="Nord")
    DirectoryEntryFactory(title="Permanence juridique", description="Droit des étrangers", territories=[nord])
    DirectoryEntryFactory(
        title="Référente traite des êtres humains",
        description="Accompagne les victimes de traite",
        category=ReferentCategory.PREFECTURE,
        territories=[rhone],
    )
    DirectoryEntryFactory(title="Accueil de jour", description="Écoute des victimes", territories=[nord])
    return rhone


def test_a_query_of_domain_words_only_is_ranked_by_relevance_and_flagged_too_broad(directory):
    result = search_directory(DirectoryEntry.objects.all(), q="traite TEH")

    assert result.is_ranked and result.is_too_broad
    assert [entry.title for entry in result.entries][0] == "Référente traite des êtres humains"


def test_domain_words_do_not_filter_out_entries_that_omit_them(directory):
    result = search_directory(DirectoryEntry.objects.all(), q="victimes juridique")

    assert [entry.title for entry in result.entries] == ["Permanence juridique"]
    assert not result.is_too_broad


@pytest.mark.parametrize("narrowing", [{"q": "traite Lyon"}, {"q": "traite", "category": ReferentCategory.PREFECTURE}])
def test_a_town_or_a_category_makes_a_domain_query_precise(directory, narrowing):
    result = search_directory(DirectoryEntry.objects.all(), **narrowing)

    assert not result.is_too_broad
    assert [entry.title for entry in result.entries] == ["Référente traite des êtres humains"]


def test_the_search_page_asks_to_narrow_a_domain_only_query(directory, client_as):
    response = client_as("association_agent").get(reverse("directory:directory_search"), {"q": "traite"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "précisez un territoire, une commune" in page and "les plus pertinentes d'abord" in page
    first = next(iter(response.context["page_obj"]))
    assert first.title == "Référente traite des êtres humains"


def test_a_precise_query_does_not_ask_to_narrow(directory, client_as):
    response = client_as("association_agent").get(reverse("directory:directory_search"), {"q": "traite Lyon"})

    assert "précisez un territoire, une commune" not in response.content.decode()
