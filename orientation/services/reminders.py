"""Rappels avant l'échéance et alertes après (à l'équipe, puis à l'administration de la Miprof). Chaque envoi est
tracé (`ReminderLog`, unique par délai et type) : les tâches beat peuvent tourner deux fois sans double envoi."""

import datetime

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from mniop.roles import Role
from notifications.services import enqueue_email, notify_user
from orientation.enums import HOURLY_CLOCK_STEPS, ClockStep, DistancingWaiverStatus, ReferralStatus, ReminderKind
from orientation.models import Clock, ClockSettings, DistancingWaiver, NotificationPreference, Referral, ReminderLog
from orientation.services.exits import second_approvers
from orientation.services.notices import case_path
from orientation.services.referrals import referral_path
from referents.enums import OrganisationKind
from signalements.notifications import case_title, information_request_path

#: L'action de chaque rappel, après la référence du dossier (`signalements.notifications.case_title`).
TITLES = {
    ReminderKind.REMINDER: "échéance proche",
    ReminderKind.ESCALATION_TEAM: "échéance dépassée",
    ReminderKind.ESCALATION_ADMIN: "échéance dépassée depuis plus d'un jour",
}
TEMPLATES = {
    ReminderKind.REMINDER: "orientation_reminder",
    ReminderKind.ESCALATION_TEAM: "orientation_escalation",
    ReminderKind.ESCALATION_ADMIN: "orientation_escalation",
}


def _waiting_waiver(clock):
    """Le placement hors règle d'éloignement qui attend sa seconde approbation dans ce dossier (au plus un : une
    seule orientation en cours par dossier)."""
    return (
        DistancingWaiver.objects.filter(referral__signalement=clock.signalement, status=DistancingWaiverStatus.PENDING)
        .select_related("referral")
        .first()
    )


def _owners(clock):
    """Les personnes qui doivent agir à cette étape."""
    signalement = clock.signalement
    if clock.step == ClockStep.DISTANCING_WAIVER:
        waiver = _waiting_waiver(clock)
        return second_approvers(waiver) if waiver is not None else []
    if clock.step == ClockStep.ACSE_DISPATCH:
        return recipients.members_of(organisation_kind=OrganisationKind.ACSE)
    if clock.step == ClockStep.TRIAGE:
        return recipients.person(signalement.assigned_to) if signalement.assigned_to_id else recipients.miprof_team()
    if clock.step == ClockStep.INFORMATION_REQUEST:
        return recipients.filing_organisation(signalement)
    return recipients.validators_of(clock.territory)


def recipients_for(clock, kind):
    if kind == ReminderKind.REMINDER:
        return _owners(clock)
    if kind == ReminderKind.ESCALATION_TEAM:
        if clock.step == ClockStep.DISTANCING_WAIVER:
            return _owners(clock)  # les personnes qui peuvent approuver : la coordination et l'administration
        return recipients.unique(_owners(clock), recipients.miprof_team())
    return recipients.miprof_admins()


def place_of(clock):
    """Où agir pour ce délai : la demande de complément en attente, le formulaire de décision, ou le dossier."""
    signalement = clock.signalement
    if clock.step == ClockStep.INFORMATION_REQUEST:
        pending = signalement.information_requests.pending().order_by("requested_at").first()
        if pending is not None:
            return information_request_path(pending)
    if clock.step == ClockStep.DISTANCING_WAIVER:
        waiver = _waiting_waiver(clock)
        if waiver is not None:
            return reverse(
                "orientation:referral_coordination",
                kwargs={"public_id": waiver.referral.public_id, "action": "approuver"},
            )
    if clock.step == ClockStep.ACSE_DISPATCH:
        awaiting = Referral.objects.filter(signalement=signalement, status=ReferralStatus.AWAITING_DISPATCH).first()
        if awaiting is not None:
            return referral_path(awaiting, "confier")
    if clock.step in (ClockStep.DEPARTMENTAL_DECISION, ClockStep.RECONSIDERATION):
        return case_path(signalement, "decider")
    return case_path(signalement)


