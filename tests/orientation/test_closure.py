"""Clore un dossier suivi avec un motif de la liste, le rouvrir avec un motif : services, actions de la page, accès."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AccessLog
from notifications.models import Notification
from orientation.models import CaseClosure
from orientation.services import closure
from signalements.enums import ReferenceCategory, SignalementEventKind, SignalementStatus
from signalements.models import SignalementEvent
from tests.signalements.factories import ReferenceValueFactory


def events(signalement, kind):
    return SignalementEvent.objects.filter(signalement=signalement, kind=kind)


def action_url(signalement, action):
    return reverse("orientation:case_action", args=[signalement.public_id, action])


@pytest.fixture
def closed(case, filer, closure_reason):
    closure.close_case(signalement=case, by=filer, reason=closure_reason, comment="Logement et emploi stables.")
    case.refresh_from_db()
    return case


def test_closing_records_the_reason_the_status_and_an_event(closed, closure_reason, world):
    assert closed.status == SignalementStatus.CLOSED
    assert closed.closure_reason == closure_reason
    row = CaseClosure.objects.get(signalement=closed)
    assert (row.reason, row.closed_by, row.reopened_at) == (closure_reason, world.user("association_agent"), None)
    assert events(closed, SignalementEventKind.CLOSED).get().data == {"reason": "autonomie_atteinte"}


def test_closing_notifies_the_departement_in_the_application(closed, world):
    notification = Notification.objects.get(
        user=world.user("departmental_validator"), title=f"{closed.reference} : dossier clos"
    )
    assert notification.link == f"/dossiers/{closed.public_id}/"


def test_a_reason_from_another_list_is_refused(case, filer):
    other = ReferenceValueFactory(category=ReferenceCategory.NON_VALIDATION_REASON, code="autre_liste")
    with pytest.raises(ValidationError) as error:
        closure.close_case(signalement=case, by=filer, reason=other)
    assert "motifs de clôture du dossier" in error.value.message_dict["reason"][0]
    case.refresh_from_db()
    assert case.status == SignalementStatus.VALIDATED


def test_a_case_still_in_triage_cannot_be_closed_here(in_triage, miprof, closure_reason):
    with pytest.raises(ValidationError, match="clore le dossier"):
        closure.close_case(signalement=in_triage, by=miprof, reason=closure_reason)
    assert not CaseClosure.objects.exists()


def test_reopening_brings_the_case_back_to_follow_up(closed, miprof):
    closure.reopen_case(signalement=closed, by=miprof, reason="La personne a repris contact.")
    closed.refresh_from_db()
    assert (closed.status, closed.closure_reason) == (SignalementStatus.FOLLOW_UP, None)
    row = CaseClosure.objects.get(signalement=closed)
    assert row.reopen_reason == "La personne a repris contact." and row.reopened_at is not None
    assert events(closed, SignalementEventKind.REOPENED).get().data == {}


def test_reopening_requires_a_reason(closed, miprof):
    with pytest.raises(ValidationError) as error:
        closure.reopen_case(signalement=closed, by=miprof, reason="  ")
    assert error.value.message_dict["reason"] == ["Expliquez pourquoi le dossier est rouvert."]


def test_an_open_case_cannot_be_reopened(case, miprof):
    with pytest.raises(ValidationError, match="rouvrir le dossier"):
        closure.reopen_case(signalement=case, by=miprof, reason="Sans objet")


def test_a_reopened_case_can_be_closed_again(closed, miprof, closure_reason):
    closure.reopen_case(signalement=closed, by=miprof, reason="Nouveaux faits")
    closure.close_case(signalement=closed, by=miprof, reason=closure_reason)
    assert CaseClosure.objects.filter(signalement=closed).count() == 2
    assert events(closed, SignalementEventKind.CLOSED).count() == 2


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("association_agent", 302),
        ("association_admin", 302),
        ("association_agent_other_org", 404),
        ("miprof_agent", 302),
        ("departmental_validator", 302),
        ("departmental_validator_other_departement", 404),
        ("territorial_referent", 404),
        ("statistician", 404),
        ("platform_admin", 404),
    ],
)
def test_closing_from_the_case_page_by_persona(client_as, case, closure_reason, persona, status):
    data = {"cloturer-reason": closure_reason.code, "cloturer-comment": ""}
    response = client_as(persona).post(action_url(case, "cloturer"), data)
    assert response.status_code == status
    case.refresh_from_db()
    assert (case.status == SignalementStatus.CLOSED) == (status == 302)
    assert AccessLog.objects.for_object(case).filter(action="update").exists() == (status == 302)


def test_closing_without_a_reason_shows_the_error_next_to_the_field(client_as, case, closure_reason):
    response = client_as("association_agent").post(action_url(case, "cloturer"), {"cloturer-reason": ""})
    assert response.status_code == 400
    assert "Choisissez un motif de la liste des motifs de clôture du dossier." in response.content.decode()


def test_the_validator_still_sees_and_reopens_a_closed_case(client_as, closed):
    client = client_as("departmental_validator")
    page = client.get(reverse("orientation:case_detail", args=[closed.public_id])).content.decode()
    assert 'id="action-rouvrir"' in page and 'id="action-mesure"' not in page
    response = client.post(action_url(closed, "rouvrir"), {"rouvrir-reason": "Nouvelle audition prévue"})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.status == SignalementStatus.FOLLOW_UP
