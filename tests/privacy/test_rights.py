"""Les droits de la personne, exercés par le ou la délégué·e à la protection des données (administration de la
Miprof) : l'export d'accès (JSON et PDF) liste chaque personne qui a lu le dossier ; la rectification garde
l'historique ; l'opposition et l'effacement s'appliquent avec leur motif, ou sont refusés avec lui."""

import datetime
import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from orientation.enums import ReferralStatus
from orientation.services import referrals
from privacy.anonymisation import is_anonymised
from privacy.models import RightsRequest
from privacy.services import rectify_signalement
from signalements.duplicates import compute_duplicate_keys
from signalements.enums import ConsentDecision, SignalementEventKind
from signalements.models import IdentityOpening, Signalement
from signalements.services.identity import open_identity

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
READERS = ["association_agent", "miprof_agent", "departmental_validator"]


def url(name, signalement, **kwargs):
    return reverse(f"privacy:{name}", kwargs={"public_id": signalement.public_id} | kwargs)


@pytest.fixture
def read_case(validated, client_as):
    """Le dossier, lu par l'agent de l'association, la Miprof et l'autorité départementale (vraies pages)."""
    for persona in READERS:
        page = reverse("orientation:case_detail", kwargs={"public_id": validated.public_id})
        assert client_as(persona).get(page).status_code == 200
    return validated


