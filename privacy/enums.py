from django.db import models


class RightsRequestKind(models.TextChoices):
    """Les droits que la personne exerce auprès de la Miprof (RGPD, art. 15 à 21)."""

    ACCESS = "access", "Accès (copie des données et des consultations)"
    RECTIFICATION = "rectification", "Rectification"
    OBJECTION = "objection", "Opposition"
    ERASURE = "erasure", "Effacement"


class RightsDecision(models.TextChoices):
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée (motif inscrit)"


class RetentionRunKind(models.TextChoices):
    DRY_RUN = "dry_run", "À blanc (rien n'est modifié)"
    APPLIED = "applied", "Appliquée"
