"""Volumes et taux de décisions positives par département, délais de décision et respect des délais cibles de la
Miprof (à la façon du NRM britannique) : lus dans les cumuls, sous le secret statistique, à la portée de chacun."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from observatoire import services
from observatoire.disclosure import TOTAL
from observatoire.models import CaseStatistic, RollupCell
from orientation.services import decisions, triage

DASHBOARD = reverse("observatoire:statistics_dashboard")
MONDAY = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def adherence(response, key):
    return next(item for item in response.context["adherence"] if item[0] == key)


def rates(rows):
    return {row["code"]: row["rate"] for row in rows}


@pytest.fixture
def paris_decisions(file_signalement, decide_case):
    """Six prises en charge validées et deux refusées à Paris, chaque étape tenue dans son délai."""
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(6):
            decide_case(file_signalement(), "validated")
        for _ in range(2):
            decide_case(file_signalement(), "not_validated")
        services.refresh_statistics()


def test_a_late_forwarding_is_a_missed_triage_deadline_and_a_prompt_decision_a_met_one(
    world, file_signalement, decide_case
):
    with time_machine.travel(MONDAY, tick=False):
        signalement = file_signalement()
        triage.start_triage(signalement=signalement, by=world.acting("miprof_agent"))
    with time_machine.travel(MONDAY + datetime.timedelta(days=14), tick=False):
        triage.forward_to_departement(
            signalement=signalement, by=world.acting("miprof_agent"), departement=world.paris
        )
        decisions.decide(signalement=signalement, by=world.acting("departmental_validator"), kind="validated")
        services.refresh_statistics()

    record = CaseStatistic.objects.get(signalement=signalement)
    assert (record.triage_deadline, record.decision_deadline) == ("missed", "met")
    assert record.decision_delay_band == "0-2"


def test_a_case_still_awaiting_its_decision_has_a_running_deadline(world, file_signalement):
    signalement = file_signalement()
    miprof = world.acting("miprof_agent")
    triage.start_triage(signalement=signalement, by=miprof)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    services.refresh_statistics()

    record = CaseStatistic.objects.get(signalement=signalement)
    assert (record.triage_deadline, record.decision_deadline, record.decision_delay_band) == ("met", "running", "none")


def test_deadline_and_delay_rollups_exist_per_departement(paris_decisions):
    cells = RollupCell.objects.filter(scope_kind="national", table="departement_triage_deadline", row="75")

    assert {(cell.column, cell.count) for cell in cells} == {("met", 8)}
    assert RollupCell.objects.get(
        scope_kind="departement", scope_key="75", table="departement_delay", row="75", column="0-2"
    ).count == (8)


def test_a_suppressed_count_suppresses_its_positive_rate(client_as, paris_decisions):
    response = client_as("miprof_agent").get(DASHBOARD)

    rows = {row["code"]: row for row in response.context["decision_rows"]}
    # Deux refus : case masquée, donc son taux aussi (et celui du total, qui la ferait réapparaître).
    assert rows["75"]["cells"][1].is_suppressed
    assert rows["75"]["rate"] == ":"
    assert rows[TOTAL]["rate"] == ":"
    assert '<svg id="chart-positive-rates"' in response.content.decode()


def test_the_positive_rate_is_computed_from_visible_counts(client_as, file_signalement, decide_case):
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(6):
            decide_case(file_signalement(), "validated")
        for _ in range(5):
            decide_case(file_signalement(), "not_validated")
        services.refresh_statistics()

    response = client_as("miprof_agent").get(DASHBOARD)

    assert {row["code"]: row["rate"] for row in response.context["decision_rows"]}["75"] == "55 %"


def test_deadline_adherence_shows_the_share_within_the_target(client_as, paris_decisions):
    response = client_as("statistician").get(DASHBOARD)

    _, _, table, rows, svg = adherence(response, "triage")
    assert rates(rows)["75"] == "100 %"
    assert table.visible_value("75", "met") == 8
    assert 'id="chart-adherence-triage"' in svg
    body = response.content.decode()
    assert "Respect des délais cibles de la Miprof" in body
    assert '<svg id="chart-delays"' in body


def test_a_single_late_case_does_not_show_its_adherence_rate(client_as, world, file_signalement, decide_case):
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(7):
            decide_case(file_signalement(), "validated")
        late = file_signalement()
        triage.start_triage(signalement=late, by=world.acting("miprof_agent"))
    with time_machine.travel(MONDAY + datetime.timedelta(days=14), tick=False):
        triage.forward_to_departement(signalement=late, by=world.acting("miprof_agent"), departement=world.paris)
        services.refresh_statistics()

    _, _, table, rows, _ = adherence(client_as("miprof_agent").get(DASHBOARD), "triage")

    assert table.cell("75", "missed").is_suppressed
    assert rates(rows)["75"] == ":"


def test_a_validator_reads_only_its_departement_decisions_and_deadlines(
    client_as, world, file_signalement, decide_case, paris_decisions
):
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(6):
            decide_case(file_signalement(departement=world.nord), "validated", departement=world.nord)
        services.refresh_statistics()

    validator = client_as("departmental_validator").get(DASHBOARD)
    miprof = client_as("miprof_agent").get(DASHBOARD)

    assert [row["code"] for row in adherence(validator, "decision")[3]] == ["75", TOTAL]
    assert [row["code"] for row in validator.context["decision_rows"]] == ["75", TOTAL]
    assert [row["code"] for row in adherence(miprof, "decision")[3]] == ["59", "75", TOTAL]


def test_an_association_admin_reads_its_own_organisation_decisions(client_as, world, file_signalement, decide_case):
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(6):
            decide_case(file_signalement(persona="association_agent_other_org"), "validated")
        services.refresh_statistics()

    own = client_as("association_admin").get(DASHBOARD)
    other = client_as("association_admin_other_org").get(DASHBOARD)

    assert [row["code"] for row in own.context["decision_rows"]] == [TOTAL]
    assert other.context["decisions"].visible_value("75", "validated") == 6
