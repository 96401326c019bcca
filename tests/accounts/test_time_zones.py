"""Le fuseau de l'organisation de la personne, activé une fois par requête (middleware) et pour chaque courriel
envoyé par le worker ; son nom français vient d'une seule table (`mniop.time_zones`)."""

import csv
import datetime
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from mniop.roles import Role
from mniop.time_zones import ZONE_NAMES, zone_name
from notifications.services import deliver, enqueue_email
from referents.enums import Zone
from tests.accounts.factories import MembershipFactory
from tests.referents.factories import OrganisationFactory, TerritoryFactory
from tests.two_factor import login_verified

TERRITORIES = Path(__file__).resolve().parents[2] / "referents" / "data" / "territories.csv"
#: 09:05 UTC : 12:05 à Mayotte, 10:05 à Paris (mars).
AT = datetime.datetime(2026, 3, 14, 9, 5, tzinfo=datetime.UTC)


@pytest.fixture
def mayotte_member(db):
    mayotte = TerritoryFactory(
        code="976", name="Mayotte", zone=Zone.OUTRE_MER, region=None, time_zone="Indian/Mayotte"
    )
    organisation = OrganisationFactory(name="Association de Mamoudzou", territories=[mayotte])
    return MembershipFactory(organisation=organisation, role=Role.ASSOCIATION_AGENT)


def logged_in(membership):
    client = Client()
    login_verified(client, membership.user)
    return client


def test_every_time_zone_of_the_territories_has_a_french_name():
    with open(TERRITORIES, encoding="utf-8", newline="") as handle:
        zones = {row["time_zone"] for row in csv.DictReader(handle)}
    assert zones - set(ZONE_NAMES) == set()


@pytest.mark.parametrize(
    "key, name",
    [
        ("Indian/Mayotte", "heure de Mayotte"),
        ("Europe/Paris", "heure de Paris"),
        ("America/Cayenne", "heure de la Guyane"),
        ("Asia/Tokyo", "heure de Tokyo"),
        ("", "heure de Paris"),
    ],
)
def test_a_time_zone_is_named_in_french(key, name):
    assert zone_name(key) == name


def test_the_middleware_activates_the_zone_of_the_organisation_for_the_request_only(mayotte_member):
    response = logged_in(mayotte_member).get("/")
    assert response.wsgi_request.time_zone == "Indian/Mayotte"
    assert timezone.get_current_timezone_name() == "Europe/Paris"


def test_an_organisation_without_territory_and_an_anonymous_visitor_get_the_platform_zone(db):
    membership = MembershipFactory(organisation=OrganisationFactory(territories=[]))
    assert logged_in(membership).get("/").wsgi_request.time_zone == "Europe/Paris"
    assert Client().get("/").wsgi_request.time_zone == "Europe/Paris"


@time_machine.travel(AT, tick=False)
def test_an_email_is_written_in_the_time_zone_of_its_recipient(mayotte_member):
    message = enqueue_email(template="orientation_reminder", recipient=mayotte_member.user.email, path="/dossiers/")
    assert deliver(message_id=message.pk) is True
    assert "message du 14/03/2026 à 12:05 (heure de Mayotte)" in mail.outbox[0].body


@time_machine.travel(AT, tick=False)
def test_an_email_to_an_unknown_address_is_written_in_paris_time(db):
    message = enqueue_email(template="invitation", recipient="nouvelle@example.org", path="/invitation/abc/")
    assert deliver(message_id=message.pk) is True
    assert "message du 14/03/2026 à 10:05 (heure de Paris)" in mail.outbox[0].body
