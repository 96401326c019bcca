"""Les documents joints à un dossier (récépissés, certificats médicaux, décisions) : une ligne par fichier, le fichier
chiffré hors de la racine web (`orientation/attachments.py`). Toute écriture passe par
`orientation.services.attachments` ; seul un document déclaré sain par l'antivirus se télécharge."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from mniop.fields import EncryptedCharField
from orientation.enums import AttachmentKind, AttachmentScanStatus
from referents.models import Organisation
from signalements.models import Signalement


class CaseAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les documents des dossiers que la personne voit (`Signalement.objects.visible_to`) ; qui les lit parmi
        elles est dit par `orientation.permissions.can_read_attachments`."""
        return self.filter(signalement__in=Signalement.objects.visible_to(user))

    def pending(self):
        return self.filter(scan_status=AttachmentScanStatus.PENDING)


class CaseAttachment(models.Model):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("type de document", max_length=32, choices=AttachmentKind.choices)
    # Le nom du fichier sur le poste de la personne peut nommer la victime : chiffré comme l'identité.
    original_name = EncryptedCharField("nom du fichier déposé", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("taille (octets)")
    content_type = models.CharField("type reconnu par le contenu", max_length=100)
    sha256 = models.CharField("empreinte SHA-256 du contenu", max_length=64)
    # Le nom du fichier chiffré dans le stockage des pièces jointes (`<dossier>/<document>`, des UUID) ; vide quand
    # le fichier a été supprimé (infecté, conservation échue).
    storage_name = models.CharField("nom dans le stockage", max_length=200, blank=True)
    scan_status = models.CharField(
        "analyse antivirus", max_length=16, choices=AttachmentScanStatus.choices, default=AttachmentScanStatus.PENDING
    )
    scan_detail = models.CharField("résultat de l'analyse", max_length=200, blank=True)
    scan_attempts = models.PositiveSmallIntegerField("tentatives d'analyse", default=0)
    scanned_at = models.DateTimeField("analysé le", null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)

    objects = CaseAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "document du dossier"
        verbose_name_plural = "documents du dossier"
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(
                fields=["uploaded_at"], condition=models.Q(scan_status="pending"), name="attachment_pending_scan"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.uploaded_at:%d/%m/%Y}"

    @property
    def is_minor(self):
        """Le journal d'accès signale la lecture d'un document d'un dossier de mineur·e."""
        return self.signalement.is_minor

    @property
    def is_downloadable(self):
        return self.scan_status == AttachmentScanStatus.CLEAN and bool(self.storage_name)
