"""Alertes de lecture inhabituelle : un dépouillement quotidien du journal d'accès, envoyé à l'administration de la
Miprof (notification dans l'application et courriel sans donnée personnelle), une seule fois par jour."""

import datetime
import zoneinfo

from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reading_alerts import unusual_readings
from accounts.tasks import send_reading_alerts
from notifications.models import Notification, OutboxMessage
from tests.signalements.factories import SubmittedSignalementFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def read_cases(world, persona, count, at=None, view="/dossiers/"):
    request = RequestFactory().get(view)
    request.user = world.user(persona)
    request.membership = world.memberships[persona]
    for _ in range(count):
        entry = log_access(request, action=AccessAction.READ, obj=SubmittedSignalementFactory())
        if at is not None:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("UPDATE accounts_accesslog SET at = %s WHERE id = %s", [at, entry.id])
                cursor.execute("SET LOCAL session_replication_role = origin")


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
