"""Territoires (données de référence), organisations et leurs habilitations.

Qui voit quoi : `Organisation.objects.visible_to(user)` est le seul endroit qui le dit (voir docs/architecture.md).
"""

import uuid

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mniop.roles import NATIONAL_ROLES, current_membership
from mniop.time_zones import zone_name
from referents.enums import (
    SHELTER_CATEGORIES,
    HabilitationKind,
    Language,
    OrganisationKind,
    ReferentCategory,
    Speciality,
    TerritoryKind,
    Theme,
    VerificationReason,
    Zone,
)

#: Configurations de recherche plein texte. Le raciniseur français a besoin des accents (« exploitée » -> « exploit »,
#: mais « exploitee » -> « exploite ») : chaque texte est indexé deux fois, racinisé avec ses accents (`french`) et
#: sans accents puis racinisé (`mniop_french` = `unaccent` puis `french_stem`, migration 0002). Chaque mot cherché
#: interroge les deux (directory/search.py) : « exploitée » trouve « exploitation », « prefecture » « préfecture ».
SEARCH_CONFIG = "mniop_french"
STEM_CONFIG = "french"


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

    @property
    def time_zone_name(self):
        """« heure de Mayotte » : le nom français de son fuseau (`mniop.time_zones`)."""
        return zone_name(self.time_zone)


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les organisations qu'un utilisateur peut consulter dans son organisation courante.

        - rôles nationaux (Miprof, administration de la plateforme) : toutes ;
        - autres rôles : leur organisation courante.
        """
        membership = current_membership(user)
        if membership is None:
            return self.none()
        if membership.role in NATIONAL_ROLES:
            return self.all()
        return self.filter(pk=membership.organisation_id)

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

    def last_ended_habilitation(self, kind, on=None):
        """L'habilitation de ce type la plus récemment arrivée à son terme (fin de validité passée), ou None."""
        on = on or timezone.localdate()
        ended = [h for h in self.habilitations.all() if h.kind == kind and h.ends_on is not None and h.ends_on < on]
        return max(ended, key=lambda h: h.ends_on, default=None)


@pghistory.track()
class Habilitation(models.Model):
    """Une habilitation ou un agrément : il appartient à l'organisation, pas à la personne."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
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


class DirectoryEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les fiches de l'annuaire qu'une personne peut lire.

        - professionnels connectés (toute adhésion active) : toutes les fiches actives, plus celles de leur
          organisation et, pour les rôles nationaux, les fiches suspendues par la modération ;
        - public (personne non connectée) : les fiches publiées seulement (`published()`) ; les champs restreints
          ne sortent jamais de `DirectoryEntry.public_fields()`.
        """
        membership = current_membership(user)
        if membership is None:
            return self.published()
        if membership.role in NATIONAL_ROLES:
            return self.all()
        return self.filter(Q(is_active=True) | Q(organisation_id=membership.organisation_id))

    def published(self):
        return self.filter(is_public=True, is_active=True, organisation__is_active=True)

    def held_by(self, user):
        """Les fiches dont la personne est titulaire ou suppléante : le lien entre une fiche et un compte est
        l'adresse électronique du compte, portée par la fiche (`holder_email`, `deputy_email`)."""
        email = getattr(user, "email", "")
        if not email:
            return self.none()
        return self.filter(Q(holder_email__iexact=email) | Q(deputy_email__iexact=email))

    def active(self):
        return self.filter(is_active=True)

    def covering(self, territory):
        return self.filter(territories=territory)

    def stale(self, before):
        return self.filter(is_active=True, last_verified_on__lt=before)


