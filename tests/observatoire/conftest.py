"""Des signalements déposés par les vrais services, dans le monde des personas, pour l'observatoire."""

import pytest

from observatoire import services
from orientation.services import decisions, triage
from signalements.enums import ReferenceCategory
from signalements.services.drafts import submit_signalement
from tests.signalements.factories import ReferenceValueFactory, SignalementFactory


@pytest.fixture
def forms(db):
    """Les formes d'exploitation avec leur catégorie Eurostat (domaine §4.3)."""
    make = ReferenceValueFactory
    return {
        "sexual": make(
            code="exploitation_sexuelle", label="Exploitation sexuelle", eurostat_category="Sexual exploitation"
        ),
        "labour": make(
            code="travail_force",
            label="Travail forcé",
            eurostat_category="Forced labour, including domestic servitude",
        ),
        "criminal": make(
            code="contrainte_delits",
            label="Contrainte à commettre des délits",
            eurostat_category="Criminal activities",
        ),
    }


@pytest.fixture
def file_signalement(world, forms):
    """`file_signalement(persona="association_agent", form="sexual", **champs)` : déposé par `submit_signalement`."""

    def make(persona="association_agent", form="sexual", **fields):
        by = world.acting(persona)
        membership = world.memberships[persona]
        draft = SignalementFactory(
            **{"organisation": membership.organisation, "created_by": by, "departement": world.paris} | fields,
            exploitation_forms=[forms[form]] if isinstance(form, str) else [forms[name] for name in form],
        )
        return submit_signalement(signalement=draft, by=by)

    return make


@pytest.fixture
def decide_case(world):
    """Instruit, transmet et fait décider un signalement par les vrais services d'orientation."""

    def decide(signalement, kind="validated", departement=None):
        miprof = world.acting("miprof_agent")
        departement = departement or world.paris
        validator = world.acting(
            "departmental_validator" if departement == world.paris else "departmental_validator_other_departement"
        )
        triage.start_triage(signalement=signalement, by=miprof)
        triage.forward_to_departement(signalement=signalement, by=miprof, departement=departement)
        if kind == "validated":
            decisions.decide(signalement=signalement, by=validator, kind="validated")
        else:
            reason = ReferenceValueFactory(
                category=ReferenceCategory.NON_VALIDATION_REASON, code="elements_insuffisants", label="Insuffisant"
            )
            decisions.decide(
                signalement=signalement,
                by=validator,
                kind="not_validated",
                reason=reason,
                comment="Les éléments transmis ne suffisent pas.",
            )
        signalement.refresh_from_db()
        return signalement

    return decide


@pytest.fixture
def paris_cases(file_signalement):
    """Sept victimes à Paris (exploitation sexuelle, femmes), deux hommes en travail forcé : une petite case."""
    for _ in range(7):
        file_signalement(sex="female", nationalities=["FR"])
    for _ in range(2):
        file_signalement(sex="male", nationalities=["MA"], form="labour")
    services.refresh_statistics()
