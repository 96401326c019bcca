"""Limites de débit : 429 en français avec `Retry-After` (invitation, annuaire, API par jeton)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog
from accounts.services_api_tokens import create_api_token
from tests.problems import problem


@pytest.fixture
def tight_limits(settings):
    settings.MNIOP = {
        **settings.MNIOP,
        "INVITATION_ACCEPT_PER_ADDRESS": "3/m",
        "DIRECTORY_SEARCH_PER_ADDRESS": "3/m",
        "API_THROTTLE_RATE": "3/min",
    }


def assert_french_429(response):
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "Trop de demandes" in response.content.decode()


def test_guessing_invitation_links_is_limited_per_address(world, client, tight_limits):
    for number in range(3):
        assert client.get(f"/invitation/faux-jeton-{number}/", REMOTE_ADDR="10.4.4.4").status_code == 404
    assert_french_429(client.get("/invitation/faux-jeton-4/", REMOTE_ADDR="10.4.4.4"))
    assert client.get("/invitation/faux-jeton-5/", REMOTE_ADDR="10.4.4.5").status_code == 404


def test_directory_search_is_limited_per_person(world, client_as, tight_limits):
    client = client_as("association_agent")
    url = reverse("directory:directory_search")
    for _ in range(3):
        assert client.get(url, {"q": "hébergement"}).status_code == 200
    assert_french_429(client.get(url, {"q": "hébergement"}))
    assert AccessLog.objects.filter(action="search").count() == 3  # la recherche refusée n'a rien lu
    assert client_as("association_admin").get(url, {"q": "hébergement"}).status_code == 200


def test_public_directory_page_is_limited_per_address(world, client, tight_limits):
    url = reverse("directory:territory_public", args=["75"])
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="10.5.5.5").status_code == 200
    assert_french_429(client.get(url, REMOTE_ADDR="10.5.5.5"))


def test_api_is_limited_per_token_with_a_french_problem(world, tight_limits):
    _, secret = create_api_token(organisation=world.association, name="Suivi A", by=world.acting("association_admin"))
    _, other = create_api_token(organisation=world.association, name="Suivi B", by=world.acting("association_admin"))
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/signalements/", headers={"Authorization": f"Token {secret}"}).status_code == 200
    response = client.get("/api/v1/signalements/", headers={"Authorization": f"Token {secret}"})
    body = problem(response, 429)
    assert body["detail"].startswith("Requête ralentie")
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # Un autre jeton de la même organisation garde son propre compteur.
    assert client.get("/api/v1/signalements/", headers={"Authorization": f"Token {other}"}).status_code == 200


def test_a_session_on_the_api_has_its_own_limit_per_person(world, client_as, tight_limits):
    client = client_as("association_agent")
    for _ in range(3):
        assert client.get("/api/v1/signalements/").status_code == 200
    assert problem(client.get("/api/v1/signalements/"), 429)["status"] == 429
    assert client_as("association_admin").get("/api/v1/signalements/").status_code == 200


def test_behind_the_trusted_proxy_each_client_address_has_its_own_counter(world, client, settings, tight_limits):
    settings.TRUSTED_PROXY_NETWORKS = ["172.16.0.0/12"]
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    for _ in range(3):
        assert client.get("/invitation/x/", HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy).status_code == 404
    assert client.get("/invitation/x/", HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy).status_code == 429
    # Une autre personne derrière le même proxy n'est pas freinée ; l'adresse que le client écrit lui-même en tête de
    # l'en-tête ne compte pas (seule la dernière, posée par le proxy).
    assert client.get("/invitation/x/", HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy).status_code == 404
    assert client.get("/invitation/x/", HTTP_X_FORWARDED_FOR="203.0.113.2, 203.0.113.1", **proxy).status_code == 429


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(world, client, tight_limits):
    for number in range(3):
        client.get("/invitation/x/", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}", REMOTE_ADDR="10.7.7.7")
    assert client.get("/invitation/x/", HTTP_X_FORWARDED_FOR="203.0.113.99", REMOTE_ADDR="10.7.7.7").status_code == 429
