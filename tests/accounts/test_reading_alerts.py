"""Alertes de lecture inhabituelle : un dépouillement quotidien du journal d'accès, envoyé à l'administration de la
Miprof (notification dans l'application et courriel sans donnée personnelle), une seule fois par jour."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reading_alerts import unusual_readings
from accounts.tasks import send_reading_alerts
from notifications.models import Notification, OutboxMessage
from tests.accounts.factories import MembershipFactory
from tests.signalements.factories import SubmittedSignalementFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def read_cases(world, persona, count, at=None, view="/dossiers/"):
    return read_these(world, persona, [SubmittedSignalementFactory() for _ in range(count)], at=at, view=view)


def read_these(world, persona, cases, at=None, view="/dossiers/"):
    """`persona` ouvre chacun de ces dossiers (à la date `at`, posée en SQL de superutilisateur, si donnée)."""
    request = RequestFactory().get(view)
    request.user = world.user(persona)
    request.membership = world.memberships[persona]
    for case in cases:
        entry = log_access(request, action=AccessAction.READ, obj=case)
        if at is not None:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("UPDATE accounts_accesslog SET at = %s WHERE id = %s", [at, entry.id])
                cursor.execute("SET LOCAL session_replication_role = origin")
    return cases


def test_many_cases_read_by_one_person_alert_the_miprof_admins_once(world, settings):
    settings.ACCESS_LOG_ALERTS = {"MANY_CASES": 5}
    read_cases(world, "miprof_agent", 5)
    read_cases(world, "association_agent", 2)

    assert send_reading_alerts() == 1

    admin = world.user("miprof_admin")
    notification = Notification.objects.get(user=admin)
    assert "1 alerte(s)" in notification.title
    assert world.user("miprof_agent").email in notification.title
    message = OutboxMessage.objects.get(template="access_log_alert")
    assert message.recipient == admin.email
    assert message.link.endswith("/journal-acces/")
    send_reading_alerts()
    assert OutboxMessage.objects.filter(template="access_log_alert").count() == 1


def test_night_reads_are_an_alert(world, settings):
    settings.ACCESS_LOG_ALERTS = {"NIGHT_READS": 2}
    night = timezone.now().astimezone(PARIS).replace(hour=3, minute=0)
    if night > timezone.now():
        night -= datetime.timedelta(days=1)
    read_cases(world, "departmental_validator", 2, at=night)

    alerts = unusual_readings()
    assert [(alert.kind, alert.user_id) for alert in alerts] == [
        ("night_reads", world.user("departmental_validator").pk)
    ]


def test_ordinary_reading_sends_nothing(world):
    read_cases(world, "miprof_agent", 3)
    assert send_reading_alerts() == 0
    assert not OutboxMessage.objects.filter(template="access_log_alert").exists()


def cases_of(organisation, departement, count):
    return [SubmittedSignalementFactory(organisation=organisation, departement=departement) for _ in range(count)]


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_cases_outside_the_usual_scope_alert_without_victim_data(world, settings):
    """La valideuse de Paris, qui lit d'habitude des dossiers de Paris, ouvre trois dossiers du Nord."""
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5}
    paris, nord = world.paris, world.nord
    read_these(world, "departmental_validator", cases_of(world.association, paris, 5), at=days_ago(3))
    read_these(world, "departmental_validator", cases_of(world.association, paris, 1))
    outside = read_these(world, "departmental_validator", cases_of(world.other_association, nord, 3))

    alerts = unusual_readings()
    assert [(alert.kind, alert.user_id, alert.count) for alert in alerts] == [
        ("outside_scope", world.user("departmental_validator").pk, 3)
    ]
    assert send_reading_alerts() == 1
    title = Notification.objects.get(user=world.user("miprof_admin")).title
    assert "hors du périmètre habituel" in title
    assert world.user("departmental_validator").email in title
    assert not any(case.pseudonym in title or str(case.public_id) in title for case in outside)


