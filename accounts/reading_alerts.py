"""Alertes de lecture inhabituelle, tirées du journal d'accès (tâche beat quotidienne) et envoyées à
l'administration de la Miprof : une notification dans l'application et un courriel sans donnée personnelle (un lien
vers le journal d'accès).

Cinq signaux sur les dernières 24 heures (7 jours pour le bris de glace), seuils dans `ACCESS_LOG_ALERTS` :
- une personne qui ouvre beaucoup de dossiers différents (`MANY_CASES`) ;
- des lectures de dossiers la nuit (`NIGHT_READS`, entre `NIGHT_START` et `NIGHT_END`, heure de `TIME_ZONE`) ;
- des accès d'urgence (bris de glace) répétés par la même personne (`BREAK_GLASS`) ;
- hors du périmètre habituel (`OUTSIDE_SCOPE`) : des dossiers dont ni le département ni l'organisation qui les a
  déposés ne figurent dans ce que la personne a lu les `SCOPE_HISTORY_DAYS` jours d'avant (ni l'organisation au nom
  de laquelle elle agit), pour qui en a lu au moins `SCOPE_MIN_HISTORY`. Ses adhésions actives comptent aussi comme
  habituelles (`membership_scopes`) : les dossiers de ses organisations, les départements de compétence d'un·e
  valideur·se ; un agent de la Miprof, de portée nationale, n'est jamais « hors périmètre » : seul son volume le juge ;
- un volume très au-dessus de sa propre habitude (`VOLUME_FACTOR` fois la médiane de ses dossiers lus par jour sur
  les `SCOPE_HISTORY_DAYS` jours d'avant, jours sans lecture compris, et au moins `VOLUME_MIN`).
Le périmètre d'un dossier (département, organisation) est fourni par l'application qui possède les dossiers
(`register_case_scopes`, appelé par `signalements/apps.py`) : accounts ne l'importe pas. Aucune donnée de la victime
n'entre dans une alerte : un type, une personne du métier, un nombre.
Une seule alerte par jour et par administrateur·rice : relancer la tâche ne renvoie rien."""

import statistics
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from accounts.models import AccessAction, AccessLog, Membership, User
from mniop.roles import NATIONAL_CASE_ROLES
from notifications.models import OutboxMessage
from notifications.services import enqueue_email, notify_users

CASE_TYPE = "signalements.signalement"
BREAK_GLASS_VIEW = "orientation:break_glass"
DEFAULTS = {
    "MANY_CASES": 40,
    "NIGHT_READS": 5,
    "NIGHT_START": 22,
    "NIGHT_END": 6,
    "BREAK_GLASS": 3,
    "OUTSIDE_SCOPE": 3,
    "SCOPE_MIN_HISTORY": 5,
    "SCOPE_HISTORY_DAYS": 30,
    "VOLUME_FACTOR": 5,
    "VOLUME_MIN": 10,
}
TEMPLATE = "access_log_alert"
KIND_LABELS = {
    "break_glass": "bris de glace répétés",
    "many_cases": "nombreux dossiers",
    "night_reads": "lectures de nuit",
    "outside_scope": "hors du périmètre habituel",
    "volume_spike": "volume inhabituel",
}
#: Le périmètre des dossiers : une fonction `identifiants publics -> {identifiant: (département, organisation)}`.
_case_scopes = None


def register_case_scopes(resolver):
    """Déclarée par l'application des dossiers au démarrage (signalements/apps.py)."""
    global _case_scopes
    _case_scopes = resolver


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
    alerts += unusual_scope_and_volume(reads, now, config)
    return sorted(alerts, key=lambda alert: (alert.kind, alert.user_id))


@dataclass
class MembershipScope:
    """Ce que les adhésions actives d'une personne rendent habituel : ses organisations, ses départements de
    compétence ; `is_national` pour la Miprof, qui lit tout le territoire."""

    organisations: set
    departements: set
    is_national: bool = False


def membership_scopes(user_ids):
    """{personne: MembershipScope} pour ces personnes, en deux requêtes."""
    scopes = {user_id: MembershipScope(set(), set()) for user_id in user_ids}
    memberships = Membership.objects.active().filter(user__in=user_ids)
    for user_id, organisation_id, role in memberships.values_list("user", "organisation", "role"):
        scopes[user_id].organisations.add(organisation_id)
        scopes[user_id].is_national |= role in NATIONAL_CASE_ROLES
    for user_id, departement_id in memberships.filter(departements__isnull=False).values_list("user", "departements"):
        scopes[user_id].departements.add(departement_id)
    return scopes


def unusual_scope_and_volume(reads, now, config):
    """Les lectures des dernières 24 heures comparées à celles de la même personne les jours d'avant."""
    today = {}
    known_organisations = {}
    for user_id, object_id, organisation_id in reads.values_list("user", "object_id", "organisation").distinct():
        today.setdefault(user_id, set()).add(object_id)
        known_organisations.setdefault(user_id, set()).add(organisation_id)
    if not today:
        return []
    days = config["SCOPE_HISTORY_DAYS"]
    window_start = now - timedelta(hours=24)
    history_reads = AccessLog.objects.filter(
        at__gte=window_start - timedelta(days=days),
        at__lt=window_start,
        user__in=today,
        action=AccessAction.READ,
        object_type=CASE_TYPE,
    )
    history = {}
    for user_id, object_id, organisation_id in history_reads.values_list(
        "user", "object_id", "organisation"
    ).distinct():
        history.setdefault(user_id, set()).add(object_id)
        known_organisations[user_id].add(organisation_id)
    daily = {}
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for row in (
        history_reads.values("user", day=TruncDate("at", tzinfo=local))
        .annotate(count=Count("object_id", distinct=True))
        .order_by()
    ):
        daily.setdefault(row["user"], []).append(row["count"])
    scopes = _case_scopes(set().union(*today.values(), *history.values())) if _case_scopes else {}
    memberships = membership_scopes(today)
    alerts = []
    for user_id, cases in sorted(today.items()):
        seen = history.get(user_id, set())
        membership = memberships[user_id]
        if len(seen) >= config["SCOPE_MIN_HISTORY"] and not membership.is_national:
            departements = membership.departements | {scopes[case][0] for case in seen if case in scopes}
            organisations = (
                known_organisations[user_id]
                | membership.organisations
                | {scopes[case][1] for case in seen if case in scopes}
            )
            outside = [
                case
                for case in cases
                if case in scopes and scopes[case][0] not in departements and scopes[case][1] not in organisations
            ]
            if len(outside) >= config["OUTSIDE_SCOPE"]:
                alerts.append(ReadingAlert("outside_scope", user_id, len(outside)))
        if user_id in daily:
            counts = daily[user_id] + [0] * (days - len(daily[user_id]))
            threshold = max(config["VOLUME_MIN"], config["VOLUME_FACTOR"] * statistics.median(counts))
            if len(cases) >= threshold:
                alerts.append(ReadingAlert("volume_spike", user_id, len(cases)))
    return alerts


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
    kinds = ", ".join(sorted({KIND_LABELS[alert.kind] for alert in alerts}))
    title = f"Lectures inhabituelles au journal d'accès : {len(alerts)} alerte(s), {kinds} ({readers})"
    notify_users(users=admins, title=title[:200], path=path)
    for admin in admins:
        enqueue_email(template=TEMPLATE, recipient=admin.email, path=path)
    return len(alerts)
