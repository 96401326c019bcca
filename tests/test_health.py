"""La sonde de santé /sante/ : publique, sans cache, 503 dès que la base ou le courtier ne répond pas."""

import socket

import pytest

pytestmark = pytest.mark.django_db


def closed_port():
    """Un port de 127.0.0.1 où personne n'écoute : la connexion y est refusée tout de suite."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get("/sante/")

    assert response.status_code == 200
    assert response.json() == {"statut": "ok", "base_de_donnees": "ok", "courtier": "ok"}


def test_health_is_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = client.get("/sante/")

    assert response.status_code == 503
    assert response.json() == {"statut": "indisponible", "base_de_donnees": "ok", "courtier": "indisponible"}


def test_health_is_never_cached(client):
    response = client.get("/sante/")

    assert response["Cache-Control"] == "no-store"


def test_health_refuses_writes(client):
    assert client.post("/sante/").status_code == 405