def test_the_json_export_lists_every_reader(read_case, client_as, world):
    response = client_as("miprof_admin").get(url("dpo_export", read_case, fmt="json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    export = json.loads(response.content)
    readers = {row["person"] for row in export["accesses"]}
    assert {world.user(persona).get_full_name() for persona in READERS} <= readers
    assert all(row["at"] and row["organisation"] for row in export["accesses"])
    assert export["reference"] == read_case.reference
    assert {row["purpose"] for row in export["consents"]} >= {"Utilisation dans les statistiques"}
    assert AccessLog.objects.filter(object_id=str(read_case.public_id), action="export").count() == 1


def test_the_json_export_holds_the_aliases_phone_and_address(validated, client_as):
    validated.aliases, validated.phone, validated.address = "Mimi", "06 11 22 33 44", "5 rue Haute, Lille"
    validated.save(update_fields=["aliases", "phone", "address"])

    export = json.loads(client_as("miprof_admin").get(url("dpo_export", validated, fmt="json")).content)

    assert {"autres noms connus": "Mimi", "téléphone": "06 11 22 33 44", "adresse": "5 rue Haute, Lille"}.items() <= (
        export["identity"].items()
    )


def test_a_rectified_phone_is_kept_in_the_history_and_indexed_again(validated, world):
    rectify_signalement(
        signalement=validated,
        by=world.acting("miprof_admin"),
        field="phone",
        value=" 06 98 76 54 32 ",
        reason="Numéro changé, à la demande de la personne.",
    )

    validated.refresh_from_db()
    assert validated.phone == "06 98 76 54 32"
    assert validated.duplicate_keys == compute_duplicate_keys(validated) != []
    assert RightsRequest.objects.get(signalement=validated).field == "phone"


@needs_poppler
def test_the_pdf_for_the_person_lists_every_reader(read_case, client_as, world, tmp_path):
    response = client_as("miprof_admin").get(url("dpo_export", read_case, fmt="pdf"))

    assert response.status_code == 200
    path = tmp_path / "export.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "Qui a consulté votre dossier" in text
    for persona in READERS:
        assert world.user(persona).last_name in text


@pytest.mark.parametrize(
    "persona, status",
    [
        ("miprof_admin", 200),
        ("miprof_agent", 403),
        ("association_admin", 403),
        ("departmental_validator", 403),
        ("platform_admin", 404),
    ],
)
def test_rights_pages_are_for_the_dpo_only(validated, client_as, persona, status):
    assert client_as(persona).get(url("dpo_case", validated)).status_code == status


def test_the_dpo_finds_a_case_by_its_reference(validated, client_as):
    response = client_as("miprof_admin").get(reverse("privacy:dpo_home"), {"reference": validated.reference})
    assert response.status_code == 302
    assert response["Location"] == url("dpo_case", validated)


def test_rectification_keeps_the_history_and_logs_the_field_not_the_value(validated, client_as):
    validated.last_name = "Dialo"
    validated.save(update_fields=["last_name"])

    response = client_as("miprof_admin").post(
        url("dpo_rectify", validated),
        {
            "rectification-field": "last_name",
            "rectification-value": "Diallo",
            "rectification-reason": "Passeport présenté par la personne.",
        },
    )

    assert response.status_code == 302
    validated.refresh_from_db()
    assert validated.last_name == "Diallo"
    # Chiffré (mniop/fields.py) : l'historique se relit en Python, jamais filtré en SQL.
    assert "Dialo" in [version.last_name for version in validated.history.all()]
    request = RightsRequest.objects.get(signalement=validated)
    assert (request.kind, request.field, request.decision) == ("rectification", "last_name", "granted")
    event = validated.events.get(kind=SignalementEventKind.DATA_RECTIFIED)
    assert event.data["field"] == "last_name" and "Diallo" not in json.dumps(event.data)


def test_a_rectified_birth_date_moves_the_case_between_minors_and_adults(validated, client_as):
    validated.birth_date = datetime.date(1990, 5, 1)
    validated.refresh_birth_age()
    validated.save(update_fields=["birth_date", "birth_age"])
    minor_birth_date = (validated.spotted_on or datetime.date.today()) - datetime.timedelta(days=16 * 365)

    response = client_as("miprof_admin").post(
        url("dpo_rectify", validated),
        {
            "rectification-field": "birth_date",
            "rectification-value": minor_birth_date.isoformat(),
            "rectification-reason": "Acte de naissance présenté par la personne.",
        },
    )

    assert response.status_code == 302
    validated.refresh_from_db()
    assert validated.birth_date == minor_birth_date
    assert Signalement.objects.minors().filter(pk=validated.pk).exists()


def test_a_bad_rectification_is_a_french_message_not_a_500(validated, client_as):
    response = client_as("miprof_admin").post(
        url("dpo_rectify", validated),
        {"rectification-field": "birth_date", "rectification-value": "31/02", "rectification-reason": "Erreur."},
    )
    assert response.status_code == 400
    assert "AAAA-MM-JJ" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_a_granted_erasure_anonymises_the_case(validated, client_as):
    response = client_as("miprof_admin").post(
        url("dpo_request", validated),
        {"demande-kind": "erasure", "demande-decision": "granted", "demande-reason": "Consentement retiré."},
    )

    assert response.status_code == 302
    case = Signalement.objects.get(pk=validated.pk)
    assert is_anonymised(case) and case.last_name == "" and case.first_name == ""
    assert case.events.get(kind=SignalementEventKind.ANONYMISED).data["cause"] == "erasure"


def test_a_refused_erasure_keeps_the_case_and_records_the_reason(validated, client_as):
    validated.last_name = "Diallo"
    validated.save(update_fields=["last_name"])

    client_as("miprof_admin").post(
        url("dpo_request", validated),
        {
            "demande-kind": "erasure",
            "demande-decision": "refused",
            "demande-reason": "Procédure pénale en cours : conservation exigée (art. 17.3.b RGPD).",
        },
    )

    validated.refresh_from_db()
    assert validated.last_name == "Diallo" and not is_anonymised(validated)
    assert RightsRequest.objects.get(signalement=validated).reason.startswith("Procédure pénale")
    assert validated.events.filter(kind=SignalementEventKind.RIGHTS_REQUEST_RECORDED).count() == 1


def test_a_granted_objection_withdraws_every_consent_and_cancels_the_pending_referral(
    validated, shelters, validator, client_as
):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)

    client_as("miprof_admin").post(
        url("dpo_request", validated),
        {"demande-kind": "objection", "demande-decision": "granted", "demande-reason": "Opposition écrite reçue."},
    )

    assert set(validated.consents.values_list("decision", flat=True)) == {ConsentDecision.WITHDRAWN}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED


def test_a_decision_without_reason_is_refused_in_french(validated, client_as):
    response = client_as("miprof_admin").post(
        url("dpo_request", validated), {"demande-kind": "access", "demande-decision": "granted", "demande-reason": "x"}
    )
    assert response.status_code == 400
    assert "Indiquez le motif" in response.content.decode()


def test_an_erasure_without_recent_authentication_asks_for_password_and_code(validated, client_as):
    response = client_as("miprof_admin", recent_auth=False).post(
        url("dpo_request", validated),
        {"demande-kind": "erasure", "demande-decision": "granted", "demande-reason": "Consentement retiré."},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not is_anonymised(Signalement.objects.get(pk=validated.pk))


def test_a_granted_erasure_erases_the_reasons_given_to_open_the_identity(validated, client_as, world):
    open_identity(
        signalement=validated,
        by=world.user("departmental_validator"),
        reason="Vérifier une homonymie avec un dossier du département.",
    )

    client_as("miprof_admin").post(
        url("dpo_request", validated),
        {"demande-kind": "erasure", "demande-decision": "granted", "demande-reason": "Consentement retiré."},
    )

    assert [opening.reason for opening in IdentityOpening.objects.filter(signalement=validated)] == ["[anonymisé]"]
