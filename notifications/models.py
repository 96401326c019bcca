"""Boîte d'envoi transactionnelle : l'intention d'envoyer un message est écrite dans PostgreSQL dans la même
transaction que le changement métier, un worker Celery l'envoie, une tâche beat renvoie ce qui est resté en attente.

Jamais de donnée personnelle dans un message : un gabarit et un lien vers la plateforme, rien d'autre.
"""

import uuid

from django.conf import settings
from django.db import models


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec définitif"


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OutboxStatus.PENDING)


class OutboxMessage(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template = models.CharField("gabarit", max_length=100)
    recipient = models.EmailField("destinataire")
    link = models.CharField("lien", max_length=500, blank=True)
    context = models.JSONField(
        "détails du message",
        default=dict,
        blank=True,
        help_text="Des valeurs sans donnée personnelle seulement (codes et noms de territoires, catégories).",
    )
    status = models.CharField("état", max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.CharField("dernière erreur", max_length=500, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "message de la boîte d'envoi"
        verbose_name_plural = "boîte d'envoi"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.template} ({self.get_status_display()})"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Les notifications d'une personne : personne d'autre ne les voit."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Notification dans l'application : un titre sans donnée personnelle et un lien. `is_urgent` : elle concerne un
    dossier urgent (badge « Urgent » dans la liste, « [URGENT] » en tête du titre)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("titre", max_length=200)
    link = models.CharField("lien", max_length=500, blank=True)
    is_urgent = models.BooleanField("urgente", default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None
