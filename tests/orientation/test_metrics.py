"""Jauges de l'orientation pour /metriques/ : places retenues échues ou expirées, délais dépassés par étape."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orientation.metrics import orientation_metrics
from orientation.services import referrals


def gauges():
    return {(f.name, tuple(s.labels.values())): s.value for f in orientation_metrics() for s in f.samples}


@pytest.fixture
def pending(validated, shelters, validator):
    return referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)


def test_a_hold_past_its_deadline_is_overdue_until_the_beat_task_expires_it(pending):
    assert gauges()[("mniop_referral_holds_overdue", ())] == 0
    with time_machine.travel(pending.hold_expires_at + timedelta(minutes=1)):
        assert gauges()[("mniop_referral_holds_overdue", ())] == 1
        assert gauges()[("mniop_referral_holds_expired", ())] == 0
        referrals.expire_holds()
        assert gauges()[("mniop_referral_holds_overdue", ())] == 0
        assert gauges()[("mniop_referral_holds_expired", ())] == 1


def test_running_clocks_past_their_deadline_are_counted_by_step(in_triage):
    clock = in_triage.clocks.get(stopped_at__isnull=True)
    assert gauges()[("mniop_clocks_overdue", (clock.step,))] == 0
    with time_machine.travel(clock.due_at + timedelta(hours=1)):
        values = gauges()
    assert values[("mniop_clocks_overdue", (clock.step,))] == 1
    assert sum(v for (name, _), v in values.items() if name == "mniop_clocks_overdue") == 1


def test_a_paused_clock_is_not_overdue(in_triage):
    clock = in_triage.clocks.get(stopped_at__isnull=True)
    clock.paused_at = timezone.now()
    clock.save()
    with time_machine.travel(clock.due_at + timedelta(hours=1)):
        assert gauges()[("mniop_clocks_overdue", (clock.step,))] == 0


def test_the_gauges_cost_three_queries_whatever_the_volume(make_submitted, django_assert_num_queries):
    for _ in range(3):
        make_submitted()
    with django_assert_num_queries(3):
        orientation_metrics()
