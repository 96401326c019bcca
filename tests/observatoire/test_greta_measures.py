"""La grille du GRETA remplit ses lignes « mesures » depuis les mesures du parcours : délais de réflexion, titres de
séjour par profil, aide juridictionnelle, aide au retour volontaire."""

import pytest
from django.urls import reverse

from observatoire import services
from observatoire.models import CaseStatistic
from orientation.enums import MeasureKind as K
from orientation.services import measures

GRETA = reverse("observatoire:statistics_greta")


def grant(measure, by):
    return measures.change_measure_status(measure=measure, by=by, action="accorder")


@pytest.fixture
def cases_with_measures(world, file_signalement, decide_case):
    """Cinq femmes nigérianes prises en charge à Paris : délai de réflexion et titre L435-1 accordés, aide
    juridictionnelle et aide au retour demandées."""
    filer = world.acting("association_agent")
    for _ in range(5):
        case = decide_case(file_signalement(sex="female", nationalities=["NG"]), "validated")
        grant(measures.record_measure(signalement=case, by=filer, kind=K.REFLECTION_PERIOD), filer)
        grant(
            measures.record_measure(
                signalement=case, by=filer, kind=K.PERMIT_L435_1, non_cooperation_reason="fear_of_reprisals"
            ),
            filer,
        )
        measures.record_measure(signalement=case, by=filer, kind=K.LEGAL_AID, status="requested")
        measures.record_measure(signalement=case, by=filer, kind=K.VOLUNTARY_RETURN, status="requested")
    services.refresh_statistics()


def test_the_statistical_record_keeps_the_outcome_of_each_journey_measure(cases_with_measures):
    record = CaseStatistic.objects.first()

    assert (record.reflection_period, record.residence_permit, record.legal_aid, record.return_assistance) == (
        "granted",
        "permit_l435_1",
        "requested",
        "requested",
    )


def test_the_greta_grid_counts_measures_instead_of_non_disponible(client_as, cases_with_measures):
    response = client_as("statistician").get(GRETA)

    tables = {table.title: table for _, item_tables in response.context["items"] for table in item_tables}
    assert tables["Délai de réflexion (mesure du parcours), par sexe"].visible_value("granted", "female") == 5
    assert tables["Titre de séjour accordé (le plus récent), par sexe"].visible_value("permit_l435_1", "female") == 5
    assert tables["Titre de séjour accordé, par âge"].visible_value("permit_l435_1", "adult") == 5
    assert tables["Aide juridictionnelle (mesure du parcours), par sexe"].visible_value("requested", "female") == 5
    returns = "Aide au retour volontaire de l'OFII (mesure du parcours), par région de destination"
    assert tables[returns].visible_value("", "requested") == 5
    body = response.content.decode()
    assert "les mesures du parcours ne sont pas encore cumulées" not in body
    assert "Aide juridictionnelle gratuite" in body
