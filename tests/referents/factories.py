import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from referents.enums import HabilitationKind, OrganisationKind, ReferentCategory, TerritoryKind, Zone
from referents.indexing import search_texts
from referents.models import DirectoryEntry, Habilitation, Organisation, Region, Territory


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Faker("city", locale="fr_FR")
    zone = Zone.HEXAGONE


class TerritoryFactory(DjangoModelFactory):
    """Un territoire : par défaut Paris. Les tests qui ont besoin de tous les territoires chargent le référentiel."""

    class Meta:
        model = Territory
        django_get_or_create = ["code"]

    code = "75"
    name = "Paris"
    kind = TerritoryKind.DEPARTEMENT
    region = factory.SubFactory(RegionFactory, code="11", name="Île-de-France")
    zone = Zone.HEXAGONE
    time_zone = "Europe/Paris"
    latitude = 48.85661
    longitude = 2.35222


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association d'aide aux victimes n°{n}")
    kind = OrganisationKind.ASSOCIATION
    email = factory.Sequence(lambda n: f"contact{n}@association.example.org")

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create:
            self.territories.set(extracted if extracted is not None else [TerritoryFactory()])


class HabilitationFactory(DjangoModelFactory):
    class Meta:
        model = Habilitation

    organisation = factory.SubFactory(OrganisationFactory)
    kind = HabilitationKind.MNIOP
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    ends_on = None


class DirectoryEntryFactory(DjangoModelFactory):
    """Une fiche de l'annuaire ; `territories=[...]` (par défaut Paris). Les textes de recherche sont calculés comme
    le font les services."""

    class Meta:
        model = DirectoryEntry
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    category = ReferentCategory.ASSOCIATION
    title = factory.Sequence(lambda n: f"Référent·e traite n°{n}")
    public_email = factory.Sequence(lambda n: f"annuaire{n}@structure.example.org")
    public_phone = "01 99 00 00 01"
    last_verified_on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, territories=None, **kwargs):
        territories = territories if territories is not None else [TerritoryFactory()]
        entry = model_class(*args, **kwargs)
        entry.main_territory = min(territories, key=lambda territory: territory.code)
        entry.main_territory_code = entry.main_territory.code
        entry.search_names, entry.search_terms = search_texts(
            entry=entry, organisation=entry.organisation, territories=territories
        )
        entry.save()
        entry.territories.set(territories)
        return entry
