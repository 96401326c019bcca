"""Signalements prêts pour l'instruction et la validation, dans le monde des personas (Paris, Nord).

Un greffon pytest déclaré une seule fois par `tests/conftest.py` (`pytest_plugins`) : ces fixtures servent à tous les
dossiers de tests (orientation, vie privée, navigateur, comptes) sans être importées module par module, ce qui
les enregistrait plusieurs fois et les rendait introuvables selon l'ordre des fichiers sur la ligne de commande."""

import pytest

from orientation.enums import DecisionKind
from orientation.services import decisions, triage
from signalements.enums import ReferenceCategory
from signalements.services.drafts import submit_signalement
from tests.signalements.factories import ReferenceValueFactory, SignalementFactory


@pytest.fixture
def miprof(world):
    return world.acting("miprof_agent")


@pytest.fixture
def validator(world):
    return world.acting("departmental_validator")


@pytest.fixture
def filer(world):
    return world.acting("association_agent")


@pytest.fixture
def sexual_exploitation(db):
    return ReferenceValueFactory(code="exploitation_sexuelle", label="Exploitation sexuelle")


@pytest.fixture
def out_of_scope_reason(db):
    return ReferenceValueFactory(
        category=ReferenceCategory.OUT_OF_SCOPE_REASON, code="pas_d_indice_de_traite", label="Aucun indice de traite"
    )


@pytest.fixture
def non_validation_reason(db):
    return ReferenceValueFactory(
        category=ReferenceCategory.NON_VALIDATION_REASON,
        code="elements_insuffisants",
        label="Éléments insuffisants pour caractériser la traite",
    )


@pytest.fixture
def make_submitted(world, filer):
    def make(**fields):
        signalement = SignalementFactory(
            **{"organisation": world.association, "created_by": filer, "departement": world.paris} | fields
        )
        return submit_signalement(signalement=signalement, by=filer)

    return make


@pytest.fixture
def submitted(make_submitted):
    return make_submitted()


@pytest.fixture
def in_triage(submitted, miprof):
    return triage.start_triage(signalement=submitted, by=miprof)


@pytest.fixture
def forwarded(in_triage, miprof, world):
    return triage.forward_to_departement(signalement=in_triage, by=miprof, departement=world.paris)


@pytest.fixture
def not_validated(forwarded, validator, non_validation_reason):
    decisions.decide(
        signalement=forwarded,
        by=validator,
        kind="not_validated",
        reason=non_validation_reason,
        comment="Les éléments transmis ne suffisent pas.",
    )
    forwarded.refresh_from_db()
    return forwarded


@pytest.fixture
def make_minor_case(make_submitted, miprof, validator, world):
    """Un dossier de mineur non accompagné, transmis à Paris et réorienté vers le circuit des mineurs."""

    def make(**fields):
        signalement = make_submitted(**{"is_mna": True} | fields)
        triage.start_triage(signalement=signalement, by=miprof)
        triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
        decisions.decide(
            signalement=signalement, by=validator, kind=DecisionKind.REDIRECTED, redirect_target="minors_track"
        )
        signalement.refresh_from_db()
        return signalement

    return make


@pytest.fixture
def minor_case(make_minor_case):
    return make_minor_case()


@pytest.fixture
def validated(forwarded, validator):
    decisions.decide(signalement=forwarded, by=validator, kind="validated")
    forwarded.refresh_from_db()
    return forwarded


# --- Hébergement et orientation ----------------------------------------------------------------------------------


@pytest.fixture
def shelters(world):
    """Trois structures : Paris (non partenaire Ac.Sé), Nord (partenaire, à ~190 km de Paris) et Bouches-du-Rhône
    (partenaire, loin de Paris) ; une coordination Ac.Sé ; un·e membre de chacune."""
    from orientation.enums import PlaceKind
    from referents.enums import OrganisationKind
    from tests.accounts.factories import MembershipFactory
    from tests.orientation.shelter_factories import ShelterProfileFactory, shelter_member
    from tests.personas import acting_as
    from tests.referents.factories import OrganisationFactory

    paris = ShelterProfileFactory(departement=world.paris, organisation__name="Centre Les Glycines")
    nord = ShelterProfileFactory(departement=world.nord, is_acse_partner=True, organisation__name="Centre du Nord")
    south = ShelterProfileFactory(
        departement=world.bouches_du_rhone,
        is_acse_partner=True,
        organisation__name="Centre du Sud",
        places={PlaceKind.TEH: 2, PlaceKind.YOUNG: 2},
    )
    acse = OrganisationFactory(name="Coordination Ac.Sé", kind=OrganisationKind.ACSE, is_national=True)

    class Shelters:
        pass

    result = Shelters()
    result.paris, result.nord, result.south, result.acse_organisation = paris, nord, south, acse
    result.paris_agent = acting_as(shelter_member(paris))
    result.nord_agent = acting_as(shelter_member(nord))
    result.south_agent = acting_as(shelter_member(south))
    result.acse_agent = acting_as(MembershipFactory(organisation=acse))
    return result


@pytest.fixture
def refusal_reason(db):
    return ReferenceValueFactory(
        category=ReferenceCategory.REFERRAL_REFUSAL_REASON, code="pas_de_place", label="Aucune place disponible"
    )


@pytest.fixture
def departure_reason(db):
    return ReferenceValueFactory(
        category=ReferenceCategory.DEPARTURE_REASON, code="relogement", label="Relogement ou logement autonome"
    )
