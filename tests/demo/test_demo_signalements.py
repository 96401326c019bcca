"""Signalements de démonstration (`signalements.demo`, commande `seed_demo_signalements`)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.demo import seed_demo_data
from notifications.models import OutboxMessage
from referents.reference_data import load_reference_data
from signalements.enums import ConsentStatus, SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from signalements.reference_data import load_signalement_references


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        load_signalement_references()
        seed_demo_data(force=True)
        call_command("seed_demo_signalements", "--count", "40", "--drafts", "5", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_demo_signalements_go_through_the_services(seeded, db):
    assert Signalement.objects.filter(status=SignalementStatus.SUBMITTED).count() == 40
    assert Signalement.objects.filter(status=SignalementStatus.DRAFT).count() == 5
    assert SignalementEvent.objects.filter(kind=SignalementEventKind.SUBMITTED).count() == 40
    assert OutboxMessage.objects.filter(template="signalement_submitted").exists()
    assert not Signalement.objects.exclude(first_name="", last_name="").exists(), "jamais de nom en démonstration"


def test_demo_signalements_follow_the_association_profile(seeded, db):
    submitted = Signalement.objects.filter(status=SignalementStatus.SUBMITTED)
    sexual = submitted.filter(exploitation_forms__code="exploitation_sexuelle").count()
    assert 0.6 <= sexual / 40 <= 0.95
    minors = [s for s in submitted if s.is_minor]
    assert all(s.consent_status == ConsentStatus.NOT_REQUIRED_MINOR for s in minors)
    assert submitted.filter(departement__code="75").exists()


def test_rerunning_creates_nothing(seeded, db):
    out = StringIO()
    call_command("seed_demo_signalements", "--count", "40", "--drafts", "5", "--force", stdout=out)
    assert Signalement.objects.count() == 45
    assert "déjà présents" in out.getvalue()


def test_refused_without_debug_or_force(db):
    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        call_command("seed_demo_signalements", stdout=StringIO())
