"""L'API des signalements pour les systèmes partenaires : opérations, erreurs en français, portée, idempotence,
schéma OpenAPI et page de documentation."""

import datetime
import json
import re
import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.api.pagination import INVALID_CURSOR
from accounts.models import AccessLog, IdempotencyRecord
from accounts.services_api_tokens import revoke_api_token
from notifications.models import OutboxMessage
from signalements.enums import ReferenceCategory, SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from signalements.permissions import HABILITATION_ENDED, NO_HABILITATION
from tests.api_tokens import issue_token
from tests.problems import field_errors, problem
from tests.referents.factories import OrganisationFactory
from tests.signalements.factories import ReferenceValueFactory, SignalementFactory

LIST_URL = "/api/v1/signalements/"
TODAY = timezone.localdate()


class Api:
    """Un client de l'API authentifié par un jeton, qui envoie et lit du JSON."""

    def __init__(self, secret, token=None):
        self.token = token
        self.secret = secret
        self.client = Client(headers={"Authorization": f"Token {secret}"})

    def get(self, path, **params):
        return self.client.get(path, params)

    def post(self, path, data=None, *, key=None):
        headers = {"Idempotency-Key": key} if key else {}
        return self.client.post(path, json.dumps(data or {}), content_type="application/json", headers=headers)

    def patch(self, path, data):
        return self.client.patch(path, json.dumps(data), content_type="application/json")


def token_api(world, organisation):
    token, secret = issue_token(organisation)
    return Api(secret, token)


@pytest.fixture
def api(world):
    return token_api(world, world.association)


@pytest.fixture
def other_api(world):
    return token_api(world, world.other_association)


@pytest.fixture
def references(db):
    return {
        "sexual": ReferenceValueFactory(code="exploitation_sexuelle", label="Exploitation sexuelle"),
        "labour": ReferenceValueFactory(code="travail_force", label="Travail forcé"),
        "maraude": ReferenceValueFactory(category=ReferenceCategory.ENTRY_CHANNEL, code="maraude", label="Maraude"),
    }


def complete_payload(**fields):
    return {
        "departement": "75",
        "spotted_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "spotted_place": "Paris 18e",
        "consent_status": "given",
        "pseudonym": "A.",
        "nationalities": ["ng"],
        "entry_channel": "maraude",
        "exploitation_forms": ["exploitation_sexuelle"],
        **fields,
    }


def detail_url(signalement):
    return f"{LIST_URL}{signalement.public_id}/"


def submit_url(signalement):
    return f"{detail_url(signalement)}depot/"


@pytest.fixture
def draft(api, references):
    response = api.post(LIST_URL, complete_payload())
    assert response.status_code == 201, response.json()
    return Signalement.objects.get(public_id=response.json()["id"])


# --- Créer un brouillon ------------------------------------------------------------------------------------------


def test_create_draft_returns_201_with_codes(world, api, references):
    response = api.post(LIST_URL, complete_payload())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["status_label"] == "Brouillon"
    assert body["reference"] is None
    assert body["departement"] == "75"
    assert body["entry_channel"] == "maraude"
    assert body["exploitation_forms"] == ["exploitation_sexuelle"]
    assert body["nationalities"] == ["NG"]
    assert response["Location"] == f"{LIST_URL}{body['id']}/"


def test_create_draft_records_aliases_phone_and_address_encrypted(world, api, references):
    contact = {"aliases": "Stella\nÉtoile", "phone": "+33 6 12 34 56 78", "address": "4 rue du Port, Calais"}
    response = api.post(LIST_URL, complete_payload() | contact)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {name: body[name] for name in contact} == contact
    signalement = Signalement.objects.get(public_id=body["id"])
    assert (signalement.aliases, signalement.phone, signalement.address) == tuple(contact.values())
    assert api.get(f"{LIST_URL}{body['id']}/").json()["phone"] == contact["phone"]


def test_the_schema_describes_aliases_phone_and_address_in_french(db, client):
    schema = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    properties = schema["components"]["schemas"]["Signalement"]["properties"]
    assert (properties["aliases"]["title"], properties["phone"]["title"], properties["address"]["title"]) == (
        "Autres noms connus",
        "Téléphone",
        "Adresse",
    )
    assert properties["aliases"]["description"] == "Un nom par ligne."


