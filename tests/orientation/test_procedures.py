"""Les procédures judiciaires d'un dossier (issue 16) : service enquêteur ou juridiction, référence, partie civile,
stade, indemnisation ; au journal et à l'historique ; l'indemnisation reprise par le suivi statistique ; qui les
voit et qui les tient."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from orientation.enums import ProcedureStage
from orientation.models import Procedure
from orientation.services import procedures, triage
from referents.enums import ReferentCategory
from signalements.enums import CompensationPayer, CompensationStatus, ComplaintStatus, SignalementEventKind
from signalements.services.drafts import submit_signalement
from tests.personas import EVERYONE
from tests.referents.factories import DirectoryEntryFactory
from tests.signalements.factories import SignalementFactory

TODAY = timezone.localdate


@pytest.fixture
def parquet_entry(world):
    return DirectoryEntryFactory(
        organisation=world.actors["parquet_magistrate"],
        category=ReferentCategory.PARQUET,
        title="Section des mineurs et de la traite",
    )


@pytest.fixture
def complaint_case(make_validated):
    """Un dossier validé de Paris avec une plainte déposée : le parquet de Paris le voit."""
    return make_validated(complaint_status=ComplaintStatus.FILED)


@pytest.fixture
def police_case(world):
    """Un dossier déposé par le commissariat du 18e."""
    police = world.acting("police_officer")
    signalement = SignalementFactory(
        organisation=world.actors["police_officer"], created_by=police, departement=world.paris
    )
    return submit_signalement(signalement=signalement, by=police)


def record(signalement, by, **fields):
    return procedures.record_procedure(
        signalement=signalement, by=by, **{"authority_name": "Tribunal judiciaire de Paris"} | fields
    )


def test_the_filer_records_a_procedure_with_its_event_and_history(complaint_case, filer, parquet_entry):
    procedure = procedures.record_procedure(
        signalement=complaint_case,
        by=filer,
        authority_entry=parquet_entry,
        reference="PARQ-24-123456",
        is_civil_party=True,
        civil_party_on=TODAY() - datetime.timedelta(days=3),
        stage=ProcedureStage.INVESTIGATION,
    )

    assert procedure.authority == "Section des mineurs et de la traite — Parquet du tribunal judiciaire de Paris"
    event = complaint_case.events.get(kind=SignalementEventKind.PROCEDURE_RECORDED)
    assert event.data["procedure"] == str(procedure.public_id)
    assert event.data["stage"] == "investigation"
    assert "PARQ-24-123456" not in str(event.data)
    history = procedure.events.get()
    assert history.pgh_context.metadata["by"] == str(filer.public_id)


def test_a_procedure_names_its_service_or_court(complaint_case, filer):
    with pytest.raises(ValidationError) as error:
        procedures.record_procedure(signalement=complaint_case, by=filer, stage=ProcedureStage.INVESTIGATION)

    assert "authority_name" in error.value.message_dict
    assert not Procedure.objects.exists()


def test_a_directory_entry_that_is_not_a_court_nor_an_investigator_is_refused(complaint_case, filer, world):
    entry = DirectoryEntryFactory(organisation=world.association, category=ReferentCategory.ASSOCIATION)

    with pytest.raises(ValidationError) as error:
        procedures.record_procedure(signalement=complaint_case, by=filer, authority_entry=entry)

    assert "authority_entry" in error.value.message_dict


@pytest.mark.parametrize("stage", [ProcedureStage.CONVICTION, ProcedureStage.ACQUITTAL, ProcedureStage.DISMISSAL])
def test_a_conviction_an_acquittal_or_a_dismissal_needs_its_date(complaint_case, filer, stage):
    with pytest.raises(ValidationError) as error:
        record(complaint_case, filer, stage=stage)

    assert "stage_on" in error.value.message_dict


def test_dates_cannot_be_in_the_future(complaint_case, filer):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        record(complaint_case, filer, is_civil_party=True, civil_party_on=tomorrow, stage_on=tomorrow)

    assert {"civil_party_on", "stage_on"} <= set(error.value.message_dict)


def test_a_civil_party_date_needs_a_civil_party(complaint_case, filer):
    with pytest.raises(ValidationError) as error:
        record(complaint_case, filer, is_civil_party=False, civil_party_on=TODAY())

    assert "civil_party_on" in error.value.message_dict


def test_a_payer_and_a_granted_amount_only_when_compensation_is_granted(complaint_case, filer):
    with pytest.raises(ValidationError) as error:
        record(
            complaint_case,
            filer,
            compensation_status=CompensationStatus.REQUESTED,
            compensation_payer=CompensationPayer.STATE,
            compensation_granted_amount=Decimal("1000"),
        )

    assert {"compensation_payer", "compensation_granted_amount"} <= set(error.value.message_dict)


def test_granted_compensation_reaches_the_statistical_fields(complaint_case, filer):
    procedure = record(complaint_case, filer, compensation_status=CompensationStatus.REQUESTED)
    complaint_case.refresh_from_db()
    assert complaint_case.compensation_status == CompensationStatus.REQUESTED

    procedures.update_procedure(
        procedure=procedure,
        by=filer,
        stage=ProcedureStage.CONVICTION,
        stage_on=TODAY(),
        compensation_status=CompensationStatus.GRANTED,
        compensation_payer=CompensationPayer.OFFENDER,
        compensation_granted_amount=Decimal("15000.00"),
    )

    complaint_case.refresh_from_db()
    assert (complaint_case.compensation_status, complaint_case.compensation_payer) == ("granted", "offender")
    updates = complaint_case.events.filter(kind=SignalementEventKind.STATISTICAL_FIELDS_UPDATED)
    assert [event.data["source"] for event in updates] == ["procedure", "procedure"]
    update = complaint_case.events.get(kind=SignalementEventKind.PROCEDURE_UPDATED)
    assert update.data["stage"] == "conviction"
    assert "15000" not in str(update.data)
    assert procedure.events.count() == 2


def test_the_most_advanced_compensation_of_the_case_wins(complaint_case, filer):
    record(complaint_case, filer, compensation_status=CompensationStatus.GRANTED, compensation_payer="state")
    record(complaint_case, filer, compensation_status=CompensationStatus.REFUSED)

    complaint_case.refresh_from_db()
    assert (complaint_case.compensation_status, complaint_case.compensation_payer) == ("granted", "state")


def test_a_procedure_without_compensation_news_leaves_the_statistical_fields(complaint_case, filer):
    record(complaint_case, filer)

    complaint_case.refresh_from_db()
    assert complaint_case.compensation_status == CompensationStatus.UNKNOWN
    assert not complaint_case.events.filter(kind=SignalementEventKind.STATISTICAL_FIELDS_UPDATED).exists()


def test_the_parquet_that_sees_the_case_records_a_procedure(complaint_case, world):
    procedure = record(complaint_case, world.acting("parquet_magistrate"), stage=ProcedureStage.PROSECUTION)

    assert procedure.stage == "prosecution"


def test_the_police_unit_that_filed_the_case_records_a_procedure(police_case, world):
    procedure = record(police_case, world.acting("police_officer"))

    assert procedure.signalement == police_case


@pytest.mark.parametrize("persona", ["departmental_validator", "police_officer", "association_agent_other_org"])
def test_those_who_do_not_hold_the_case_cannot_record_a_procedure(complaint_case, world, persona):
    with pytest.raises(PermissionDenied):
        record(complaint_case, world.acting(persona))

    assert not Procedure.objects.exists()


def test_no_procedure_on_a_duplicate(make_submitted, miprof):
    original = make_submitted()
    signalement = make_submitted()
    triage.start_triage(signalement=signalement, by=miprof)
    triage.close_as_duplicate(signalement=signalement, by=miprof, original=original)

    with pytest.raises(ValidationError, match="Impossible de saisir une procédure judiciaire"):
        record(signalement, miprof)


#: Qui ouvre la page d'une procédure (GET), par persona : 404 hors de portée, 403 sans le droit de la tenir.
PAGE_MATRIX = {
    "anonymous": 302,
    "association_agent": 200,
    "association_admin": 200,
    "association_agent_other_org": 404,
    "association_admin_other_org": 404,
    "miprof_agent": 200,
    "miprof_admin": 200,
    "departmental_validator": 403,
    "departmental_validator_other_departement": 404,
    "territorial_referent": 404,
    "statistician": 404,
    "platform_admin": 404,
    "police_officer": 404,
    "police_officer_other_unit": 404,
    "gendarme": 404,
    "labour_inspector": 404,
    "child_protection_agent": 404,
    "parquet_magistrate": 200,
}


@pytest.mark.parametrize("persona", EVERYONE)
def test_procedure_page_access_matrix(client_as, complaint_case, filer, persona):
    procedure = record(complaint_case, filer)

    response = client_as(persona).get(f"/dossiers/{complaint_case.public_id}/procedures/{procedure.public_id}/")

    assert response.status_code == PAGE_MATRIX[persona]


def test_the_parquet_of_another_ressort_does_not_see_the_procedures(client_as, make_validated, filer, world):
    """Le parquet de Paris ne voit pas un dossier de Paris sans plainte, ni mineur, ni information du procureur."""
    signalement = make_validated(complaint_status=ComplaintStatus.NO)
    procedure = record(signalement, filer)

    response = client_as("parquet_magistrate").get(
        f"/dossiers/{signalement.public_id}/procedures/{procedure.public_id}/"
    )

    assert response.status_code == 404


def test_the_police_page_matrix_follows_the_unit_that_filed(client_as, police_case, world):
    procedure = record(police_case, world.acting("police_officer"))
    url = f"/dossiers/{police_case.public_id}/procedures/{procedure.public_id}/"

    assert client_as("police_officer").get(url).status_code == 200
    assert client_as("police_officer_other_unit").get(url).status_code == 404


def test_the_form_page_records_a_procedure_and_logs_the_access(client_as, complaint_case, world, parquet_entry):
    client = client_as("parquet_magistrate")

    response = client.post(
        f"/dossiers/{complaint_case.public_id}/procedures/",
        {
            "procedure-authority_entry": str(parquet_entry.public_id),
            "procedure-reference": "PARQ-24-000001",
            "procedure-stage": "investigation",
            "procedure-compensation_status": "unknown",
        },
    )

    assert response.status_code == 302
    procedure = Procedure.objects.get()
    assert (procedure.authority_entry, procedure.reference) == (parquet_entry, "PARQ-24-000001")
    assert AccessLog.objects.filter(
        user=world.user("parquet_magistrate"), action="update", object_id=str(complaint_case.public_id)
    ).exists()


def test_the_form_page_shows_errors_in_french_next_to_the_fields(client_as, complaint_case):
    response = client_as("association_agent").post(
        f"/dossiers/{complaint_case.public_id}/procedures/",
        {"procedure-stage": "conviction", "procedure-compensation_status": "unknown"},
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "Choisissez le service ou la juridiction" in text
    assert "Indiquez la date" in text
    assert not Procedure.objects.exists()


def test_the_case_workspace_lists_the_procedures(client_as, complaint_case, filer):
    for _ in range(3):
        record(complaint_case, filer, reference="PARQ-24-777")
    client = client_as("association_agent")

    response = client.get(f"/dossiers/{complaint_case.public_id}/")

    text = response.content.decode()
    assert 'id="procedures"' in text
    assert text.count("Réf. PARQ-24-777") == 3
    assert "Ajouter une procédure judiciaire" in text


def test_the_case_page_query_count_does_not_grow_with_procedures(client_as, complaint_case, filer):
    client = client_as("association_agent")
    record(complaint_case, filer)
    url = f"/dossiers/{complaint_case.public_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        record(complaint_case, filer)
    with CaptureQueriesContext(connection) as five:
        client.get(url)

    assert len(five) == len(one)


def test_the_validator_sees_the_procedures_but_cannot_add_one(client_as, complaint_case, filer):
    record(complaint_case, filer, reference="PARQ-24-555")

    text = client_as("departmental_validator").get(f"/dossiers/{complaint_case.public_id}/").content.decode()

    assert "Réf. PARQ-24-555" in text
    assert "Ajouter une procédure judiciaire" not in text


def test_the_journal_shows_the_stage_of_the_procedure(client_as, complaint_case, filer):
    record(complaint_case, filer, stage=ProcedureStage.PROSECUTION)

    text = client_as("association_agent").get(f"/dossiers/{complaint_case.public_id}/").content.decode()

    assert "Procédure judiciaire enregistrée" in text
    assert "Stade : poursuites" in text


def api_url(signalement, procedure=None):
    if procedure is None:
        return reverse("orientation_api:procedure_list", args=[signalement.public_id])
    return reverse("orientation_api:procedure_detail", args=[signalement.public_id, procedure.public_id])


def test_the_parquet_records_and_updates_a_procedure_through_the_api(client_as, complaint_case, parquet_entry):
    client = client_as("parquet_magistrate")

    created = client.post(
        api_url(complaint_case),
        json.dumps({"authority_entry": str(parquet_entry.public_id), "reference": "PARQ-1", "stage": "prosecution"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    procedure = Procedure.objects.get()
    assert created.json()["id"] == str(procedure.public_id)
    assert created.json()["stage_label"] == "Poursuites"

    updated = client.patch(
        api_url(complaint_case, procedure),
        json.dumps(
            {"compensation_status": "granted", "compensation_payer": "state", "compensation_granted_amount": "800.00"}
        ),
        content_type="application/json",
    )

    assert updated.status_code == 200
    assert updated.json()["compensation_granted_amount"] == "800.00"
    complaint_case.refresh_from_db()
    assert (complaint_case.compensation_status, complaint_case.compensation_payer) == ("granted", "state")


def test_an_api_rule_comes_back_per_field_in_french(client_as, complaint_case):
    response = client_as("association_agent").post(
        api_url(complaint_case), json.dumps({"stage": "dismissal"}), content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"authority_name", "stage_on"} <= fields


@pytest.mark.parametrize(
    "persona, list_status, create_status",
    [
        ("association_agent", 200, 201),
        ("miprof_agent", 200, 201),
        ("parquet_magistrate", 200, 201),
        ("departmental_validator", 200, 403),
        ("police_officer", 404, 404),
        ("association_agent_other_org", 404, 404),
        ("child_protection_agent", 404, 404),
    ],
)
def test_api_access_matrix(client_as, complaint_case, persona, list_status, create_status):
    client = client_as(persona)

    listed = client.get(api_url(complaint_case))
    created = client.post(
        api_url(complaint_case), json.dumps({"authority_name": "Parquet de Paris"}), content_type="application/json"
    )

    assert (listed.status_code, created.status_code) == (list_status, create_status)
    assert Procedure.objects.exists() == (create_status == 201)
