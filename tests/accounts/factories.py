import factory
from factory.django import DjangoModelFactory

from accounts.models import Membership, User
from mniop.roles import Role
from tests.referents.factories import OrganisationFactory

PASSWORD = "mot-de-passe-de-test-0123"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@demo.mniop.example")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ASSOCIATION_AGENT

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create and extracted:
            self.departements.set(extracted)
