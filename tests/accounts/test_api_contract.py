"""Le contrat commun de toute l'API `/api/v1/` : un problème RFC 9457 (`application/problem+json`, en français) pour
chaque erreur, la même forme d'une application à l'autre ; l'annuaire en lecture seule."""

import json
import uuid

import pytest
from django.test import Client

from accounts.models import AccessLog
from referents.models import DirectoryEntry
from tests.api_tokens import issue_token
from tests.problems import field_errors, problem
from tests.referents.factories import DirectoryEntryFactory
from tests.two_factor import login_verified

SIGNALEMENTS = "/api/v1/signalements/"
DIRECTORY = "/api/v1/annuaire/fiches/"


@pytest.fixture
def token(world):
    _, secret = issue_token(world.association)
    return Client(headers={"Authorization": f"Token {secret}"})


def test_an_invalid_body_gets_the_same_problem_shape_from_every_application(client_as):
    client = client_as("miprof_agent")
    signalements = client.post(SIGNALEMENTS, json.dumps({"urgent": "souvent"}), content_type="application/json")
    measures = client.post(
        f"/api/v1/orientation/dossiers/{uuid.uuid4()}/mesures/", json.dumps({}), content_type="application/json"
    )
    directory = client.get(DIRECTORY, {"category": "inconnue"})
    bodies = [problem(signalements, 400), problem(measures, 404), problem(directory, 400)]
    assert all(set(body) >= {"type", "title", "status", "detail", "instance"} for body in bodies)
    assert field_errors(signalements) == {"urgent": ["Doit être un booléen valide."]}
    assert field_errors(directory) == {"category": ["«\xa0inconnue\xa0» n'est pas un choix valide."]}


def test_errors_on_list_items_name_the_item(token, world):
    response = token.post(
        SIGNALEMENTS, json.dumps({"nationalities": ["FR", {"code": "MA"}]}), content_type="application/json"
    )
    body = problem(response, 400)
    assert [error["field"] for error in body["errors"]] == ["nationalities[1]"]


def test_a_malformed_uuid_in_the_path_is_a_problem_not_an_html_page(token):
    body = problem(token.get(f"{SIGNALEMENTS}pas-un-uuid/"), 404)
    assert body["detail"] == "Cette ressource n'existe pas ou n'est pas dans votre périmètre."
    assert body["instance"] == f"{SIGNALEMENTS}pas-un-uuid/"


def test_an_unknown_api_path_is_a_problem_but_a_page_stays_html(client):
    assert problem(client.get("/api/v1/inconnu/"), 404)
    assert client.get("/page-inconnue/")["Content-Type"].startswith("text/html")


def test_an_unreadable_json_body_is_a_problem_in_french(token):
    response = token.post(SIGNALEMENTS, '{"urgent": tru', content_type="application/json")
    body = problem(response, 400)
    assert body["type"] == "urn:mniop:probleme:corps-illisible"
    assert body["detail"].startswith("Le corps de la requête n'est pas un JSON valide")
    assert body["errors"] == []


def test_a_form_body_is_unsupported(token):
    response = token.post(SIGNALEMENTS, "urgent=1", content_type="application/x-www-form-urlencoded")
    assert "application/x-www-form-urlencoded" in problem(response, 415)["detail"]


def test_asking_for_html_is_not_acceptable(token):
    assert problem(token.get(SIGNALEMENTS, headers={"Accept": "text/html"}), 406)


def test_a_wrong_method_is_a_problem(token):
    assert problem(token.delete(SIGNALEMENTS), 405)


def test_too_many_requests_is_a_problem_with_retry_after(token, settings):
    settings.MNIOP = {**settings.MNIOP, "API_THROTTLE_RATE": "2/min"}
    for _ in range(2):
        assert token.get(SIGNALEMENTS).status_code == 200
    response = token.get(SIGNALEMENTS)
    assert problem(response, 429)["title"] == "Trop de requêtes"
    assert int(response["Retry-After"]) > 0


def test_an_unexpected_error_is_a_problem_without_details(world, monkeypatch):
    from signalements.api import views

    def broken(user):
        raise RuntimeError("secret interne")

    monkeypatch.setattr(views, "visible_signalements", broken)
    client = Client(raise_request_exception=False)
    login_verified(client, world.user("association_agent"))
    response = client.get(f"{SIGNALEMENTS}{uuid.uuid4()}/")
    body = problem(response, 500)
    assert "secret" not in json.dumps(body)


def test_every_error_response_is_documented_as_a_problem(db, client):
    schema = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code: r for code, r in operation["responses"].items() if code.startswith(("4", "5"))}
            assert {"401", "403", "405", "406", "500"} <= set(errors), (method, path)
            for response in errors.values():
                assert list(response["content"]) == ["application/problem+json"], (method, path)
    components = schema["components"]["schemas"]
    assert {"Problem", "ValidationProblem", "FieldError"} <= set(components)


# --- Annuaire ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("association_agent", 200), ("miprof_agent", 200), ("departmental_validator", 200)],
)
def test_directory_search_access(client_as, world, persona, status):
    DirectoryEntryFactory(organisation=world.association, territories=[world.paris])
    response = client_as(persona).get(DIRECTORY)
    assert response.status_code == status
    if status == 200:
        assert [row["territories"] for row in response.json()["results"]] == [["75"]]
        assert AccessLog.objects.filter(action="search", object_type=DirectoryEntry._meta.label_lower).count() == 1


def test_directory_search_filters_like_the_page(token, world):
    paris = DirectoryEntryFactory(organisation=world.association, territories=[world.paris], title="Référente Paris")
    DirectoryEntryFactory(organisation=world.association, territories=[world.nord], title="Référent Nord")
    response = token.get(DIRECTORY, {"territory": "75"})
    assert [row["id"] for row in response.json()["results"]] == [str(paris.public_id)]
    assert field_errors(token.get(DIRECTORY, {"territory": "00"})) == {
        "territory": ["Le code INSEE « 00 » ne désigne aucun département ni collectivité d'outre-mer."]
    }


def test_directory_pages_follow_the_cursor(token, world, django_assert_max_num_queries):
    for _ in range(3):
        DirectoryEntryFactory(organisation=world.association, territories=[world.paris])
    with django_assert_max_num_queries(12):
        first = token.get(DIRECTORY, {"page_size": 2}).json()
    second = token.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1


@pytest.mark.parametrize("page_size", ["0", "201", "true"])
def test_a_page_size_out_of_range_is_refused(token, page_size):
    assert list(field_errors(token.get(SIGNALEMENTS, {"page_size": page_size}))) == ["page_size"]


def test_a_nul_character_in_a_code_is_refused_not_a_server_error(client_as):
    response = client_as("miprof_agent").get("/api/v1/orientation/file-miprof/", {"entry_channel": "ma\x00raude"})
    assert field_errors(response) == {"entry_channel": ["Indiquez un code sous forme de texte."]}
