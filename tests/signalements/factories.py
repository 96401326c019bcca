import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from signalements.enums import (
    ConsentDecision,
    ConsentForm,
    ConsentPurpose,
    ConsentStatus,
    ReferenceCategory,
    SignalementStatus,
)
from signalements.models import Consent, InformationRequest, ReferenceValue, Signalement
from tests.accounts.factories import UserFactory
from tests.referents.factories import OrganisationFactory, TerritoryFactory


class ReferenceValueFactory(DjangoModelFactory):
    class Meta:
        model = ReferenceValue
        django_get_or_create = ["category", "code"]

    category = ReferenceCategory.EXPLOITATION_FORM
    code = factory.Sequence(lambda n: f"valeur_{n}")
    label = factory.Sequence(lambda n: f"Valeur n°{n}")


class SignalementFactory(DjangoModelFactory):
    """Un brouillon complet, prêt à être déposé. Les tests de dépôt passent par `submit_signalement`."""

    class Meta:
        model = Signalement
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    departement = factory.SubFactory(TerritoryFactory)
    spotted_on = factory.Faker("date_between", start_date="-60d", end_date="today")
    consent_status = ConsentStatus.GIVEN
    consent_language = "fr"
    pseudonym = factory.Faker("first_name", locale="fr_FR")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Comme les services, pose `birth_age` (la version SQL de l'âge, la date de naissance étant chiffrée)."""
        signalement = model_class(*args, **kwargs)
        signalement.refresh_birth_age()
        signalement.save()
        return signalement

    @factory.post_generation
    def consents(self, create, extracted, **kwargs):
        """Par défaut, la personne a consenti par écrit à toutes les finalités (sauf un signalement anonyme) ;
        `consents=[]` : aucun consentement ; `consents={finalité: décision}` : ceux-là seulement."""
        if not create:
            return
        if extracted is None:
            given = self.consent_status in (ConsentStatus.GIVEN, ConsentStatus.NOT_REQUIRED_MINOR)
            extracted = {purpose: ConsentDecision.GIVEN for purpose in ConsentPurpose.values} if given else {}
        for purpose, decision in dict(extracted).items():
            Consent.objects.create(
                signalement=self,
                purpose=purpose,
                decision=decision,
                decided_on=timezone.localdate() if decision == ConsentDecision.GIVEN else None,
                form=ConsentForm.WRITTEN if decision == ConsentDecision.GIVEN else ConsentForm.UNKNOWN,
                notice_language=self.consent_language if decision == ConsentDecision.GIVEN else "",
            )

    @factory.post_generation
    def exploitation_forms(self, create, extracted, **kwargs):
        if create:
            if extracted is None:
                extracted = [ReferenceValueFactory(code="exploitation_sexuelle", label="Exploitation sexuelle")]
            self.exploitation_forms.set(extracted)


class SubmittedSignalementFactory(SignalementFactory):
    """Un signalement déjà déposé (sans passer par `submit_signalement`) : pour les listes et les pages de détail."""

    status = SignalementStatus.SUBMITTED
    reference = factory.Sequence(lambda n: f"MNIOP-2026-{900000 + n:06d}")
    submitted_at = factory.LazyFunction(timezone.now)
    submitted_by = factory.SelfAttribute("created_by")


class InformationRequestFactory(DjangoModelFactory):
    """Une demande de complément en attente de réponse."""

    class Meta:
        model = InformationRequest

    signalement = factory.SubFactory(SubmittedSignalementFactory, status=SignalementStatus.INFORMATION_REQUESTED)
    question = "Pouvez-vous préciser la date d'arrivée en France ?"
    requested_by = factory.SubFactory(UserFactory)


def submitted_signalement(world, persona="association_agent", **fields):
    """Un signalement de l'organisation du persona, déposé par le vrai service `submit_signalement`."""
    from signalements.services.drafts import submit_signalement

    by = world.acting(persona)
    membership = world.memberships[persona]
    draft = SignalementFactory(
        **{"organisation": membership.organisation, "created_by": by, "departement": world.paris} | fields
    )
    return submit_signalement(signalement=draft, by=by)
