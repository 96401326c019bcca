"""Ré-authentification avant un acte dangereux (`accounts.reauth`) : sans mot de passe et second facteur saisis dans
les 5 dernières minutes, la page « Confirmer votre identité » ; après, l'acte ; une fois la fenêtre passée, à
nouveau la page. Le bris de glace et les délais ont leurs tests dans tests/orientation."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog, ApiToken, Invitation, Membership
from accounts.reauth import RECENT_AUTH_SESSION_KEY
from mniop.roles import Role
from signalements.models import ReferenceValue
from tests.accounts.factories import PASSWORD, MembershipFactory
from tests.two_factor import current_totp_code

REAUTH = reverse("accounts:reauthenticate")


@pytest.fixture
def actions(world):
    """Chaque acte protégé : (persona, URL, données du formulaire, requête qui dit s'il a eu lieu)."""
    association = world.association
    member = MembershipFactory(organisation=association, role=Role.ASSOCIATION_AGENT)
    return {
        "api_token": (
            "association_admin",
            reverse("accounts:api_token_list", args=[association.public_id]),
            {"name": "Logiciel de suivi", "scopes": ["signalements:read"]},
            lambda: ApiToken.objects.exists(),
        ),
        "member_invite": (
            "association_admin",
            reverse("accounts:member_invite", args=[association.public_id]),
            {"email": "nouvelle@example.org", "role": Role.ASSOCIATION_AGENT},
            lambda: Invitation.objects.exists(),
        ),
        "member_deactivate": (
            "association_admin",
            reverse("accounts:member_deactivate", args=[association.public_id, member.public_id]),
            {},
            lambda: not Membership.objects.get(pk=member.pk).is_active,
        ),
        "reference_value": (
            "miprof_admin",
            reverse("signalements:reference_value_create"),
            {"category": "sector", "label": "Pêche", "code": ""},
            lambda: ReferenceValue.objects.filter(code="peche").exists(),
        ),
    }


ACTIONS = ["api_token", "member_invite", "member_deactivate", "reference_value"]


@pytest.mark.parametrize("action", ACTIONS)
def test_without_recent_authentication_the_act_asks_for_password_and_code(world, client_as, actions, action):
    persona, url, data, happened = actions[action]
    client = client_as(persona, recent_auth=False)
    response = client.post(url, data, headers={"referer": f"http://testserver{url}"})
    assert response.status_code == 302
    assert response.url.startswith(f"{REAUTH}?next=")
    assert not happened()


@pytest.mark.parametrize("action", ACTIONS)
def test_with_recent_authentication_the_act_happens(world, client_as, actions, action):
    persona, url, data, happened = actions[action]
    response = client_as(persona).post(url, data)
    assert response.status_code == 302
    assert not response.url.startswith(REAUTH)
    assert happened()


@pytest.mark.parametrize("action", ACTIONS)
def test_after_the_window_the_act_asks_again(world, client_as, actions, action):
    persona, url, data, happened = actions[action]
    client = client_as(persona)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post(url, data)
    assert response.url.startswith(f"{REAUTH}?next=")
    assert not happened()


def test_the_page_holding_the_form_stays_readable(world, client_as):
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    assert client_as("association_admin", recent_auth=False).get(url).status_code == 200


def test_reauthentication_with_password_and_code_allows_the_act(world, client_as, actions):
    persona, url, data, happened = actions["api_token"]
    client = client_as(persona, recent_auth=False)
    response = client.post(REAUTH, {"password": PASSWORD, "code": current_totp_code(world.user(persona)), "next": url})
    assert response.url == url
    assert RECENT_AUTH_SESSION_KEY in client.session
    assert client.post(url, data).status_code == 302
    assert happened()
    assert AccessLog.objects.filter(object_type="accounts.apitoken").exists()


def test_reauthentication_with_a_wrong_password_is_refused_in_french(world, client_as):
    user = world.user("association_admin")
    client = client_as("association_admin", recent_auth=False)
    response = client.post(REAUTH, {"password": "faux", "code": current_totp_code(user)})
    assert response.status_code == 200
    assert "Mot de passe ou code incorrect" in response.content.decode()
    assert RECENT_AUTH_SESSION_KEY not in client.session


def test_reauthentication_with_a_wrong_code_is_refused_in_french(world, client_as):
    client = client_as("association_admin", recent_auth=False)
    response = client.post(REAUTH, {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert RECENT_AUTH_SESSION_KEY not in client.session