def test_create_draft_writes_the_signalement_its_event_and_an_access_log_row(world, api, references):
    response = api.post(LIST_URL, complete_payload())
    signalement = Signalement.objects.get(public_id=response.json()["id"])
    assert signalement.organisation == world.association
    assert signalement.created_by == api.token.membership.user
    assert signalement.departement == world.paris
    assert list(signalement.exploitation_forms.all()) == [references["sexual"]]
    event = SignalementEvent.objects.get(signalement=signalement)
    assert event.kind == SignalementEventKind.CREATED
    log = AccessLog.objects.get(action="create", object_id=str(signalement.public_id))
    assert log.user == api.token.membership.user
    assert log.organisation == world.association
    assert log.view_name == "signalements_api:signalement_list"


def test_create_draft_with_an_unknown_code_gets_400_in_french(api, references):
    response = api.post(LIST_URL, complete_payload(exploitation_forms=["inconnue"]))
    assert field_errors(response) == {
        "exploitation_forms": [
            "Le code « inconnue » n'existe pas dans cette liste de référence (ou la valeur a été retirée)."
        ]
    }
    assert not Signalement.objects.exists()


def test_a_code_from_another_list_is_refused(api, references):
    response = api.post(LIST_URL, complete_payload(entry_channel="exploitation_sexuelle"))
    assert list(field_errors(response)) == ["entry_channel"]


def test_a_retired_reference_value_is_refused(api, references):
    references["labour"].retired_at = timezone.now()
    references["labour"].save(update_fields=["retired_at"])
    response = api.post(LIST_URL, complete_payload(exploitation_forms=["travail_force"]))
    assert "exploitation_forms" in field_errors(response)


def test_an_unknown_departement_gets_400(api, references):
    response = api.post(LIST_URL, complete_payload(departement="00"))
    assert field_errors(response) == {
        "departement": ["Le code INSEE « 00 » ne désigne aucun département ni collectivité d'outre-mer."]
    }


def test_service_validation_errors_come_back_per_field(api, references):
    response = api.post(LIST_URL, complete_payload(nationalities=["1"]))
    assert field_errors(response) == {
        "nationalities": ["Les nationalités s'indiquent par leur code pays à deux lettres (ISO 3166)."]
    }
    assert not Signalement.objects.exists()


def test_an_unknown_or_read_only_field_is_refused(api, draft):
    response = api.patch(detail_url(draft), {"spoted_place": "Lille", "status": "submitted"})
    message = "Ce champ n'existe pas ou ne se modifie pas par l'API."
    assert field_errors(response) == {"spoted_place": [message], "status": [message]}
    draft.refresh_from_db()
    assert draft.status == SignalementStatus.DRAFT


def test_malformed_json_gets_400(api):
    response = api.client.post(LIST_URL, "{pas du json", content_type="application/json")
    body = problem(response, 400)
    assert body["title"] == "Corps de requête illisible"
    assert body["detail"] == "Le corps de la requête n'est pas un JSON valide (ligne 1, colonne 2)."
    assert not Signalement.objects.exists()


def test_an_empty_draft_is_accepted(api):
    response = api.post(LIST_URL, {})
    assert response.status_code == 201
    assert Signalement.objects.get().status == SignalementStatus.DRAFT


# --- Lire ----------------------------------------------------------------------------------------------------------


def test_detail_returns_status_fields_and_logs_the_read(api, draft, django_assert_max_num_queries):
    api.get(detail_url(draft))  # la première requête d'un jeton écrit aussi `last_used_at`
    # Jeton, signalement annoté de ses codes, ligne du journal d'accès (et le contexte de pghistory).
    with django_assert_max_num_queries(5):
        response = api.get(detail_url(draft))
    assert response.status_code == 200
    assert response.json()["id"] == str(draft.public_id)
    assert response.json()["spotted_place"] == "Paris 18e"
    assert AccessLog.objects.filter(action="read", object_id=str(draft.public_id)).count() == 2


def test_detail_query_count_does_not_grow_with_values(api, draft, references):
    api.get(detail_url(draft))
    with CaptureQueriesContext(connection) as few:
        api.get(detail_url(draft))
    api.patch(detail_url(draft), {"exploitation_forms": ["exploitation_sexuelle", "travail_force"]})
    with CaptureQueriesContext(connection) as more:
        api.get(detail_url(draft))
    assert len(more) == len(few)


