"""Redis (le cache) en panne : les pages et l'API répondent quand même, sans attendre ; les limites de débit laissent
passer, les comptes des files sont calculés en base."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.services_api_tokens import create_api_token


@pytest.fixture
def cache_down(settings):
    """Le cache pointe vers un port où rien n'écoute (comme un Redis arrêté)."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:9/0"},
    }
    yield
    cache.close()


def test_login_page_answers_while_the_cache_is_down(db, client, cache_down):
    started = time.monotonic()
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert time.monotonic() - started < 5


def test_rate_limited_directory_search_lets_through_while_the_cache_is_down(world, client_as, cache_down):
    response = client_as("association_agent").get(reverse("directory:directory_search"), {"q": "hébergement"})
    assert response.status_code == 200


def test_api_list_throttled_per_token_answers_while_the_cache_is_down(world, cache_down):
    _, secret = create_api_token(organisation=world.association, name="Suivi", by=world.acting("association_admin"))
    response = Client().get("/api/v1/signalements/", headers={"Authorization": f"Token {secret}"})
    assert response.status_code == 200


def test_queue_counts_are_computed_while_the_cache_is_down(world, client_as, cache_down):
    response = client_as("miprof_agent").get(reverse("orientation:miprof_queue"))
    assert response.status_code == 200
    assert response.context["counts"]
