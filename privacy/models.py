import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.enums import RetentionRunKind, RightsDecision, RightsRequestKind
from signalements.models import Signalement


class RightsRequest(models.Model):
    """Une demande d'exercice de droits de la personne, instruite par le ou la délégué·e à la protection des données
    (administration de la Miprof) : sa nature, la décision et son motif. Une rectification dit quel champ a changé
    (jamais sa valeur : l'ancienne reste dans l'historique du signalement)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="rights_requests")
    kind = models.CharField("droit", max_length=16, choices=RightsRequestKind.choices)
    decision = models.CharField("décision", max_length=16, choices=RightsDecision.choices)
    reason = models.TextField("motif")
    field = models.CharField("champ rectifié", max_length=64, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("décidée le", default=timezone.now)

    class Meta:
        verbose_name = "demande d'exercice de droits"
        verbose_name_plural = "demandes d'exercice de droits"
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.get_decision_display()}"


class RetentionRun(models.Model):
    """Un passage de la conservation : à blanc (le rapport) ou appliqué, avec ses comptes par catégorie. Le premier
    passage appliqué attend qu'une personne de l'administration de la Miprof ait lu un rapport à blanc
    (`approved_by`)."""

    kind = models.CharField("type", max_length=16, choices=RetentionRunKind.choices)
    started_at = models.DateTimeField("commencé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    counts = models.JSONField("comptes par catégorie", default=dict)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rapport lu et application autorisée par",
    )
    approved_at = models.DateTimeField("autorisée le", null=True, blank=True)

    class Meta:
        verbose_name = "passage de la conservation"
        verbose_name_plural = "passages de la conservation"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.started_at:%d/%m/%Y %H:%M}"


class AnonymisationNotice(models.Model):
    """L'avis envoyé à l'organisation déclarante un mois avant l'anonymisation d'un dossier (une fois)."""

    signalement = models.OneToOneField(Signalement, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    anonymise_after = models.DateField("anonymisation prévue à partir du")

    class Meta:
        verbose_name = "avis d'anonymisation prochaine"
        verbose_name_plural = "avis d'anonymisation prochaine"

    def __str__(self):
        return f"Avis du {self.sent_at:%d/%m/%Y}"


class InactivityWarning(models.Model):
    """L'avertissement envoyé à une personne sans connexion avant la désactivation de son compte (une fois par
    période d'inactivité : une connexion après l'avertissement le rend caduc)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "avertissement d'inactivité"
        verbose_name_plural = "avertissements d'inactivité"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"Avertissement du {self.sent_at:%d/%m/%Y}"