def test_cases_of_a_known_departement_or_organisation_are_in_the_usual_scope(world, settings):
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5}
    paris, nord = world.paris, world.nord
    read_these(world, "departmental_validator", cases_of(world.association, paris, 5), at=days_ago(3))
    read_these(world, "departmental_validator", cases_of(world.other_association, paris, 3))
    read_these(world, "departmental_validator", cases_of(world.association, nord, 3))

    assert unusual_readings() == []


def test_no_scope_alert_without_enough_history(world, settings):
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5}
    paris, nord = world.paris, world.nord
    read_these(world, "departmental_validator", cases_of(world.association, paris, 4), at=days_ago(3))
    read_these(world, "departmental_validator", cases_of(world.other_association, nord, 3))

    assert unusual_readings() == []


def test_reads_older_than_the_history_window_do_not_make_the_usual_scope(world, settings):
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5, "SCOPE_HISTORY_DAYS": 30}
    paris, nord = world.paris, world.nord
    read_these(world, "departmental_validator", cases_of(world.association, paris, 5), at=days_ago(3))
    read_these(world, "departmental_validator", cases_of(world.other_association, nord, 1), at=days_ago(40))
    read_these(world, "departmental_validator", cases_of(world.other_association, nord, 3))

    assert [alert.kind for alert in unusual_readings()] == ["outside_scope"]


@pytest.mark.parametrize("today, expected", [(4, [("volume_spike", 4)]), (3, [])])
def test_a_volume_far_above_the_persons_own_median_alerts(world, settings, today, expected):
    """Un dossier par jour pendant 16 jours (médiane sur 30 jours : 1) ; 4 dossiers en un jour, c'est 4 × 1."""
    settings.ACCESS_LOG_ALERTS = {"VOLUME_FACTOR": 4, "VOLUME_MIN": 4}
    for day in range(2, 18):
        read_these(world, "association_agent", cases_of(world.association, world.paris, 1), at=days_ago(day))
    read_these(world, "association_agent", cases_of(world.association, world.paris, today))

    assert [(alert.kind, alert.count) for alert in unusual_readings()] == expected


def test_a_validators_own_departement_is_usual_even_if_she_never_read_it(world, settings):
    """Nouvellement compétente pour Paris, la valideuse n'avait lu que des dossiers du Nord : Paris est habituel."""
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5}
    read_these(world, "departmental_validator", cases_of(world.association, world.nord, 5), at=days_ago(3))
    read_these(world, "departmental_validator", cases_of(world.other_association, world.paris, 3))

    assert unusual_readings() == []


def test_the_cases_of_another_organisation_of_the_person_are_usual(world, settings):
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5}
    MembershipFactory(user=world.user("association_agent"), organisation=world.other_association)
    read_these(world, "association_agent", cases_of(world.association, world.paris, 5), at=days_ago(3))
    read_these(world, "association_agent", cases_of(world.other_association, world.nord, 3))

    assert unusual_readings() == []


def test_an_inactive_membership_does_not_make_the_usual_scope(world, settings):
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5}
    MembershipFactory(user=world.user("association_agent"), organisation=world.other_association, is_active=False)
    read_these(world, "association_agent", cases_of(world.association, world.paris, 5), at=days_ago(3))
    read_these(world, "association_agent", cases_of(world.other_association, world.nord, 3))

    assert [alert.kind for alert in unusual_readings()] == ["outside_scope"]


def test_a_miprof_agent_is_judged_by_volume_not_by_departement(world, settings):
    settings.ACCESS_LOG_ALERTS = {"OUTSIDE_SCOPE": 3, "SCOPE_MIN_HISTORY": 5, "VOLUME_FACTOR": 4, "VOLUME_MIN": 4}
    read_these(world, "miprof_agent", cases_of(world.association, world.paris, 5), at=days_ago(3))
    read_these(world, "miprof_agent", cases_of(world.other_association, world.nord, 3))

    assert unusual_readings() == []

    read_these(world, "miprof_agent", cases_of(world.other_association, world.nord, 1))

    assert [(alert.kind, alert.count) for alert in unusual_readings()] == [("volume_spike", 4)]
