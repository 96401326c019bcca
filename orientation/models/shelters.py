"""Hébergement et orientation (domaine §7) : le profil d'une structure d'hébergement, son registre de places en temps
réel (en ajout seul), les orientations vers une structure ou la coordination Ac.Sé, les accès d'urgence au lieu
d'hébergement (bris de glace) et le circuit des mineurs.

Le lieu d'hébergement est scellé : seuls la structure qui accueille et la coordination Ac.Sé le voient
(`orientation.permissions.can_see_location`)."""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mniop.roles import NATIONAL_CASE_ROLES, Role, current_membership
from orientation.enums import (
    CapacityMovementKind,
    DistancingWaiverStatus,
    PlaceKind,
    ReferralCancelReason,
    ReferralChannel,
    ReferralStatus,
)
from referents.enums import Language, OrganisationKind
from referents.models import Organisation, Territory
from signalements.enums import ReferenceCategory
from signalements.models import ReferenceValue, Signalement

__all__ = [
    "BreakGlassAccess",
    "CapacityMovement",
    "DistancingWaiver",
    "MinorProtection",
    "Referral",
    "ShelterCapacity",
    "ShelterProfile",
]

#: Les orientations en cours : une seule à la fois par signalement.
OPEN_REFERRAL_STATUSES = (
    ReferralStatus.AWAITING_DISPATCH,
    ReferralStatus.PENDING,
    ReferralStatus.ACCEPTED,
    ReferralStatus.ARRIVED,
)
#: Les orientations qui retiennent une place (registre : `held`).
HOLDING_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


class ShelterProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les profils : l'administration de la Miprof les voit tous, une structure d'hébergement le sien."""
        membership = current_membership(user)
        if membership is None:
            return self.none()
        if membership.role == Role.MIPROF_ADMIN:
            return self.all()
        if membership.organisation.kind == OrganisationKind.SHELTER:
            return self.filter(organisation_id=membership.organisation_id)
        return self.none()


@pghistory.track()
class ShelterProfile(models.Model):
    """Le profil d'une organisation d'hébergement : ses critères d'admission, sa position et son adresse scellée.
    Chaque modification est historisée (django-pghistory, contexte `by`)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shelter_profile",
        limit_choices_to={"kind": OrganisationKind.SHELTER},
        verbose_name="structure",
    )
    departement = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name="département du lieu d'hébergement"
    )
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    sealed_address = models.CharField("adresse (scellée)", max_length=300, blank=True)
    commune = models.CharField(
        "commune", max_length=100, blank=True, help_text="La commune seulement, jamais l'adresse (elle reste scellée)."
    )
    operator_name = models.CharField(
        "organisme gestionnaire",
        max_length=200,
        blank=True,
        help_text="L'association ou l'organisme qui gère le lieu.",
    )
    is_acse_partner = models.BooleanField("partenaire du dispositif Ac.Sé", default=False)
    women_only = models.BooleanField("femmes uniquement", default=False)
    accepts_children = models.BooleanField("accueil avec enfants", default=False)
    accepts_minors = models.BooleanField("accueil de mineurs", default=False)
    accepts_pregnancy = models.BooleanField("accueil de femmes enceintes", default=True)
    is_accessible = models.BooleanField("accessible aux personnes à mobilité réduite", default=False)
    languages = ArrayField(
        models.CharField(max_length=8, choices=Language.choices), verbose_name="langues parlées", default=list
    )
    exploitation_forms = models.ManyToManyField(
        ReferenceValue,
        verbose_name="formes d'exploitation accueillies (vide : toutes)",
        blank=True,
        related_name="+",
        limit_choices_to={"category": ReferenceCategory.EXPLOITATION_FORM},
    )

    objects = ShelterProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "profil de structure d'hébergement"
        verbose_name_plural = "profils de structure d'hébergement"
        ordering = ["organisation__name"]

    def __str__(self):
        return str(self.organisation)

    @property
    def distinct_label(self):
        """Le nom qui distingue les homonymes partout où un lieu est listé : nom, commune, département et organisme
        gestionnaire (« Centre La Source — Lyon, Rhône (69) — géré par Aurore »). Lit `organisation` et
        `departement` : à charger avec `select_related`."""
        place = ", ".join(filter(None, [self.commune, str(self.departement)]))
        label = f"{self.organisation.name} — {place}"
        return f"{label} — géré par {self.operator_name}" if self.operator_name else label

    def position(self):
        """(latitude, longitude) : celles de la structure, à défaut le centre de son département."""
        if self.latitude is not None and self.longitude is not None:
            return float(self.latitude), float(self.longitude)
        if self.departement.latitude is not None and self.departement.longitude is not None:
            return float(self.departement.latitude), float(self.departement.longitude)
        return None


