"""La protection des témoins comme mesures du parcours (issue 16) : le témoignage anonyme (art. 706-58 CPP) et
l'élection de domicile (art. 706-40-1 CPP) auprès d'une association, du service enquêteur ou d'un·e avocat·e. Son
adresse est scellée comme le lieu d'hébergement : l'organisation auprès de qui le domicile est élu et le parquet du
dossier la lisent ; les autres lisent « Adresse scellée », sauf accès d'urgence (bris de glace, journalisé) ; jamais
au journal du dossier, dans un PDF, un courriel ni un journal technique."""

import json
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog
from mniop.roles import Role
from notifications.models import OutboxMessage
from orientation.enums import MeasureKind, ServiceAddressKind
from orientation.models import Measure
from orientation.rights_sheet import render_rights_sheet
from orientation.sealed import service_address_of
from orientation.services import break_glass, measures, procedures
from referents.enums import HabilitationKind, OrganisationKind
from signalements.enums import ComplaintStatus
from tests.accounts.factories import MembershipFactory
from tests.personas import acting_as
from tests.referents.factories import HabilitationFactory, OrganisationFactory
from tests.two_factor import login_verified

ADDRESS = "14 rue des Glycines, 75018 Paris"


@pytest.fixture
def complaint_case(make_validated):
    return make_validated(complaint_status=ComplaintStatus.FILED)


@pytest.fixture
def victim_support(world):
    """Une association d'aide aux victimes de Paris, auprès de qui la victime élit domicile."""
    organisation = OrganisationFactory(name="Aide aux victimes Paris", kind=OrganisationKind.ASSOCIATION)
    organisation.territories.set([world.paris])
    HabilitationFactory(organisation=organisation, kind=HabilitationKind.MNIOP)
    return organisation


@pytest.fixture
def victim_support_agent(victim_support):
    return MembershipFactory(organisation=victim_support, role=Role.ASSOCIATION_AGENT)


@pytest.fixture
def domiciled(complaint_case, filer, victim_support):
    return measures.record_measure(
        signalement=complaint_case,
        by=filer,
        kind=MeasureKind.ADDRESS_FOR_SERVICE,
        operator=victim_support,
        service_address_kind=ServiceAddressKind.ASSOCIATION,
        service_address=ADDRESS,
    )


def test_the_address_is_encrypted_at_rest(domiciled):
    with connection.cursor() as cursor:
        cursor.execute("SELECT service_address FROM orientation_measure WHERE id = %s", [domiciled.pk])
        stored = cursor.fetchone()[0]

    assert ADDRESS not in stored
    assert Measure.objects.get(pk=domiciled.pk).service_address == ADDRESS


def test_an_address_for_service_needs_where_and_the_address(complaint_case, filer):
    with pytest.raises(ValidationError) as error:
        measures.record_measure(signalement=complaint_case, by=filer, kind=MeasureKind.ADDRESS_FOR_SERVICE)

    assert {"service_address_kind", "service_address"} <= set(error.value.message_dict)


def test_only_an_address_for_service_carries_an_address(complaint_case, filer):
    with pytest.raises(ValidationError) as error:
        measures.record_measure(
            signalement=complaint_case, by=filer, kind=MeasureKind.LEGAL_AID, service_address=ADDRESS
        )

    assert "service_address" in error.value.message_dict


def test_a_domicile_at_the_police_is_implemented_by_a_police_or_gendarmerie_unit(complaint_case, filer, world):
    with pytest.raises(ValidationError) as error:
        measures.record_measure(
            signalement=complaint_case,
            by=filer,
            kind=MeasureKind.ADDRESS_FOR_SERVICE,
            operator=world.association,
            service_address_kind=ServiceAddressKind.POLICE,
            service_address=ADDRESS,
        )

    assert "operator" in error.value.message_dict


def test_anonymous_testimony_needs_a_judicial_procedure(complaint_case, filer):
    with pytest.raises(ValidationError, match="706-58"):
        measures.record_measure(signalement=complaint_case, by=filer, kind=MeasureKind.ANONYMOUS_TESTIMONY)

    procedures.record_procedure(signalement=complaint_case, by=filer, authority_name="Parquet de Paris")
    measure = measures.record_measure(signalement=complaint_case, by=filer, kind=MeasureKind.ANONYMOUS_TESTIMONY)

    assert measure.legal_basis == "Art. 706-58 CPP"


