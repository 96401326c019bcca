"""Le parcours de la victime (domaine §3.4, §4.10, §7.3 et §11.4) : les mesures et leur cycle de vie, les rappels
d'échéance envoyés, les clôtures et réouvertures du dossier."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from mniop.fields import EncryptedCharField
from orientation.enums import (
    ChildProtectionAnswerKind,
    MeasureKind,
    MeasureReminderKind,
    MeasureStatus,
    NonCooperationReason,
    ServiceAddressKind,
)
from referents.enums import Language
from referents.models import Organisation
from signalements.models import ReferenceValue, Signalement

#: Les états où une mesure est « vivante » (pas refusée ni sans suite).
LIVE_STATUSES = frozenset(
    {
        MeasureStatus.PROPOSED,
        MeasureStatus.REQUESTED,
        MeasureStatus.GRANTED,
        MeasureStatus.ONGOING,
        MeasureStatus.ENDED,
    }
)


class MeasureQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def running(self):
        """Accordées ou en cours : celles dont l'échéance compte."""
        return self.filter(status__in=[MeasureStatus.GRANTED, MeasureStatus.ONGOING])


class Measure(models.Model):
    """Une mesure du parcours : son type, son état, ses dates, l'organisation qui la met en œuvre et sa base légale.
    Toute écriture passe par `orientation.services.measures`."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField("mesure", max_length=32, choices=MeasureKind.choices)
    status = models.CharField("état", max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED)
    requested_on = models.DateField("demandée le", null=True, blank=True)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True)
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation qui la met en œuvre",
    )
    proposed_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="association qui la propose",
    )
    legal_basis = models.CharField("base légale", max_length=200, blank=True)
    is_renewal = models.BooleanField("renouvellement", default=False)
    links_with_exploiters_broken = models.BooleanField("liens rompus avec les exploiteurs", default=False)
    has_final_conviction = models.BooleanField("condamnation définitive de l'auteur", default=False)
    proceedings_ongoing = models.BooleanField("procédure pénale en cours", default=False)
    non_cooperation_reason = models.CharField(
        "motif de non-coopération", max_length=32, choices=NonCooperationReason.choices, blank=True
    )
    service_address_kind = models.CharField(
        "domicile élu auprès de", max_length=16, choices=ServiceAddressKind.choices, blank=True
    )
    #: L'adresse de l'élection de domicile : scellée comme le lieu d'hébergement (`orientation.sealed`), chiffrée au
    #: repos, jamais au journal, dans un PDF, un courriel ou un journal technique.
    service_address = EncryptedCharField("adresse de l'élection de domicile (scellée)", max_length=300, blank=True)
    #: L'interprétariat : la langue et le service d'interprètes (une fiche « Interprétariat » de l'annuaire, un
    #: organisme) ; jamais le nom de l'interprète, ni ici ni au journal.
    interpreter_language = models.CharField(
        "langue de l'interprétariat", max_length=8, choices=Language.choices, blank=True
    )
    interpreter_service = models.CharField("service d'interprétariat", max_length=200, blank=True)
    comment = models.TextField("commentaire", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "mesure du parcours"
        verbose_name_plural = "mesures du parcours"
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["signalement", "kind"], name="measure_signalement_kind"),
            models.Index(fields=["status", "ends_on"], name="measure_status_ends_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_after_start",
                violation_error_message="La fin de la mesure doit suivre son début.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class MeasureReminderLog(models.Model):
    """Trace d'un rappel d'échéance d'une mesure : un seul par mesure et par type (tâche beat rejouable)."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField("type", max_length=32, choices=MeasureReminderKind.choices)
    due_on = models.DateField("échéance rappelée")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    recipients_count = models.PositiveIntegerField("destinataires", default=0)

    class Meta:
        verbose_name = "rappel d'échéance d'une mesure"
        verbose_name_plural = "rappels d'échéance des mesures"
        constraints = [
            models.UniqueConstraint(fields=["measure", "kind", "due_on"], name="one_reminder_per_measure_deadline")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.sent_at:%d/%m/%Y})"


class CaseClosure(models.Model):
    """La clôture d'un dossier suivi (motif de la liste « Motif de clôture du dossier »), et sa réouverture
    éventuelle (motif en clair). Une ligne par clôture : un dossier rouvert puis clos à nouveau en a deux."""

    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="case_closures")
    reason = models.ForeignKey(ReferenceValue, on_delete=models.PROTECT, related_name="+", verbose_name="motif")
    comment = models.TextField("commentaire", blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("clos le", default=timezone.now)
    reopen_reason = models.TextField("motif de réouverture", blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField("rouvert le", null=True, blank=True)

    class Meta:
        verbose_name = "clôture du dossier"
        verbose_name_plural = "clôtures des dossiers"
        ordering = ["closed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signalement"], condition=models.Q(reopened_at__isnull=True), name="one_open_case_closure"
            )
        ]

    def __str__(self):
        return f"Clôture du {self.closed_at:%d/%m/%Y}"


class ChildProtectionAnswer(models.Model):
    """La réponse de l'ASE / CRIP du département ou du parquet à un dossier confié au circuit des mineurs.
    Écrite par `orientation.services.child_protection.answer_child_protection`, jamais modifiée."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="child_protection_answers")
    kind = models.CharField("réponse", max_length=16, choices=ChildProtectionAnswerKind.choices)
    decided_on = models.DateField("date de la décision")
    comment = models.TextField("commentaire", blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("répondu le", default=timezone.now)

    class Meta:
        verbose_name = "réponse de la protection de l'enfance"
        verbose_name_plural = "réponses de la protection de l'enfance"
        ordering = ["answered_at", "id"]

    def __str__(self):
        return self.get_kind_display()