@pghistory.track(exclude=["search_names", "search_terms", "search_vector", "updated_at", "main_territory_code"])
class DirectoryEntry(models.Model):
    """Une fiche de l'annuaire territorialisé : une fonction de référent tenue par une organisation, pour un ou
    plusieurs territoires. La personne qui l'occupe (et son suppléant) est facultative."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="directory_entries")
    category = models.CharField("catégorie", max_length=40, choices=ReferentCategory.choices)
    title = models.CharField("intitulé de la fonction", max_length=200)
    description = models.TextField("missions et modalités de contact", blank=True)
    themes = ArrayField(
        models.CharField(max_length=32, choices=Theme.choices), verbose_name="thématiques", default=list, blank=True
    )
    specialities = ArrayField(
        models.CharField(max_length=32, choices=Speciality.choices),
        verbose_name="spécialités",
        default=list,
        blank=True,
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=Language.choices),
        verbose_name="langues parlées",
        default=list,
        blank=True,
    )
    territories = models.ManyToManyField(Territory, verbose_name="territoires couverts", related_name="+")
    main_territory = models.ForeignKey(
        Territory,
        verbose_name="territoire principal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Le premier territoire couvert (par code) : il regroupe les résultats de recherche.",
    )
    main_territory_code = models.CharField(max_length=3, editable=False, default="")

    # Contact générique (publiable)
    public_email = models.EmailField("adresse électronique générique", blank=True)
    public_phone = models.CharField("téléphone générique", max_length=32, blank=True)
    public_address = models.CharField("adresse postale", max_length=300, blank=True)
    public_hours = models.CharField("horaires", max_length=200, blank=True)
    # Contact réservé aux professionnels
    restricted_email = models.EmailField("adresse électronique réservée aux professionnels", blank=True)
    restricted_phone = models.CharField("ligne directe réservée aux professionnels", max_length=32, blank=True)
    # Personnes
    holder_name = models.CharField("titulaire de la fonction", max_length=200, blank=True)
    holder_email = models.EmailField("adresse électronique du titulaire", blank=True)
    holder_phone = models.CharField("téléphone du titulaire", max_length=32, blank=True)
    deputy_name = models.CharField("suppléant·e", max_length=200, blank=True)
    deputy_email = models.EmailField("adresse électronique du suppléant", blank=True)
    deputy_phone = models.CharField("téléphone du suppléant", max_length=32, blank=True)
    on_call_phone = models.CharField("astreinte 24 h/24, 7 j/7", max_length=32, blank=True)

    # Ce qui est publié (page publique de chaque territoire)
    is_public = models.BooleanField("fiche publiée sur la page publique", default=False)
    is_contact_public = models.BooleanField("contact générique public", default=False)
    is_holder_public = models.BooleanField("nom du titulaire public", default=False)
    is_on_call_public = models.BooleanField("astreinte publique", default=False)

    # Fraîcheur et modération
    last_verified_on = models.DateField("vérifiée le")
    needs_verification = models.BooleanField("à vérifier", default=False)
    verification_reason = models.CharField(
        "motif de vérification", max_length=16, choices=VerificationReason.choices, blank=True
    )
    reminder_sent_at = models.DateTimeField("relance envoyée le", null=True, blank=True)
    is_active = models.BooleanField("active", default=True, help_text="Une fiche suspendue par la Miprof.")
    moderation_note = models.CharField("note de modération", max_length=500, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    # Recherche plein texte : textes dénormalisés tenus par les services (directory/services.py, referents/indexing.py)
    search_names = models.TextField(editable=False, default="")
    search_terms = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_names", weight="A", config=SEARCH_CONFIG)
        + SearchVector("search_terms", weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_names", weight="A", config=STEM_CONFIG)
        + SearchVector("search_terms", weight="B", config=STEM_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DirectoryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche de l'annuaire"
        verbose_name_plural = "fiches de l'annuaire"
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="directory_entry_search"),
            GinIndex(fields=["themes"], name="directory_entry_themes"),
            GinIndex(fields=["specialities"], name="directory_entry_specialities"),
            GinIndex(fields=["languages"], name="directory_entry_languages"),
            models.Index(fields=["category", "main_territory"], name="directory_entry_category"),
            models.Index(fields=["main_territory_code", "category", "title", "id"], name="directory_entry_browse"),
            models.Index(fields=["last_verified_on"], name="directory_entry_verified"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_shelter(self):
        return self.category in SHELTER_CATEGORIES or self.organisation.kind == OrganisationKind.SHELTER

    def public_fields(self):
        """Ce que la page publique montre de la fiche : rien de plus. Jamais l'adresse d'un lieu d'hébergement,
        jamais le contact réservé, le nom du titulaire seulement s'il a été publié."""
        fields = {"title": self.title, "organisation": self.organisation.name, "category": self.get_category_display()}
        if self.is_contact_public:
            fields.update(email=self.public_email, phone=self.public_phone, hours=self.public_hours)
            if not self.is_shelter:
                fields["address"] = self.public_address
        if self.is_holder_public:
            fields["holder"] = self.holder_name
        if self.is_on_call_public:
            fields["on_call"] = self.on_call_phone
        return {name: value for name, value in fields.items() if value}

    def theme_labels(self):
        return [Theme(value).label for value in self.themes]

    def speciality_labels(self):
        return [Speciality(value).label for value in self.specialities]

    def language_labels(self):
        return [Language(value).label for value in self.languages]


class EmailBounce(models.Model):
    """Un message de la boîte d'envoi en échec définitif, déjà reporté sur l'annuaire : la tâche quotidienne des
    rebonds (`directory.services.process_failed_emails`) ne traite chaque échec qu'une fois."""

    message = models.OneToOneField(
        "notifications.OutboxMessage", on_delete=models.CASCADE, related_name="+", verbose_name="message"
    )
    entries_marked = models.PositiveIntegerField("fiches marquées « à vérifier »", default=0)
    processed_at = models.DateTimeField("traité le", default=timezone.now)

    class Meta:
        verbose_name = "rebond de courriel"
        verbose_name_plural = "rebonds de courriel"

    def __str__(self):
        return f"Rebond traité le {self.processed_at:%d/%m/%Y}"
