"""L'identité scellée : le valideur départemental décide sur une vue pseudonymisée et n'ouvre l'identité qu'avec un
motif, inscrit au journal du dossier et au journal d'accès ; la Miprof donne un motif pour une personne mineure."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessAction, AccessLog
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import IdentityOpening, SignalementEvent
from tests.signalements.factories import SubmittedSignalementFactory

LAST_NAME = "Ivanovska"
FIRST_NAME = "Zorica"
BIRTH_DATE = datetime.date(1990, 3, 12)
BIRTH_DATE_TEXT = "12/03/1990"
ACCOUNT = "Récit : arrivée par un réseau de passeurs en 2024."
ALIAS = "Zora la Blonde"
PHONE = "07 81 22 90 14"
ADDRESS = "12 impasse des Tilleuls, 93200 Saint-Denis"
CONTACT = {"aliases": ALIAS, "phone": PHONE, "address": ADDRESS}
REASON = "Vérifier son identité avant de contacter le foyer et la police."


@pytest.fixture
def case(world):
    return SubmittedSignalementFactory(
        organisation=world.association,
        created_by=world.user("association_agent"),
        departement=world.paris,
        status=SignalementStatus.FORWARDED,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        birth_date=BIRTH_DATE,
        account=ACCOUNT,
        **CONTACT,
    )


@pytest.fixture
def minor_case(world):
    return SubmittedSignalementFactory(
        organisation=world.association,
        created_by=world.user("association_agent"),
        departement=world.paris,
        status=SignalementStatus.FORWARDED,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        birth_date=datetime.date(2011, 5, 2),
        account=ACCOUNT,
        **CONTACT,
    )


def page(case):
    """L'espace de travail du dossier, la seule page d'un dossier déposé."""
    return reverse("orientation:case_detail", args=[case.public_id])


def open_url(case):
    return reverse("signalements:signalement_identity_open", args=[case.public_id])


def api_url(case):
    return reverse("signalements_api:signalement_detail", args=[case.public_id])


def assert_sealed(content):
    assert LAST_NAME not in content
    assert FIRST_NAME not in content
    assert BIRTH_DATE_TEXT not in content
    assert "Arrivée par un réseau" not in content
    for value in CONTACT.values():
        assert value not in content


def test_validator_sees_a_pseudonymised_case_page(world, client_as, case):
    response = client_as("departmental_validator").get(page(case))

    assert response.status_code == 200
    content = response.content.decode()
    assert_sealed(content)
    assert "Identité scellée" in content
    assert open_url(case) in content
    assert AccessLog.objects.filter(action=AccessAction.READ, object_id=str(case.public_id)).count() == 1


def test_validator_gets_no_identity_from_the_api(world, client_as, case):
    response = client_as("departmental_validator").get(api_url(case))

    assert response.status_code == 200
    body = response.json()
    assert (body["first_name"], body["last_name"], body["birth_date"], body["account"]) == (None, None, None, None)
    assert (body["aliases"], body["phone"], body["address"]) == (None, None, None)
    assert body["reference"] == case.reference


def test_filing_organisation_reads_the_identity_without_a_reason(world, client_as, case):
    client = client_as("association_agent")
    content = client.get(page(case)).content.decode()
    assert LAST_NAME in content
    assert BIRTH_DATE_TEXT in content
    assert "Identité scellée" not in content
    for value in CONTACT.values():
        assert value in content
    body = client.get(api_url(case)).json()
    assert (body["last_name"], body["aliases"], body["phone"], body["address"]) == (LAST_NAME, ALIAS, PHONE, ADDRESS)


def test_miprof_agent_reads_an_adult_identity_without_a_reason(world, client_as, case):
    content = client_as("miprof_agent").get(page(case)).content.decode()
    assert LAST_NAME in content
    assert "Identité scellée" not in content


def test_miprof_agent_needs_a_reason_for_a_minor(world, client_as, minor_case):
    client = client_as("miprof_agent")
    content = client.get(page(minor_case)).content.decode()
    assert_sealed(content)
    assert "Identité scellée" in content
    assert client.get(api_url(minor_case)).json()["last_name"] is None

    client.post(open_url(minor_case), {"reason": REASON})

    assert LAST_NAME in client.get(page(minor_case)).content.decode()


def test_validator_opens_the_identity_with_a_reason(world, client_as, case):
    client = client_as("departmental_validator")
    back = page(case)

    response = client.post(open_url(case), {"reason": REASON, "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    opening = IdentityOpening.objects.get()
    assert (opening.signalement, opening.user, opening.reason) == (case, world.user("departmental_validator"), REASON)
    event = SignalementEvent.objects.get(signalement=case, kind=SignalementEventKind.IDENTITY_OPENED)
    assert event.actor == world.user("departmental_validator")
    assert event.data["opening"] == str(opening.public_id)
    assert REASON not in str(event.data)
    log = AccessLog.objects.get(view_name="signalements:signalement_identity_open")
    assert (log.action, log.object_id, log.user) == (AccessAction.READ, str(case.public_id), event.actor)

    content = client.get(back).content.decode()
    assert LAST_NAME in content
    assert BIRTH_DATE_TEXT in content
    assert f"Motif : {REASON}" in content
    for value in CONTACT.values():
        assert value in content
    assert client.get(api_url(case)).json()["phone"] == PHONE


def test_validator_never_reads_the_account_even_after_a_reason(world, client_as, case):
    client = client_as("departmental_validator")
    client.post(open_url(case), {"reason": REASON})
    assert "Arrivée par un réseau" not in client.get(page(case)).content.decode()
    assert client.get(api_url(case)).json()["account"] is None


def test_the_opening_expires(world, client_as, case):
    client = client_as("departmental_validator")
    client.post(open_url(case), {"reason": REASON})
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        content = client.get(page(case)).content.decode()
    assert_sealed(content)


@pytest.mark.parametrize("reason", ["", "trop court"])
def test_a_missing_or_short_reason_is_refused_in_french(world, client_as, case, reason):
    client = client_as("departmental_validator")

    response = client.post(open_url(case), {"reason": reason})

    assert response.status_code == 302
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "motif" in text.lower()
    assert not IdentityOpening.objects.exists()
    assert not SignalementEvent.objects.filter(kind=SignalementEventKind.IDENTITY_OPENED).exists()
    assert_sealed(client.get(page(case)).content.decode())


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("association_agent", 403),
        ("miprof_agent", 403),
        ("departmental_validator_other_departement", 404),
        ("association_agent_other_org", 404),
        ("statistician", 404),
    ],
)
def test_who_cannot_open_the_identity_with_a_reason(world, client_as, case, persona, expected):
    assert client_as(persona).post(open_url(case), {"reason": REASON}).status_code == expected
    assert not IdentityOpening.objects.exists()


def test_a_redirect_outside_the_platform_is_ignored(world, client_as, case):
    response = client_as("departmental_validator").post(
        open_url(case), {"reason": REASON, "next": "https://exemple.invalid/"}
    )
    assert response["Location"] == page(case)


@pytest.mark.parametrize("persona", ["child_protection_agent", "parquet_magistrate"])
def test_child_protection_and_parquet_open_a_minor_identity_with_a_reason(world, client_as, minor_case, persona):
    minor_case.status = SignalementStatus.CHILD_PROTECTION
    minor_case.save(update_fields=["status"])
    client = client_as(persona)
    assert_sealed(client.get(page(minor_case)).content.decode())

    response = client.post(open_url(minor_case), {"reason": REASON})

    assert response.status_code == 302
    assert IdentityOpening.objects.get().user == world.user(persona)
    assert LAST_NAME in client.get(page(minor_case)).content.decode()
