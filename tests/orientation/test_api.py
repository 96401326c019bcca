"""L'API de l'orientation : files, dossier et actions, mesures, orientations, places ; par persona et par jeton
d'organisation ; erreurs au format RFC 9457 ; schéma OpenAPI."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from accounts.models import AccessLog
from orientation.api.serializers import ACTION_INPUTS
from orientation.case_actions import ACTIONS
from orientation.enums import MeasureKind, MeasureStatus, PlaceKind, ReferralStatus
from orientation.models import CapacityMovement, Measure, Referral, ShelterCapacity
from orientation.queues import PAGE_SIZE
from signalements.enums import SignalementEventKind, SignalementStatus, VictimStatus
from tests.api_tokens import issue_token
from tests.personas import EVERYONE
from tests.problems import field_errors, problem
from tests.two_factor import login_verified


def api(name, *args):
    return reverse(f"orientation_api:{name}", args=args)


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def logged_in(user):
    client = Client()
    login_verified(client, user)
    return client


def token_client(world, organisation):
    _, secret = issue_token(organisation)
    return Client(headers={"Authorization": f"Token {secret}"})


# --- Files ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_miprof_queue_endpoint_access(client_as, persona, submitted):
    response = client_as(persona).get(api("miprof_queue"))
    expected = {"miprof_agent": 200, "miprof_admin": 200, "anonymous": 401}.get(persona, 403)
    assert response.status_code == expected
    if expected == 200:
        assert [row["reference"] for row in response.json()["results"]] == [submitted.reference]


@pytest.mark.parametrize("persona", EVERYONE)
def test_departement_queue_endpoint_access(client_as, persona, forwarded):
    response = client_as(persona).get(api("departement_queue"))
    allowed = {"departmental_validator", "departmental_validator_other_departement"}
    assert response.status_code == (200 if persona in allowed else 401 if persona == "anonymous" else 403)
    if persona in allowed:
        references = [row["reference"] for row in response.json()["results"]]
        assert references == ([forwarded.reference] if persona == "departmental_validator" else [])


def test_the_queue_endpoint_paginates_with_a_cursor_link(client_as, make_submitted):
    made = {make_submitted().reference for _ in range(PAGE_SIZE + 1)}
    client = client_as("miprof_agent")
    first = client.get(api("miprof_queue")).json()
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert {row["reference"] for row in first["results"] + second["results"]} == made
    assert second["next"] is None


def test_queue_filters_have_english_names(client_as, submitted, in_triage):
    client = client_as("miprof_agent")
    response = client.get(api("miprof_queue"), {"status": "in_triage", "is_minor": "false"})
    assert [row["reference"] for row in response.json()["results"]] == [in_triage.reference]


def test_an_unknown_queue_filter_value_is_a_problem_per_field(client_as, submitted):
    response = client_as("miprof_agent").get(api("miprof_queue"), {"status": "draft", "departement": "00"})
    errors = field_errors(response)
    assert set(errors) == {"status", "departement"}
    assert errors["departement"] == ["Le code INSEE « 00 » ne désigne aucun département ni collectivité d'outre-mer."]


def test_an_invalid_queue_cursor_is_a_problem(client_as, submitted):
    response = client_as("miprof_agent").get(api("miprof_queue"), {"cursor": "abc"})
    assert list(field_errors(response)) == ["cursor"]


# --- Dossier et actions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
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
        ("anonymous", 401),
        ("association_agent", 403),
        ("miprof_agent", 403),
        ("departmental_validator", 200),
        ("departmental_validator_other_departement", 404),
    ],
)
def test_decide_endpoint_access(client_as, persona, status, forwarded):
    response = post(client_as(persona), api("case_decider", forwarded.public_id), {"kind": "validated"})
    assert response.status_code == status
    forwarded.refresh_from_db()
    assert (forwarded.victim_status == VictimStatus.IDENTIFIED) is (status == 200)


def test_the_api_walks_triage_to_forwarding(client_as, submitted, sexual_exploitation):
    client = client_as("miprof_agent")
    assert post(client, api("case_commencer", submitted.public_id)).status_code == 200
    response = post(
        client,
        api("case_qualifier", submitted.public_id),
        {"exploitation_forms": ["exploitation_sexuelle"], "is_minor_presumed": False, "competent_departement": "75"},
    )
    assert response.status_code == 200
    response = post(client, api("case_transmettre", submitted.public_id))
    assert response.status_code == 200
    assert response.json()["status"] == SignalementStatus.FORWARDED
    assert [clock["step"] for clock in response.json()["clocks"]] == ["triage", "departmental_decision"]
    assert AccessLog.objects.for_object(submitted).filter(action="update").count() == 3


def test_a_refused_transition_is_a_problem_in_french(client_as, forwarded):
    response = post(client_as("miprof_agent"), api("case_commencer", forwarded.public_id))
    errors = field_errors(response)
    assert "Impossible de commencer l'instruction" in errors[None][0]


def test_non_validation_errors_are_given_per_field(client_as, forwarded):
    response = post(
        client_as("departmental_validator"), api("case_decider", forwarded.public_id), {"kind": "not_validated"}
    )
    assert set(field_errors(response)) == {"reason", "comment"}


def test_input_is_validated_by_the_serializer_before_the_service(client_as, in_triage):
    response = post(
        client_as("miprof_agent"),
        api("case_qualifier", in_triage.public_id),
        {"exploitation_forms": ["inconnue"], "is_minor_presumed": "peut-être"},
    )
    assert set(field_errors(response)) == {"exploitation_forms", "is_minor_presumed"}
    in_triage.refresh_from_db()
    assert in_triage.status == SignalementStatus.IN_TRIAGE


def test_the_reconsideration_endpoint_is_for_the_filer(client_as, not_validated):
    url = api("case_reexamen", not_validated.public_id)
    body = {"motive": "Nouveaux éléments."}
    assert post(client_as("miprof_agent"), url, body).status_code == 403
    response = post(client_as("association_agent"), url, body)
    assert response.status_code == 200
    assert response.json()["status"] == "forwarded"


def test_an_organisation_token_acts_through_its_technical_membership(world, not_validated):
    client = token_client(world, world.association)
    assert client.get(api("case_detail", not_validated.public_id)).status_code == 200
    assert problem(post(client, api("case_commencer", not_validated.public_id)), 403)
    response = post(client, api("case_reexamen", not_validated.public_id), {"motive": "Nouveaux éléments."})
    assert response.status_code == 200
    assert response.json()["status"] == "forwarded"


def test_another_organisation_token_gets_404(world, not_validated):
    client = token_client(world, world.other_association)
    assert problem(client.get(api("case_detail", not_validated.public_id)), 404)


# --- Mesures -------------------------------------------------------------------------------------------------------


def test_the_filer_records_a_measure_through_the_same_service(client_as, validated):
    response = post(client_as("association_agent"), api("measure_list", validated.public_id), {"kind": "complaint"})
    assert response.status_code == 201
    measure = Measure.objects.get(public_id=response.json()["id"])
    assert (measure.kind, measure.status) == (MeasureKind.COMPLAINT, MeasureStatus.PROPOSED)
    assert validated.events.filter(kind=SignalementEventKind.MEASURE_RECORDED).count() == 1
    assert AccessLog.objects.for_object(validated).filter(action="update").count() == 1


def test_a_measure_rule_comes_back_per_field(client_as, validated):
    validated.is_minor_presumed = True
    validated.save(update_fields=["is_minor_presumed"])
    response = post(client_as("association_agent"), api("measure_list", validated.public_id), {"kind": "psp"})
    assert "kind" in field_errors(response)
    assert not Measure.objects.filter(kind=MeasureKind.PSP).exists()


def test_a_sealed_shelter_is_never_a_measure_operator(client_as, validated, shelters):
    response = post(
        client_as("association_agent"),
        api("measure_list", validated.public_id),
        {"kind": "complaint", "operator": str(shelters.paris.organisation.public_id)},
    )
    assert list(field_errors(response)) == ["operator"]


def test_measures_are_listed_and_change_status(client_as, validated):
    client = client_as("departmental_validator")
    listed = client.get(api("measure_list", validated.public_id)).json()
    shelter = next(row for row in listed["results"] if row["kind"] == "shelter")
    assert shelter["status"] == "granted"
    response = post(client, api("measure_status", validated.public_id, shelter["id"]), {"status": "ongoing"})
    assert response.status_code == 200
    assert response.json()["status"] == "ongoing"
    response = post(client, api("measure_status", validated.public_id, shelter["id"]), {"status": "requested"})
    assert "ne peut pas passer" in field_errors(response)[None][0]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("association_agent", 201), ("association_agent_other_org", 404), ("miprof_agent", 201), ("statistician", 404)],
)
def test_recording_a_measure_by_persona(client_as, validated, persona, status):
    response = post(client_as(persona), api("measure_list", validated.public_id), {"kind": "complaint"})
    assert response.status_code == status


# --- Orientations et places ----------------------------------------------------------------------------------------


def test_a_validator_refers_and_the_location_stays_sealed(client_as, validated, shelters):
    response = post(
        client_as("departmental_validator"),
        api("referral_list", validated.public_id),
        {"shelter": str(shelters.paris.public_id)},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["place_kind"], body["location"]) == ("pending", "teh", None)
    referral = Referral.objects.get(public_id=body["id"])
    assert AccessLog.objects.for_object(referral).filter(action="create").count() == 1

    shelter = logged_in(shelters.paris_agent)
    seen = shelter.get(api("referral_detail", referral.public_id)).json()
    assert seen["location"]["name"] == "Centre Les Glycines"
    response = post(shelter, api("referral_accepter", referral.public_id))
    assert response.json()["status"] == ReferralStatus.ACCEPTED


def test_a_refusal_without_reason_is_a_problem_per_field(validated, shelters, validator):
    from orientation.services import referrals

    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    response = post(logged_in(shelters.paris_agent), api("referral_refuser", referral.public_id))
    assert list(field_errors(response)) == ["reason"]


def test_the_filer_cannot_refer(client_as, validated, shelters):
    response = post(
        client_as("association_agent"),
        api("referral_list", validated.public_id),
        {"shelter": str(shelters.paris.public_id)},
    )
    assert problem(response, 403)
    assert not Referral.objects.exists()


def test_a_shelter_reads_and_declares_its_own_places(shelters):
    client = logged_in(shelters.paris_agent)
    places = client.get(api("shelter_places")).json()
    assert [(row["place_kind"], row["declared"], row["free"]) for row in places] == [("teh", 3, 3)]
    response = post(client, api("shelter_places"), {"place_kind": "young", "declared": 4})
    assert response.status_code == 200
    assert ShelterCapacity.objects.get(shelter=shelters.paris, place_kind=PlaceKind.YOUNG).declared == 4
    assert CapacityMovement.objects.filter(capacity__shelter=shelters.paris, capacity__place_kind="young").exists()
    assert AccessLog.objects.for_object(shelters.paris).filter(action="update").count() == 1


def test_a_shelter_cannot_declare_fewer_places_than_held(validated, shelters, validator):
    from orientation.services import referrals

    referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    response = post(logged_in(shelters.paris_agent), api("shelter_places"), {"place_kind": "teh", "declared": 0})
    assert list(field_errors(response)) == ["declared"]


@pytest.mark.parametrize("persona", ["association_agent", "miprof_agent", "departmental_validator"])
def test_places_are_for_shelter_staff_only(client_as, persona, shelters):
    assert problem(client_as(persona).get(api("shelter_places")), 403)


# --- Schéma --------------------------------------------------------------------------------------------------------


def test_every_action_is_in_the_openapi_schema(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/orientation/file-miprof/" in paths
    assert "/api/v1/orientation/file-departement/" in paths
    assert set(ACTION_INPUTS) == set(ACTIONS)
    for slug in ACTIONS:
        assert f"/api/v1/orientation/dossiers/{{public_id}}/{slug}/" in paths


# --- Nombre de requêtes ----------------------------------------------------------------------------------------------


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return len(response.json()["results"])


def test_list_queries_do_not_grow_with_rows(client_as, validated, filer, django_assert_max_num_queries):
    from orientation.services import measures

    client = client_as("departmental_validator")
    url = api("measure_list", validated.public_id)
    assert count_queries(client, url, django_assert_max_num_queries, 14) == 2
    for _ in range(6):
        measures.record_measure(signalement=validated, by=filer, kind=MeasureKind.COMPLAINT)
    assert count_queries(client, url, django_assert_max_num_queries, 14) == 8
    assert count_queries(client, api("referral_list", validated.public_id), django_assert_max_num_queries, 14) == 0
