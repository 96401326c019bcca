"""Instruction par la Miprof et validation départementale (domaine §3 et §11.3) : décisions, clôtures, mesures
urgentes, délais cibles de la Miprof en jours ouvrés, rappels, réglages et filtres enregistrés.

Le signalement garde son état (`Signalement.status`) ; ces modèles en gardent le détail et les délais."""

import secrets
import uuid

import pghistory
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mniop.roles import Role
from orientation.enums import (
    HOURLY_CLOCK_STEPS,
    ClockStep,
    ClosureKind,
    DecisionKind,
    RedirectTarget,
    ReminderKind,
    UrgentMeasureKind,
)
from referents.models import Organisation, Territory
from signalements.models import ReferenceValue, Signalement


@pghistory.track()
class ClockSettings(models.Model):
    """Les délais par défaut, en jours ouvrés, réglés par l'administration de la Miprof. Une seule ligne (pk=1).
    Écrits par `orientation.services.clocks.update_clock_settings` ; chaque version est historisée
    (django-pghistory, contexte `by`) : qui a changé quel délai, et quand."""

    triage_days = models.PositiveSmallIntegerField("instruction Miprof", default=2)
    triage_urgent_days = models.PositiveSmallIntegerField(
        "instruction Miprof, signalement urgent", default=0, help_text="0 : le jour même."
    )
    decision_days = models.PositiveSmallIntegerField("décision départementale", default=5)
    decision_urgent_days = models.PositiveSmallIntegerField("décision départementale, signalement urgent", default=1)
    reconsideration_days = models.PositiveSmallIntegerField("réexamen", default=5)
    information_days = models.PositiveSmallIntegerField("réponse à une demande de complément", default=5)
    information_urgent_days = models.PositiveSmallIntegerField(
        "réponse à une demande de complément, signalement urgent", default=1
    )
    reminder_hours_before = models.PositiveSmallIntegerField("rappel, heures avant l'échéance", default=24)
    admin_escalation_hours_after = models.PositiveSmallIntegerField(
        "alerte à l'administration, heures après l'échéance", default=24
    )
    inactivity_alert_days = models.PositiveSmallIntegerField(
        "alerte à la Miprof, dossier suivi sans activité (jours ouvrés)",
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Un dossier suivi sans événement depuis ce nombre de jours ouvrés est signalé à la Miprof.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "réglage des délais"
        verbose_name_plural = "réglages des délais"

    def __str__(self):
        return "Délais cibles de la Miprof"

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]

    def working_days(self, step, *, urgent):
        if step == ClockStep.TRIAGE:
            return self.triage_urgent_days if urgent else self.triage_days
        if step == ClockStep.DEPARTMENTAL_DECISION:
            return self.decision_urgent_days if urgent else self.decision_days
        if step == ClockStep.RECONSIDERATION:
            return self.reconsideration_days
        return self.information_urgent_days if urgent else self.information_days


class ClockQuerySet(models.QuerySet):
    def running(self):
        return self.filter(stopped_at__isnull=True, paused_at__isnull=True)

    def open(self):
        return self.filter(stopped_at__isnull=True)

    def overdue(self, now=None):
        return self.running().filter(due_at__lt=now or timezone.now())


class Clock(models.Model):
    """Le délai d'une étape pour un signalement : échéance en jours ouvrés du territoire, suspendu pendant une
    demande de complément, arrêté quand l'étape se termine."""

    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="clocks")
    step = models.CharField("étape", max_length=32, choices=ClockStep.choices)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+", verbose_name="territoire")
    working_days = models.PositiveSmallIntegerField("jours ouvrés")
    started_at = models.DateTimeField("démarré le")
    due_at = models.DateTimeField("échéance")
    paused_at = models.DateTimeField("suspendu le", null=True, blank=True)
    stopped_at = models.DateTimeField("arrêté le", null=True, blank=True)

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = "délai"
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="clock_running_due", condition=Q(stopped_at__isnull=True)),
            models.Index(fields=["signalement", "step"], name="clock_signalement_step"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["signalement", "step"], condition=Q(stopped_at__isnull=True), name="one_open_clock_per_step"
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()} — échéance {self.due_at:%d/%m/%Y}"

    @property
    def is_running(self):
        return self.stopped_at is None and self.paused_at is None

    @property
    def is_overdue(self):
        return self.is_running and self.due_at < timezone.now()

    @property
    def duration_label(self):
        """« 2 jours ouvrés », ou « 2 heures » pour un délai compté en heures (passage de relais urgent)."""
        if self.step in HOURLY_CLOCK_STEPS and not self.working_days:
            hours = round((self.due_at - self.started_at).total_seconds() / 3600)
            return f"{hours} heure{'s' if hours != 1 else ''}"
        plural = "s" if self.working_days != 1 else ""
        return f"{self.working_days} jour{plural} ouvré{plural}"


class Closure(models.Model):
    """La clôture d'un signalement par la Miprof : doublon (lié à l'original) ou hors champ (motif + commentaire)."""

    signalement = models.OneToOneField(Signalement, on_delete=models.PROTECT, related_name="closure")
    kind = models.CharField("type", max_length=16, choices=ClosureKind.choices)
    reason = models.ForeignKey(
        ReferenceValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="motif"
    )
    comment = models.TextField("commentaire", blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("clos le", default=timezone.now)

    class Meta:
        verbose_name = "clôture"

    def __str__(self):
        return f"Clôture ({self.get_kind_display()})"


#: L'alphabet des codes de vérification : sans 0/O, 1/I/L ni U, pour être lus et recopiés sans erreur.
VERIFICATION_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
VERIFICATION_LENGTH = 16


def new_verification_code():
    """16 signes tirés au hasard (`secrets`) dans 30 : environ 78 bits, impossibles à deviner ou à énumérer ;
    écrits par groupes de quatre (« K7QD-2MXR-… »)."""
    code = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, VERIFICATION_LENGTH, 4))


