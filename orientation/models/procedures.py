"""Les procédures judiciaires d'un dossier (domaine §2.2, §7.3 et §8.3) : le service enquêteur ou la juridiction, la
référence, la constitution de partie civile, le stade et l'indemnisation. Toute écriture passe par
`orientation.services.procedures` ; chaque modification est historisée (django-pghistory, contexte `by`)."""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone

from orientation.enums import ProcedureStage
from referents.models import DirectoryEntry
from signalements.enums import CompensationPayer, CompensationStatus
from signalements.models import Signalement


class ProcedureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les procédures des dossiers que la personne voit (`Signalement.objects.visible_to`)."""
        return self.filter(signalement__in=Signalement.objects.visible_to(user))


@pghistory.track()
class Procedure(models.Model):
    """Une procédure pénale liée au dossier : un dossier peut en avoir plusieurs (une plainte par auteur, un
    dossier au pénal et un au conseil de prud'hommes…)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="procedures")
    authority_entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="service ou juridiction (fiche de l'annuaire)",
    )
    authority_name = models.CharField("service ou juridiction (en clair)", max_length=200, blank=True)
    reference = models.CharField("référence de la procédure", max_length=100, blank=True)
    is_civil_party = models.BooleanField("constitution de partie civile", default=False)
    civil_party_on = models.DateField("partie civile le", null=True, blank=True)
    stage = models.CharField(
        "stade", max_length=16, choices=ProcedureStage.choices, default=ProcedureStage.INVESTIGATION
    )
    stage_on = models.DateField("date du stade", null=True, blank=True)
    compensation_status = models.CharField(
        "indemnisation", max_length=16, choices=CompensationStatus.choices, default=CompensationStatus.UNKNOWN
    )
    compensation_payer = models.CharField(
        "indemnisation à la charge de", max_length=16, choices=CompensationPayer.choices, blank=True
    )
    compensation_requested_amount = models.DecimalField(
        "montant demandé (euros)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    compensation_granted_amount = models.DecimalField(
        "montant accordé (euros)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "procédure judiciaire"
        verbose_name_plural = "procédures judiciaires"
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(authority_entry__isnull=False) | ~models.Q(authority_name=""),
                name="procedure_names_its_authority",
                violation_error_message="Indiquez le service enquêteur ou la juridiction.",
            )
        ]

    def __str__(self):
        return f"{self.authority} ({self.get_stage_display()})"

    @property
    def authority(self):
        """Le service ou la juridiction en clair : l'intitulé de la fiche de l'annuaire, sinon le texte saisi."""
        if self.authority_entry_id is not None:
            return f"{self.authority_entry.title} — {self.authority_entry.organisation.name}"
        return self.authority_name
