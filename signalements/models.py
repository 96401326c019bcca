import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from mniop.roles import NATIONAL_CASE_ROLES, Role, current_membership
from referents.models import Organisation, Territory
from signalements.enums import (
    ConsentStatus,
    PlaceOfExploitation,
    ReferenceCategory,
    Sex,
    SignalementEventKind,
    SignalementStatus,
    Transgender,
    VictimStatus,
)


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


class SignalementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Le seul endroit qui dit qui voit quel signalement."""
        membership = current_membership(user)
        if membership is None:
            return self.none()
        role = membership.role
        if role in NATIONAL_CASE_ROLES:
            return self.exclude(status=SignalementStatus.DRAFT)
        if role == Role.ASSOCIATION_ADMIN:
            return self.filter(organisation_id=membership.organisation_id)
        if role == Role.ASSOCIATION_AGENT:
            return self.filter(organisation_id=membership.organisation_id, created_by=user)
        if role == Role.DEPARTMENTAL_VALIDATOR:
            return self.filter(
                status__in=DEPARTMENTAL_STATUSES,
                departement__in=membership.departements.values("pk"),
            )
        return self.none()


#: Les états dans lesquels l'autorité départementale voit le signalement de ses départements.
DEPARTMENTAL_STATUSES = [
    SignalementStatus.FORWARDED,
    SignalementStatus.VALIDATED,
    SignalementStatus.NOT_VALIDATED,
    SignalementStatus.REDIRECTED,
    SignalementStatus.FOLLOW_UP,
]


def _reference_value_field(category, verbose_name, **kwargs):
    return models.ManyToManyField(
        ReferenceValue,
        verbose_name=verbose_name,
        blank=True,
        related_name="+",
        limit_choices_to={"category": category},
        **kwargs,
    )


def age_on(birth_date, on):
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


#: L'historique technique des versions (pghistory) s'appelle `SignalementHistory` : `SignalementEvent` est le journal
#: métier du signalement, ci-dessous.
@pghistory.track(model_name="SignalementHistory", obj_field=pghistory.ObjForeignKey(related_name="history"))
class Signalement(models.Model):
    """Le signalement d'une victime présumée de traite des êtres humains (domaine §4 et §11.3).

    Son contenu se modifie en brouillon seulement ; toute écriture passe par `signalements.services`.
    """

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        "référence", max_length=20, unique=True, null=True, blank=True, help_text="MNIOP-<année>-<numéro>, au dépôt."
    )
    status = models.CharField(
        "état", max_length=32, choices=SignalementStatus.choices, default=SignalementStatus.DRAFT, db_index=True
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signalements", verbose_name="organisation déclarante"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="créé par"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    submitted_at = models.DateTimeField("déposé le", null=True, blank=True)

    departement = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département du signalement",
    )
    spotted_on = models.DateField("date de repérage", null=True, blank=True)
    urgent = models.BooleanField("urgent", default=False)

    is_anonymous = models.BooleanField("anonyme", default=False)
    consent_status = models.CharField("consentement", max_length=32, choices=ConsentStatus.choices, blank=True)
    consent_language = models.CharField("langue du recueil du consentement", max_length=64, blank=True)
    pseudonym = models.CharField("pseudonyme", max_length=100, blank=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField("âge estimé", null=True, blank=True)
    is_minor_presumed = models.BooleanField("âge contesté, présumé mineur", default=False)
    is_mna = models.BooleanField("mineur non accompagné", default=False)
    sex = models.CharField("sexe", max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    transgender = models.CharField(
        "transgenre", max_length=16, choices=Transgender.choices, default=Transgender.UNKNOWN
    )
    nationalities = ArrayField(
        models.CharField(max_length=2), verbose_name="nationalités (ISO 3166 alpha-2)", default=list, blank=True
    )
    place_of_exploitation = models.CharField(
        "lieu d'exploitation", max_length=32, choices=PlaceOfExploitation.choices, default=PlaceOfExploitation.UNKNOWN
    )
    exploitation_forms = _reference_value_field(ReferenceCategory.EXPLOITATION_FORM, "formes d'exploitation")
    vulnerability_factors = _reference_value_field(ReferenceCategory.VULNERABILITY_FACTOR, "facteurs de vulnérabilité")
    indicators = _reference_value_field(ReferenceCategory.TRAFFICKING_INDICATOR, "indicateurs de traite")
    sectors = _reference_value_field(ReferenceCategory.SECTOR, "secteurs d'exploitation")
    entry_channel = models.ForeignKey(
        ReferenceValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"category": ReferenceCategory.ENTRY_CHANNEL},
        verbose_name="canal d'entrée",
    )
    identifying_body = models.ForeignKey(
        ReferenceValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"category": ReferenceCategory.IDENTIFYING_BODY},
        verbose_name="organisme ayant procédé à l'identification",
    )
    needs_shelter_tonight = models.BooleanField("besoin d'hébergement ce soir", default=False)
    needs_health_care = models.BooleanField("besoin de soins", default=False)
    needs_interpreter = models.BooleanField("besoin d'interprète", default=False)
    account = models.TextField("récit", blank=True, help_text="Texte libre, d'accès restreint.")
    victim_status = models.CharField(
        "statut de la victime", max_length=16, choices=VictimStatus.choices, default=VictimStatus.PRESUMED
    )

    objects = SignalementQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement"
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference or f"Brouillon {self.public_id}"

    @property
    def age(self):
        """L'âge à la date de repérage (ou aujourd'hui), depuis la date de naissance ou l'âge estimé."""
        if self.birth_date is not None:
            return age_on(self.birth_date, self.spotted_on or timezone.localdate())
        return self.estimated_age

    @property
    def is_minor(self):
        age = self.age
        return self.is_mna or self.is_minor_presumed or (age is not None and age < 18)


class SignalementEvent(models.Model):
    """Le journal du signalement : une ligne par écriture, en ajout seul (déclencheur PostgreSQL).
    `data` ne contient jamais de donnée personnelle : des noms de champs, pas leurs valeurs."""

    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("type", max_length=32, choices=SignalementEventKind.choices)
    at = models.DateTimeField("date", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="organisation de l'auteur"
    )
    data = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "événement du signalement"
        verbose_name_plural = "journal des signalements"
        ordering = ["at", "id"]
        triggers = [
            pgtrigger.Protect(name="signalement_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"