def title_of(clock, kind):
    """L'action du rappel : l'échéance, précédée de ce qui attend quand ce n'est pas l'étape du dossier."""
    if clock.step == ClockStep.DISTANCING_WAIVER:
        return f"placement hors règle d'éloignement à approuver, {TITLES[kind]}"
    if clock.step == ClockStep.ACSE_DISPATCH:
        return f"orientation Ac.Sé à confier, {TITLES[kind]}"
    return TITLES[kind]


def deliver_reminder(user, *, kind, path, signalement, title=None):
    """Selon les préférences : courriel à l'unité (par défaut), résumé quotidien, ou dans l'application seulement."""
    title = case_title(signalement, title or TITLES[kind])
    notify_user(user=user, title=title, path=path, is_urgent=signalement.urgent)
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None or (preference.reminders_by_email and not preference.daily_digest):
        enqueue_email(template=TEMPLATES[kind], recipient=user.email, path=path)
    elif preference.reminders_by_email:
        NotificationPreference.objects.filter(pk=preference.pk).update(
            pending_digest_count=F("pending_digest_count") + 1
        )


def _due_clocks(kind, now, settings):
    clocks = Clock.objects.running().exclude(reminders__kind=kind)
    if kind == ReminderKind.REMINDER:
        near = clocks.filter(
            due_at__gte=now, due_at__lte=now + datetime.timedelta(hours=settings.reminder_hours_before)
        )
        # Un délai plus court que la fenêtre du rappel (un passage de relais urgent, en heures) n'est
        # rappelé qu'à mi-parcours : pas dès son ouverture. Mi-parcours : ce qui reste <= ce qui s'est écoulé.
        half_way = ExpressionWrapper(Value(now) - (F("due_at") - Value(now)), output_field=DateTimeField())
        return near.filter(~Q(step__in=HOURLY_CLOCK_STEPS) | Q(started_at__lte=half_way))
    if kind == ReminderKind.ESCALATION_TEAM:
        return clocks.filter(due_at__lt=now)
    return clocks.filter(due_at__lt=now - datetime.timedelta(hours=settings.admin_escalation_hours_after))


def send_deadline_reminders(now=None):
    """Tâche beat : envoie ce qui est dû, une fois et une seule par délai et par type. Renvoie le nombre d'envois."""
    now = now or timezone.now()
    settings = ClockSettings.current()
    sent = 0
    for kind in ReminderKind:
        ids = list(_due_clocks(kind, now, settings).values_list("pk", flat=True)[:1000])
        for clock_id in ids:
            sent += _send_once(clock_id, kind)
    return sent


@transaction.atomic
def _send_once(clock_id, kind):
    clock = (
        Clock.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("signalement", "territory")
        .filter(pk=clock_id)
        .first()
    )
    if clock is None or ReminderLog.objects.filter(clock=clock, kind=kind).exists():
        return 0
    people = recipients_for(clock, kind)
    ReminderLog.objects.create(clock=clock, kind=kind, recipients_count=len(people))
    path = place_of(clock)
    for user in people:
        deliver_reminder(user, kind=kind, path=path, signalement=clock.signalement, title=title_of(clock, kind))
    return 1


def send_daily_digests():
    """Tâche beat quotidienne : un courriel par personne qui a choisi le résumé et a des rappels en attente."""
    sent = 0
    for preference_id in NotificationPreference.objects.filter(pending_digest_count__gt=0).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            preference = (
                NotificationPreference.objects.select_for_update(skip_locked=True)
                .select_related("user")
                .filter(pk=preference_id, pending_digest_count__gt=0)
                .first()
            )
            if preference is None:
                continue
            user = preference.user
            is_validator = user.memberships.filter(is_active=True, role=Role.DEPARTMENTAL_VALIDATOR).exists()
            queue = "orientation:departement_queue" if is_validator else "orientation:miprof_queue"
            path = f"{reverse(queue)}?en_retard=1"
            if user.is_active:
                enqueue_email(template="orientation_digest", recipient=user.email, path=path)
                sent += 1
            preference.pending_digest_count = 0
            preference.save(update_fields=["pending_digest_count"])
    return sent
