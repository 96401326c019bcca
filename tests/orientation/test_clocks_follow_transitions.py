"""Les délais suivent les transitions dans leur propre transaction (`orientation.services.clocks.CLOCK_EFFECTS`) :
aucune échéance n'attend la tâche beat `sync_clocks`, qui reste un filet de sécurité."""

import datetime
import zoneinfo

import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from orientation.enums import ClockStep
from orientation.models import Clock
from orientation.services import decisions, triage
from orientation.services.clocks import sync_clocks, update_clock_settings
from signalements.services.information_requests import answer_information_request

MIPROF_QUEUE = reverse("orientation:miprof_queue")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def case_url(signalement):
    return reverse("orientation:case_detail", args=[signalement.public_id])


def test_an_urgent_signalement_has_its_triage_deadline_in_the_miprof_queue_right_after_submit(
    client_as, make_submitted
):
    signalement = make_submitted(urgent=True, needs_shelter_tonight=True)

    clock = Clock.objects.get(signalement=signalement, step=ClockStep.TRIAGE)
    assert clock.started_at == signalement.submitted_at
    response = client_as("miprof_agent").get(MIPROF_QUEUE)
    row = response.content.decode().split(signalement.reference, 1)[1].split("</tr>", 1)[0]
    deadline_cell = row.rsplit("<td>", 1)[1]
    local_due = timezone.localtime(clock.due_at, timezone.get_default_timezone())
    assert local_due.strftime("%d/%m/%Y") in deadline_cell


def test_the_clock_is_written_in_the_transaction_of_the_transition_not_after_commit(
    make_submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        signalement = make_submitted()
        assert Clock.objects.open().filter(signalement=signalement, step=ClockStep.TRIAGE).exists()


def test_answering_the_information_request_closes_its_clock_and_resumes_triage_at_once(
    client_as, in_triage, miprof, filer
):
    information_request = triage.request_information(signalement=in_triage, by=miprof, question="Quelle langue ?")
    assert Clock.objects.running().filter(signalement=in_triage, step=ClockStep.INFORMATION_REQUEST).exists()

    answer_information_request(information_request=information_request, answer="Le tigrinya.", by=filer)

    information_clock = Clock.objects.get(signalement=in_triage, step=ClockStep.INFORMATION_REQUEST)
    triage_clock = Clock.objects.get(signalement=in_triage, step=ClockStep.TRIAGE)
    assert information_clock.stopped_at is not None
    assert triage_clock.paused_at is None and triage_clock.stopped_at is None
    page = client_as("miprof_agent").get(case_url(in_triage)).content.decode()
    # Les délais terminés, section « Résumé et délais » (repliés ; « Et maintenant ? » ne montre que ceux en cours).
    deadlines = page.rsplit('aria-label="Délais terminés"', 1)[1].split("</ul>", 1)[0]
    information_item = deadlines.split("Réponse à une demande de complément", 1)[1].split("</li>", 1)[0]
    assert "Terminé" in information_item and "En cours" not in information_item
    assert sync_clocks() == (0, 0)


def test_forwarding_and_deciding_move_the_clocks_in_their_own_transactions(in_triage, miprof, validator, world):
    triage.forward_to_departement(signalement=in_triage, by=miprof, departement=world.paris)
    assert Clock.objects.open().get(signalement=in_triage).step == ClockStep.DEPARTMENTAL_DECISION

    decisions.decide(signalement=in_triage, by=validator, kind="validated", comment="")

    assert not Clock.objects.open().filter(signalement=in_triage).exists()


def test_the_beat_job_remains_a_safety_net_for_a_signalement_without_clock(submitted):
    Clock.objects.filter(signalement=submitted).delete()
    assert sync_clocks()[0] == 1
    assert Clock.objects.get(signalement=submitted).started_at == submitted.submitted_at


def _information_request_on_monday(make_submitted, miprof, *, urgent):
    with time_machine.travel(datetime.datetime(2026, 3, 9, 10, 0, tzinfo=PARIS), tick=False):
        signalement = make_submitted(urgent=urgent)
        triage.start_triage(signalement=signalement, by=miprof)
        return triage.request_information(signalement=signalement, by=miprof, question="Quelle langue ?")


def test_an_urgent_case_has_one_working_day_to_answer_an_information_request(make_submitted, miprof):
    information_request = _information_request_on_monday(make_submitted, miprof, urgent=True)
    clock = Clock.objects.get(signalement=information_request.signalement, step=ClockStep.INFORMATION_REQUEST)
    assert clock.working_days == 1
    assert information_request.due_at.astimezone(PARIS).date() == datetime.date(2026, 3, 10)
    assert clock.due_at == information_request.due_at


def test_an_ordinary_case_keeps_five_working_days_to_answer(make_submitted, miprof):
    information_request = _information_request_on_monday(make_submitted, miprof, urgent=False)
    assert information_request.due_at.astimezone(PARIS).date() == datetime.date(2026, 3, 16)


def test_the_urgent_answer_deadline_follows_the_clock_settings(make_submitted, miprof, world):
    update_clock_settings(by=world.acting("miprof_admin"), information_urgent_days=2)
    information_request = _information_request_on_monday(make_submitted, miprof, urgent=True)
    assert information_request.due_at.astimezone(PARIS).date() == datetime.date(2026, 3, 11)


def test_the_urgent_answer_deadline_is_shown_on_the_request_and_in_the_notification(
    client_as, make_submitted, miprof, filer
):
    information_request = _information_request_on_monday(make_submitted, miprof, urgent=True)
    signalement = information_request.signalement
    notification = Notification.objects.get(user=filer)
    assert notification.title == (
        f"[URGENT] {signalement.reference} : demande de complément à traiter avant le 10/03/2026"
    )
    page = client_as("association_agent").get(notification.link).content.decode()
    card = page.split(f'id="complement-{information_request.public_id}"', 1)[1].split("</form>", 1)[0]
    assert "réponse attendue avant le 10/03/2026" in card
    assert "(délai d'un signalement urgent)" in card
