"""Les règles derrière les services, pas seulement dans les formulaires ou les vues : l'opérateur d'une mesure n'est
jamais une structure au lieu scellé ; le lieu scellé a son module (`orientation.sealed`) et les pages du dossier et
des orientations ne s'importent plus l'une l'autre ; les délais se règlent par un service historisé."""

import ast
import pathlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from orientation.enums import MeasureKind
from orientation.models import ClockSettings, Measure
from orientation.services import clocks, measures
from referents.enums import OrganisationKind
from tests.referents.factories import OrganisationFactory

ROOT = pathlib.Path(__file__).resolve().parents[2]


# --- L'opérateur d'une mesure ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [OrganisationKind.SHELTER, OrganisationKind.ACSE])
def test_record_measure_refuses_a_sealed_operator(case, filer, world, kind):
    sealed = OrganisationFactory(name="Lieu scellé", kind=kind, territories=[world.paris])
    with pytest.raises(ValidationError) as error:
        measures.record_measure(signalement=case, by=filer, kind=MeasureKind.LEGAL_AID, operator=sealed)
    assert error.value.message_dict == {"operator": [measures.SEALED_OPERATOR]}
    assert not Measure.objects.filter(signalement=case, kind=MeasureKind.LEGAL_AID).exists()


def test_record_measure_refuses_an_operator_of_another_departement(case, filer, world):
    elsewhere = OrganisationFactory(name="Association du Nord", territories=[world.nord])
    with pytest.raises(ValidationError) as error:
        measures.record_measure(signalement=case, by=filer, kind=MeasureKind.LEGAL_AID, operator=elsewhere)
    assert list(error.value.message_dict) == ["operator"]


def test_record_measure_accepts_an_operator_of_the_departement_or_a_national_one(case, filer, world):
    local = OrganisationFactory(name="Barreau de Paris", territories=[world.paris])
    measure = measures.record_measure(signalement=case, by=filer, kind=MeasureKind.LEGAL_AID, operator=local)
    national = measures.record_measure(signalement=case, by=filer, kind=MeasureKind.ASYLUM, operator=world.miprof)
    assert (measure.operator, national.operator) == (local, world.miprof)


def test_the_form_offers_exactly_the_operators_the_service_accepts(case, world):
    from orientation.forms import MeasureForm

    OrganisationFactory(name="Hébergement", kind=OrganisationKind.SHELTER, territories=[world.paris])
    offered = set(MeasureForm(signalement=case).fields["operator"].queryset)
    assert offered == set(measures.measure_operators(case))
    assert all(measures.operator_errors(case, organisation) == {} for organisation in offered)


# --- Le lieu scellé ----------------------------------------------------------------------------------------------


def imported_modules(relative):
    tree = ast.parse((ROOT / relative).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_case_and_referral_pages_do_not_import_each_other():
    assert "orientation.views.referrals" not in imported_modules("orientation/views/cases.py")
    assert "orientation.views.cases" not in imported_modules("orientation/views/referrals.py")


def test_location_of_lives_in_the_sealed_module_and_nowhere_else():
    from orientation import sealed

    assert sealed.location_of.__module__ == "orientation.sealed"
    definers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "orientation").rglob("*.py")
        if "def location_of(" in path.read_text()
    ]
    assert definers == ["orientation/sealed.py"]


# --- Les délais ---------------------------------------------------------------------------------------------------


def test_update_clock_settings_keeps_who_changed_what_and_when(world):
    admin = world.acting("miprof_admin")
    clocks.update_clock_settings(by=admin, triage_days=3)
    clocks.update_clock_settings(by=admin, decision_days=7)
    settings = ClockSettings.current()
    assert (settings.triage_days, settings.decision_days, settings.updated_by) == (3, 7, admin)
    versions = list(settings.events.order_by("pgh_id"))
    assert [(v.triage_days, v.decision_days) for v in versions][-2:] == [(3, 5), (3, 7)]
    assert versions[-1].pgh_context.metadata["by"] == str(admin.public_id)
    assert versions[-1].pgh_created_at is not None


def test_only_the_miprof_administration_sets_the_clocks(world):
    with pytest.raises(PermissionDenied):
        clocks.update_clock_settings(by=world.acting("miprof_agent"), triage_days=9)
    assert ClockSettings.current().triage_days == 2


def test_an_invalid_value_is_refused_in_french(world):
    with pytest.raises(ValidationError) as error:
        clocks.update_clock_settings(by=world.acting("miprof_admin"), triage_days=-1)
    assert "triage_days" in error.value.message_dict


def test_the_clock_settings_page_saves_through_the_service(world, client_as):
    data = {name: getattr(ClockSettings.current(), name) for name in clocks.CLOCK_SETTING_FIELDS} | {"triage_days": 4}
    response = client_as("miprof_admin").post(reverse("orientation:clock_settings"), data)
    assert response.status_code == 302
    version = ClockSettings.current().events.order_by("pgh_id").last()
    assert version.triage_days == 4
    assert version.pgh_context.metadata["by"] == str(world.user("miprof_admin").public_id)
