"""Alertes de lecture inhabituelle, tirées du journal d'accès (tâche beat quotidienne) et envoyées à
l'administration de la Miprof : une notification dans l'application et un courriel sans donnée personnelle (un lien
vers le journal d'accès).

Trois signaux sur les dernières 24 heures (7 jours pour le bris de glace), seuils dans `ACCESS_LOG_ALERTS` :
- une personne qui ouvre beaucoup de dossiers différents (`MANY_CASES`) ;
- des lectures de dossiers la nuit (`NIGHT_READS`, entre `NIGHT_START` et `NIGHT_END`, heure de `TIME_ZONE`) ;
- des accès d'urgence (bris de glace) répétés par la même personne (`BREAK_GLASS`).
Une seule alerte par jour et par administrateur·rice : relancer la tâche ne renvoie rien."""

import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from accounts.models import AccessAction, AccessLog, User
from notifications.models import OutboxMessage
from notifications.services import enqueue_email, notify_users

CASE_TYPE = "signalements.signalement"
BREAK_GLASS_VIEW = "orientation:break_glass"
DEFAULTS = {"MANY_CASES": 40, "NIGHT_READS": 5, "NIGHT_START": 22, "NIGHT_END": 6, "BREAK_GLASS": 3}
TEMPLATE = "access_log_alert"


@dataclass(frozen=True)
class ReadingAlert:
    kind: str
    user_id: int
    count: int


def limits():
    return {**DEFAULTS, **getattr(settings, "ACCESS_LOG_ALERTS", {})}


def unusual_readings(now=None):
    """Les alertes du moment, triées (type, personne)."""
    now = now or timezone.now()
    config = limits()
    reads = AccessLog.objects.filter(
        at__gte=now - timedelta(hours=24), at__lt=now, user__isnull=False, action=AccessAction.READ
    ).filter(object_type=CASE_TYPE)
    alerts = [
        ReadingAlert("many_cases", row["user"], row["count"])
        for row in reads.values("user").annotate(count=Count("object_id", distinct=True))
        if row["count"] >= config["MANY_CASES"]
    ]
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    night = reads.annotate(hour=ExtractHour("at", tzinfo=local)).filter(
        Q(hour__gte=config["NIGHT_START"]) | Q(hour__lt=config["NIGHT_END"])
    )
    alerts += [
        ReadingAlert("night_reads", row["user"], row["count"])
        for row in night.values("user").annotate(count=Count("id"))
        if row["count"] >= config["NIGHT_READS"]
    ]
    glass = AccessLog.objects.filter(
        at__gte=now - timedelta(days=7), at__lt=now, user__isnull=False, view_name=BREAK_GLASS_VIEW, method="POST"
    )
    alerts += [
        ReadingAlert("break_glass", row["user"], row["count"])
        for row in glass.values("user").annotate(count=Count("id"))
        if row["count"] >= config["BREAK_GLASS"]
    ]
    return sorted(alerts, key=lambda alert: (alert.kind, alert.user_id))


@transaction.atomic
def send_reading_alerts(now=None):
    """Prévient l'administration de la Miprof s'il y a des alertes ; renvoie le nombre d'alertes."""
    now = now or timezone.now()
    alerts = unusual_readings(now)
    if not alerts:
        return 0
    path = reverse("accounts:access_log_list")
    since = now - timedelta(hours=24)
    already = set(
        OutboxMessage.objects.filter(template=TEMPLATE, created_at__gte=since).values_list("recipient", flat=True)
    )
    admins = [user for user in recipients.miprof_admins() if user.email not in already]
    names = dict(User.objects.filter(pk__in={alert.user_id for alert in alerts}).values_list("pk", "email"))
    readers = ", ".join(sorted(set(names.values())))
    title = f"Lectures inhabituelles au journal d'accès : {len(alerts)} alerte(s) ({readers})"
    notify_users(users=admins, title=title[:200], path=path)
    for admin in admins:
        enqueue_email(template=TEMPLATE, recipient=admin.email, path=path)
    return len(alerts)
