"""Un dossier se lit de la même façon sur ses deux pages (le signalement, le dossier d'orientation) : un présentateur,
une frise, les heures dans le fuseau de l'organisation de la personne, nommé en français."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from mniop.roles import Role
from referents.enums import OrganisationKind, Zone
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import SignalementEvent
from tests.accounts.factories import MembershipFactory
from tests.referents.factories import OrganisationFactory, TerritoryFactory
from tests.signalements.factories import SubmittedSignalementFactory
from tests.two_factor import login_verified

#: 09:05 UTC : 12:05 à Mayotte (UTC+3), 10:05 à Paris (UTC+1 en mars).
AT = datetime.datetime(2026, 3, 14, 9, 5, tzinfo=datetime.UTC)


def page_urls(signalement):
    return [
        reverse("signalements:signalement_detail", args=[signalement.public_id]),
        reverse("orientation:case_detail", args=[signalement.public_id]),
    ]


@pytest.fixture
def mayotte(db):
    return TerritoryFactory(code="976", name="Mayotte", zone=Zone.OUTRE_MER, region=None, time_zone="Indian/Mayotte")


@pytest.fixture
def mayotte_validator(mayotte):
    prefecture = OrganisationFactory(
        name="Préfecture de Mayotte", kind=OrganisationKind.PREFECTURE, territories=[mayotte]
    )
    membership = MembershipFactory(organisation=prefecture, role=Role.DEPARTMENTAL_VALIDATOR, departements=[mayotte])
    client = Client()
    login_verified(client, membership.user)
    return client


@pytest.fixture
def forwarded_in_mayotte(world, mayotte):
    signalement = SubmittedSignalementFactory(
        organisation=world.association,
        created_by=world.user("association_agent"),
        departement=mayotte,
        status=SignalementStatus.FORWARDED,
        nationalities=["FR", "MA"],
        languages=["fr", "ar"],
    )
    SignalementEvent.objects.create(
        signalement=signalement,
        kind=SignalementEventKind.FORWARDED,
        at=AT,
        actor=world.user("miprof_agent"),
        organisation=world.miprof,
        data={"departement": "976"},
    )
    return signalement


def test_an_overseas_validator_sees_local_times_with_the_french_zone_name_on_both_case_pages(
    mayotte_validator, forwarded_in_mayotte
):
    for url in page_urls(forwarded_in_mayotte):
        response = mayotte_validator.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "14/03/2026 à 12:05" in content, url
        assert "14/03/2026 à 10:05" not in content, url
        assert "heure de Mayotte" in content, url
        assert "Indian/Mayotte" not in content, url


def test_a_paris_agent_sees_paris_times_on_both_case_pages(world, client_as, forwarded_in_mayotte):
    client = client_as("miprof_agent")
    for url in page_urls(forwarded_in_mayotte):
        content = client.get(url).content.decode()
        assert "14/03/2026 à 10:05" in content, url
        assert "heure de Paris" in content, url


@pytest.mark.parametrize("persona", ["association_agent", "miprof_agent"])
def test_both_case_pages_show_nationalities_and_languages_in_french(client_as, forwarded_in_mayotte, persona):
    for url in page_urls(forwarded_in_mayotte):
        content = client_as(persona).get(url).content.decode()
        assert "France, Maroc" in content, url
        assert "Français, Arabe" in content, url
        assert "FR, MA" not in content, url


def test_both_case_pages_show_the_same_timeline(world, client_as, forwarded_in_mayotte):
    client = client_as("miprof_agent")
    signalement_page, case_page = (client.get(url) for url in page_urls(forwarded_in_mayotte))
    assert signalement_page.context["timeline"] == case_page.context["timeline"]
    assert [(entry.family, entry.title, entry.detail) for entry in case_page.context["timeline"]] == [
        ("triage", "Transmis à l'autorité départementale", "département 976")
    ]


def test_both_case_pages_write_one_read_row_each_in_the_access_log(world, client_as, forwarded_in_mayotte):
    client = client_as("miprof_agent")
    for url in page_urls(forwarded_in_mayotte):
        client.get(url)
    assert list(AccessLog.objects.order_by("id").values_list("action", "view_name")) == [
        (AccessAction.READ, "signalements:signalement_detail"),
        (AccessAction.READ, "orientation:case_detail"),
    ]
