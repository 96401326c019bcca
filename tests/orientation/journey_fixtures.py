"""Dossiers validés, prêts pour le parcours (mesures, clôture, fiche des droits), dans le monde des personas.
Un greffon pytest déclaré par `tests/conftest.py` (`pytest_plugins`), visible de tous les tests."""

import datetime

import pytest

from orientation.services import decisions, triage
from referents.enums import HabilitationKind
from signalements.enums import ReferenceCategory
from tests.referents.factories import HabilitationFactory
from tests.signalements.factories import ReferenceValueFactory


@pytest.fixture
def make_validated(make_submitted, miprof, validator, world):
    """Un dossier déposé par l'agent de l'association, instruit, transmis à Paris et validé."""

    def make(**fields):
        signalement = make_submitted(**{"nationalities": ["NG"]} | fields)
        triage.start_triage(signalement=signalement, by=miprof)
        triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
        decisions.decide(signalement=signalement, by=validator, kind="validated")
        signalement.refresh_from_db()
        return signalement

    return make


@pytest.fixture
def case(make_validated):
    return make_validated()


@pytest.fixture
def closure_reason(db):
    return ReferenceValueFactory(
        category=ReferenceCategory.CASE_CLOSURE_REASON, code="autonomie_atteinte", label="Autonomie atteinte"
    )


@pytest.fixture
def psp_agrement_paris(world):
    """L'association de l'agent détient l'agrément PSP de Paris."""
    return HabilitationFactory(
        organisation=world.association,
        kind=HabilitationKind.PSP,
        territory=world.paris,
        starts_on=datetime.date(2020, 1, 1),
    )
