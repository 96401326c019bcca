"""Entrées hostiles (constat 4 de l'exercice d'attaque) : un corps JSON qui n'est pas un objet, un octet nul, un
champ CSV démesuré donnent une erreur 400 ou 404 en français, jamais une erreur 500 ni une écriture vide."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AccessLog
from referents.models import DirectoryEntry
from signalements.models import Signalement
from tests.problems import problem

ACTIONS = ["qualifier", "attribuer", "complement", "transmettre", "hors-champ", "doublon"]
NOT_OBJECTS = ["[]", '"x"', "1", "null", "true"]
SIGNALEMENTS = "/api/v1/signalements/"


@pytest.mark.parametrize("body", NOT_OBJECTS)
@pytest.mark.parametrize("slug", ACTIONS)
def test_an_orientation_action_with_a_body_that_is_not_an_object_is_a_400(client_as, in_triage, slug, body):
    response = client_as("miprof_agent").post(
        reverse(f"orientation_api:case_{slug}", args=[in_triage.public_id]), body, content_type="application/json"
    )
    assert "objet JSON" in problem(response, 400)["detail"]
    assert not AccessLog.objects.for_object(in_triage).filter(action="update").exists()


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_signalement_body_that_is_not_an_object_creates_no_draft(client_as, body):
    response = client_as("association_agent").post(SIGNALEMENTS, body, content_type="application/json")
    problem(response, 400)
    assert not Signalement.objects.exists()


def test_a_multipart_body_creates_no_draft(client_as):
    response = client_as("association_agent").post(SIGNALEMENTS, b"[]", content_type="multipart/form-data; boundary=x")
    assert response.status_code in (400, 415)
    assert not Signalement.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"entry_channel": "a\x00b"}, {"departement": "7\x005"}, {"ict_uses": ["x\x00"]}, {"a\x00": 1}],
)
def test_a_nul_byte_in_the_signalements_api_is_a_400(client_as, body):
    response = client_as("association_agent").post(SIGNALEMENTS, json.dumps(body), content_type="application/json")
    assert "caractère nul" in problem(response, 400)["detail"]
    assert not Signalement.objects.exists()


@pytest.mark.parametrize(
    "name", ["orientation:miprof_queue", "accounts:access_log_list", "directory:directory_search", "home"]
)
def test_a_nul_byte_in_a_page_query_parameter_is_a_400(client_as, name):
    response = client_as("miprof_admin").get(reverse(name), {"q": "a\x00", "statut": "\x00"})
    assert response.status_code == 400


def test_a_nul_byte_in_an_api_query_parameter_is_a_problem_per_field(client_as):
    response = client_as("miprof_agent").get(reverse("orientation_api:miprof_queue"), {"status": "a\x00"})
    assert problem(response, 400)["errors"][0]["field"] == "status"


@pytest.mark.parametrize("path", ["/annuaire/territoires/%00/", "/annuaire/territoires/75%00/annuaire.pdf"])
def test_a_nul_byte_in_a_path_is_a_404(client_as, path):
    assert client_as("association_agent").get(path).status_code == 404


def test_a_nul_byte_in_an_api_path_is_a_404_problem(client_as):
    problem(client_as("association_agent").get(f"{SIGNALEMENTS}%00/"), 404)


def test_a_csv_import_field_over_the_csv_limit_is_a_french_error(world, client_as):
    header = "organisation;categorie;intitule;territoires;thematiques;email_generique;publiee\n"
    row = f"Association Accueil Paris;association;{'x' * 140_000};75;teh;accueil@asso.example.org;oui\n"
    upload = SimpleUploadedFile("fiches.csv", (header + row).encode(), content_type="text/csv")
    response = client_as("association_admin").post(reverse("directory:entry_import"), {"file": upload})
    assert response.status_code == 200
    assert "trop long" in response.content.decode()
    assert not DirectoryEntry.objects.exists()


def write_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("post", "patch", "put"):
                yield method, re.sub(r"\{[^}]+\}", MISSING_UUID, path)


MISSING_UUID = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize("body", ["[]", "null", '{"a": "\\u0000"}', "{"])
@pytest.mark.parametrize("persona", ["association_admin", "miprof_agent", "departmental_validator"])
def test_no_write_endpoint_of_the_api_answers_500_to_a_hostile_body(client_as, persona, body):
    client = client_as(persona)
    operations = list(write_operations())
    assert len(operations) > 20
    for method, path in operations:
        response = getattr(client, method)(path, body, content_type="application/json")
        assert response.status_code < 500, (method, path, response.status_code)
        assert response["Content-Type"] == "application/problem+json", (method, path)