class ShelterCapacity(models.Model):
    """Les places d'un type dans une structure : déclarées, occupées, retenues ; libres = déclarées - occupées -
    retenues, jamais négatif (contrainte en base). Modifié seulement par `orientation.services.shelters`, sous
    verrou, avec une ligne de registre par mouvement."""

    shelter = models.ForeignKey(ShelterProfile, on_delete=models.PROTECT, related_name="capacities")
    place_kind = models.CharField("type de places", max_length=16, choices=PlaceKind.choices)
    declared = models.PositiveSmallIntegerField("places déclarées", default=0)
    occupied = models.PositiveSmallIntegerField("places occupées", default=0)
    held = models.PositiveSmallIntegerField("places retenues", default=0)
    updated_at = models.DateTimeField("mis à jour le", default=timezone.now)

    class Meta:
        verbose_name = "places d'hébergement"
        verbose_name_plural = "places d'hébergement"
        ordering = ["place_kind"]
        constraints = [
            models.UniqueConstraint(fields=["shelter", "place_kind"], name="one_capacity_per_place_kind"),
            models.CheckConstraint(
                condition=Q(occupied__gte=0) & Q(held__gte=0) & Q(declared__gte=F("occupied") + F("held")),
                name="capacity_free_never_negative",
                violation_error_message="Les places occupées et retenues ne peuvent dépasser les places déclarées.",
            ),
        ]

    def __str__(self):
        return f"{self.get_place_kind_display()} : {self.free} libre(s)"

    @property
    def free(self):
        return self.declared - self.occupied - self.held


