"""L'API de l'instruction et de la validation : files, dossier, actions ; par persona ; schéma OpenAPI."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from accounts.models import AccessLog
from orientation.views.cases import ACTIONS
from signalements.enums import SignalementStatus, VictimStatus
from tests.personas import EVERYONE


def api(name, *args):
    return reverse(f"orientation_api:{name}", args=args)


@pytest.mark.parametrize("persona", EVERYONE)
def test_miprof_queue_endpoint_access(client_as, persona, submitted):
    response = client_as(persona).get(api("miprof_queue"))
    expected = 200 if persona in {"miprof_agent", "miprof_admin"} else 403
    assert response.status_code == expected
    if expected == 200:
        assert [row["reference"] for row in response.json()["results"]] == [submitted.reference]


@pytest.mark.parametrize("persona", EVERYONE)
def test_departement_queue_endpoint_access(client_as, persona, forwarded):
    response = client_as(persona).get(api("departement_queue"))
    allowed = {"departmental_validator", "departmental_validator_other_departement"}
    assert response.status_code == (200 if persona in allowed else 403)
    if persona in allowed:
        references = [row["reference"] for row in response.json()["results"]]
        assert references == ([forwarded.reference] if persona == "departmental_validator" else [])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("association_agent", 200),
        ("association_agent_other_org", 404),
        ("miprof_agent", 200),
        ("departmental_validator", 200),
        ("departmental_validator_other_departement", 404),
        ("statistician", 404),
        ("platform_admin", 404),
    ],
)
def test_case_endpoint_access(client_as, persona, status, forwarded):
    response = client_as(persona).get(api("case_detail", forwarded.public_id))
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert (body["reference"], body["status"], body["competent_departement"]) == (
            forwarded.reference,
            "forwarded",
            "75",
        )
        assert AccessLog.objects.for_object(forwarded).filter(action="read").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("association_agent", 403),
        ("miprof_agent", 403),
        ("departmental_validator", 200),
        ("departmental_validator_other_departement", 404),
    ],
)
def test_decide_endpoint_access(client_as, persona, status, forwarded):
    response = client_as(persona).post(
        api("case_decider", forwarded.public_id), {"kind": "validated"}, content_type="application/json"
    )
    assert response.status_code == status
    forwarded.refresh_from_db()
    assert (forwarded.victim_status == VictimStatus.IDENTIFIED) is (status == 200)


def test_the_api_walks_triage_to_forwarding(client_as, submitted, sexual_exploitation):
    client = client_as("miprof_agent")
    assert (
        client.post(api("case_commencer", submitted.public_id), {}, content_type="application/json").status_code == 200
    )
    response = client.post(
        api("case_qualifier", submitted.public_id),
        {"exploitation_forms": ["exploitation_sexuelle"], "is_minor_presumed": False, "competent_departement": "75"},
        content_type="application/json",
    )
    assert response.status_code == 200
    response = client.post(api("case_transmettre", submitted.public_id), {}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == SignalementStatus.FORWARDED
    assert [clock["step"] for clock in response.json()["clocks"]] == ["triage", "departmental_decision"]
    assert AccessLog.objects.for_object(submitted).filter(action="update").count() == 3


def test_a_refused_transition_answers_400_in_french(client_as, forwarded):
    response = client_as("miprof_agent").post(
        api("case_commencer", forwarded.public_id), {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Impossible de commencer l'instruction" in response.json()["errors"]["non_field_errors"][0]


def test_non_validation_errors_are_given_per_field(client_as, forwarded):
    response = client_as("departmental_validator").post(
        api("case_decider", forwarded.public_id), {"kind": "not_validated"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"reason", "comment"}


def test_the_reconsideration_endpoint_is_for_the_filer(client_as, not_validated):
    url = api("case_reexamen", not_validated.public_id)
    body = {"motive": "Nouveaux éléments."}
    assert client_as("miprof_agent").post(url, body, content_type="application/json").status_code == 403
    response = client_as("association_agent").post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "forwarded"


def test_the_queue_endpoint_paginates_with_a_cursor(client_as, make_submitted):
    from orientation.queues import PAGE_SIZE

    made = {make_submitted().reference for _ in range(PAGE_SIZE + 1)}
    client = client_as("miprof_agent")
    first = client.get(api("miprof_queue")).json()
    second = client.get(api("miprof_queue"), {"apres": first["next"]}).json()
    assert {row["reference"] for row in first["results"] + second["results"]} == made
    assert second["next"] is None


def test_every_action_is_in_the_openapi_schema(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/orientation/file-miprof/" in paths
    assert "/api/v1/orientation/file-departement/" in paths
    for slug in ACTIONS:
        assert f"/api/v1/orientation/dossiers/{{public_id}}/{slug}/" in paths
