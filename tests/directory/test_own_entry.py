"""Un·e référent·e tient sa propre fiche (issue 15, observation 13) : « Mes fiches » s'ouvre pour elle, elle y
corrige ses coordonnées (historisé), jamais son territoire ni sa fonction sans l'administration."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AccessLog
from directory.services import update_own_entry
from referents.enums import ReferentCategory
from referents.models import DirectoryEntry
from tests.referents.factories import DirectoryEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referent(world):
    return world.acting("territorial_referent")


@pytest.fixture
def own_entry(world, referent):
    return DirectoryEntryFactory(
        organisation=world.tribunal_marseille,
        category=ReferentCategory.MAGISTRAT_REFERENT_TEH,
        title="Magistrat·e référent·e TEH",
        holder_name="Élodie Garcia",
        holder_email=referent.email.upper(),
        holder_phone="04 99 00 00 01",
        territories=[world.bouches_du_rhone],
    )


@pytest.fixture
def other_entry(world):
    return DirectoryEntryFactory(
        organisation=world.tribunal_marseille, title="Parquet – permanence TEH", territories=[world.bouches_du_rhone]
    )


def own_post(**overrides):
    return {
        "holder_name": "Élodie Garcia",
        "holder_email": "elodie.garcia@justice.example",
        "holder_phone": "04 99 00 00 02",
        "restricted_phone": "04 99 00 00 03",
        "public_hours": "Du lundi au vendredi, 9 h – 17 h",
    } | overrides


def test_a_territorial_referent_opens_my_entries_and_sees_the_entry_she_holds(client_as, own_entry, other_entry):
    response = client_as("territorial_referent").get(reverse("directory:my_entries"))

    assert response.status_code == 200
    assert [entry.pk for entry in response.context["page_obj"]] == [own_entry.pk]
    assert "Ajouter une fiche" not in response.content.decode()


def test_a_territorial_referent_without_an_entry_is_told_how_to_get_one(client_as, other_entry):
    response = client_as("territorial_referent").get(reverse("directory:my_entries"))

    assert response.status_code == 200
    assert "Aucune fiche ne porte encore votre adresse" in response.content.decode()


def test_an_agent_who_holds_an_entry_opens_my_entries(world, client_as):
    agent = world.acting("association_agent")
    DirectoryEntryFactory(organisation=world.association, deputy_email=agent.email, territories=[world.paris])

    assert client_as("association_agent").get(reverse("directory:my_entries")).status_code == 200


def test_the_holder_corrects_her_contact_details_with_history_and_access_log(client_as, referent, own_entry):
    response = client_as("territorial_referent").post(
        reverse("directory:entry_update", args=[own_entry.public_id]), own_post()
    )

    assert response.status_code == 302
    own_entry.refresh_from_db()
    assert (own_entry.holder_phone, own_entry.restricted_phone) == ("04 99 00 00 02", "04 99 00 00 03")
    event = own_entry.events.order_by("pgh_id").last()
    assert event.holder_phone == "04 99 00 00 02"
    assert event.pgh_context.metadata["by"] == str(referent.public_id)
    assert AccessLog.objects.filter(action="update", object_id=str(own_entry.public_id), user=referent).exists()


def test_the_holder_edit_page_offers_contact_fields_only(client_as, own_entry, world):
    response = client_as("territorial_referent").get(reverse("directory:entry_update", args=[own_entry.public_id]))

    assert response.status_code == 200
    fields = set(response.context["form"].fields)
    assert "holder_phone" in fields
    assert not fields & {"territories", "category", "title", "organisation", "is_public"}


def test_posting_a_territory_or_a_category_changes_neither(client_as, own_entry, world):
    client_as("territorial_referent").post(
        reverse("directory:entry_update", args=[own_entry.public_id]),
        own_post(territories=[world.paris.pk], category=ReferentCategory.PREFECTURE),
    )

    own_entry.refresh_from_db()
    assert own_entry.category == ReferentCategory.MAGISTRAT_REFERENT_TEH
    assert list(own_entry.territories.all()) == [world.bouches_du_rhone]


def test_the_service_refuses_a_territory_or_role_change_by_the_holder(referent, own_entry, world):
    with pytest.raises(PermissionDenied, match="administration de votre organisation"):
        update_own_entry(entry=own_entry, by=referent, category=ReferentCategory.PREFECTURE)


def test_a_referent_cannot_edit_an_entry_she_does_not_hold(client_as, own_entry, other_entry):
    response = client_as("territorial_referent").get(reverse("directory:entry_update", args=[other_entry.public_id]))

    assert response.status_code == 403


def test_the_holder_confirms_her_entry_is_still_right(client_as, own_entry):
    DirectoryEntry.objects.filter(pk=own_entry.pk).update(needs_verification=True)

    response = client_as("territorial_referent").post(reverse("directory:entry_verify", args=[own_entry.public_id]))

    assert response.status_code == 302
    own_entry.refresh_from_db()
    assert own_entry.needs_verification is False


def test_a_professional_finds_the_holder_by_her_name(client_as, own_entry, other_entry):
    response = client_as("territorial_referent").get(reverse("directory:directory_search"), {"q": "elodie garcia"})

    assert [entry.pk for entry in response.context["page_obj"]] == [own_entry.pk]


def test_the_public_cannot_search_by_name(client_as, own_entry):
    response = client_as("anonymous").get(reverse("directory:directory_search"), {"q": "Garcia"})

    assert response.status_code == 302
    assert "Garcia" not in response.content.decode()