def normalise_verification_code(value):
    """Le code tel qu'il est gardé, depuis ce qu'une personne a tapé (minuscules, espaces, tirets oubliés)."""
    code = "".join(ch for ch in str(value).upper() if ch in VERIFICATION_ALPHABET)
    if len(code) != VERIFICATION_LENGTH:
        return ""
    return "-".join(code[i : i + 4] for i in range(0, VERIFICATION_LENGTH, 4))


class Decision(models.Model):
    """La décision de l'autorité départementale sur la prise en charge. Un réexamen ajoute une seconde décision."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField("décision", max_length=16, choices=DecisionKind.choices)
    reason = models.ForeignKey(
        ReferenceValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="motif"
    )
    comment = models.TextField("commentaire", blank=True)
    departement = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name="département qui décide"
    )
    redirect_target = models.CharField("réorienté vers", max_length=16, choices=RedirectTarget.choices, blank=True)
    redirected_to = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département de réorientation",
    )
    has_shelter_right = models.BooleanField("droit à l'hébergement ouvert", default=False)
    has_health_care_right = models.BooleanField("droit aux soins ouvert", default=False)
    is_reconsideration = models.BooleanField("décision de réexamen", default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("décidé le", default=timezone.now)
    #: La fonction de qui a décidé (jamais son nom sur l'attestation) : le rôle et l'organisation de son adhésion.
    decided_by_role = models.CharField("fonction de qui a décidé", max_length=32, choices=Role.choices, blank=True)
    decided_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation de qui a décidé",
    )
    #: Le code imprimé sur l'attestation (et dans son QR code) ; la page publique de vérification le résout.
    verification_code = models.CharField(
        "code de vérification", max_length=19, unique=True, default=new_verification_code, editable=False
    )

    class Meta:
        verbose_name = "décision départementale"
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} le {self.decided_at:%d/%m/%Y}"


class ReconsiderationRequest(models.Model):
    """La demande de réexamen de l'organisation déclarante : une seule par signalement."""

    signalement = models.OneToOneField(Signalement, on_delete=models.PROTECT, related_name="reconsideration_request")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="+")
    motive = models.TextField("motifs de la demande")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("demandé le", default=timezone.now)

    class Meta:
        verbose_name = "demande de réexamen"

    def __str__(self):
        return f"Demande de réexamen du {self.requested_at:%d/%m/%Y}"


class UrgentMeasure(models.Model):
    """Une mesure urgente (mise à l'abri, activation Ac.Sé par les forces de l'ordre), possible avant la décision
    et distincte d'elle (domaine §11.3)."""

    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="urgent_measures")
    kind = models.CharField("mesure", max_length=32, choices=UrgentMeasureKind.choices)
    started_on = models.DateField("date de la mesure")
    requested_by_police = models.BooleanField("à la demande des forces de l'ordre", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "mesure urgente"
        ordering = ["started_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.started_on:%d/%m/%Y})"


class ReminderLog(models.Model):
    """Trace d'un rappel ou d'une alerte envoyé pour un délai : un seul par délai et par type (tâches beat
    rejouables sans double envoi)."""

    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField("type", max_length=32, choices=ReminderKind.choices)
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    recipients_count = models.PositiveIntegerField("destinataires", default=0)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        constraints = [models.UniqueConstraint(fields=["clock", "kind"], name="one_reminder_per_clock_and_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.sent_at:%d/%m/%Y})"


class InactivityAlert(models.Model):
    """Trace d'une alerte « dossier suivi sans activité » : une seule par dossier et par période sans activité (la
    période commence au dernier événement du dossier), pour une tâche beat rejouable sans double envoi."""

    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="inactivity_alerts")
    last_activity_at = models.DateTimeField("dernière activité")
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    recipients_count = models.PositiveIntegerField("destinataires", default=0)

    class Meta:
        verbose_name = "alerte de dossier sans activité"
        verbose_name_plural = "alertes de dossiers sans activité"
        constraints = [
            models.UniqueConstraint(
                fields=["signalement", "last_activity_at"], name="one_inactivity_alert_per_case_and_period"
            )
        ]

    def __str__(self):
        return f"Sans activité depuis le {self.last_activity_at:%d/%m/%Y}"


class NotificationPreference(models.Model):
    """Les préférences d'une personne pour les rappels de délais : par courriel à l'unité, en résumé quotidien, ou
    dans l'application seulement."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orientation_preference"
    )
    reminders_by_email = models.BooleanField("recevoir les rappels par courriel", default=True)
    daily_digest = models.BooleanField(
        "regrouper les rappels dans un résumé quotidien", default=False, help_text="Un seul courriel par jour."
    )
    pending_digest_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "préférence de rappel"
        verbose_name_plural = "préférences de rappel"

    def __str__(self):
        return f"Préférences de {self.user}"


class SavedFilter(models.Model):
    """Un filtre de file enregistré par une personne (la chaîne de requête de la file)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_queue_filters")
    queue = models.CharField("file", max_length=16, choices=[("miprof", "Miprof"), ("departement", "Département")])
    name = models.CharField("nom", max_length=80)
    query = models.CharField("filtres", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "filtre enregistré"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "queue", "name"], name="saved_filter_unique_name")]

    def __str__(self):
        return self.name
