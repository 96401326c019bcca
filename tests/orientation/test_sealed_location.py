"""Le lieu d'hébergement scellé : seuls la structure qui accueille et la coordination Ac.Sé le voient ; les autres
lisent « Hébergé·e via Ac.Sé ». Le bris de glace : motivé, limité dans le temps, journalisé et notifié."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AccessLog
from notifications.models import OutboxMessage
from orientation.models import BreakGlassAccess
from orientation.services import break_glass, referrals
from signalements.enums import SignalementEventKind
from tests.two_factor import login_verified

SHELTER_PERSONAS = {"acse_agent", "south_agent", "paris_agent"}


@pytest.fixture
def hosted(validated, shelters, validator):
    """Une personne orientée via Ac.Sé vers le Centre du Sud, arrivée."""
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)
    referrals.dispatch_referral(referral=referral, by=shelters.acse_agent, shelter=shelters.south)
    referrals.accept_referral(referral=referral, by=shelters.south_agent)
    referrals.confirm_arrival(referral=referral, by=shelters.south_agent)
    referral.refresh_from_db()
    return referral


@pytest.fixture
def client_for(world, shelters, client_as):
    def make(persona):
        if persona not in SHELTER_PERSONAS:
            return client_as(persona)
        client = Client()
        login_verified(client, getattr(shelters, persona))
        return client

    return make


def shows_location(response, shelters):
    text = response.content.decode()
    return shelters.south.sealed_address in text or "Centre du Sud" in text


@pytest.mark.parametrize(
    "persona, expected_status, sees_location",
    [
        ("anonymous", 302, False),
        ("association_agent", 200, False),
        ("association_admin", 200, False),
        ("association_agent_other_org", 404, False),
        ("association_admin_other_org", 404, False),
        ("miprof_agent", 200, False),
        ("miprof_admin", 200, False),
        ("departmental_validator", 200, False),
        ("departmental_validator_other_departement", 404, False),
        ("territorial_referent", 404, False),
        ("statistician", 404, False),
        ("platform_admin", 404, False),
        ("acse_agent", 200, True),
        ("south_agent", 200, True),
        ("paris_agent", 404, False),
    ],
)
def test_referral_page_seals_the_location(client_for, hosted, shelters, persona, expected_status, sees_location):
    response = client_for(persona).get(f"/orientations/{hosted.public_id}/")

    assert response.status_code == expected_status
    assert shows_location(response, shelters) == sees_location
    if expected_status == 200 and not sees_location:
        assert "Hébergé·e via Ac.Sé" in response.content.decode()
    if expected_status == 200:
        assert AccessLog.objects.filter(object_id=str(hosted.public_id), action="read").exists()


@pytest.mark.parametrize(
    "persona, expected_status",
    [
        ("association_agent", 200),
        ("association_admin", 200),
        ("miprof_agent", 200),
        ("miprof_admin", 200),
        ("departmental_validator", 200),
        ("acse_agent", 404),
        ("south_agent", 404),
    ],
)
def test_case_page_never_shows_the_location(client_for, hosted, shelters, persona, expected_status):
    response = client_for(persona).get(f"/dossiers/{hosted.signalement.public_id}/")

    assert response.status_code == expected_status
    assert shelters.south.sealed_address not in response.content.decode()
    if expected_status == 200:
        assert not shows_location(response, shelters)
        assert "Hébergé·e via Ac.Sé" in response.content.decode()


def test_the_case_journal_never_names_the_receiving_shelter(hosted):
    events = hosted.signalement.events.filter(
        kind__in=[SignalementEventKind.REFERRAL_ACCEPTED, SignalementEventKind.SHELTER_ARRIVAL]
    )
    assert [event.organisation for event in events] == [None, None]


def test_break_glass_needs_a_reason(hosted, client_as):
    response = client_as("miprof_agent").post(
        f"/dossiers/{hosted.signalement.public_id}/bris-de-glace/", {"bris-reason": "urgence"}
    )

    assert response.status_code == 400
    assert escape("Expliquez l'urgence") in response.content.decode()
    assert not BreakGlassAccess.objects.exists()


def test_break_glass_reveals_the_place_logs_and_notifies(hosted, shelters, client_as, world):
    client = client_as("departmental_validator")
    reason = "La police signale un danger immédiat : la personne doit être jointe sur son lieu d'hébergement."

    response = client.post(f"/dossiers/{hosted.signalement.public_id}/bris-de-glace/", {"bris-reason": reason})
    assert response.status_code == 302
    page = client.get(f"/dossiers/{hosted.signalement.public_id}/")

    assert shows_location(page, shelters)
    access = BreakGlassAccess.objects.get()
    assert (access.user, access.reason) == (world.user("departmental_validator"), reason)
    assert timedelta(minutes=119) < access.expires_at - access.granted_at <= timedelta(minutes=120)
    assert hosted.signalement.events.filter(kind=SignalementEventKind.BREAK_GLASS).exists()
    assert AccessLog.objects.filter(
        user=world.user("departmental_validator"), object_type="orientation.referral", object_id=str(hosted.public_id)
    ).exists()
    notified = set(OutboxMessage.objects.filter(template="break_glass").values_list("recipient", flat=True))
    assert {world.user("miprof_admin").email, world.user("association_admin").email} <= notified


def test_break_glass_expires(hosted, shelters, world):
    validator = world.acting("departmental_validator")
    break_glass.break_glass(
        signalement=hosted.signalement, by=validator, reason="Danger immédiat signalé par la police cette nuit."
    )

    assert break_glass.active_access(validator, hosted.signalement) is not None
    later = timezone.now() + timedelta(minutes=121)
    assert break_glass.active_access(validator, hosted.signalement, now=later) is None


def test_break_glass_is_refused_to_people_who_do_not_follow_the_case(hosted, client_as):
    response = client_as("association_agent_other_org").post(
        f"/dossiers/{hosted.signalement.public_id}/bris-de-glace/",
        {"bris-reason": "Je voudrais savoir où est la personne, c'est urgent."},
    )

    assert response.status_code == 404
    assert not BreakGlassAccess.objects.exists()


BREAK_GLASS_REASON = "La police signale un danger immédiat : la personne doit être jointe sur son lieu d'hébergement."


def test_break_glass_asks_for_password_and_code_when_the_login_is_not_recent(hosted, client_as):
    client = client_as("departmental_validator", recent_auth=False)
    url = f"/dossiers/{hosted.signalement.public_id}/bris-de-glace/"
    response = client.post(url, {"bris-reason": BREAK_GLASS_REASON})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not BreakGlassAccess.objects.exists()
    assert not OutboxMessage.objects.filter(template="break_glass").exists()


def test_break_glass_asks_again_once_the_confirmation_is_older_than_five_minutes(hosted, client_as):
    client = client_as("departmental_validator")
    url = f"/dossiers/{hosted.signalement.public_id}/bris-de-glace/"
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post(url, {"bris-reason": BREAK_GLASS_REASON})
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not BreakGlassAccess.objects.exists()
