"""Réponse de l'organisation déclarante à une demande de complément de la Miprof."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessAction, AccessLog
from notifications.models import Notification, OutboxMessage
from notifications.services import deliver
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import InformationRequest, SignalementEvent
from signalements.permissions import can_answer_information_request
from signalements.services.information_requests import answer_information_request
from tests.callbacks import deliveries
from tests.personas import EVERYONE, PERSONAS, with_first_line
from tests.signalements.factories import InformationRequestFactory, SubmittedSignalementFactory

ANSWER = "Elle est arrivée en France en mars 2025."
FILING_PERSONAS = {"association_agent", "association_admin"}


def matrix(**expected):
    expected = with_first_line(expected)
    assert set(expected) == set(EVERYONE), set(EVERYONE) ^ set(expected)
    return pytest.mark.parametrize("persona, expected_status", list(expected.items()))


@pytest.fixture
def information_request(world):
    signalement = SubmittedSignalementFactory(
        organisation=world.association,
        created_by=world.user("association_agent"),
        departement=world.paris,
        status=SignalementStatus.INFORMATION_REQUESTED,
    )
    return InformationRequestFactory(signalement=signalement, requested_by=world.user("miprof_agent"))


def answer_url(information_request):
    return reverse(
        "orientation:information_request_answer",
        args=[information_request.signalement.public_id, information_request.public_id],
    )


def detail_url(signalement):
    return reverse("orientation:case_detail", args=[signalement.public_id])


@matrix(
    anonymous=302,
    association_agent=302,
    association_admin=302,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=403,
    miprof_admin=403,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=404,
)
def test_answer_access(world, client_as, information_request, persona, expected_status):
    response = client_as(persona).post(answer_url(information_request), {"answer": ANSWER})
    assert response.status_code == expected_status
    information_request.refresh_from_db()
    assert (information_request.answer == ANSWER) is (persona in FILING_PERSONAS)


@pytest.mark.parametrize("persona, allowed", [(persona, persona in FILING_PERSONAS) for persona in PERSONAS])
def test_can_answer_information_request_matrix(world, information_request, persona, allowed):
    assert can_answer_information_request(world.acting(persona), information_request) is allowed


def test_answering_writes_the_answer_and_an_event(world, information_request):
    agent = world.acting("association_agent")
    answer_information_request(information_request=information_request, answer=f"  {ANSWER} ", by=agent)
    information_request.refresh_from_db()
    assert (information_request.answer, information_request.answered_by) == (ANSWER, agent)
    assert information_request.answered_at is not None
    event = SignalementEvent.objects.get(signalement=information_request.signalement)
    assert (event.kind, event.actor, event.organisation) == (
        SignalementEventKind.INFORMATION_PROVIDED,
        agent,
        world.association,
    )
    assert event.data == {"information_request": str(information_request.public_id), "status": "in_triage"}


def test_answering_the_last_pending_request_sets_the_signalement_back_in_triage(world, information_request):
    answer_information_request(
        information_request=information_request, answer=ANSWER, by=world.acting("association_agent")
    )
    information_request.signalement.refresh_from_db()
    assert information_request.signalement.status == SignalementStatus.IN_TRIAGE


def test_answering_one_of_two_pending_requests_keeps_information_requested(world, information_request):
    InformationRequestFactory(signalement=information_request.signalement)
    answer_information_request(
        information_request=information_request, answer=ANSWER, by=world.acting("association_agent")
    )
    information_request.signalement.refresh_from_db()
    assert information_request.signalement.status == SignalementStatus.INFORMATION_REQUESTED
    event = SignalementEvent.objects.get(signalement=information_request.signalement)
    assert "status" not in event.data


def test_answering_writes_a_link_only_email_and_an_in_app_notification_for_the_requester(
    world, information_request, django_capture_on_commit_callbacks
):
    signalement = information_request.signalement
    with django_capture_on_commit_callbacks() as callbacks:
        answer_information_request(
            information_request=information_request, answer=ANSWER, by=world.acting("association_agent")
        )
    assert len(deliveries(callbacks)) == 1
    message = OutboxMessage.objects.get()
    path = f"/dossiers/{signalement.public_id}/#complement-{information_request.public_id}"
    assert (message.template, message.recipient) == ("information_provided", world.user("miprof_agent").email)
    assert message.link.endswith(path)
    notification = Notification.objects.get()
    assert (notification.user, notification.link) == (world.user("miprof_agent"), path)
    deliver(message_id=message.pk)
    body = mail.outbox[0].body
    assert message.link in body
    assert ANSWER not in body and signalement.pseudonym not in body and signalement.reference not in body
    assert signalement.reference not in mail.outbox[0].subject


def test_answering_through_the_page_logs_the_access_and_redirects(world, client_as, information_request):
    response = client_as("association_admin").post(answer_url(information_request), {"answer": ANSWER})
    signalement = information_request.signalement
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(signalement)}#complement-{information_request.public_id}"
    actions = set(AccessLog.objects.values_list("action", "object_id"))
    assert actions == {
        (AccessAction.READ, str(signalement.public_id)),
        (AccessAction.UPDATE, str(information_request.public_id)),
    }
    assert OutboxMessage.objects.filter(template="information_provided").count() == 1


def test_answering_an_answered_request_is_refused(world, information_request):
    agent = world.acting("association_agent")
    answer_information_request(information_request=information_request, answer=ANSWER, by=agent)
    with pytest.raises(ValidationError):
        answer_information_request(information_request=information_request, answer="Autre réponse", by=agent)
    information_request.refresh_from_db()
    assert information_request.answer == ANSWER
    assert SignalementEvent.objects.count() == 1


def test_answering_a_cancelled_request_is_refused(world, information_request):
    InformationRequest.objects.filter(pk=information_request.pk).update(cancelled_at=timezone.now())
    with pytest.raises(ValidationError):
        answer_information_request(
            information_request=information_request, answer=ANSWER, by=world.acting("association_agent")
        )
    assert not SignalementEvent.objects.exists()


@pytest.mark.parametrize("persona", ["association_admin_other_org", "association_agent_other_org", "miprof_agent"])
def test_answering_by_anyone_outside_the_filing_organisation_is_refused(world, information_request, persona):
    with pytest.raises(PermissionDenied):
        answer_information_request(information_request=information_request, answer=ANSWER, by=world.acting(persona))
    assert not SignalementEvent.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_answering_an_answered_request_through_the_page_shows_a_message(world, client_as, information_request):
    answer_information_request(
        information_request=information_request, answer=ANSWER, by=world.acting("association_agent")
    )
    client = client_as("association_agent")
    response = client.post(answer_url(information_request), {"answer": "Encore"}, follow=True)
    assert "Cette demande de complément n&#x27;attend plus de réponse." in response.content.decode()
    assert SignalementEvent.objects.count() == 1


def test_an_empty_answer_shows_an_error_next_to_the_field(world, client_as, information_request):
    response = client_as("association_agent").post(answer_url(information_request), {"answer": "   "})
    assert response.status_code == 400
    assert "Écrivez votre réponse avant de l&#x27;envoyer." in response.content.decode()
    assert not SignalementEvent.objects.exists()


def test_detail_shows_the_answer_form_to_the_filing_organisation_only(world, client_as, information_request):
    url = detail_url(information_request.signalement)
    assert answer_url(information_request) in client_as("association_agent").get(url).content.decode()
    miprof_page = client_as("miprof_agent").get(url).content.decode()
    assert information_request.question.replace("'", "&#x27;") in miprof_page
    assert answer_url(information_request) not in miprof_page
