"""Verrouillage des comptes (django-axes, actif dans les tests) et freinage des adresses : constat 3 de l'attaque."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from tests.accounts.factories import PASSWORD

LOGIN = "accounts:login"


def attempt(client, email, password, address):
    return client.post(reverse(LOGIN), {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def user(world):
    return world.user("association_agent")


def fail(client, email, times, addresses):
    for number in range(times):
        attempt(client, email, "mauvais-mot-de-passe", addresses[number % len(addresses)])


def test_ten_failures_from_five_addresses_lock_the_account_everywhere(user, client, settings):
    fail(client, user.email, 10, [f"10.0.0.{n}" for n in range(5)])
    response = attempt(client, user.email, PASSWORD, "192.0.2.99")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 14 * 60
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username=user.email).count() == 5


def test_nine_failures_leave_the_account_open(user, client):
    fail(client, user.email, 9, ["10.0.0.1", "10.0.0.2"])
    assert attempt(client, user.email, PASSWORD, "192.0.2.99").status_code == 302


def test_the_case_of_the_address_does_not_give_fresh_tries(user, client):
    for number in range(10):
        email = user.email.upper() if number % 2 else user.email
        attempt(client, email, "mauvais-mot-de-passe", "10.0.0.1")
    assert attempt(client, user.email, PASSWORD, "192.0.2.99").status_code == 429


def test_the_right_password_works_again_from_a_fresh_address_after_the_cool_off(user, client):
    fail(client, user.email, 10, ["10.0.0.1"])
    # Les échecs pendant le verrouillage ne le prolongent pas : un tiers ne bloque pas le compte sans fin.
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        fail(client, user.email, 5, ["10.0.0.1"])
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert attempt(client, user.email, PASSWORD, "192.0.2.99").status_code == 302


def test_the_owner_gets_one_notice_without_personal_data(user, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        fail(client, user.email, 14, ["10.0.0.1", "10.0.0.2"])
    message = OutboxMessage.objects.get(template="account_locked")
    assert message.recipient == user.email
    assert message.link.endswith(reverse("accounts:password_reset"))


def test_an_unknown_address_is_locked_without_any_notice(world, client):
    fail(client, "inconnu@example.org", 10, ["10.0.0.1"])
    assert attempt(client, "inconnu@example.org", "x", "10.0.0.2").status_code == 429
    assert not OutboxMessage.objects.exists()


def test_an_address_spraying_many_accounts_is_throttled(world, client, settings):
    settings.MNIOP = {**settings.MNIOP, "LOGIN_FAILURES_PER_ADDRESS": "30/15m"}
    for number in range(30):
        attempt(client, f"personne{number}@example.org", "mauvais", "10.6.6.6")
    response = attempt(client, world.user("association_agent").email, PASSWORD, "10.6.6.6")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "Trop de demandes" in response.content.decode()


def test_a_throttled_address_does_not_refuse_the_right_password_from_elsewhere(world, client):
    user = world.user("association_agent")
    for number in range(30):
        attempt(client, f"personne{number}@example.org", "mauvais", "10.6.6.6")
    assert attempt(client, user.email, PASSWORD, "10.6.6.6").status_code == 429
    assert attempt(client, user.email, PASSWORD, "192.0.2.7").status_code == 302
