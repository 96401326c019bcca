"""Les profils d'hébergement de démonstration (`orientation.demo`, commande `seed_demo_orientation`)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.demo import seed_demo_data
from orientation.models import CapacityMovement, ShelterCapacity, ShelterProfile
from referents.enums import OrganisationKind
from referents.models import Organisation
from referents.reference_data import load_reference_data


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        seed_demo_data(force=True)
        call_command("seed_demo_orientation", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_every_demo_shelter_gets_a_profile_with_places(seeded, db):
    shelters = Organisation.objects.filter(kind=OrganisationKind.SHELTER)
    assert ShelterProfile.objects.count() == shelters.count() >= 20
    assert not ShelterCapacity.objects.filter(declared=0).exists()
    assert CapacityMovement.objects.count() == ShelterCapacity.objects.count()


def test_the_demo_account_shelter_is_an_acse_partner_in_paris(seeded, db):
    profile = ShelterProfile.objects.get(organisation__name="Centre d'hébergement Les Glycines")
    assert (profile.departement.code, profile.is_acse_partner) == ("75", True)


def test_seeding_twice_creates_nothing_more(seeded, db):
    before = ShelterCapacity.objects.count()
    call_command("seed_demo_orientation", "--force", stdout=StringIO())
    assert ShelterCapacity.objects.count() == before
