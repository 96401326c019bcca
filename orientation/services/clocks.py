"""Les délais légaux : démarrer, suspendre, reprendre, arrêter. Comptés en jours ouvrés du territoire concerné
(`referents.working_days`), l'échéance tombant à 23:59:59 heure locale du territoire."""

import zoneinfo

from django.utils import timezone

from orientation.enums import ClockStep
from orientation.models import Clock, ClockSettings
from referents.working_days import deadline_at, working_days_between
from signalements.enums import SignalementStatus
from signalements.models import Signalement


def start_clock(*, signalement, step, territory, at=None):
    """Ouvre le délai d'une étape (un seul ouvert par étape : un délai déjà ouvert est rendu tel quel)."""
    existing = Clock.objects.open().filter(signalement=signalement, step=step).first()
    if existing is not None:
        return existing
    at = at or timezone.now()
    days = ClockSettings.current().working_days(step, urgent=signalement.urgent)
    return Clock.objects.create(
        signalement=signalement,
        step=step,
        territory=territory,
        working_days=days,
        started_at=at,
        due_at=deadline_at(territory, at, days),
    )


def stop_clocks(*, signalement, steps, at=None):
    return Clock.objects.open().filter(signalement=signalement, step__in=steps).update(stopped_at=at or timezone.now())


def pause_clock(*, signalement, step, at=None):
    return Clock.objects.running().filter(signalement=signalement, step=step).update(paused_at=at or timezone.now())


def resume_clock(*, clock, at=None):
    """Reprend un délai suspendu : les jours ouvrés qui restaient à la suspension restent à courir."""
    at = at or timezone.now()
    tz = zoneinfo.ZoneInfo(clock.territory.time_zone)
    remaining = max(
        working_days_between(
            clock.territory, clock.paused_at.astimezone(tz).date(), clock.due_at.astimezone(tz).date()
        ),
        0,
    )
    clock.due_at = deadline_at(clock.territory, at, remaining)
    clock.paused_at = None
    clock.save(update_fields=["due_at", "paused_at"])
    return clock


def sync_clocks(now=None):
    """Tâche beat, rejouable : ouvre le délai d'instruction des signalements soumis qui n'en ont pas (depuis leur
    dépôt) et reprend celui des signalements revenus en instruction après une réponse à un complément."""
    now = now or timezone.now()
    opened = 0
    missing = Signalement.objects.filter(status=SignalementStatus.SUBMITTED, departement__isnull=False).exclude(
        clocks__step=ClockStep.TRIAGE
    )
    for signalement in missing.select_related("departement")[:1000]:
        start_clock(
            signalement=signalement,
            step=ClockStep.TRIAGE,
            territory=signalement.departement,
            at=signalement.submitted_at,
        )
        opened += 1
    resumed = 0
    paused = Clock.objects.open().filter(
        step=ClockStep.TRIAGE, paused_at__isnull=False, signalement__status=SignalementStatus.IN_TRIAGE
    )
    for clock in paused.select_related("territory"):
        resume_clock(clock=clock, at=now)
        stop_clocks(signalement=clock.signalement, steps=[ClockStep.INFORMATION_REQUEST], at=now)
        resumed += 1
    return opened, resumed