def test_list_shows_the_organisation_signalements_only(world, api, other_api, draft):
    SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))
    SignalementFactory(organisation=world.other_association, created_by=world.user("association_agent_other_org"))
    response = api.get(LIST_URL)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == set(
        map(str, Signalement.objects.filter(organisation=world.association).values_list("public_id", flat=True))
    )
    assert len(ids) == 2
    assert AccessLog.objects.filter(action="search", object_type="signalements.signalement").count() == 1


def test_list_query_count_does_not_grow_with_rows(world, api):
    SignalementFactory.create_batch(3, organisation=world.association, created_by=world.user("association_agent"))
    api.get(LIST_URL)  # la première requête d'un jeton écrit aussi `last_used_at`
    with CaptureQueriesContext(connection) as few:
        api.get(LIST_URL)
    SignalementFactory.create_batch(20, organisation=world.association, created_by=world.user("association_agent"))
    with CaptureQueriesContext(connection) as more:
        response = api.get(LIST_URL)
    assert len(response.json()["results"]) == 23
    assert len(more) == len(few), [query["sql"] for query in more]


def test_list_is_paginated_with_a_cursor(world, api):
    SignalementFactory.create_batch(5, organisation=world.association, created_by=world.user("association_agent"))
    first = api.get(LIST_URL, page_size=3).json()
    assert len(first["results"]) == 3
    second = api.client.get(first["next"]).json()
    assert len(second["results"]) == 2
    assert second["next"] is None
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}


def test_an_invalid_cursor_gets_400_in_french(api):
    response = api.get(LIST_URL, cursor="n'importe-quoi")
    assert field_errors(response) == {"cursor": [INVALID_CURSOR]}


# --- Portée et matrice d'accès -------------------------------------------------------------------------------------

OPERATIONS = {
    "detail": lambda api, s: api.get(detail_url(s)),
    "update": lambda api, s: api.patch(detail_url(s), {"spotted_place": "Lille"}),
    "submit": lambda api, s: api.post(submit_url(s)),
}


@pytest.mark.parametrize(
    "caller, operation, expected_status",
    [
        ("own_organisation", "detail", 200),
        ("own_organisation", "update", 200),
        ("own_organisation", "submit", 200),
        ("other_organisation", "detail", 404),
        ("other_organisation", "update", 404),
        ("other_organisation", "submit", 404),
        ("revoked_token", "detail", 401),
        ("revoked_token", "update", 401),
        ("revoked_token", "submit", 401),
        ("no_token", "detail", 401),
        ("no_token", "update", 401),
        ("no_token", "submit", 401),
    ],
)
def test_access_matrix(world, api, other_api, draft, caller, operation, expected_status):
    if caller == "revoked_token":
        revoke_api_token(token=api.token, by=world.acting("association_admin"))
    client = {"own_organisation": api, "other_organisation": other_api, "revoked_token": api}.get(caller)
    client = client or Api("")
    response = OPERATIONS[operation](client, draft)
    assert response.status_code == expected_status
    draft.refresh_from_db()
    changed = draft.status != SignalementStatus.DRAFT or draft.spotted_place == "Lille"
    assert changed is (expected_status == 200 and operation != "detail")


def test_a_draft_written_in_the_interface_by_an_agent_is_visible_to_the_organisation_token(world, api):
    signalement = SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))
    assert api.get(detail_url(signalement)).status_code == 200


def test_unknown_signalement_gets_404(api):
    assert api.get(f"{LIST_URL}{uuid.uuid4()}/").status_code == 404


# --- Modifier ------------------------------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent_and_writes_an_event(api, draft, references):
    response = api.patch(detail_url(draft), {"exploitation_forms": ["travail_force"], "urgent": True})
    assert response.status_code == 200
    assert response.json()["exploitation_forms"] == ["travail_force"]
    draft.refresh_from_db()
    assert draft.urgent is True
    assert draft.spotted_place == "Paris 18e"
    event = SignalementEvent.objects.get(signalement=draft, kind=SignalementEventKind.DRAFT_SAVED)
    assert event.data == {"fields": ["exploitation_forms", "urgent"]}
    assert AccessLog.objects.filter(action="update", object_id=str(draft.public_id)).count() == 1


