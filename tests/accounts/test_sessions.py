"""Sessions : fin après 30 minutes sans activité et après 12 heures, liste et fermeture depuis « Mon compte »."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from accounts.models import UserSession
from accounts.services import end_other_sessions, purge_expired_sessions

ACCOUNT = "accounts:account_detail"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def account(client, **headers):
    return client.get(reverse(ACCOUNT), **headers)


def browse(client, clock, user_agent, address="192.0.2.10"):
    """Une page vue une minute plus tard : la ligne de la session note alors navigateur, adresse et activité."""
    clock.shift(timedelta(minutes=1, seconds=1))
    return account(client, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)


def test_logging_in_registers_the_session_and_browsing_records_browser_and_address(world, client_as, clock):
    client = client_as("association_agent")
    assert UserSession.objects.get().user == world.user("association_agent")
    assert browse(client, clock, FIREFOX).status_code == 200
    user_session = UserSession.objects.get()
    assert user_session.user == world.user("association_agent")
    assert (user_session.user_agent, user_session.ip_address) == (FIREFOX, "192.0.2.10")
    assert user_session.session_key == client.session.session_key
    assert user_session.last_activity_at == timezone.now()


def test_a_session_ends_after_thirty_minutes_without_activity(world, client_as, clock):
    client = client_as("association_agent")
    assert account(client).status_code == 200
    clock.shift(timedelta(minutes=29))
    assert account(client).status_code == 200
    clock.shift(timedelta(minutes=29))  # l'activité précédente a repoussé la fin
    assert account(client).status_code == 200
    clock.shift(timedelta(minutes=31))
    response = account(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not UserSession.objects.exists()
    login_page = client.get(response.url).content.decode()
    assert "après 30 minutes sans activité" in login_page


def test_a_session_ends_after_twelve_hours_whatever_the_activity(world, client_as, clock):
    client = client_as("association_agent")
    for _ in range(12 * 3):
        assert account(client).status_code == 200
        clock.shift(timedelta(minutes=20))
    clock.shift(timedelta(minutes=1))  # 12 h 01 après la connexion, 21 minutes après la dernière activité
    response = account(client)
    assert response.status_code == 302
    assert "après 12 heures" in client.get(response.url).content.decode()


def test_the_keep_alive_ping_counts_as_activity(world, client_as, clock):
    client = client_as("association_agent")
    account(client)
    clock.shift(timedelta(minutes=26))
    response = client.post(reverse("accounts:session_keep_alive"), headers={"X-Keep-Alive": "1"})
    assert response.status_code == 204
    assert UserSession.objects.get().last_activity_at == timezone.now()
    clock.shift(timedelta(minutes=26))
    assert account(client).status_code == 200


def test_the_keep_alive_form_without_script_goes_back_to_the_page(world, client_as):
    client = client_as("association_agent")
    response = client.post(reverse("accounts:session_keep_alive"), {"next": "/annuaire/"})
    assert (response.status_code, response.url) == (302, "/annuaire/")
    response = client.post(reverse("accounts:session_keep_alive"), {"next": "https://ailleurs.example.org/"})
    assert response.url == reverse("home")


def test_pages_carry_the_warning_dialog_and_its_script_with_the_nonce(world, client_as):
    response = client_as("association_agent").get(reverse(ACCOUNT))
    content = response.content.decode()
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert 'id="session-timeout"' in content
    assert 'data-idle-seconds="1800"' in content and 'data-warning-seconds="300"' in content
    assert re.search(rf'session_timeout\.js"\s+nonce="{nonce}"', content)
    assert "Rester connecté" in content


def test_my_account_lists_my_active_sessions_only(world, client_as, clock):
    mine_here, mine_there = client_as("association_agent"), client_as("association_agent")
    client_as("association_admin")  # celle d'une autre personne
    browse(mine_there, clock, SAFARI, "198.51.100.7")
    response = browse(mine_here, clock, FIREFOX)
    content = response.content.decode()
    assert [entry["device"] for entry in response.context["user_sessions"]] == [
        "Firefox sur Windows",
        "Safari sur iPhone",
    ]
    assert "198.51.100.7" in content
    assert "Cette session" in content
    clock.shift(timedelta(minutes=20))
    account(mine_here)
    clock.shift(timedelta(minutes=11))  # la session sur iPhone a expiré sans activité (31 minutes)
    assert [entry["device"] for entry in account(mine_here).context["user_sessions"]] == ["Firefox sur Windows"]


def test_ending_another_session_logs_that_browser_out(world, client_as, clock):
    here, there = client_as("association_agent"), client_as("association_agent")
    browse(there, clock, SAFARI)
    other = UserSession.objects.get(user_agent=SAFARI)
    response = here.post(reverse("accounts:session_end", args=[other.public_id]))
    assert response.status_code == 302
    assert not UserSession.objects.filter(pk=other.pk).exists()
    assert not Session.objects.filter(session_key=other.session_key).exists()
    assert account(there).status_code == 302
    assert account(here).status_code == 200


def test_someone_else_session_cannot_be_ended(world, client_as):
    theirs = client_as("association_admin")
    account(theirs)
    target = UserSession.objects.get()
    response = client_as("association_agent").post(reverse("accounts:session_end", args=[target.public_id]))
    assert response.status_code == 404
    assert UserSession.objects.filter(pk=target.pk).exists()
    assert account(theirs).status_code == 200


def test_ending_my_current_session_is_a_logout(world, client_as):
    client = client_as("association_agent")
    account(client)
    current = UserSession.objects.get()
    response = client.post(reverse("accounts:session_end", args=[current.public_id]))
    assert response.url == reverse("accounts:login")
    assert account(client).status_code == 302


def test_a_credential_change_ends_the_other_sessions_and_keeps_this_one(world, client_as):
    here, there = client_as("association_agent"), client_as("association_agent")
    account(here)
    account(there)
    keep = here.session[sessions.SESSION_ID]
    assert end_other_sessions(user=world.user("association_agent"), keep_session_id=keep) == 1
    assert account(here).status_code == 200
    assert account(there).status_code == 302


def test_a_password_reset_ends_every_session(world, client_as, client, django_capture_on_commit_callbacks):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.user("association_agent")
    logged_in = client_as("association_agent")
    account(logged_in)
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token])).url
    new_password = "un-tout-nouveau-mot-de-passe-2026"
    response = client.post(url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert not UserSession.objects.exists()
    assert account(logged_in).status_code == 302


def test_the_beat_job_forgets_expired_sessions(world, client_as, clock):
    account(client_as("association_agent"))
    clock.shift(timedelta(minutes=31))
    account(client_as("association_admin"))
    assert purge_expired_sessions() == 1
    assert UserSession.objects.get().user == world.user("association_admin")
