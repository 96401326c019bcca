"""Structures d'hébergement, leurs places et la coordination Ac.Sé, pour les tests de l'orientation."""

import factory
from factory.django import DjangoModelFactory

from mniop.roles import Role
from orientation.enums import PlaceKind
from orientation.models import ShelterCapacity, ShelterProfile
from referents.enums import OrganisationKind
from tests.accounts.factories import MembershipFactory
from tests.referents.factories import OrganisationFactory, TerritoryFactory


class ShelterProfileFactory(DjangoModelFactory):
    class Meta:
        model = ShelterProfile
        skip_postgeneration_save = True

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.SHELTER,
        name=factory.Sequence(lambda n: f"Centre d'hébergement n°{n}"),
    )
    departement = factory.SubFactory(TerritoryFactory)
    sealed_address = factory.Sequence(lambda n: f"{n} rue des Tilleuls")
    accepts_children = True
    languages = ["fr", "en"]

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        """`places={"teh": 3}` : les places déclarées par type (3 places TEH par défaut)."""
        if create:
            for kind, declared in (extracted if extracted is not None else {PlaceKind.TEH: 3}).items():
                ShelterCapacity.objects.create(shelter=self, place_kind=kind, declared=declared)


def shelter_member(shelter, role=Role.ASSOCIATION_AGENT):
    return MembershipFactory(organisation=shelter.organisation, role=role)
