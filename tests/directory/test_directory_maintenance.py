"""Pages de tenue de l'annuaire : création et modification par formulaire, « mes fiches »."""

import pytest
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from referents.enums import ReferentCategory, Theme
from referents.models import DirectoryEntry
from tests.referents.factories import DirectoryEntryFactory

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    data = {
        "organisation": world.association.pk,
        "category": ReferentCategory.ASSOCIATION,
        "title": "Permanence du mardi",
        "territories": [world.paris.pk, world.nord.pk],
        "themes": [Theme.TEH],
        "public_email": "permanence@association.example.org",
        "is_public": "on",
    }
    return {**data, **overrides}


def test_organisation_admin_creates_an_entry_through_the_form(world, client_as):
    response = client_as("association_admin").post(reverse("directory:entry_create"), form_data(world))
    entry = DirectoryEntry.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("directory:entry_detail", args=[entry.public_id])
    assert entry.organisation == world.association
    assert entry.is_public and entry.themes == [Theme.TEH]
    assert AccessLog.objects.for_object(entry).get().action == AccessAction.CREATE


def test_the_form_offers_only_the_organisations_the_person_manages(world, client_as):
    response = client_as("association_admin").post(
        reverse("directory:entry_create"), form_data(world, organisation=world.other_association.pk)
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not DirectoryEntry.objects.exists()


def test_an_invalid_email_is_explained_next_to_the_field(world, client_as):
    response = client_as("association_admin").post(
        reverse("directory:entry_create"), form_data(world, public_email="pas-une-adresse")
    )
    assert response.status_code == 200
    assert "public_email" in response.context["form"].errors
    assert not DirectoryEntry.objects.exists()


def test_organisation_admin_updates_an_entry_and_it_is_in_the_history(world, client_as):
    entry = DirectoryEntryFactory(organisation=world.association, title="Ancien intitulé")
    url = reverse("directory:entry_update", args=[entry.public_id])
    form = client_as("association_admin").get(url).context["form"]
    assert form.initial["territories"] == [world.paris]
    response = client_as("association_admin").post(url, form_data(world, title="Nouvel intitulé"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Nouvel intitulé"
    assert set(entry.territories.values_list("code", flat=True)) == {"59", "75"}
    assert [event.title for event in entry.events.order_by("pgh_id")] == ["Ancien intitulé", "Nouvel intitulé"]


def test_my_entries_lists_the_entries_of_the_organisation_only(world, client_as):
    DirectoryEntryFactory(organisation=world.association, title="La nôtre")
    DirectoryEntryFactory(organisation=world.other_association, title="Celle des autres")
    response = client_as("association_admin").get(reverse("directory:my_entries"))
    assert [entry.title for entry in response.context["page_obj"]] == ["La nôtre"]


def test_miprof_admin_sees_the_entries_to_verify(world, client_as):
    DirectoryEntryFactory(title="À jour")
    DirectoryEntryFactory(title="À revoir", needs_verification=True)
    response = client_as("miprof_admin").get(reverse("directory:my_entries"))
    assert [entry.title for entry in response.context["page_obj"]] == ["À revoir"]