class CapacityMovement(models.Model):
    """Le registre des places, en ajout seul (déclencheur PostgreSQL) : chaque mouvement et l'état qui en résulte."""

    capacity = models.ForeignKey(ShelterCapacity, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField("mouvement", max_length=16, choices=CapacityMovementKind.choices)
    declared = models.PositiveSmallIntegerField("déclarées après")
    occupied = models.PositiveSmallIntegerField("occupées après")
    held = models.PositiveSmallIntegerField("retenues après")
    referral = models.ForeignKey("Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        verbose_name = "mouvement de places"
        verbose_name_plural = "registre des places"
        ordering = ["-at", "-id"]
        triggers = [
            pgtrigger.Protect(name="capacity_movement_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Qui voit quelle orientation : la Miprof toutes ; la structure qui accueille les siennes (une fois
        confiée) ; la coordination Ac.Sé celles qui passent par elle ; les autres, celles des signalements qu'ils
        voient."""
        membership = current_membership(user)
        if membership is None:
            return self.none()
        if membership.role in NATIONAL_CASE_ROLES:
            return self.all()
        kind = membership.organisation.kind
        if kind == OrganisationKind.ACSE:
            return self.filter(channel=ReferralChannel.ACSE)
        if kind == OrganisationKind.SHELTER:
            return self.filter(shelter__organisation_id=membership.organisation_id).exclude(
                status=ReferralStatus.AWAITING_DISPATCH
            )
        if membership.role in (Role.DEPARTMENTAL_VALIDATOR, Role.ASSOCIATION_ADMIN, Role.ASSOCIATION_AGENT):
            return self.filter(signalement__in=Signalement.objects.visible_to(user))
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_REFERRAL_STATUSES)

    def holding(self):
        return self.filter(status__in=HOLDING_STATUSES)


class Referral(models.Model):
    """Une orientation vers un hébergement : à une structure, ou à la coordination Ac.Sé qui la confie à une
    structure partenaire. Une place est retenue pendant que la structure décide ; la retenue expire seule."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="referrals")
    channel = models.CharField("voie", max_length=16, choices=ReferralChannel.choices)
    status = models.CharField("état", max_length=24, choices=ReferralStatus.choices)
    shelter = models.ForeignKey(
        ShelterProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    place_kind = models.CharField("type de place", max_length=16, choices=PlaceKind.choices, blank=True)
    safety_notes = models.CharField(
        "consignes de sécurité",
        max_length=500,
        blank=True,
        help_text="Pour la structure : ce qu'il faut savoir pour la sécurité, sans récit ni identité.",
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("demandée le", default=timezone.now)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dispatched_at = models.DateTimeField("confiée le", null=True, blank=True)
    hold_expires_at = models.DateTimeField("réponse attendue avant", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    refusal_reason = models.ForeignKey(
        ReferenceValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="motif"
    )
    arrived_at = models.DateTimeField("arrivée le", null=True, blank=True)
    departed_at = models.DateTimeField("départ le", null=True, blank=True)
    departure_reason = models.ForeignKey(
        ReferenceValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="motif de départ",
    )
    answer_comment = models.TextField(
        "précision du motif",
        blank=True,
        help_text="Refus ou renvoi : ce qui manque ou ce qui empêche, sans récit ni identité.",
    )
    cancel_reason = models.CharField(
        "motif de l'annulation", max_length=24, choices=ReferralCancelReason.choices, blank=True
    )
    interpreter_language = models.CharField(
        "langue de l'interprète organisé·e", max_length=8, choices=Language.choices, blank=True
    )
    interpreter_service = models.CharField(
        "service d'interprétariat",
        max_length=200,
        blank=True,
        help_text="Le service ou le dispositif d'interprétariat, jamais le nom d'une personne.",
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation vers un hébergement"
        verbose_name_plural = "orientations vers un hébergement"
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["hold_expires_at"], name="referral_hold_expiry", condition=Q(status="pending")),
            # Compte des retenues expirées pour /metriques/ (mniop_referral_holds_expired) : index partiel minuscule.
            models.Index(fields=["status"], name="referral_expired", condition=Q(status="expired")),
            models.Index(fields=["shelter", "status"], name="referral_shelter_status"),
            models.Index(fields=["channel", "status"], name="referral_channel_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["signalement"],
                condition=Q(status__in=OPEN_REFERRAL_STATUSES),
                name="one_open_referral_per_signalement",
                violation_error_message="Une orientation est déjà en cours pour ce signalement.",
            )
        ]

    def __str__(self):
        return f"Orientation {self.get_channel_display().lower()} ({self.get_status_display()})"

    @property
    def is_holding(self):
        return self.status in HOLDING_STATUSES


class DistancingWaiver(models.Model):
    """Un placement Ac.Sé hors de la règle d'éloignement : demandé avec un motif par une personne de la
    coordination, appliqué seulement quand une autre personne (coordination Ac.Sé ou administration de la Miprof)
    l'approuve ; jusque-là, aucune place n'est retenue."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="distancing_waivers")
    shelter = models.ForeignKey(ShelterProfile, on_delete=models.PROTECT, related_name="+", verbose_name="structure")
    place_kind = models.CharField("type de place", max_length=16, choices=PlaceKind.choices, blank=True)
    reason = models.TextField("motif du placement hors règle d'éloignement")
    status = models.CharField(
        "état", max_length=16, choices=DistancingWaiverStatus.choices, default=DistancingWaiverStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("demandé le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decision_comment = models.TextField("motif du rejet", blank=True)

    class Meta:
        verbose_name = "placement hors règle d'éloignement"
        verbose_name_plural = "placements hors règle d'éloignement"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="pending"),
                name="one_pending_distancing_waiver_per_referral",
                violation_error_message="Un placement hors règle d'éloignement attend déjà une seconde approbation.",
            )
        ]

    def __str__(self):
        return f"Placement hors règle d'éloignement ({self.get_status_display()})"


class BreakGlassAccess(models.Model):
    """Un accès d'urgence, justifié et limité dans le temps, au lieu d'hébergement scellé d'une personne."""

    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="break_glass_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif de l'urgence")
    granted_at = models.DateTimeField("ouvert le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")

    class Meta:
        verbose_name = "accès d'urgence (bris de glace)"
        verbose_name_plural = "accès d'urgence (bris de glace)"
        ordering = ["-granted_at"]
        triggers = [pgtrigger.Protect(name="break_glass_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"Accès d'urgence du {self.granted_at:%d/%m/%Y %H:%M}"


class MinorProtection(models.Model):
    """Le circuit des mineurs (domaine §5) : orientation vers l'ASE du département par sa CRIP, information du
    juge des enfants et du procureur, administrateur ad hoc d'un mineur non accompagné. Jamais Ac.Sé."""

    signalement = models.OneToOneField(Signalement, on_delete=models.PROTECT, related_name="minor_protection")
    crip = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.DEPARTEMENT_COUNCIL},
        verbose_name="ASE / CRIP du département",
    )
    referred_to_ase_on = models.DateField("orienté vers l'ASE le")
    juge_des_enfants_informed_on = models.DateField("juge des enfants informé·e le", null=True, blank=True)
    procureur_informed_on = models.DateField("procureur·e informé·e le", null=True, blank=True)
    ad_hoc_administrator = models.CharField("administrateur·rice ad hoc désigné·e", max_length=200, blank=True)
    ad_hoc_appointed_on = models.DateField("désigné·e le", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "circuit des mineurs"
        verbose_name_plural = "circuits des mineurs"

    def __str__(self):
        return f"Circuit des mineurs ({self.crip})"