def test_the_case_journal_never_holds_the_address(domiciled):
    assert all(ADDRESS not in json.dumps(event.data) for event in domiciled.signalement.events.all())


@pytest.mark.parametrize(
    "persona, expected_status, sees_address",
    [
        ("association_agent", 200, False),
        ("association_admin", 200, False),
        ("miprof_agent", 200, False),
        ("miprof_admin", 200, False),
        ("departmental_validator", 200, False),
        ("parquet_magistrate", 200, True),
        ("police_officer", 404, False),
        ("association_agent_other_org", 404, False),
    ],
)
def test_the_case_page_seals_the_address(client_as, domiciled, persona, expected_status, sees_address):
    response = client_as(persona).get(f"/dossiers/{domiciled.signalement.public_id}/")

    assert response.status_code == expected_status
    text = response.content.decode()
    assert (ADDRESS in text) == sees_address
    if expected_status == 200 and not sees_address:
        assert "Adresse scellée" in text


def test_the_organisation_where_domicile_is_elected_reads_the_address(domiciled, victim_support_agent):
    user = acting_as(victim_support_agent)

    assert service_address_of(user, domiciled) == {"sealed": False, "address": ADDRESS}


def test_break_glass_reveals_the_address_and_logs_each_read(client_as, domiciled, world):
    client = client_as("departmental_validator")
    page = client.get(f"/dossiers/{domiciled.signalement.public_id}/").content.decode()
    assert "Accès d'urgence au lieu d'hébergement ou à l'adresse d'élection de domicile" in page

    reason = "Convocation urgente du parquet : la victime doit être jointe à son adresse de domiciliation."
    response = client.post(f"/dossiers/{domiciled.signalement.public_id}/bris-de-glace/", {"bris-reason": reason})
    assert response.status_code == 302
    page = client.get(f"/dossiers/{domiciled.signalement.public_id}/").content.decode()

    assert ADDRESS in page
    assert AccessLog.objects.filter(
        user=world.user("departmental_validator"),
        object_type="orientation.measure",
        object_id=str(domiciled.public_id),
        action="read",
    ).exists()


@pytest.mark.usefixtures("compiled_catalogs")
def test_no_email_nor_pdf_nor_log_line_carries_the_address(complaint_case, world, victim_support, log_output):
    client = Client()
    login_verified(client, world.user("association_agent"))
    response = client.post(
        f"/dossiers/{complaint_case.public_id}/mesures/",
        {
            "mesure-kind": MeasureKind.ADDRESS_FOR_SERVICE,
            "mesure-status": "proposed",
            "mesure-operator": str(victim_support.public_id),
            "mesure-service_address_kind": ServiceAddressKind.ASSOCIATION,
            "mesure-service_address": ADDRESS,
        },
    )
    assert response.status_code == 302
    break_glass.break_glass(
        signalement=complaint_case,
        by=world.acting("departmental_validator"),
        reason="Convocation urgente du parquet, la victime doit être jointe.",
    )

    assert Measure.objects.get(kind=MeasureKind.ADDRESS_FOR_SERVICE).service_address == ADDRESS
    messages = list(OutboxMessage.objects.all())
    assert messages
    assert all(ADDRESS not in f"{message.template} {message.link}" for message in messages)
    assert ADDRESS not in log_output.buffer.getvalue()
    pdf = render_rights_sheet(complaint_case, "fr")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert text.strip()
    assert ADDRESS not in text


@pytest.mark.parametrize("persona, sees_address", [("association_agent", False), ("parquet_magistrate", True)])
def test_the_api_gives_the_address_only_to_those_who_may_read_it(client_as, domiciled, persona, sees_address):
    response = client_as(persona).get(reverse("orientation_api:measure_list", args=[domiciled.signalement.public_id]))

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["service_address_kind"] == "association"
    assert (row["service_address"] == ADDRESS) == sees_address
    assert sees_address or row["service_address"] is None
