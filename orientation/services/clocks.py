"""Les délais cibles de la Miprof (aucun texte ne les fixe, domaine §11.5) : démarrer, suspendre, reprendre,
arrêter. Comptés en jours ouvrés du territoire concerné (`referents.working_days`), l'échéance tombant à 23:59:59
heure locale du territoire."""

import datetime
import zoneinfo

import pghistory
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from orientation.enums import ClockStep, ReferralChannel
from orientation.models import Clock, ClockSettings
from orientation.permissions import can_manage_clock_settings
from referents.working_days import deadline_at, working_days_between
from signalements import lifecycle
from signalements.enums import SignalementStatus
from signalements.models import Signalement

#: Les délais que l'administration de la Miprof règle (`ClockSettings`).
CLOCK_SETTING_FIELDS = (
    "triage_days",
    "triage_urgent_days",
    "decision_days",
    "decision_urgent_days",
    "reconsideration_days",
    "information_days",
    "information_urgent_days",
    "reminder_hours_before",
    "admin_escalation_hours_after",
    "inactivity_alert_days",
)


@transaction.atomic
def update_clock_settings(*, by, **values):
    """Règle les délais (administration de la Miprof) : ils s'appliquent aux délais ouverts ensuite. La version
    précédente reste dans l'historique (django-pghistory, contexte `by`)."""
    if not can_manage_clock_settings(by):
        raise PermissionDenied("Seule l'administration de la Miprof règle les délais.")
    unknown = set(values) - set(CLOCK_SETTING_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    ClockSettings.current()
    settings = ClockSettings.objects.select_for_update().get(pk=1)
    changed = [name for name, value in values.items() if getattr(settings, name) != value]
    for name in changed:
        setattr(settings, name, values[name])
    settings.full_clean(exclude=["updated_by"])
    if changed:
        settings.updated_by = by
        with pghistory.context(by=str(by.public_id)):
            settings.save()
    return settings


#: Les passages de relais de l'hébergement : (réglage en heures pour un dossier urgent, réglage en jours ouvrés sinon).
HOURLY_DEADLINES = {
    ClockStep.DISTANCING_WAIVER: (
        "ORIENTATION_URGENT_DISTANCING_WAIVER_HOURS",
        "ORIENTATION_DISTANCING_WAIVER_WORKING_DAYS",
    ),
    ClockStep.ACSE_DISPATCH: ("ORIENTATION_URGENT_ACSE_DISPATCH_HOURS", "ORIENTATION_ACSE_DISPATCH_WORKING_DAYS"),
}


def _deadline(signalement, step, territory, at):
    """(jours ouvrés, échéance) d'une étape. Les passages de relais de l'hébergement (`HOURLY_DEADLINES` : seconde
    approbation d'un placement hors règle d'éloignement, répartition par la coordination Ac.Sé) se comptent en
    heures pour un dossier urgent (0 jour ouvré), sinon en jours ouvrés ; les autres délais, selon
    `ClockSettings`."""
    if step in HOURLY_DEADLINES:
        hours, working_days = HOURLY_DEADLINES[step]
        if signalement.urgent:
            return 0, at + datetime.timedelta(hours=getattr(django_settings, hours))
        days = getattr(django_settings, working_days)
    else:
        days = ClockSettings.current().working_days(step, urgent=signalement.urgent)
    return days, deadline_at(territory, at, days)


def start_clock(*, signalement, step, territory, at=None):
    """Ouvre le délai d'une étape (un seul ouvert par étape : un délai déjà ouvert est rendu tel quel)."""
    existing = Clock.objects.open().filter(signalement=signalement, step=step).first()
    if existing is not None:
        return existing
    at = at or timezone.now()
    days, due_at = _deadline(signalement, step, territory, at)
    return Clock.objects.create(
        signalement=signalement, step=step, territory=territory, working_days=days, started_at=at, due_at=due_at
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


# --- Les délais suivent les transitions -------------------------------------------------------------------------
# Chaque transition ouvre, suspend, reprend ou arrête ses délais dans sa propre transaction (effets enregistrés dans
# la table du cycle de vie, `signalements.lifecycle.register_effect`, par `register()` au démarrage) : aucune
# échéance n'attend la tâche beat `sync_clocks`, qui reste un filet de sécurité.

DECISION_STEPS = (ClockStep.DEPARTMENTAL_DECISION, ClockStep.RECONSIDERATION)


def _open_triage(signalement, event):
    """Au dépôt : le délai d'instruction court depuis la date de dépôt."""
    if signalement.departement_id is not None:
        start_clock(
            signalement=signalement,
            step=ClockStep.TRIAGE,
            territory=signalement.departement,
            at=signalement.submitted_at or event.at,
        )


def _suspend_triage(signalement, event):
    """Un complément est demandé : l'instruction est suspendue, le délai de réponse s'ouvre."""
    pause_clock(signalement=signalement, step=ClockStep.TRIAGE, at=event.at)
    start_clock(
        signalement=signalement, step=ClockStep.INFORMATION_REQUEST, territory=signalement.departement, at=event.at
    )


def _resume_triage(signalement, event):
    """Plus aucun complément n'attend : le délai de réponse s'arrête, celui de l'instruction reprend."""
    stop_clocks(signalement=signalement, steps=[ClockStep.INFORMATION_REQUEST], at=event.at)
    paused = Clock.objects.open().filter(signalement=signalement, step=ClockStep.TRIAGE, paused_at__isnull=False)
    for clock in paused.select_related("territory"):
        resume_clock(clock=clock, at=event.at)


def _open_in_competent_departement(signalement, step, at):
    start_clock(signalement=signalement, step=step, territory=signalement.competent_departement, at=at)


def _forward(signalement, event):
    stop_clocks(signalement=signalement, steps=[ClockStep.TRIAGE], at=event.at)
    _open_in_competent_departement(signalement, ClockStep.DEPARTMENTAL_DECISION, event.at)


def _decide(signalement, event):
    """Une décision arrête les délais de décision ; une réorientation vers un autre département en ouvre un."""
    stop_clocks(signalement=signalement, steps=DECISION_STEPS, at=event.at)
    if event.data.get("redirected_to"):
        _open_in_competent_departement(signalement, ClockStep.DEPARTMENTAL_DECISION, event.at)


def _reconsider(signalement, event):
    stop_clocks(signalement=signalement, steps=DECISION_STEPS, at=event.at)
    _open_in_competent_departement(signalement, ClockStep.RECONSIDERATION, event.at)


def _open_relay(signalement, step, at):
    territory = signalement.responsible_departement
    if territory is not None:
        start_clock(signalement=signalement, step=step, territory=territory, at=at)


def _open_waiver(signalement, event):
    """Un placement hors règle d'éloignement est demandé : le délai de sa seconde approbation s'ouvre."""
    _open_relay(signalement, ClockStep.DISTANCING_WAIVER, event.at)


def _close_waiver(signalement, event):
    """Approuvé, rejeté : plus rien n'attend la seconde approbation."""
    stop_clocks(signalement=signalement, steps=[ClockStep.DISTANCING_WAIVER], at=event.at)


def _open_acse_dispatch(signalement, event):
    """Une orientation arrive à la coordination Ac.Sé (adressée, ou refusée par une partenaire et revenue) : le délai
    de sa répartition s'ouvre."""
    if event.data.get("channel") == ReferralChannel.ACSE:
        _open_relay(signalement, ClockStep.ACSE_DISPATCH, event.at)


def _close_acse_dispatch(signalement, event):
    """L'orientation quitte la coordination Ac.Sé (confiée, renvoyée, refusée, annulée) : plus rien n'attend, ni sa
    répartition ni une seconde approbation."""
    stop_clocks(signalement=signalement, steps=[ClockStep.ACSE_DISPATCH, ClockStep.DISTANCING_WAIVER], at=event.at)


def _stop_all(signalement, event):
    stop_clocks(signalement=signalement, steps=ClockStep.values, at=event.at)


#: Les délais de chaque transition ; toute transition qui clôt le dossier arrête tous ses délais.
CLOCK_EFFECTS = {
    "submit": _open_triage,
    "start_triage": _open_triage,
    "request_information": _suspend_triage,
    "resume_triage": _resume_triage,
    "forward": _forward,
    "validate": _decide,
    "not_validate": _decide,
    "redirect": _decide,
    "redirect_to_minors_track": _decide,
    "request_reconsideration": _reconsider,
    "request_referral": _open_acse_dispatch,
    "refuse_referral": _open_acse_dispatch,
    "request_distancing_waiver": _open_waiver,
    "approve_distancing_waiver": _close_waiver,
    "reject_distancing_waiver": _close_waiver,
    "dispatch_referral": _close_acse_dispatch,
    "return_referral": _close_acse_dispatch,
    "refuse_acse_referral": _close_acse_dispatch,
    "cancel_referral": _close_acse_dispatch,
} | {row.name: _stop_all for row in lifecycle.TRANSITIONS.values() if row.target in lifecycle.CLOSED}


def register():
    """Enregistre les effets sur les délais dans la table du cycle de vie (`orientation.apps`)."""
    for name, effect in CLOCK_EFFECTS.items():
        lifecycle.register_effect(name, effect)


def sync_clocks(now=None):
    """Filet de sécurité (tâche beat, rejouable) : les transitions tiennent elles-mêmes leurs délais
    (`CLOCK_EFFECTS`) ; cette tâche ouvre le délai d'instruction des signalements soumis qui n'en ont pas (depuis leur
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
