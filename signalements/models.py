import uuid

import pghistory
from django.db import models

from signalements.enums import ReferenceCategory


class ReferenceValueQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)

    def in_category(self, category):
        return self.filter(category=category)


@pghistory.track()
class ReferenceValue(models.Model):
    """Une valeur d'une liste de référence du signalement (domaine §4).

    La Miprof les administre sans déploiement. Une valeur n'est jamais supprimée : retirée, elle ne se propose plus
    dans les formulaires mais reste lisible pour les signalements qui l'utilisent déjà.
    """

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField("liste", max_length=32, choices=ReferenceCategory.choices)
    code = models.SlugField("code", max_length=64, help_text="ASCII, minuscules, stable : les exports s'y fient.")
    label = models.CharField("libellé", max_length=200)
    position = models.PositiveIntegerField("ordre d'affichage", default=0)
    retired_at = models.DateTimeField("retirée le", null=True, blank=True)
    statistical_group = models.CharField("regroupement statistique", max_length=100, blank=True)
    eurostat_category = models.CharField("catégorie Eurostat", max_length=100, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = ReferenceValueQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur de référence"
        verbose_name_plural = "valeurs de référence"
        ordering = ["category", "position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"],
                name="reference_value_unique_code",
                violation_error_message="Ce code existe déjà dans cette liste.",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def is_retired(self):
        return self.retired_at is not None
