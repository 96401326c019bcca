"""Chercher avant de créer : la structure prévenue qu'un signalement existe probablement demande à la Miprof de les
rapprocher ; la Miprof confirme (clôture comme doublon) ou écarte avec un motif ; la structure est prévenue de l'issue
sans jamais apprendre la référence ni l'organisation de l'autre signalement."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from orientation.services import link_requests, triage
from signalements.enums import LinkRequestStatus, SignalementEventKind, SignalementStatus
from signalements.models import LinkRequest, SignalementEvent
from signalements.services.drafts import submit_signalement
from signalements.services.link_requests import NOTHING_TO_LINK, request_link
from tests.signalements.factories import SignalementFactory, submitted_signalement

BORN = datetime.date(1998, 7, 21)
IOANA = {"first_name": "Ioana", "last_name": "Popescu", "birth_date": BORN, "nationalities": ["RO"]}


@pytest.fixture
def other(world):
    """Le signalement d'une autre association, déposé avant."""
    return submitted_signalement(world, "association_agent_other_org", **IOANA)


@pytest.fixture
def draft(world, other):
    return SignalementFactory(
        organisation=world.association, created_by=world.user("association_agent"), departement=world.paris, **IOANA
    )


@pytest.fixture
def requested(world, other):
    """Un signalement déposé de la même personne, avec sa demande de rapprochement."""
    signalement = submitted_signalement(world, **IOANA)
    return request_link(signalement=signalement, by=world.acting("association_agent"))


def summary_url(signalement):
    return reverse("signalements:draft_step", args=[signalement.public_id, "recapitulatif"])


def test_the_draft_summary_offers_to_ask_the_miprof(client_as, draft):
    response = client_as("association_agent").get(summary_url(draft))

    assert "Demander au Miprof de rapprocher ces signalements" in response.content.decode()


def test_the_filer_asks_the_miprof_from_the_draft(client_as, draft, other):
    response = client_as("association_agent").post(reverse("signalements:link_request_create", args=[draft.public_id]))

    assert response.status_code == 302
    link_request = LinkRequest.objects.get(signalement=draft)
    assert link_request.status == LinkRequestStatus.PENDING
    assert SignalementEvent.objects.filter(signalement=draft, kind=SignalementEventKind.LINK_REQUESTED).exists()
    page = client_as("association_agent").get(summary_url(draft)).content.decode()
    assert "Rapprochement demandé à la Miprof" in page
    assert other.reference not in page


def test_nothing_to_link_is_refused_in_french(world):
    alone = submitted_signalement(world, first_name="Personne", last_name="Seule", birth_date=BORN)

    with pytest.raises(ValidationError) as error:
        request_link(signalement=alone, by=world.acting("association_agent"))

    assert error.value.messages == [NOTHING_TO_LINK]


def test_another_organisation_cannot_ask(world, other):
    signalement = submitted_signalement(world, **IOANA)

    with pytest.raises(PermissionDenied):
        request_link(signalement=signalement, by=world.acting("association_agent_other_org"))


def test_a_second_pending_request_is_refused(world, requested):
    with pytest.raises(ValidationError):
        request_link(signalement=requested.signalement, by=world.acting("association_agent"))


def test_the_request_is_a_triage_item_in_the_miprof_queue(client_as, requested):
    page = client_as("miprof_agent").get("/miprof/file/").content.decode()

    assert "Demandes de rapprochement à examiner" in page
    assert str(requested.public_id) in page


def test_the_miprof_is_notified_of_a_request_on_a_filed_signalement(world, requested):
    assert Notification.objects.filter(
        user=world.user("miprof_agent"), title__contains="rapprochement de signalements demandé"
    ).exists()


def test_a_request_made_on_the_draft_reaches_the_miprof_when_the_draft_is_submitted(world, draft):
    request_link(signalement=draft, by=world.acting("association_agent"))
    asked = Notification.objects.filter(
        user=world.user("miprof_agent"), title__contains="rapprochement de signalements demandé"
    )
    assert not asked.exists()  # un brouillon n'est pas encore à la Miprof

    filed = submit_signalement(signalement=draft, by=world.acting("association_agent"))

    notification = asked.get()
    assert notification.title.startswith(filed.reference)
    assert notification.link.endswith(f"{draft.public_id}/#rapprochement")
    assert "Ioana" not in notification.title and "Popescu" not in notification.title


def detail_url(link_request):
    return reverse(
        "orientation:link_request_detail", args=[link_request.signalement.public_id, link_request.public_id]
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("miprof_agent", 200), ("association_agent", 403), ("association_agent_other_org", 404)],
)
def test_who_opens_the_request_page(client_as, requested, persona, expected):
    assert client_as(persona).get(detail_url(requested)).status_code == expected


def test_the_miprof_confirms_the_link_and_the_filer_never_learns_the_other_case(world, client_as, requested, other):
    miprof = world.acting("miprof_agent")
    triage.start_triage(signalement=requested.signalement, by=miprof)

    response = client_as("miprof_agent").post(
        detail_url(requested), {"action": "confirmer", "confirmer-original": str(other.public_id)}
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    requested.refresh_from_db()
    signalement = requested.signalement
    signalement.refresh_from_db()
    assert requested.status == LinkRequestStatus.CONFIRMED
    assert requested.linked_to == other
    assert signalement.status == SignalementStatus.CLOSED_DUPLICATE
    assert signalement.duplicate_of == other
    notice = Notification.objects.get(user=world.user("association_agent"), title__contains="rapprochement confirmé")
    page = client_as("association_agent").get(reverse("orientation:case_detail", args=[signalement.public_id]))
    text = page.content.decode()
    assert "Rapprochement confirmé" in text
    for secret in (other.reference, str(other.public_id), world.other_association.name):
        assert secret not in text
        assert secret not in notice.title


def test_a_link_needs_one_of_the_possible_duplicates(world, requested):
    miprof = world.acting("miprof_agent")
    triage.start_triage(signalement=requested.signalement, by=miprof)
    unrelated = submitted_signalement(world, "association_agent_other_org", first_name="Autre", birth_date=BORN)

    with pytest.raises(ValidationError):
        link_requests.confirm_link(link_request=requested, original=unrelated, by=miprof)


def test_the_miprof_dismisses_with_a_reason_the_filer_reads(world, client_as, requested):
    response = client_as("miprof_agent").post(
        detail_url(requested), {"action": "ecarter", "ecarter-reason": "Deux personnes différentes (âges)."}
    )

    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == LinkRequestStatus.DISMISSED
    assert SignalementEvent.objects.filter(
        signalement=requested.signalement, kind=SignalementEventKind.LINK_DISMISSED
    ).exists()
    assert Notification.objects.filter(
        user=world.user("association_agent"), title__contains="rapprochement écarté"
    ).exists()
    page = client_as("association_agent").get(
        reverse("orientation:case_detail", args=[requested.signalement.public_id])
    )
    assert "Deux personnes différentes (âges)." in page.content.decode()


def test_a_dismissal_without_a_reason_gets_a_french_message(client_as, requested):
    response = client_as("miprof_agent").post(detail_url(requested), {"action": "ecarter", "ecarter-reason": ""})

    assert response.status_code == 400
    assert "Indiquez pourquoi le rapprochement est écarté." in response.content.decode()


def test_only_the_miprof_answers(world, requested):
    with pytest.raises(PermissionDenied):
        link_requests.dismiss_link(link_request=requested, reason="Non", by=world.acting("association_admin"))
