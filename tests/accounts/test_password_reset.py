"""« Mot de passe oublié » ne dit jamais si une adresse a un compte, et il est limité (constat 8 de l'attaque)."""

import statistics
import time
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import PasswordResetRequest
from accounts.services import process_password_reset_request
from accounts.tasks import process_pending_password_reset_requests
from notifications.models import OutboxMessage
from tests.accounts.factories import UserFactory

RESET = "accounts:password_reset"


def ask(client, email, address="10.1.1.1"):
    return client.post(reverse(RESET), {"email": email}, REMOTE_ADDR=address)


def test_known_and_unknown_addresses_get_the_same_answer(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        known = ask(client, world.user("association_agent").email)
        unknown = ask(client, "personne@inconnue.example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert PasswordResetRequest.objects.count() == 2
    assert len(callbacks) == 2  # le traitement est programmé dans les deux cas
    assert not OutboxMessage.objects.exists()  # rien n'est cherché ni envoyé pendant la requête


def test_the_worker_sends_the_link_only_to_an_existing_account(world, client, django_capture_on_commit_callbacks):
    user = world.user("association_agent")
    with django_capture_on_commit_callbacks(execute=False):
        ask(client, user.email.upper())
        ask(client, "personne@inconnue.example.org")
    for pk in PasswordResetRequest.objects.order_by("pk").values_list("pk", flat=True):
        process_password_reset_request(request_id=pk)
    message = OutboxMessage.objects.get()
    assert (message.template, message.recipient) == ("password_reset", user.email)
    assert not PasswordResetRequest.objects.exists()
    assert process_password_reset_request(request_id=0) is False  # déjà traitée : rien


def test_a_request_left_pending_is_picked_up_by_the_beat_job(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        ask(client, world.user("association_agent").email)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert process_pending_password_reset_requests() == 1
    assert OutboxMessage.objects.filter(template="password_reset").count() == 1


def test_the_timing_does_not_depend_on_the_existence_of_the_account(world, client, settings):
    settings.MNIOP = {**settings.MNIOP, "PASSWORD_RESET_PER_ADDRESS": "1000/m", "PASSWORD_RESET_PER_EMAIL": "1000/m"}
    known = [UserFactory().email for _ in range(5)]
    durations = {"known": [], "unknown": []}
    for round_number in range(30):
        for kind, email in [("known", known[round_number % 5]), ("unknown", f"x{round_number}@inconnue.example.org")]:
            started = time.perf_counter()
            response = ask(client, email, address=f"10.2.{round_number}.1")
            durations[kind].append(time.perf_counter() - started)
            assert response.status_code == 302
    known_median, unknown_median = (statistics.median(durations[kind]) for kind in ("known", "unknown"))
    print(f"médianes : compte existant {known_median * 1000:.1f} ms, inconnu {unknown_median * 1000:.1f} ms")
    assert abs(known_median - unknown_median) < 0.25 * max(known_median, unknown_median) + 0.002


def test_the_ninth_request_in_a_minute_from_one_address_gets_429(world, client):
    for number in range(8):
        assert ask(client, f"personne{number}@example.org").status_code == 302
    response = ask(client, "personne9@example.org")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "Trop de demandes" in response.content.decode()
    assert PasswordResetRequest.objects.count() == 8


def test_one_target_address_is_limited_whatever_the_origin(world, client):
    email = world.user("association_agent").email
    for number in range(3):
        assert ask(client, email, address=f"10.3.{number}.1").status_code == 302
    response = ask(client, email.upper(), address="10.9.9.9")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert PasswordResetRequest.objects.count() == 3
