"""Rebonds (issue 5) : un courriel en échec définitif marque « à vérifier » les fiches qui le portent, une seule
fois ; une adresse qui ne se valide pas est refusée à l'enregistrement."""

import pytest
from django.core.exceptions import ValidationError

from directory.services import create_entry, update_entry, verify_entry
from directory.tasks import mark_bounced_emails
from notifications.models import OutboxMessage, OutboxStatus
from referents.enums import ReferentCategory, VerificationReason
from referents.models import DirectoryEntry, EmailBounce
from tests.referents.factories import DirectoryEntryFactory

pytestmark = pytest.mark.django_db


def outbox(recipient, status):
    return OutboxMessage.objects.create(template="directory_entry_reminder", recipient=recipient, status=status)


def test_a_failed_message_marks_the_entry_with_that_public_email():
    entry = DirectoryEntryFactory(public_email="accueil@structure.example.org")
    message = outbox("Accueil@Structure.example.org", OutboxStatus.FAILED)
    assert mark_bounced_emails() == 1
    entry.refresh_from_db()
    assert entry.needs_verification and entry.verification_reason == VerificationReason.EMAIL_BOUNCED
    assert EmailBounce.objects.get().message == message
    assert entry.events.last().pgh_context.metadata["reason"] == VerificationReason.EMAIL_BOUNCED


def test_a_failed_message_marks_the_entry_with_that_restricted_email():
    entry = DirectoryEntryFactory(restricted_email="pro@parquet.example.org")
    outbox("pro@parquet.example.org", OutboxStatus.FAILED)
    assert mark_bounced_emails() == 1
    entry.refresh_from_db()
    assert entry.verification_reason == VerificationReason.EMAIL_BOUNCED


@pytest.mark.parametrize("status", [OutboxStatus.SENT, OutboxStatus.PENDING])
def test_a_sent_or_pending_message_marks_nothing(status):
    entry = DirectoryEntryFactory(public_email="accueil@structure.example.org")
    outbox("accueil@structure.example.org", status)
    assert mark_bounced_emails() == 0
    entry.refresh_from_db()
    assert not entry.needs_verification
    assert not EmailBounce.objects.exists()


def test_a_rerun_is_a_no_op_even_after_the_entry_was_verified(world):
    entry = DirectoryEntryFactory(organisation=world.association, public_email="accueil@structure.example.org")
    outbox("accueil@structure.example.org", OutboxStatus.FAILED)
    assert mark_bounced_emails() == 1
    verify_entry(entry=entry, by=world.acting("association_admin"))
    assert mark_bounced_emails() == 0
    entry.refresh_from_db()
    assert not entry.needs_verification
    assert EmailBounce.objects.count() == 1


def test_a_new_failure_after_a_run_is_processed_next_time():
    first = DirectoryEntryFactory(public_email="un@structure.example.org")
    second = DirectoryEntryFactory(public_email="deux@structure.example.org")
    outbox("un@structure.example.org", OutboxStatus.FAILED)
    late = outbox("deux@structure.example.org", OutboxStatus.PENDING)
    assert mark_bounced_emails() == 1
    OutboxMessage.objects.filter(pk=late.pk).update(status=OutboxStatus.FAILED)
    assert mark_bounced_emails() == 1
    assert DirectoryEntry.objects.filter(pk__in=[first.pk, second.pk], needs_verification=True).count() == 2


def test_an_invalid_email_is_refused_at_creation_with_a_french_message(world):
    with pytest.raises(ValidationError) as error:
        create_entry(
            organisation=world.association,
            territories=[world.paris],
            by=world.acting("association_admin"),
            category=ReferentCategory.ASSOCIATION,
            title="Accueil",
            public_email="accueil-at-structure",
        )
    assert error.value.message_dict["public_email"] == ["Saisissez une adresse e-mail valide."]
    assert not DirectoryEntry.objects.filter(title="Accueil").exists()


def test_an_invalid_restricted_email_is_refused_at_update(world):
    entry = DirectoryEntryFactory(organisation=world.association, territories=[world.paris])
    with pytest.raises(ValidationError) as error:
        update_entry(
            entry=entry, territories=[world.paris], by=world.acting("association_admin"), restricted_email="pro@"
        )
    assert "restricted_email" in error.value.message_dict
    entry.refresh_from_db()
    assert entry.restricted_email == ""
