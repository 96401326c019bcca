"""Services de l'annuaire : écriture par les bons rôles, historique, fraîcheur, rebonds, modération, routage."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.membership import validators_for
from directory import routing
from directory.services import (
    create_entry,
    mark_email_bounced,
    moderate_entry,
    send_freshness_reminders,
    update_entry,
    verify_entry,
)
from directory.tasks import send_directory_freshness_reminders
from mniop.roles import Role
from notifications.models import OutboxMessage
from referents.enums import ReferentCategory, Theme, VerificationReason
from referents.models import DirectoryEntry
from tests.accounts.factories import MembershipFactory
from tests.referents.factories import DirectoryEntryFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisation_admin_creates_an_entry_with_search_text_and_history(world):
    entry = create_entry(
        organisation=world.association,
        territories=[world.paris, world.nord],
        by=world.acting("association_admin"),
        category=ReferentCategory.ASSOCIATION,
        title="Accompagnement des victimes d'exploitation",
        themes=[Theme.TRAVAIL],
    )
    assert entry.main_territory == world.nord  # « 59 » avant « 75 »
    assert set(entry.territories.values_list("code", flat=True)) == {"59", "75"}
    assert "Association Accueil Paris" in entry.search_names
    assert "Exploitation par le travail" in entry.search_terms
    event = entry.events.get()
    assert event.pgh_label == "insert"
    assert event.pgh_context.metadata["by"] == str(world.user("association_admin").public_id)


@pytest.mark.parametrize("persona", ["association_agent", "association_admin_other_org", "miprof_agent"])
def test_other_roles_cannot_create_an_entry_for_the_organisation(world, persona):
    with pytest.raises(PermissionDenied):
        create_entry(
            organisation=world.association,
            territories=[world.paris],
            by=world.acting(persona),
            category=ReferentCategory.ASSOCIATION,
            title="Fiche",
        )
    assert not DirectoryEntry.objects.exists()


def test_an_entry_needs_a_territory(world):
    with pytest.raises(ValidationError) as error:
        create_entry(
            organisation=world.association,
            territories=[],
            by=world.acting("miprof_admin"),
            category=ReferentCategory.ASSOCIATION,
            title="Fiche",
        )
    assert "territories" in error.value.message_dict


def test_updating_an_entry_verifies_it_and_is_in_the_history(world):
    entry = DirectoryEntryFactory(
        organisation=world.association,
        last_verified_on=date(2020, 1, 1),
        needs_verification=True,
        verification_reason=VerificationReason.STALE,
    )
    entry = update_entry(
        entry=entry, territories=[world.paris], by=world.acting("association_admin"), title="Nouvel intitulé"
    )
    entry.refresh_from_db()
    assert entry.title == "Nouvel intitulé"
    assert "Nouvel intitulé" in entry.search_names
    assert not entry.needs_verification
    assert entry.last_verified_on > date(2020, 1, 1)
    assert list(entry.events.order_by("pgh_id").values_list("title", flat=True))[-1] == "Nouvel intitulé"


def test_moderation_suspends_with_a_reason(world):
    entry = DirectoryEntryFactory(organisation=world.association)
    with pytest.raises(ValidationError):
        moderate_entry(entry=entry, is_active=False, note="", by=world.acting("miprof_admin"))
    entry = moderate_entry(entry=entry, is_active=False, note="Coordonnées fausses", by=world.acting("miprof_admin"))
    assert not entry.is_active
    assert entry.verification_reason == VerificationReason.MODERATION
    with pytest.raises(PermissionDenied):
        moderate_entry(entry=entry, is_active=True, note="", by=world.acting("association_admin"))


def test_verify_view_records_the_verification(world, client_as):
    entry = DirectoryEntryFactory(organisation=world.association, last_verified_on=date(2020, 1, 1))
    response = client_as("association_admin").post(reverse("directory:entry_verify", args=[entry.public_id]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.last_verified_on != date(2020, 1, 1)


class TestFreshness:
    @pytest.fixture
    def stale(self, world):
        return DirectoryEntryFactory(organisation=world.association, last_verified_on=date(2026, 1, 10))

    @time_machine.travel("2026-07-11 08:00 +0200", tick=False)
    def test_an_entry_older_than_six_months_gets_one_reminder_and_is_marked(self, world, stale):
        DirectoryEntryFactory(organisation=world.association, last_verified_on=date(2026, 1, 11))  # 6 mois pile
        assert send_freshness_reminders() == 1
        message = OutboxMessage.objects.get()
        assert message.template == "directory_entry_reminder"
        assert message.recipient == world.association.email
        assert message.link.endswith(reverse("directory:my_entries"))
        stale.refresh_from_db()
        assert stale.needs_verification
        assert stale.verification_reason == VerificationReason.STALE
        assert DirectoryEntry.objects.filter(needs_verification=True).count() == 1

    @time_machine.travel("2026-07-11 08:00 +0200", tick=False)
    def test_the_reminder_is_sent_only_once(self, world, stale):
        send_directory_freshness_reminders()
        send_directory_freshness_reminders()
        assert OutboxMessage.objects.count() == 1

    @time_machine.travel("2026-07-11 08:00 +0200", tick=False)
    def test_one_email_per_organisation_for_several_entries(self, world, stale):
        DirectoryEntryFactory(organisation=world.association, last_verified_on=date(2025, 1, 1))
        DirectoryEntryFactory(organisation=world.other_association, last_verified_on=date(2025, 1, 1))
        assert send_freshness_reminders() == 2
        assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == sorted(
            [world.association.email, world.other_association.email]
        )

    def test_after_verification_a_new_cycle_starts(self, world, stale):
        with time_machine.travel("2026-07-11 08:00 +0200", tick=False):
            send_freshness_reminders()
            verify_entry(entry=stale, by=world.acting("association_admin"))
        with time_machine.travel("2027-01-12 08:00 +0100", tick=False):
            assert send_freshness_reminders() == 1
        assert OutboxMessage.objects.count() == 2

    @time_machine.travel("2026-07-11 08:00 +0200", tick=False)
    def test_the_period_is_a_setting(self, world, stale, settings):
        settings.MNIOP = {**settings.MNIOP, "DIRECTORY_VERIFICATION_MONTHS": 12}
        assert send_freshness_reminders() == 0
        assert not OutboxMessage.objects.exists()


def test_a_bounced_email_marks_every_entry_carrying_it(world):
    carrying = DirectoryEntryFactory(holder_email="Referent@Parquet.example.org")
    other = DirectoryEntryFactory(holder_email="autre@parquet.example.org")
    of_organisation = DirectoryEntryFactory(organisation=world.association)
    assert mark_email_bounced(email="referent@parquet.example.org") == 1
    assert mark_email_bounced(email=world.association.email) == 1
    for entry in (carrying, other, of_organisation):
        entry.refresh_from_db()
    assert carrying.needs_verification and carrying.verification_reason == VerificationReason.EMAIL_BOUNCED
    assert of_organisation.verification_reason == VerificationReason.EMAIL_BOUNCED
    assert not other.needs_verification


def test_validators_for_a_territory_are_the_active_departmental_validators(world):
    inactive = MembershipFactory(
        organisation=world.prefecture_paris, role=Role.DEPARTMENTAL_VALIDATOR, departements=[world.paris]
    )
    inactive.is_active = False
    inactive.save()
    validators = list(validators_for(world.paris))
    assert validators == [world.memberships["departmental_validator"]]
    assert list(validators_for(world.bouches_du_rhone)) == []


def test_referents_for_a_territory_filter_by_category_and_skip_suspended(world):
    parquet = DirectoryEntryFactory(category=ReferentCategory.PARQUET, territories=[world.paris, world.nord])
    DirectoryEntryFactory(category=ReferentCategory.PARQUET, territories=[world.paris], is_active=False)
    association = DirectoryEntryFactory(territories=[world.paris])
    DirectoryEntryFactory(territories=[world.bouches_du_rhone])
    DirectoryEntryFactory(territories=[world.paris], organisation=OrganisationFactory(is_active=False))
    assert set(routing.referents_for(world.paris)) == {parquet, association}
    assert list(routing.referents_for(world.nord, category=ReferentCategory.PARQUET)) == [parquet]


def test_renaming_an_organisation_is_searchable_after_refreshing_its_entries(world):
    from directory.search import search_entries
    from referents.indexing import refresh_search_texts

    DirectoryEntryFactory(organisation=world.association, title="Permanence")
    world.association.name = "Maison des femmes de Saint-Denis"
    world.association.save()
    assert refresh_search_texts(organisation=world.association) == 1
    assert [entry.title for entry in search_entries(DirectoryEntry.objects.all(), q="maison femmes")] == ["Permanence"]


def test_updating_an_organisation_name_refreshes_its_entries_search(world):
    from directory.search import search_entries
    from referents.services import update_organisation

    DirectoryEntryFactory(organisation=world.association, title="Permanence")
    update_organisation(organisation=world.association, by=world.acting("platform_admin"), name="Maison des femmes")
    world.association.refresh_from_db()
    assert world.association.name == "Maison des femmes"
    assert [entry.title for entry in search_entries(DirectoryEntry.objects.all(), q="maison femmes")] == ["Permanence"]
    assert search_entries(DirectoryEntry.objects.all(), q="accueil paris").count() == 0


def test_renaming_an_organisation_in_the_admin_refreshes_its_entries_search(world, client_as):
    from directory.search import search_entries

    DirectoryEntryFactory(organisation=world.association, title="Permanence")
    url = reverse("admin:referents_organisation_change", args=[world.association.pk])
    client = client_as("platform_admin")
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "name": "Maison des femmes",
        "territories": [territory.pk for territory in world.association.territories.all()],
        "habilitations-TOTAL_FORMS": "0",
        "habilitations-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [entry.title for entry in search_entries(DirectoryEntry.objects.all(), q="maison femmes")] == ["Permanence"]
