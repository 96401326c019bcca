"""Les alertes dont la Miprof a besoin pour piloter le mécanisme (issue 16) : un dossier suivi sans activité depuis
N jours ouvrés (réglage `ClockSettings.inactivity_alert_days`, page `/miprof/delais/`).

Tâche beat quotidienne et rejouable : une seule alerte par dossier et par période sans activité (`InactivityAlert`,
unique par dossier et date du dernier événement) ; un nouvel événement ouvre une nouvelle période. Chaque personne de
l'équipe reçoit **un seul courriel par passage** (le résumé des dossiers nouvellement signalés : références et
liens), quel que soit le nombre de dossiers. L'alerte ne nomme que la référence du dossier
(`signalements.notifications.case_title`)."""

import datetime
import zoneinfo

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from notifications.services import absolute_url, enqueue_email
from orientation.models import ClockSettings, InactivityAlert
from orientation.services.notices import case_path
from referents.working_days import working_days_between
from signalements import lifecycle
from signalements.models import Signalement
from signalements.notifications import notify_case

INACTIVITY_TEMPLATE = "case_inactive"


def inactive_cases(now=None):
    """[(dossier, date du dernier événement)] : les dossiers suivis (`lifecycle.JOURNEY`) sans événement depuis au
    moins `inactivity_alert_days` jours ouvrés de leur département responsable, pas encore signalés pour cette
    période."""
    now = now or timezone.now()
    days = ClockSettings.current().inactivity_alert_days
    # N jours ouvrés durent au moins N jours du calendrier : un premier tri large en SQL (à un jour près, les dates
    # sont comptées à l'heure du territoire), le compte exact ensuite.
    candidates = list(
        Signalement.objects.filter(status__in=lifecycle.JOURNEY)
        .annotate(last_activity_at=Max("events__at"))
        .filter(last_activity_at__lte=now - datetime.timedelta(days=max(days - 1, 0)))
        .select_related("departement", "competent_departement")
        .order_by("last_activity_at", "pk")
    )
    already = set(
        InactivityAlert.objects.filter(signalement__in=[case.pk for case in candidates]).values_list(
            "signalement_id", "last_activity_at"
        )
    )
    found = []
    for case in candidates:
        if (case.pk, case.last_activity_at) in already:
            continue
        territory = case.responsible_departement
        if territory is None:
            continue
        tz = zoneinfo.ZoneInfo(territory.time_zone)
        today = now.astimezone(tz).date()
        if working_days_between(territory, case.last_activity_at.astimezone(tz).date(), today) >= days:
            found.append((case, case.last_activity_at))
    return found


def alert_inactive_cases(now=None):
    """Prévient l'équipe de la Miprof des dossiers suivis restés sans activité : une notification dans l'application
    par dossier (vers le dossier) et **un seul courriel par personne**, le résumé du jour, qui liste les références
    et les liens des dossiers nouvellement signalés (aucune donnée personnelle). Renvoie le nombre de dossiers
    signalés."""
    days = ClockSettings.current().inactivity_alert_days
    team = recipients.miprof_team()
    alerted = []
    with transaction.atomic():
        for case, last_activity_at in inactive_cases(now):
            try:
                with transaction.atomic():
                    InactivityAlert.objects.create(
                        signalement=case, last_activity_at=last_activity_at, recipients_count=len(team)
                    )
            except IntegrityError:
                continue  # un autre passage de la tâche l'a signalé entre-temps
            path = case_path(case)
            notify_case(
                team, signalement=case, action=f"dossier suivi sans activité depuis {days} jours ouvrés", path=path
            )
            alerted.append({"reference": case.reference, "link": absolute_url(path), "urgent": case.urgent})
        if alerted:
            context = {"cases": alerted, "days": days}
            for user in team:
                enqueue_email(
                    template=INACTIVITY_TEMPLATE,
                    recipient=user.email,
                    path=reverse("orientation:miprof_queue"),
                    context=context,
                )
    return len(alerted)
