"""Territoires (données de référence), organisations et leurs habilitations.

Qui voit quoi : `Organisation.objects.visible_to(user)` est le seul endroit qui le dit (voir docs/architecture.md).
"""

import uuid

import pghistory
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mniop.roles import NATIONAL_ROLES, current_membership
from referents.enums import HabilitationKind, OrganisationKind, TerritoryKind, Zone


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    zone = models.CharField("zone", max_length=16, choices=Zone.choices)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self):
        return self.name


class TerritoryQuerySet(models.QuerySet):
    def departements(self):
        return self.filter(kind=TerritoryKind.DEPARTEMENT)

    def overseas(self):
        return self.filter(zone=Zone.OUTRE_MER)


class Territory(models.Model):
    """Un département (dont 2A/2B et 971-976) ou une collectivité d'outre-mer (975, 977, 978, 986, 987, 988)."""

    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    kind = models.CharField("type", max_length=16, choices=TerritoryKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="territories")
    zone = models.CharField("zone", max_length=16, choices=Zone.choices)
    time_zone = models.CharField("fuseau horaire", max_length=64)
    holiday_subdivision = models.CharField(
        "calendrier des jours fériés", max_length=8, blank=True, help_text="Subdivision du paquet holidays (ex. 971)."
    )
    latitude = models.DecimalField("latitude du centre", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude du centre", max_digits=8, decimal_places=5, null=True, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_overseas(self):
        return self.zone == Zone.OUTRE_MER


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les organisations qu'un utilisateur peut consulter dans son organisation courante.

        - rôles nationaux (Miprof, administration de la plateforme) : toutes ;
        - autres rôles : leur organisation courante ;
        - plus les partages explicites objet par objet (django-guardian, permission `view_organisation`).
        """
        membership = current_membership(user)
        if membership is None:
            return self.none()
        if membership.role in NATIONAL_ROLES:
            return self.all()
        shared = OrganisationUserObjectPermission.objects.filter(
            user=user, permission__codename="view_organisation"
        ).values("content_object_id")
        return self.filter(Q(pk=membership.organisation_id) | Q(pk__in=shared))

    def active(self):
        return self.filter(is_active=True)

    def with_valid_habilitation(self, kind, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(habilitations__kind=kind, habilitations__starts_on__lte=on)
            & (Q(habilitations__ends_on__isnull=True) | Q(habilitations__ends_on__gte=on))
        ).distinct()


@pghistory.track()
class Organisation(models.Model):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=32, choices=OrganisationKind.choices)
    territories = models.ManyToManyField(Territory, verbose_name="territoires couverts", related_name="organisations")
    is_national = models.BooleanField("compétence nationale", default=False)
    email = models.EmailField("adresse électronique générique", blank=True)
    phone = models.CharField("téléphone générique", max_length=32, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    def valid_habilitations(self, on=None):
        on = on or timezone.localdate()
        return [h for h in self.habilitations.all() if h.is_valid_on(on)]

    def has_valid_habilitation(self, kind, territory=None, on=None):
        return any(
            h.kind == kind and (territory is None or h.territory_id in (None, territory.pk))
            for h in self.valid_habilitations(on)
        )


@pghistory.track()
class Habilitation(models.Model):
    """Une habilitation ou un agrément : il appartient à l'organisation, pas à la personne."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="habilitations")
    kind = models.CharField("type", max_length=16, choices=HabilitationKind.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name="département (agrément départemental)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField("début de validité")
    ends_on = models.DateField("fin de validité", null=True, blank=True)
    reference = models.CharField("référence de l'acte", max_length=100, blank=True)

    class Meta:
        verbose_name = "habilitation"
        ordering = ["kind", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="habilitation_ends_after_start",
                violation_error_message="La fin de validité doit suivre le début de validité.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.organisation}"

    def is_valid_on(self, on):
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    """Partage explicite d'une organisation avec une personne (django-guardian, clé étrangère directe)."""

    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)
