"""Signalements prêts pour l'instruction et la validation, dans le monde des personas (Paris, Nord)."""

import pytest

from orientation.services import decisions, triage
from signalements.enums import ReferenceCategory
from signalements.services.drafts import submit_signalement
from tests.orientation.journey_fixtures import case, closure_reason, make_validated, psp_agrement_paris  # noqa: F401
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
def validated(forwarded, validator):
    decisions.decide(signalement=forwarded, by=validator, kind="validated")
    forwarded.refresh_from_db()
    return forwarded
