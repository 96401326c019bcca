"""Remontée d'erreurs (sentry-sdk) : un transport factice capture ce qui partirait vers Sentry ; aucune donnée de la
personne (nom, date de naissance, récit, adresse) ni de l'utilisateur (nom, adresse électronique) n'y figure."""

import io
import json
import logging
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from sentry_sdk.transport import Transport

from mniop.observability.sentry import init_sentry
from tests.observability.personal_data import (
    ADDRESS,
    BIRTH_DATE,
    FIRST_NAME,
    LAST_NAME,
    NARRATIVE,
    leaks,
)
from tests.two_factor import login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.observability.urls")]

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class CapturingTransport(Transport):
    def __init__(self):
        super().__init__()
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        return [item.payload.json for envelope in self.envelopes for item in envelope.items if item.type == "event"]

    def sent_text(self):
        return "\n".join(envelope.serialize().decode("utf-8", "replace") for envelope in self.envelopes)


@pytest.fixture
def sentry():
    transport = CapturingTransport()
    init_sentry(dsn="https://cle-publique@sentry.example.invalid/1", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)  # plus de client actif pour les tests suivants


@pytest.fixture
def user(world):
    user = world.user("association_agent")
    user.first_name, user.last_name = "Berthe", "Vasseur-Lemaire"
    user.save()
    return user


def wsgi_post(path, query, form, cookies):
    """Une requête par l'application WSGI, comme gunicorn l'appelle (le client de test de Django passe à côté de
    l'intégration WSGI de Sentry, qui joint l'adresse, les en-têtes et les cookies à l'événement)."""
    body = urlencode(form).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(query),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "HTTP_X_FORWARDED_FOR": "198.51.100.23",
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    status_headers = {}

    def start_response(status, headers, exc_info=None):
        status_headers.update(status=status, headers=dict(headers))

    # Comme le client de test : la connexion de la transaction du test n'est pas fermée au début de la requête.
    request_started.disconnect(close_old_connections)
    try:
        b"".join(get_wsgi_application()(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
    return status_headers


def test_an_error_reaches_sentry_without_any_personal_data(sentry, user, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client = Client()
    login_verified(client, user)
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    cookies["derniere_recherche"] = LAST_NAME
    response = wsgi_post(
        "/test-erreur/",
        {"nom": LAST_NAME, "ne": BIRTH_DATE},
        {"first_name": FIRST_NAME, "last_name": LAST_NAME, "account": NARRATIVE, "address": ADDRESS},
        cookies,
    )
    assert response["status"].startswith("500")
    sentry_sdk.flush()

    [event] = sentry.events()
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "ValueError"
    assert any(frame["function"] == "explode" for frame in exception["stacktrace"]["frames"])
    assert event["tags"]["request_id"] == response["headers"]["X-Request-ID"]
    assert not event.get("user")  # la ligne de journal de la requête (même request_id) donne le numéro
    assert event["request"] == {
        "method": "POST",
        "url": "http://127.0.0.1/test-erreur/",
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    }
    assert leaks(sentry.sent_text(), [FIRST_NAME, LAST_NAME, BIRTH_DATE, NARRATIVE, ADDRESS]) == []
    assert leaks(sentry.sent_text(), [user.email, user.first_name, user.last_name, "sessionid", "csrftoken"]) == []


def test_an_error_log_reaches_sentry_without_its_arguments(sentry):
    logging.getLogger("signalements").error("Dépôt impossible pour %s, née le %s", FIRST_NAME, BIRTH_DATE)
    sentry_sdk.flush()

    [event] = sentry.events()
    assert event["logentry"] == {"message": "Dépôt impossible pour %s, née le %s"}
    assert leaks(json.dumps(event, ensure_ascii=False)) == []


def test_personal_data_collection_is_off(sentry):
    options = sentry_sdk.get_client().options
    assert not options["send_default_pii"]
    assert options["data_collection"]["user_info"] is False
    assert options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never"


def test_without_dsn_nothing_is_sent(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()
