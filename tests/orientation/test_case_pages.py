"""Un dossier n'a qu'une page, son espace de travail : un présentateur, une frise, les heures dans le fuseau de
l'organisation de la personne, nommé en français ; l'ancienne adresse du signalement y renvoie."""

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


def workspace_url(signalement):
    return reverse("orientation:case_detail", args=[signalement.public_id])


def old_url(signalement):
    return reverse("signalements:signalement_detail", args=[signalement.public_id])


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


def test_an_overseas_validator_sees_local_times_with_the_french_zone_name(mayotte_validator, forwarded_in_mayotte):
    response = mayotte_validator.get(workspace_url(forwarded_in_mayotte))
    assert response.status_code == 200
    content = response.content.decode()
    assert "14/03/2026 à 12:05" in content
    assert "14/03/2026 à 10:05" not in content
    assert "heure de Mayotte" in content
    assert "Indian/Mayotte" not in content


def test_a_paris_agent_sees_paris_times(world, client_as, forwarded_in_mayotte):
    content = client_as("miprof_agent").get(workspace_url(forwarded_in_mayotte)).content.decode()
    assert "14/03/2026 à 10:05" in content
    assert "heure de Paris" in content


@pytest.mark.parametrize("persona", ["association_agent", "miprof_agent"])
def test_the_workspace_shows_nationalities_and_languages_in_french(client_as, forwarded_in_mayotte, persona):
    content = client_as(persona).get(workspace_url(forwarded_in_mayotte)).content.decode()
    assert "France, Maroc" in content
    assert "Français, Arabe" in content
    assert "FR, MA" not in content


def test_the_workspace_shows_the_timeline(world, client_as, forwarded_in_mayotte):
    case_page = client_as("miprof_agent").get(workspace_url(forwarded_in_mayotte))
    assert [(entry.family, entry.title, entry.detail) for entry in case_page.context["timeline"]] == [
        ("triage", "Transmis à l'autorité départementale", "département 976")
    ]


def test_following_an_old_signalement_link_writes_one_read_row(world, client_as, forwarded_in_mayotte):
    response = client_as("miprof_agent").get(old_url(forwarded_in_mayotte), follow=True)
    assert response.redirect_chain == [(workspace_url(forwarded_in_mayotte), 302)]
    assert list(AccessLog.objects.values_list("action", "view_name", "object_id")) == [
        (AccessAction.READ, "orientation:case_detail", str(forwarded_in_mayotte.public_id))
    ]