def test_patch_after_submit_gets_400_in_french(api, draft):
    api.post(submit_url(draft))
    response = api.patch(detail_url(draft), {"spotted_place": "Lille"})
    assert field_errors(response) == {None: ["Ce signalement a été déposé : son contenu ne peut plus être modifié."]}


def test_put_is_not_allowed(api, draft):
    response = api.client.put(detail_url(draft), "{}", content_type="application/json")
    assert problem(response, 405)["detail"] == "Méthode «\xa0PUT\xa0» non autorisée."


# --- Déposer -------------------------------------------------------------------------------------------------------


def test_submit_gives_a_reference_and_writes_event_outbox_and_access_log(world, api, draft):
    response = api.post(submit_url(draft))
    assert response.status_code == 200
    body = response.json()
    draft.refresh_from_db()
    assert body["status"] == "submitted"
    assert body["reference"] == draft.reference
    assert draft.reference.startswith(f"MNIOP-{TODAY.year}-")
    assert draft.submitted_by == api.token.membership.user
    assert SignalementEvent.objects.filter(signalement=draft, kind=SignalementEventKind.SUBMITTED).count() == 1
    assert OutboxMessage.objects.filter(template="signalement_submitted").count() == 2
    assert AccessLog.objects.filter(action="update", object_id=str(draft.public_id)).count() == 1


def test_submit_of_an_incomplete_draft_gets_400_per_field(api):
    signalement_id = api.post(LIST_URL, {"pseudonym": "B."}).json()["id"]
    response = api.post(f"{LIST_URL}{signalement_id}/depot/")
    errors = field_errors(response)
    assert errors["departement"] == ["Indiquez le département du signalement."]
    assert errors["spotted_on"] == ["Indiquez la date de repérage."]
    assert errors["exploitation_forms"] == ["Indiquez au moins une forme d'exploitation."]
    assert Signalement.objects.get(public_id=signalement_id).status == SignalementStatus.DRAFT
    assert not OutboxMessage.objects.exists()


def test_an_organisation_without_a_mniop_habilitation_can_neither_create_nor_submit(world, references):
    unhabilitated = token_api(world, OrganisationFactory(territories=[world.paris]))
    response = unhabilitated.post(LIST_URL, complete_payload())
    assert problem(response, 403)["detail"] == NO_HABILITATION
    assert not Signalement.objects.exists()


def test_submit_after_the_habilitation_expired_gets_403(world, references, api):
    signalement_id = api.post(LIST_URL, complete_payload()).json()["id"]
    ended_on = timezone.localdate() - datetime.timedelta(days=1)
    world.association.habilitations.update(ends_on=ended_on)
    response = api.post(f"{LIST_URL}{signalement_id}/depot/")
    assert problem(response, 403)["detail"] == HABILITATION_ENDED.format(ended_on=ended_on)
    assert Signalement.objects.get(public_id=signalement_id).status == SignalementStatus.DRAFT


# --- Idempotence ---------------------------------------------------------------------------------------------------


def test_a_retried_create_returns_the_stored_response_without_a_second_write(api, references):
    first = api.post(LIST_URL, complete_payload(), key="cle-1")
    second = api.post(LIST_URL, complete_payload(), key="cle-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Signalement.objects.count() == 1
    assert SignalementEvent.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.key, record.response_status) == ("cle-1", 201)


def test_the_same_key_with_another_body_gets_422_in_french(api, references):
    api.post(LIST_URL, complete_payload(), key="cle-1")
    response = api.post(LIST_URL, complete_payload(pseudonym="Autre"), key="cle-1")
    assert field_errors(response, 422) == {
        "Idempotency-Key": [
            "Cette clé d'idempotence a déjà servi pour une autre requête. "
            "Utilisez une nouvelle clé pour une nouvelle requête."
        ]
    }
    assert Signalement.objects.count() == 1


def test_a_retried_submit_is_replayed(api, draft):
    first = api.post(submit_url(draft), key="depot-1")
    second = api.post(submit_url(draft), key="depot-1")
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert SignalementEvent.objects.filter(kind=SignalementEventKind.SUBMITTED).count() == 1


