"""Les profils d'hébergement de démonstration (`demo.shelter_places`) : par les services de l'hébergement."""

from demo.shelter_places import seed_demo_orientation, shelter_admin_email
from mniop.roles import Role
from orientation.models import CapacityMovement, ShelterCapacity, ShelterProfile
from referents.enums import OrganisationKind
from referents.models import Organisation


def test_every_demo_shelter_gets_a_profile_with_places(demo, db):
    shelters = Organisation.objects.filter(kind=OrganisationKind.SHELTER)
    assert ShelterProfile.objects.count() == shelters.count() >= 20
    assert demo.shelter_profiles == shelters.count()
    assert not ShelterCapacity.objects.filter(declared=0).exists()
    assert CapacityMovement.objects.count() == ShelterCapacity.objects.count()


def test_the_places_are_declared_by_the_shelter_administrator(demo, db):
    profile = ShelterProfile.objects.select_related("organisation").order_by("pk").first()
    admin = shelter_admin_email(profile.organisation)
    movement = CapacityMovement.objects.filter(capacity__shelter=profile).select_related("by").first()
    assert movement.by.email == admin
    assert movement.by.memberships.get(organisation=profile.organisation).role == Role.ASSOCIATION_ADMIN
    authors = {event.pgh_context.metadata["by"] for event in profile.events.select_related("pgh_context")}
    assert str(movement.by.public_id) in authors, "historisé comme une vraie modification"
    assert profile.sealed_address


def test_the_demo_account_shelter_is_an_acse_partner_in_paris(demo, db):
    profile = ShelterProfile.objects.get(organisation__name="Centre d'hébergement Les Glycines")
    assert (profile.departement.code, profile.is_acse_partner) == ("75", True)


def test_seeding_twice_creates_nothing_more(demo, db):
    before = ShelterCapacity.objects.count()
    assert seed_demo_orientation() == 0
    assert ShelterCapacity.objects.count() == before
