"""Jauges de la boîte d'envoi pour /metriques/ : âge du plus ancien message en attente, messages en échec."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.metrics import outbox_metrics
from notifications.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


def gauges():
    return {f.name: f.samples[0].value for f in outbox_metrics()}


def message(status=OutboxStatus.PENDING):
    return OutboxMessage.objects.create(template="signalement_submitted", recipient="agent@example.org", status=status)


def test_an_empty_outbox_has_no_age():
    assert gauges() == {
        "mniop_outbox_oldest_pending_age_seconds": 0,
        "mniop_outbox_pending_messages": 0,
        "mniop_outbox_failed_messages": 0,
    }


def test_the_oldest_unsent_message_gives_the_age():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        message()
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        message()
        message(OutboxStatus.SENT)
    with time_machine.travel(start + timedelta(minutes=12), tick=False):
        values = gauges()
    assert values["mniop_outbox_oldest_pending_age_seconds"] == 12 * 60
    assert values["mniop_outbox_pending_messages"] == 2


def test_failed_emails_are_counted():
    message(OutboxStatus.FAILED)
    message(OutboxStatus.FAILED)
    message(OutboxStatus.SENT)
    assert gauges()["mniop_outbox_failed_messages"] == 2


def test_the_gauges_cost_two_queries(django_assert_num_queries):
    for _ in range(5):
        message()
    with django_assert_num_queries(2):
        outbox_metrics()
