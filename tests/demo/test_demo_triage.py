"""Parcours de démonstration (`demo.triage`) : par les vrais services d'instruction et de décision."""

from demo.triage import SCENARIOS, pseudonym, seed_demo_triage
from orientation.models import Clock, Decision
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from tests.demo.conftest import SIGNALEMENTS

EXPECTED = {
    "in_triage": (SignalementStatus.IN_TRIAGE, None),
    "information_requested": (SignalementStatus.INFORMATION_REQUESTED, None),
    "information_answered": (SignalementStatus.IN_TRIAGE, None),
    "forwarded_75": (SignalementStatus.FORWARDED, "75"),
    "forwarded_59": (SignalementStatus.FORWARDED, "59"),
    "validated_75": (SignalementStatus.VALIDATED, "75"),
    "not_validated_59": (SignalementStatus.NOT_VALIDATED, "59"),
    "duplicate": (SignalementStatus.CLOSED_DUPLICATE, None),
}


def test_each_scenario_leaves_its_signalement_in_the_expected_state(demo, db):
    assert demo.triage.total == len(SCENARIOS) == 13
    for number, scenario in enumerate(SCENARIOS, start=1):
        signalement = Signalement.objects.select_related("competent_departement").get(pseudonym=pseudonym(number))
        status, departement = EXPECTED[scenario]
        assert signalement.status == status, (number, scenario)
        if departement:
            assert signalement.competent_departement.code == departement, (number, scenario)
    assert Signalement.objects.filter(status=SignalementStatus.SUBMITTED).count() == SIGNALEMENTS - len(SCENARIOS)


def test_the_walk_goes_through_the_services(demo, db):
    duplicate = Signalement.objects.get(pseudonym=pseudonym(len(SCENARIOS)))
    assert duplicate.duplicate_of.pseudonym == pseudonym(6)
    assert SignalementEvent.objects.filter(kind=SignalementEventKind.FORWARDED).count() == 7
    assert SignalementEvent.objects.filter(kind=SignalementEventKind.INFORMATION_PROVIDED).count() == 1
    deciders = set(Decision.objects.values_list("decided_by__email", flat=True))
    assert deciders == {"valideur.paris@demo.mniop.example", "valideur.nord@demo.mniop.example"}
    assert Clock.objects.filter(signalement__status=SignalementStatus.FORWARDED, stopped_at__isnull=True).count() == 4


def test_running_again_walks_nothing(demo, db):
    report = seed_demo_triage()
    assert (report.total, report.skipped) == (0, len(SCENARIOS))
    assert Decision.objects.count() == 3