def test_a_failed_request_is_not_stored_and_can_be_retried(api, references):
    first = api.post(LIST_URL, complete_payload(exploitation_forms=["inconnue"]), key="cle-1")
    assert first.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    ReferenceValueFactory(code="inconnue")
    second = api.post(LIST_URL, complete_payload(exploitation_forms=["inconnue"]), key="cle-1")
    assert second.status_code == 201
    assert Signalement.objects.count() == 1


def test_keys_belong_to_one_organisation(api, other_api, references):
    api.post(LIST_URL, complete_payload(), key="cle-commune")
    response = other_api.post(LIST_URL, complete_payload(departement="59"), key="cle-commune")
    assert response.status_code == 201
    assert not response.has_header("Idempotent-Replayed")
    assert Signalement.objects.count() == 2


def test_a_key_too_long_gets_400(api):
    response = api.post(LIST_URL, {}, key="x" * 256)
    assert response.status_code == 400
    assert not Signalement.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_the_same_key_create_one_signalement(world, references):
    api = token_api(world, world.association)
    barrier = threading.Barrier(2)
    responses = []

    def send():
        try:
            barrier.wait(timeout=10)
            responses.append(Api(api.secret).post(LIST_URL, complete_payload(), key="concurrente"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in responses) == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sum(response.has_header("Idempotent-Replayed") for response in responses) == 1
    assert Signalement.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


# --- Schéma et documentation ---------------------------------------------------------------------------------------


def test_schema_is_valid_openapi_without_warnings(db, tmp_path):
    output = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))
    assert "/api/v1/signalements/{public_id}/depot/:" in output.read_text()


def test_every_operation_has_a_french_tag_summary_and_description(db, client):
    schema = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    intake = [op for url, path in schema["paths"].items() if "/signalements/" in url for op in path.values()]
    assert len(intake) == 5
    assert all(operation["tags"] == ["Signalements"] for operation in intake)
    for operation in [op for path in schema["paths"].values() for op in path.values()]:
        assert operation["tags"] and operation["tags"] != ["v1"], operation["operationId"]
        assert operation["summary"] and operation["description"], operation["operationId"]
    assert schema["components"]["securitySchemes"]["jetonApi"]["name"] == "Authorization"


def test_docs_page_uses_only_local_assets_under_the_csp(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<style" not in html and "<script>" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 5
    for asset in assets:
        assert asset.startswith("/"), asset
        asset_response = client.get(asset.replace("&amp;", "&"))
        content = b"".join(asset_response) if asset_response.streaming else asset_response.content
        asset_response.close()
        assert asset_response.status_code == 200, asset
        assert content, asset


# --- Réponses des écritures, sans relecture ----------------------------------------------------------------------


def test_create_answers_exactly_what_the_detail_reads_without_reading_the_row_again(world, api, references):
    """La réponse de la création est sérialisée depuis ce que le service a écrit : elle est identique au détail lu
    ensuite (codes des listes à choix multiples dans leur ordre, départements d'exploitation triés)."""
    references["labour"].position, references["sexual"].position = 1, 2
    references["labour"].save(), references["sexual"].save()
    payload = complete_payload(
        exploitation_forms=["exploitation_sexuelle", "travail_force"], exploitation_departements=["75", "59"]
    )
    response = api.post(LIST_URL, payload)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["exploitation_forms"] == ["travail_force", "exploitation_sexuelle"]
    assert created == api.get(f"{LIST_URL}{created['id']}/").json()


def test_submit_answers_exactly_what_the_detail_reads(world, api, draft):
    submitted = api.post(submit_url(draft), key="depot-1").json()
    assert submitted["status"] == "submitted" and submitted["reference"]
    assert submitted == api.get(detail_url(draft)).json()


def test_create_and_submit_do_not_read_the_row_back(world, api, references, django_assert_max_num_queries):
    """Ni la création ni le dépôt ne relisent le signalement avec ses sous-requêtes de codes pour répondre."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as created:
        response = api.post(LIST_URL, complete_payload(), key="creation-1")
    with CaptureQueriesContext(connection) as submitted:
        api.post(f"{LIST_URL}{response.json()['id']}/depot/", key="depot-2")

    def reads_with_codes(queries):
        return len([query for query in queries.captured_queries if "ARRAY(SELECT" in query["sql"].upper()])

    assert reads_with_codes(created) == 0
    assert reads_with_codes(submitted) == 1  # la lecture qui vérifie que le jeton voit le brouillon, pas une relecture
