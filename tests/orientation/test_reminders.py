"""Rappels avant l'échéance, alertes après (équipe, puis administration de la Miprof) : une fois et une seule, même
quand la tâche beat tourne deux fois ; préférences de résumé quotidien et de désabonnement."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, OutboxMessage
from orientation import tasks
from orientation.enums import ClockStep, ReminderKind
from orientation.models import Clock, NotificationPreference, ReminderLog


def emails(template):
    return sorted(OutboxMessage.objects.filter(template=template).values_list("recipient", flat=True))


@pytest.fixture
def decision_clock(forwarded):
    OutboxMessage.objects.all().delete()
    Notification.objects.all().delete()
    return Clock.objects.get(signalement=forwarded, step=ClockStep.DEPARTMENTAL_DECISION)


def at_hours_from_due(clock, hours):
    return time_machine.travel(clock.due_at + datetime.timedelta(hours=hours), tick=False)


def test_a_reminder_is_sent_once_before_the_deadline(decision_clock, world):
    with at_hours_from_due(decision_clock, -10):
        assert tasks.send_deadline_reminders() == 1
        assert tasks.send_deadline_reminders() == 0
    assert emails("orientation_reminder") == [world.user("departmental_validator").email]
    log = ReminderLog.objects.get()
    assert (log.kind, log.recipients_count) == (ReminderKind.REMINDER, 1)
    assert Notification.objects.get().link == f"/dossiers/{decision_clock.signalement.public_id}/decider/"


def test_no_reminder_long_before_the_deadline(decision_clock):
    with at_hours_from_due(decision_clock, -48):
        assert tasks.send_deadline_reminders() == 0
    assert not OutboxMessage.objects.exists()


def test_the_team_is_alerted_once_after_the_deadline(decision_clock, world):
    with at_hours_from_due(decision_clock, 2):
        assert tasks.send_deadline_reminders() == 1
        assert tasks.send_deadline_reminders() == 0
    assert emails("orientation_escalation") == sorted(
        [
            world.user("departmental_validator").email,
            world.user("miprof_agent").email,
            world.user("miprof_admin").email,
        ]
    )
    assert list(ReminderLog.objects.values_list("kind", flat=True)) == [ReminderKind.ESCALATION_TEAM]


def test_the_miprof_admin_is_alerted_once_a_day_after_the_deadline(decision_clock, world):
    with at_hours_from_due(decision_clock, 2):
        tasks.send_deadline_reminders()
    OutboxMessage.objects.all().delete()
    with at_hours_from_due(decision_clock, 30):
        assert tasks.send_deadline_reminders() == 1
        assert tasks.send_deadline_reminders() == 0
    assert emails("orientation_escalation") == [world.user("miprof_admin").email]


def test_a_stopped_clock_sends_nothing(decision_clock, validator):
    from orientation.services.decisions import decide

    decide(signalement=decision_clock.signalement, by=validator, kind="validated")
    OutboxMessage.objects.all().delete()
    with at_hours_from_due(decision_clock, 30):
        assert tasks.send_deadline_reminders() == 0
    assert not OutboxMessage.objects.exists()


def test_a_person_who_opted_out_gets_in_app_reminders_only(decision_clock, world):
    NotificationPreference.objects.create(user=world.user("departmental_validator"), reminders_by_email=False)
    with at_hours_from_due(decision_clock, -10):
        tasks.send_deadline_reminders()
    assert not OutboxMessage.objects.exists()
    assert Notification.objects.filter(user=world.user("departmental_validator")).count() == 1


def test_the_daily_digest_groups_reminders_into_one_email_sent_once(decision_clock, world, make_submitted, miprof):
    validator = world.user("departmental_validator")
    NotificationPreference.objects.create(user=validator, daily_digest=True)
    with at_hours_from_due(decision_clock, -10):
        tasks.send_deadline_reminders()
    with at_hours_from_due(decision_clock, 2):
        tasks.send_deadline_reminders()
    assert validator.email not in emails("orientation_reminder") + emails("orientation_escalation")
    assert NotificationPreference.objects.get(user=validator).pending_digest_count == 2
    assert tasks.send_daily_digests() == 1
    assert tasks.send_daily_digests() == 0
    digest = OutboxMessage.objects.get(template="orientation_digest")
    assert (digest.recipient, digest.link.endswith("/departement/file/?en_retard=1")) == (validator.email, True)


def test_the_triage_reminder_goes_to_the_assigned_agent(in_triage, world):
    OutboxMessage.objects.all().delete()
    clock = Clock.objects.get(signalement=in_triage, step=ClockStep.TRIAGE)
    with at_hours_from_due(clock, -3):
        tasks.send_deadline_reminders()
    assert emails("orientation_reminder") == [world.user("miprof_agent").email]


def test_the_information_request_reminder_goes_to_the_filing_organisation(in_triage, miprof, world):
    from orientation.services.triage import request_information

    request_information(signalement=in_triage, by=miprof, question="Précisez le lieu.")
    OutboxMessage.objects.all().delete()
    clock = Clock.objects.get(signalement=in_triage, step=ClockStep.INFORMATION_REQUEST)
    with at_hours_from_due(clock, -3):
        tasks.send_deadline_reminders()
    assert emails("orientation_reminder") == sorted(
        [world.user("association_agent").email, world.user("association_admin").email]
    )


def test_each_person_sets_their_reminder_preferences(client_as, world):
    response = client_as("departmental_validator").post(
        reverse("orientation:notification_preferences"), {"reminders_by_email": "on", "daily_digest": "on"}
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.user("departmental_validator"))
    assert preference.daily_digest and preference.reminders_by_email


def test_preferences_need_a_login(client, db):
    assert client.get(reverse("orientation:notification_preferences")).status_code == 302


def test_beat_schedule_declares_the_orientation_jobs(settings):
    tasks_in_schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "orientation.tasks.sync_clocks",
        "orientation.tasks.send_deadline_reminders",
        "orientation.tasks.send_daily_digests",
    } <= tasks_in_schedule


def test_overdue_now_is_relative_to_the_clock(decision_clock):
    assert not decision_clock.is_overdue
    with at_hours_from_due(decision_clock, 1):
        assert decision_clock.is_overdue and timezone.now() > decision_clock.due_at
