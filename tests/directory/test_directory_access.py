"""Matrices d'accès de l'annuaire : public, professionnel, administrateur de l'organisation, Miprof."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from referents.enums import ReferentCategory
from referents.models import DirectoryEntry
from tests.referents.factories import DirectoryEntryFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world):
    return DirectoryEntryFactory(
        organisation=world.association,
        title="Permanence TEH Paris",
        holder_name="Camille Martin",
        restricted_phone="01 99 00 12 34",
        territories=[world.paris],
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("association_agent", 200),
        ("association_admin", 200),
        ("association_admin_other_org", 200),
        ("departmental_validator", 200),
        ("miprof_admin", 200),
    ],
)
@pytest.mark.parametrize("name", ["directory_search", "coverage", "directory_search_export"])
def test_professional_pages_need_a_login(world, client_as, persona, expected, name):
    assert client_as(persona).get(reverse(f"directory:{name}")).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("association_agent", 200), ("association_admin_other_org", 200), ("miprof_admin", 200)],
)
@pytest.mark.parametrize("name", ["entry_detail", "entry_vcard"])
def test_entry_pages_are_for_professionals(world, client_as, entry, persona, expected, name):
    response = client_as(persona).get(reverse(f"directory:{name}", args=[entry.public_id]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("association_agent", 403),
        ("association_admin", 200),
        ("association_admin_other_org", 403),
        ("miprof_agent", 403),
        ("miprof_admin", 200),
    ],
)
def test_only_the_organisation_admins_and_the_miprof_admin_edit_an_entry(world, client_as, entry, persona, expected):
    response = client_as(persona).get(reverse("directory:entry_update", args=[entry.public_id]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("association_agent", 403), ("association_admin", 403), ("miprof_agent", 403), ("miprof_admin", 302)],
)
def test_only_the_miprof_admin_moderates(world, client_as, entry, persona, expected):
    response = client_as(persona).post(
        reverse("directory:entry_moderate", args=[entry.public_id]), {"action": "suspendre", "note": "Doublon"}
    )
    assert response.status_code == expected
    entry.refresh_from_db()
    assert entry.is_active is (expected != 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("association_agent", 403), ("association_admin", 200), ("miprof_admin", 200)],
)
@pytest.mark.parametrize("name", ["my_entries", "entry_create", "entry_import"])
def test_maintenance_pages_are_for_admins(world, client_as, persona, expected, name):
    assert client_as(persona).get(reverse(f"directory:{name}")).status_code == expected


@pytest.mark.parametrize("persona", ["anonymous", "association_agent", "miprof_admin"])
@pytest.mark.parametrize("name", ["directory_home", "territory_public"])
def test_public_pages_are_open_to_everyone(world, client_as, persona, name):
    args = [world.paris.code] if name == "territory_public" else []
    assert client_as(persona).get(reverse(f"directory:{name}", args=args)).status_code == 200


def test_a_suspended_entry_is_hidden_from_other_organisations_but_not_from_its_own(world, client_as, entry):
    entry.is_active = False
    entry.save()
    url = reverse("directory:entry_detail", args=[entry.public_id])
    assert client_as("association_admin_other_org").get(url).status_code == 404
    assert client_as("association_agent").get(url).status_code == 200
    assert client_as("miprof_agent").get(url).status_code == 200


def test_entry_detail_shows_restricted_contact_and_logs_the_read(world, client_as, entry):
    response = client_as("association_agent_other_org").get(reverse("directory:entry_detail", args=[entry.public_id]))
    assert "01 99 00 12 34" in response.content.decode()
    assert "Camille Martin" in response.content.decode()
    log = AccessLog.objects.for_object(entry).get()
    assert log.action == AccessAction.READ
    assert log.user == world.user("association_agent_other_org")


def test_public_page_shows_only_published_entries_and_fields(world, client):
    DirectoryEntryFactory(title="Fiche interne", territories=[world.paris])
    DirectoryEntryFactory(
        title="Ligne d'écoute publiée",
        is_public=True,
        is_contact_public=True,
        public_phone="01 99 00 55 55",
        holder_name="Nom non publié",
        restricted_phone="01 99 00 77 77",
        on_call_phone="01 99 00 88 88",
        territories=[world.paris],
    )
    content = client.get(reverse("directory:territory_public", args=["75"])).content.decode()
    assert "Ligne d&#x27;écoute publiée" in content
    assert "01 99 00 55 55" in content
    assert "Fiche interne" not in content
    assert "Nom non publié" not in content
    assert "01 99 00 77 77" not in content
    assert "01 99 00 88 88" not in content


def test_public_page_never_shows_a_shelter_address(world, client):
    DirectoryEntryFactory(
        title="Hébergement sécurisé",
        category=ReferentCategory.STRUCTURE_HEBERGEMENT_TEH,
        is_public=True,
        is_contact_public=True,
        public_address="12 rue Secrète, Paris",
        public_phone="01 99 00 66 66",
        territories=[world.paris],
    )
    content = client.get(reverse("directory:territory_public", args=["75"])).content.decode()
    assert "01 99 00 66 66" in content
    assert "rue Secrète" not in content


def test_public_page_shows_the_holder_only_when_published_on_purpose(world, client):
    DirectoryEntryFactory(
        is_public=True, is_holder_public=True, holder_name="Dominique Publié", territories=[world.paris]
    )
    content = client.get(reverse("directory:territory_public", args=["75"])).content.decode()
    assert "Dominique Publié" in content


@time_machine.travel("2026-11-23 01:50 +0000", tick=False)
def test_overseas_territory_page_shows_its_local_time(world, client_as):
    TerritoryFactory(code="976", name="Mayotte", time_zone="Indian/Mayotte", zone="outre_mer", region=None)
    response = client_as("association_agent").get(reverse("directory:territory_detail", args=["976"]))
    assert response.status_code == 200
    assert response.context["local_time"].tzinfo.key == "Indian/Mayotte"
    assert "<strong>04:50</strong> le 23/11/2026 (heure de Mayotte)" in response.content.decode()
    assert "Outre-mer" in response.content.decode()


def test_territory_page_query_count_does_not_grow_with_entries(world, client_as, django_assert_max_num_queries):
    client = client_as("association_agent")
    url = reverse("directory:territory_detail", args=["75"])
    for index in range(20):
        DirectoryEntryFactory(title=f"Fiche {index}", territories=[world.paris])
    # + 1 requête : le second facteur de la session (django-otp)
    with django_assert_max_num_queries(15):  # +1 : le compteur de notifications non lues de l'en-tête
        response = client.get(url)
    assert response.context["count"] == 20
    assert AccessLog.objects.filter(view_name="directory:territory_detail", object_id="territoire:75").exists()


def test_public_territory_page_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    for index in range(20):
        DirectoryEntryFactory(title=f"Fiche {index}", is_public=True, territories=[world.paris])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("directory:territory_public", args=["75"]))
    assert len(response.context["cards"]) == 20


def test_unknown_territory_is_404(world, client):
    assert client.get(reverse("directory:territory_public", args=["00"])).status_code == 404


def test_entry_count_is_in_the_search_for_professionals(world, client_as, entry):
    response = client_as("association_agent").get(reverse("directory:directory_search"), {"q": "permanence"})
    assert [e.title for e in response.context["page_obj"]] == ["Permanence TEH Paris"]
    assert DirectoryEntry.objects.count() == 1


@time_machine.travel("2026-11-23 01:50 +0000", tick=False)
def test_public_page_of_guyane_shows_the_time_in_cayenne(world, client):
    TerritoryFactory(code="973", name="Guyane", time_zone="America/Cayenne", zone="outre_mer", region=None)
    content = client.get(reverse("directory:territory_public", args=["973"])).content.decode()
    assert "<strong>22:50</strong> le 22/11/2026 (heure de la Guyane)" in content


def test_region_page_lists_its_departements_with_their_entry_counts(world, client):
    DirectoryEntryFactory(territories=[world.paris])
    response = client.get(reverse("directory:region_detail", args=["11"]))
    assert response.status_code == 200
    assert [(territory.code, count) for territory, count in response.context["territories"]] == [("75", 1)]
    assert reverse("directory:territory_public", args=["75"]) in response.content.decode()


def test_a_territory_missing_referents_points_to_the_national_resources(world, client_as):
    DirectoryEntryFactory(
        title="Accueil sécurisant national",
        category=ReferentCategory.NATIONAL_RESOURCE,
        on_call_phone="01 99 00 90 90",
        territories=[world.bouches_du_rhone],
    )
    response = client_as("association_agent").get(reverse("directory:territory_detail", args=["59"]))
    assert [entry.title for entry in response.context["national_entries"]] == ["Accueil sécurisant national"]
    assert "astreinte 01 99 00 90 90" in response.content.decode()


def test_directory_home_lists_every_territory_with_overseas_first(db, client, django_assert_max_num_queries):
    from referents.reference_data import load_reference_data

    load_reference_data()
    with django_assert_max_num_queries(5):
        response = client.get(reverse("directory:directory_home"))
    content = response.content.decode()
    for code in ("01", "2A", "971", "976", "975", "988"):
        assert reverse("directory:territory_public", args=[code]) in content
    assert content.index("Outre-mer") < content.index("Hexagone et Corse")
