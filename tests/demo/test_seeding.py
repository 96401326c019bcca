"""La démonstration en une commande (`demo.seeding.seed_demo`, `manage.py seed_demo`) : relancer n'ajoute rien."""

import pytest

from accounts.models import Membership, User
from demo.seeding import seed_demo
from notifications.models import Notification, OutboxMessage
from orientation.models import CapacityMovement, Decision, ShelterCapacity, ShelterProfile
from referents.models import DirectoryEntry, Habilitation, Organisation
from signalements.models import Signalement, SignalementEvent
from tests.demo.conftest import DRAFTS, SIGNALEMENTS

MODELS = [
    Organisation,
    Habilitation,
    User,
    Membership,
    DirectoryEntry,
    ShelterProfile,
    ShelterCapacity,
    CapacityMovement,
    Signalement,
    SignalementEvent,
    Decision,
    OutboxMessage,
    Notification,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_every_step_leaves_something_in_the_database(demo, db):
    assert [name for name, count in counts().items() if count == 0] == []


def test_running_the_whole_demo_again_adds_nothing(demo, db):
    before = counts()
    report = seed_demo(signalements=SIGNALEMENTS, drafts=DRAFTS, force=True)
    assert counts() == before
    assert sum(report.base.created.values()) == sum(report.base.updated.values()) == 0
    assert (report.shelter_profiles, report.signalements.created, report.triage.total) == (0, 0, 0)


def test_a_negative_volume_is_refused(db):
    with pytest.raises(ValueError, match="négatifs"):
        seed_demo(signalements=-1, force=True)
