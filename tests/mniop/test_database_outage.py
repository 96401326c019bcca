"""Constat 6 : plusieurs clients simultanés n'épuisent pas les connexions de PostgreSQL, et une panne de PostgreSQL
donne une page 503 en français avec `Retry-After`, jamais une erreur 500."""

import socket
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from tests.problems import problem

CLIENTS = 8
ROUNDS = 4


def client_connections():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE backend_type = 'client backend' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_eight_concurrent_clients_do_not_exhaust_database_connections(live_server, world):
    before = client_connections()

    def fetch(_):
        with urllib.request.urlopen(f"{live_server.url}/connexion/", timeout=30) as response:
            return response.status

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(fetch, range(CLIENTS * ROUNDS)))
    assert statuses == [200] * (CLIENTS * ROUNDS)
    # Une connexion par requête au plus, rendue à la fin de la requête : rien ne reste ouvert après.
    assert client_connections() - before <= 1


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(django_db_blocker):
    """La connexion de la requête pointe vers un port fermé : PostgreSQL ne répond plus."""
    settings_dict = connections["default"].settings_dict
    saved = {key: settings_dict[key] for key in ("HOST", "PORT")}
    with django_db_blocker.unblock():
        connections["default"].close()
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
        try:
            yield
        finally:
            connections["default"].close()
            settings_dict.update(saved)


def test_a_database_outage_gives_a_french_503_page(database_down):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/annuaire/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Service momentanément indisponible" in response.content.decode()


def test_a_database_outage_gives_a_503_problem_on_the_api(database_down):
    response = Client(raise_request_exception=False).get(
        "/api/v1/signalements/", headers={"Authorization": "Token mniop_x"}
    )
    assert "momentanément indisponible" in problem(response, 503)["detail"]
    assert response["Retry-After"] == "30"
