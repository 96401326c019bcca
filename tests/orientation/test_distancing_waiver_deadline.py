"""Chaque passage de relais a une sortie (issue 15) : un placement Ac.Sé hors de la règle d'éloignement qui attend sa
seconde approbation a une échéance (heures pour un dossier urgent, jours ouvrés sinon), ouverte et fermée dans la
transaction de la demande et de la décision, affichée sur les pages qui le montrent, et rappelée aux personnes qui
peuvent l'approuver avant puis à l'échéance (une fois par palier, sans donnée personnelle)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from notifications.models import Notification, OutboxMessage
from notifications.services import deliver
from orientation.enums import ClockStep, ReminderKind
from orientation.models import Clock, ReminderLog
from orientation.services import exits, referrals
from orientation.services.reminders import send_deadline_reminders
from tests.orientation.test_referral_exits import login, near_paris, second_acse_agent  # noqa: F401

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
#: Un lundi sans jour férié autour : un jour ouvré plus tard, l'échéance tombe le mardi 9 mars 2027 à 23:59:59.
MONDAY = datetime.datetime(2027, 3, 8, 10, 0, tzinfo=PARIS)


def waiver_clocks(signalement):
    return Clock.objects.filter(signalement=signalement, step=ClockStep.DISTANCING_WAIVER)


def dispatch_clocks(signalement):
    return Clock.objects.filter(signalement=signalement, step=ClockStep.ACSE_DISPATCH)


def _request_waiver(near_paris, validator, shelters, *, urgent=False):  # noqa: F811
    """Le dossier adressé à la coordination Ac.Sé puis le placement hors règle demandé, le lundi à 10 h."""
    if urgent:
        near_paris.urgent = True
        near_paris.save(update_fields=["urgent"])
    with time_machine.travel(MONDAY, tick=False):
        referral = referrals.request_referral(signalement=near_paris, by=validator, via_acse=True)
        exits.request_distancing_waiver(
            referral=referral, by=shelters.acse_agent, shelter=shelters.nord, reason="Seule place adaptée."
        )
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    return referral


@pytest.fixture
def requested(near_paris, validator, shelters):  # noqa: F811
    return _request_waiver(near_paris, validator, shelters)


@pytest.fixture
def urgent_requested(near_paris, validator, shelters):  # noqa: F811
    return _request_waiver(near_paris, validator, shelters, urgent=True)


def approvers_told(template):
    return set(OutboxMessage.objects.filter(template=template).values_list("recipient", flat=True))


# --- L'échéance s'ouvre et se ferme avec la transition -------------------------------------------------------------


def test_requesting_a_waiver_opens_its_deadline_in_working_days_at_once(requested):
    clock = waiver_clocks(requested.signalement).get()
    assert clock.stopped_at is None
    assert clock.working_days == 1
    assert clock.due_at == datetime.datetime(2027, 3, 9, 23, 59, 59, tzinfo=PARIS)
    assert clock.duration_label == "1 jour ouvré"


def test_an_urgent_case_gives_the_second_approval_hours_not_days(urgent_requested):
    clock = waiver_clocks(urgent_requested.signalement).get()
    assert clock.due_at == MONDAY + datetime.timedelta(hours=2)
    assert clock.duration_label == "2 heures"


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_second_decision_closes_the_deadline(requested, second_acse_agent, decision):  # noqa: F811
    if decision == "approve":
        exits.approve_distancing_waiver(referral=requested, by=second_acse_agent)
    else:
        exits.reject_distancing_waiver(referral=requested, by=second_acse_agent, reason="Trop proche.")
    assert waiver_clocks(requested.signalement).get().stopped_at is not None


def test_returning_the_request_closes_the_deadline(requested, shelters):
    exits.return_referral(referral=requested, by=shelters.acse_agent, reason="Orientez en direct.")
    assert waiver_clocks(requested.signalement).get().stopped_at is not None


def test_a_new_request_after_a_rejection_opens_a_new_deadline(requested, shelters, second_acse_agent):  # noqa: F811
    exits.reject_distancing_waiver(referral=requested, by=second_acse_agent, reason="Trop proche.")
    exits.request_distancing_waiver(referral=requested, by=shelters.acse_agent, shelter=shelters.nord, reason="Bis")
    assert waiver_clocks(requested.signalement).count() == 2
    assert waiver_clocks(requested.signalement).filter(stopped_at__isnull=True).count() == 1


# --- Rappels aux personnes qui peuvent approuver ------------------------------------------------------------------


def test_approvers_are_reminded_before_the_deadline_once(requested, shelters, second_acse_agent, world):  # noqa: F811
    before = datetime.datetime(2027, 3, 9, 8, 0, tzinfo=PARIS)
    assert send_deadline_reminders(now=before) == 1
    assert approvers_told("orientation_reminder") == {second_acse_agent.email, world.user("miprof_admin").email}
    assert shelters.acse_agent.email not in approvers_told("orientation_reminder")
    [notification] = Notification.objects.filter(user=second_acse_agent)
    reference = requested.signalement.reference
    assert notification.title == f"{reference} : placement hors règle d'éloignement à approuver, échéance proche"
    assert notification.link == f"/orientations/{requested.public_id}/coordination/approuver/"
    assert send_deadline_reminders(now=before + datetime.timedelta(hours=1)) == 0


def test_approvers_are_alerted_at_expiry(requested, shelters, second_acse_agent, world):  # noqa: F811
    send_deadline_reminders(now=datetime.datetime(2027, 3, 9, 8, 0, tzinfo=PARIS))
    after = datetime.datetime(2027, 3, 10, 0, 30, tzinfo=PARIS)
    send_deadline_reminders(now=after)
    kinds = set(ReminderLog.objects.filter(clock__step=ClockStep.DISTANCING_WAIVER).values_list("kind", flat=True))
    assert kinds == {ReminderKind.REMINDER, ReminderKind.ESCALATION_TEAM}
    told = approvers_told("orientation_escalation")
    assert told == {second_acse_agent.email, world.user("miprof_admin").email}
    assert world.user("miprof_agent").email not in told
    assert send_deadline_reminders(now=after + datetime.timedelta(minutes=15)) == 0


def test_an_urgent_waiver_is_reminded_half_way_not_at_once(urgent_requested):
    assert send_deadline_reminders(now=MONDAY + datetime.timedelta(minutes=10)) == 0
    assert send_deadline_reminders(now=MONDAY + datetime.timedelta(minutes=65)) == 1
    assert ReminderLog.objects.get().kind == ReminderKind.REMINDER


def test_a_decided_waiver_is_no_longer_reminded(requested, second_acse_agent):  # noqa: F811
    exits.approve_distancing_waiver(referral=requested, by=second_acse_agent)
    assert send_deadline_reminders(now=datetime.datetime(2027, 3, 12, 8, 0, tzinfo=PARIS)) == 0


def test_the_reminder_email_carries_no_personal_data(requested):
    signalement = requested.signalement
    signalement.first_name, signalement.last_name = "Ioana", "Popescu"
    signalement.save(update_fields=["first_name", "last_name"])
    send_deadline_reminders(now=datetime.datetime(2027, 3, 9, 8, 0, tzinfo=PARIS))
    message = OutboxMessage.objects.filter(template="orientation_reminder").first()
    assert deliver(message_id=message.pk) is True
    sent = mail.outbox[0]
    for value in ["Ioana", "Popescu", "Centre du Nord", "Seule place"]:
        assert value not in sent.body and value not in sent.subject
    assert f"/orientations/{requested.public_id}/coordination/approuver/" in sent.body


# --- L'échéance se lit sur les pages ------------------------------------------------------------------------------


def test_the_referral_and_approval_pages_show_the_deadline(requested, second_acse_agent):  # noqa: F811
    client = login(second_acse_agent)
    for url in (
        f"/orientations/{requested.public_id}/",
        f"/orientations/{requested.public_id}/coordination/approuver/",
    ):
        page = client.get(url).content.decode()
        assert "Seconde approbation attendue avant le 09/03/2027 à 23:59" in page


def test_the_coordination_list_shows_the_deadline_and_when_it_is_passed(requested, shelters):
    client = login(shelters.acse_agent)
    page = client.get("/acse/").content.decode()
    assert "Seconde approbation attendue avant le 09/03/2027 à 23:59" in page
    assert "Échéance dépassée" not in page
    with time_machine.travel(datetime.datetime(2027, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        assert "Échéance dépassée" in login(shelters.acse_agent).get("/acse/").content.decode()


def test_the_case_page_lists_the_deadline_in_hours_for_an_urgent_case(urgent_requested, client_as):
    page = client_as("miprof_admin").get(f"/dossiers/{urgent_requested.signalement.public_id}/").content.decode()
    assert "Seconde approbation d&#x27;un placement hors règle d&#x27;éloignement (2 heures)" in page


# --- Une orientation adressée à la coordination Ac.Sé a, elle aussi, une échéance ---------------------------------


@pytest.fixture
def acse_request(near_paris, validator):  # noqa: F811
    with time_machine.travel(MONDAY, tick=False):
        referral = referrals.request_referral(signalement=near_paris, by=validator, via_acse=True)
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    return referral


def test_a_request_to_acse_opens_its_dispatch_deadline_at_once(acse_request):
    clock = dispatch_clocks(acse_request.signalement).get()
    assert clock.due_at == datetime.datetime(2027, 3, 10, 23, 59, 59, tzinfo=PARIS)
    assert clock.duration_label == "2 jours ouvrés"


def test_an_urgent_request_to_acse_must_be_dispatched_within_hours(near_paris, validator):  # noqa: F811
    near_paris.urgent = True
    near_paris.save(update_fields=["urgent"])
    with time_machine.travel(MONDAY, tick=False):
        referral = referrals.request_referral(signalement=near_paris, by=validator, via_acse=True)
    assert dispatch_clocks(referral.signalement).get().due_at == MONDAY + datetime.timedelta(hours=4)


def test_dispatching_closes_the_deadline(acse_request, shelters):
    referrals.dispatch_referral(referral=acse_request, by=shelters.acse_agent, shelter=shelters.south)
    assert dispatch_clocks(acse_request.signalement).get().stopped_at is not None


def test_a_partner_refusal_sends_the_request_back_with_a_new_deadline(acse_request, shelters, refusal_reason):
    referrals.dispatch_referral(referral=acse_request, by=shelters.acse_agent, shelter=shelters.south)
    acse_request.refresh_from_db()
    referrals.refuse_referral(referral=acse_request, by=shelters.south_agent, reason=refusal_reason)
    clocks = dispatch_clocks(acse_request.signalement)
    assert clocks.count() == 2
    assert clocks.filter(stopped_at__isnull=True).count() == 1


def test_the_coordination_is_reminded_then_the_miprof_alerted(acse_request, shelters, world):
    assert send_deadline_reminders(now=datetime.datetime(2027, 3, 10, 8, 0, tzinfo=PARIS)) == 1
    assert shelters.acse_agent.email in approvers_told("orientation_reminder")
    [notification] = Notification.objects.filter(user=shelters.acse_agent)
    reference = acse_request.signalement.reference
    assert notification.title == f"{reference} : orientation Ac.Sé à confier, échéance proche"
    assert notification.link == f"/orientations/{acse_request.public_id}/#action-confier"
    send_deadline_reminders(now=datetime.datetime(2027, 3, 11, 8, 0, tzinfo=PARIS))
    told = approvers_told("orientation_escalation")
    assert {shelters.acse_agent.email, world.user("miprof_agent").email} <= told


def test_the_coordination_list_shows_the_dispatch_deadline(acse_request, shelters):
    page = login(shelters.acse_agent).get("/acse/").content.decode()
    assert "À confier avant le 10/03/2027 à 23:59" in page
