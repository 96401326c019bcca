"""Une ligne de journal JSON par requête, avec son identifiant, sans donnée personnelle ; l'identifiant revient dans
l'en-tête X-Request-ID, le journal d'accès et les pages d'erreur."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog
from tests.observability.personal_data import FIRST_NAME, LAST_NAME, leaks

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")


def request_lines(log_output):
    return log_output.records("mniop.requests")


def test_each_request_writes_one_json_line_with_its_context(world, client_as, log_output):
    member = world.memberships["association_agent"]
    url = reverse("accounts:organisation_detail", args=[world.association.public_id])
    response = client_as("association_agent").get(url)

    [line] = request_lines(log_output)
    assert line["request_id"] == response["X-Request-ID"]
    assert UUID.fullmatch(line["request_id"])
    assert line["user_id"] == member.user_id
    assert line["organisation_id"] == world.association.pk
    assert line["view"] == "accounts:organisation_detail"
    assert line["route"] == "organisations/<uuid:public_id>/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert line["db_queries"] >= 3
    assert line["level"] == "INFO" and line["logger"] == "mniop.requests" and line["time"]


def test_the_request_line_never_names_the_person_who_asked(world, client_as, log_output):
    user = world.user("association_agent")
    client_as("association_agent").get(reverse("home"))
    output = "\n".join(log_output.lines())
    assert output
    assert leaks(output, [user.email, user.first_name, user.last_name]) == []


def test_the_path_and_query_string_stay_out_of_the_logs(client, log_output):
    """Une adresse tapée ou une recherche peut contenir un nom : ni le chemin ni la chaîne de requête ne sont écrits,
    seulement la vue et sa route."""
    client.get(f"/signalements/{FIRST_NAME}-{LAST_NAME}/", {"q": LAST_NAME})
    client.get(reverse("home"), {"q": LAST_NAME})

    output = "\n".join(log_output.lines())
    assert [line["status"] for line in request_lines(log_output)] == [404, 200]
    assert request_lines(log_output)[0]["view"] == "<aucune route>"
    assert leaks(output) == []


def test_a_well_formed_incoming_request_id_is_kept(client, log_output):
    incoming = "f1e2d3c4b5a697887766554433221100"  # $request_id de nginx
    response = client.get(reverse("home"), headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming
    assert request_lines(log_output)[0]["request_id"] == incoming


@pytest.mark.parametrize("incoming", ["", "court", "a" * 65, "abc def ghi jkl mno", 'x"}\n{"level":"ERROR"', "é" * 20])
def test_a_malformed_incoming_request_id_is_replaced(client, log_output, incoming):
    response = client.get(reverse("home"), headers={"X-Request-ID": incoming})
    assert UUID.fullmatch(response["X-Request-ID"])
    assert request_lines(log_output)[0]["request_id"] == response["X-Request-ID"]


def test_the_access_log_row_keeps_the_request_id(world, client_as):
    response = client_as("association_agent").get(
        reverse("accounts:organisation_detail", args=[world.association.public_id])
    )
    assert AccessLog.objects.get().request_id == response["X-Request-ID"]


def test_support_finds_the_access_log_rows_of_a_request_by_its_reference(world, client_as):
    url = reverse("accounts:organisation_detail", args=[world.association.public_id])
    reference = client_as("association_agent").get(url)["X-Request-ID"]
    client_as("association_agent").get(url)

    response = client_as("miprof_admin").get(reverse("accounts:access_log_list"), {"request_id": reference})
    assert response.status_code == 200
    assert [entry.request_id for entry in response.context["page_obj"]] == [reference]
    assert reference in response.text


def test_the_404_page_shows_the_incident_reference(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    reference = response["X-Request-ID"]
    assert "Référence de l'incident" in response.text
    assert reference in response.text


def test_the_403_page_shows_the_incident_reference(world, client_as):
    response = client_as("association_agent").get(reverse("accounts:access_log_list"))
    assert response.status_code == 403
    assert response["X-Request-ID"] in response.text


@pytest.mark.urls("tests.observability.urls")
def test_the_500_page_shows_the_incident_reference_and_the_log_keeps_no_exception_message(db, log_output):
    response = Client(raise_request_exception=False).get("/test-erreur/")

    assert response.status_code == 500
    reference = response["X-Request-ID"]
    assert f"Référence de l'incident : <code>{reference}</code>" in response.text
    error = next(r for r in log_output.records() if r["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["request_id"] == reference
    assert "builtins.ValueError" in error["exc_info"]
    assert 'in explode\n    raise ValueError(f"invalid identity: {identity}")' in error["exc_info"]
    assert leaks("\n".join(log_output.lines())) == []
    assert request_lines(log_output)[0]["status"] == 500


def test_every_line_is_json_even_for_third_party_loggers(client, log_output):
    import logging

    logging.getLogger("some.library").warning("Valeur %s refusée", "quelconque", extra={"request": object()})
    [line] = log_output.records("some.library")
    assert line["message"] == "Valeur quelconque refusée"
    assert "request" not in line  # un `extra` inconnu n'est jamais écrit


def test_the_request_id_is_a_fresh_uuid_per_request(client):
    first, second = client.get(reverse("home")), client.get(reverse("home"))
    assert uuid.UUID(first["X-Request-ID"]) != uuid.UUID(second["X-Request-ID"])
