import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from mniop.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from mniop.roles import LAW_ENFORCEMENT_ROLES, NATIONAL_CASE_ROLES, Role, current_membership, departement_ids
from referents.models import Organisation, Territory
from signalements import lifecycle
from signalements.enums import (
    CompensationPayer,
    CompensationStatus,
    ComplaintStatus,
    ConsentDecision,
    ConsentForm,
    ConsentOverrideGround,
    ConsentPurpose,
    ConsentStatus,
    GuardianStatus,
    InterpreterSex,
    LinkRequestStatus,
    NationalityResidual,
    NotificationAgeBand,
    NotificationScope,
    PlaceOfExploitation,
    ReferenceCategory,
    Sex,
    SignalementEventKind,
    SignalementStatus,
    SupportLevel,
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
    def scopes_by_public_id(self, public_ids):
        """{identifiant public (texte): (département, organisation)} : le périmètre des dossiers lus, pour les alertes
        de lecture du journal d'accès (accounts/reading_alerts.py). Aucune donnée de la personne."""
        valid = []
        for public_id in public_ids:
            try:
                valid.append(uuid.UUID(public_id))
            except ValueError:
                continue
        rows = self.filter(public_id__in=valid).values_list("public_id", "departement_id", "organisation_id")
        return {
            str(public_id): (departement_id, organisation_id) for public_id, departement_id, organisation_id in rows
        }

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
            shared = SignalementUserObjectPermission.objects.filter(
                user=user, permission__codename="view_signalement"
            ).values("content_object_id")
            return self.filter(organisation_id=membership.organisation_id).filter(
                models.Q(created_by=user) | models.Q(pk__in=shared)
            )
        if role == Role.DEPARTMENTAL_VALIDATOR:
            # Les identifiants en liste (et non en sous-requête) : PostgreSQL choisit alors les index par
            # département des files.
            departements = departement_ids(membership)
            return self.filter(status__in=lifecycle.DEPARTMENTAL).for_departements(departements)
        own = models.Q(organisation_id=membership.organisation_id)
        if role in LAW_ENFORCEMENT_ROLES or role == Role.LABOUR_INSPECTOR:
            # Une unité voit les signalements qu'elle a déposés, jamais ceux d'une autre unité.
            return self.filter(own)
        if role in (Role.CHILD_PROTECTION_AGENT, Role.PARQUET_MAGISTRATE):
            departements = list(membership.organisation.territories.values_list("pk", flat=True))
            in_territory = models.Q(competent_departement__in=departements) | models.Q(
                competent_departement__isnull=True, departement__in=departements
            )
            if role == Role.CHILD_PROTECTION_AGENT:
                # L'ASE / CRIP : les mineurs de ses départements confiés au circuit des mineurs.
                return self.filter(own | (models.Q(status__in=lifecycle.MINORS_TRACK) & in_territory))
            # Le parquet : ce qui le concerne dans son ressort, mineurs, plaintes et informations de l'art. 40 CPP.
            concerns = _MINOR | models.Q(complaint_status=ComplaintStatus.FILED) | models.Q(procureur_informed=True)
            return self.filter(own | (models.Q(status__in=lifecycle.FILED) & in_territory & concerns))
        return self.none()

    def for_departements(self, departements):
        """Les signalements dont le département responsable (`Signalement.responsible_departement`) est l'un de
        ceux-ci. Écrit en deux branches plutôt qu'en `Coalesce` : chacune se sert de l'index de sa colonne."""
        return self.filter(
            models.Q(competent_departement__in=departements)
            | models.Q(competent_departement__isnull=True, departement__in=departements)
        )

    def counted_in_statistics(self):
        """Sans les dossiers dont la personne a refusé ou retiré l'usage statistique (consentement « statistiques ») :
        ce que l'observatoire doit compter. Non renseigné : compté (mission d'intérêt public, art. 89 du RGPD)."""
        # Une sous-requête : les deux conditions portent sur la même ligne de consentement (un `exclude` sur une
        # relation multiple les appliquerait à des lignes différentes et retirerait un refus d'une autre finalité).
        refused = Consent.objects.filter(
            purpose=ConsentPurpose.STATISTICS, decision__in=[ConsentDecision.REFUSED, ConsentDecision.WITHDRAWN]
        )
        return self.exclude(pk__in=refused.values("signalement_id"))

    def with_responsible_departement(self):
        """Annote `responsible_departement_code` : le code du département responsable (affichage des files)."""
        return self.annotate(responsible_departement_code=Coalesce("competent_departement__code", "departement__code"))

    def minors(self):
        """Les mineurs, selon la règle de `Signalement.is_minor` : mineur non accompagné, présumé mineur, moins de
        18 ans à la date de repérage (`birth_age`, posé à l'écriture), ou âge estimé sous 18 ans sans date de
        naissance."""
        return self.filter(_MINOR)

    def adults(self):
        """Le complément exact de `minors()` (un signalement sans âge connu est compté majeur, comme `is_minor`)."""
        return self.exclude(_MINOR)


_MINOR = (
    models.Q(is_mna=True)
    | models.Q(is_minor_presumed=True)
    | models.Q(birth_date__isnull=False, birth_age__lt=18)
    | models.Q(birth_date__isnull=True, estimated_age__lt=18)
)


#: Les pays se stockent par leur code et se montrent par leur nom (`signalements.presentation`) ; l'API échange
#: les codes.
COUNTRY_CODE_HELP = "Code pays ISO 3166-1 alpha-2 (API et exports)."


def _country_list(verbose_name):
    """Une liste de pays (codes ISO 3166-1 alpha-2)."""
    return ArrayField(
        models.CharField(max_length=2),
        verbose_name=verbose_name,
        help_text="Codes pays ISO 3166-1 alpha-2 (API et exports).",
        default=list,
        blank=True,
    )


def _reference_value_choice(category, verbose_name):
    """Une valeur (facultative) d'une liste de référence : la clé étrangère des listes à choix unique."""
    return models.ForeignKey(
        ReferenceValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"category": category},
        verbose_name=verbose_name,
    )


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

    Son contenu se modifie en brouillon seulement ; toute écriture passe par `signalements.services.drafts`.
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
    spotted_place = models.CharField("lieu de repérage (commune)", max_length=200, blank=True)
    urgent = models.BooleanField("urgent", default=False)

    is_anonymous = models.BooleanField("anonyme", default=False)
    consent_status = models.CharField("consentement", max_length=32, choices=ConsentStatus.choices, blank=True)
    consent_language = models.CharField("langue du recueil du consentement", max_length=64, blank=True)
    pseudonym = models.CharField("pseudonyme", max_length=100, blank=True)
    # L'identité (domaine §10) : chiffrée dans l'application (mniop/fields.py), jamais lue en SQL ; les doublons
    # passent par `duplicate_keys`, l'âge et la minorité par `birth_age`.
    first_name = EncryptedCharField("prénom", max_length=150, blank=True)
    last_name = EncryptedCharField("nom", max_length=150, blank=True)
    birth_date = EncryptedDateField("date de naissance", null=True, blank=True)
    #: Les coordonnées et les autres noms de la personne : chiffrés comme les noms, scellés comme eux ; les autres
    #: noms et le téléphone (normalisé) entrent dans les empreintes des doublons (`signalements/duplicates.py`).
    aliases = EncryptedTextField("autres noms connus", blank=True, help_text="Un nom par ligne.")
    phone = EncryptedCharField("téléphone", max_length=40, blank=True)
    address = EncryptedTextField("adresse", blank=True)
    birth_age = models.SmallIntegerField(
        "âge tiré de la date de naissance",
        null=True,
        blank=True,
        editable=False,
        help_text="À la date de repérage (à défaut, à la dernière écriture) : la version SQL de l'âge, la date de "
        "naissance étant chiffrée. Posé par les services (`Signalement.refresh_birth_age`).",
    )
    estimated_age = models.PositiveSmallIntegerField("âge estimé", null=True, blank=True)
    is_minor_presumed = models.BooleanField("âge contesté, présumé mineur", default=False)
    is_mna = models.BooleanField("mineur non accompagné", default=False)
    sex = models.CharField("sexe", max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    transgender = models.CharField(
        "transgenre", max_length=16, choices=Transgender.choices, default=Transgender.UNKNOWN
    )
    nationalities = _country_list("nationalités")
    nationality_residual = models.CharField(
        "nationalité inconnue (code résiduel Eurostat)",
        max_length=16,
        choices=NationalityResidual.choices,
        blank=True,
        help_text="Seulement si aucune nationalité n'est connue.",
    )
    languages = ArrayField(
        models.CharField(max_length=3),
        verbose_name="langues parlées",
        help_text="Codes de langue ISO 639 (API et exports).",
        default=list,
        blank=True,
    )
    administrative_situation = _reference_value_choice(
        ReferenceCategory.ADMINISTRATIVE_SITUATION, "situation administrative"
    )
    juge_des_enfants_informed = models.BooleanField("juge des enfants informé·e", default=False)
    procureur_informed = models.BooleanField("procureur·e de la République informé·e (art. 40 CPP)", default=False)
    place_of_exploitation = models.CharField(
        "lieu d'exploitation", max_length=32, choices=PlaceOfExploitation.choices, default=PlaceOfExploitation.UNKNOWN
    )
    exploitation_departements = models.ManyToManyField(
        Territory, verbose_name="départements d'exploitation", blank=True, related_name="+"
    )
    exploitation_countries = _country_list("pays d'exploitation")
    recruitment_country = models.CharField(
        "pays de recrutement", max_length=2, blank=True, help_text=COUNTRY_CODE_HELP
    )
    transit_countries = _country_list("pays de transit")
    exploitation_forms = _reference_value_field(ReferenceCategory.EXPLOITATION_FORM, "formes d'exploitation")
    place_types = _reference_value_field(ReferenceCategory.PLACE_TYPE, "types de lieu d'exploitation")
    employment_forms = _reference_value_field(ReferenceCategory.EMPLOYMENT_FORM, "formes d'emploi ou activités")
    recruitment_modes = _reference_value_field(ReferenceCategory.RECRUITMENT_MODE, "modes de recrutement")
    ict_uses = _reference_value_field(ReferenceCategory.ICT_USE, "usages des technologies numériques")
    online_coercion_factors = _reference_value_field(
        ReferenceCategory.ONLINE_COERCION, "facteurs de contrainte en ligne"
    )
    vulnerability_factors = _reference_value_field(ReferenceCategory.VULNERABILITY_FACTOR, "facteurs de vulnérabilité")
    indicators = _reference_value_field(ReferenceCategory.TRAFFICKING_INDICATOR, "indicateurs de traite")
    sectors = _reference_value_field(ReferenceCategory.SECTOR, "secteurs d'exploitation")
    entry_channel = _reference_value_choice(ReferenceCategory.ENTRY_CHANNEL, "canal d'entrée")
    identifying_body = _reference_value_choice(
        ReferenceCategory.IDENTIFYING_BODY, "organisme ayant procédé à l'identification"
    )
    # Les acteurs institutionnels de première ligne (police, gendarmerie, inspection du travail, ASE, parquet).
    operation_reference = models.CharField("référence de l'opération ou de la procédure", max_length=64, blank=True)
    identifying_service = models.CharField("service ayant procédé à l'identification", max_length=200, blank=True)
    joint_investigation_with_opj = models.BooleanField(
        "enquête conjointe avec un·e officier·e de police judiciaire (art. 28 CPP)", default=False
    )
    codaf_or_uracti_involved = models.BooleanField("CODAF ou URACTI associé", default=False)
    in_danger = models.BooleanField("en danger là où elle se trouve", default=False)
    needs_shelter_tonight = models.BooleanField("besoin d'hébergement ce soir", default=False)
    needs_health_care = models.BooleanField("besoin de soins", default=False)
    needs_interpreter = models.BooleanField("besoin d'interprète", default=False)
    interpreter_language = models.CharField(
        "langue de l'interprète", max_length=3, blank=True, help_text="Code de langue ISO 639 (API et exports)."
    )
    interpreter_sex = models.CharField(
        "sexe de l'interprète demandé par la personne", max_length=8, choices=InterpreterSex.choices, blank=True
    )
    children_count = models.PositiveSmallIntegerField("enfants qui l'accompagnent", null=True, blank=True)
    is_pregnant = models.BooleanField("enceinte", default=False)
    complaint_status = models.CharField(
        "plainte ou témoignage", max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.UNKNOWN
    )
    support_level = models.CharField(
        "repérée ou accompagnée", max_length=16, choices=SupportLevel.choices, default=SupportLevel.UNKNOWN
    )
    has_guardian = models.CharField(
        "tuteur·rice ou administrateur·rice ad hoc (mineur·e)",
        max_length=16,
        choices=GuardianStatus.choices,
        default=GuardianStatus.UNKNOWN,
    )
    compensation_status = models.CharField(
        "indemnisation", max_length=16, choices=CompensationStatus.choices, default=CompensationStatus.UNKNOWN
    )
    compensation_payer = models.CharField(
        "indemnisation à la charge de", max_length=16, choices=CompensationPayer.choices, blank=True
    )
    return_country = models.CharField(
        "pays de retour volontaire",
        max_length=2,
        blank=True,
        help_text=COUNTRY_CODE_HELP,
    )
    account = EncryptedTextField("récit", blank=True, help_text="Texte libre, d'accès restreint, chiffré.")
    victim_status = models.CharField(
        "statut de la victime", max_length=16, choices=VictimStatus.choices, default=VictimStatus.PRESUMED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="agent·e de la Miprof en charge",
    )
    competent_departement = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département compétent",
        help_text="Qualifié par la Miprof (suggéré depuis le lieu de repérage) : l'autorité qui décide.",
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="doublon de"
    )
    closure_reason = models.ForeignKey(
        ReferenceValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="motif de clôture",
    )
    duplicate_keys = ArrayField(
        models.CharField(max_length=64),
        verbose_name="empreintes d'identité (HMAC)",
        default=list,
        blank=True,
        editable=False,
        help_text="Empreintes à clé secrète des éléments d'identité normalisés : elles rapprochent les doublons "
        "possibles sans révéler l'identité.",
    )

    objects = SignalementQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="signalement_org_status"),
            models.Index(fields=["status", "-submitted_at"], name="signalement_status_submitted"),
            # La liste de l'API d'une organisation (pagination par curseur : `-created_at, -id`), sans tri.
            models.Index(fields=["organisation", "-created_at", "-id"], name="signalement_org_created"),
            GinIndex(fields=["duplicate_keys"], name="signalement_duplicate_keys"),
        ]

    def __str__(self):
        return self.reference or f"Brouillon {self.public_id}"

    @property
    def age(self):
        """L'âge à la date de repérage (ou aujourd'hui), depuis la date de naissance ou l'âge estimé."""
        if self.birth_date is not None:
            return age_on(self.birth_date, self.spotted_on or timezone.localdate())
        return self.estimated_age

    def refresh_birth_age(self):
        """Recalcule `birth_age` depuis la date de naissance (en clair en mémoire seulement) ; à appeler par tout
        service qui pose la date de naissance ou la date de repérage. Renvoie True si la valeur a changé."""
        birth_age = age_on(self.birth_date, self.spotted_on or timezone.localdate()) if self.birth_date else None
        changed = birth_age != self.birth_age
        self.birth_age = birth_age
        return changed

    @property
    def responsible_departement(self):
        """Le département responsable : le département compétent (qualifié par la Miprof), à défaut celui du
        signalement. Sa version SQL : `SignalementQuerySet.for_departements`, `with_responsible_departement`."""
        return self.competent_departement if self.competent_departement_id else self.departement

    @property
    def responsible_departement_id(self):
        return self.competent_departement_id or self.departement_id

    @property
    def is_minor(self):
        """Sa version SQL : `SignalementQuerySet.minors()` (même règle, même date : l'âge au repérage)."""
        age = self.age
        return self.is_mna or self.is_minor_presumed or (age is not None and age < 18)

    @property
    def is_under_15(self):
        """Moins de 15 ans au repérage (arts. 225-12-2 et 222-23-1 du code pénal : circonstance aggravante, seuil du
        non-consentement). Inconnu (False) sans date de naissance ni âge estimé."""
        age = self.age
        return age is not None and age < 15


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


class IdentityOpeningQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class IdentityOpening(models.Model):
    """L'ouverture de l'identité scellée d'un signalement par une personne qui doit la justifier (valideur
    départemental ; agent·e de la Miprof pour une personne mineure) : un motif, une durée. En ajout seul ; le motif,
    texte libre, est chiffré. Écrite par `signalements.services.identity.open_identity`."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="identity_openings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    reason = EncryptedTextField("motif")
    opened_at = models.DateTimeField("ouverte le", default=timezone.now)
    expires_at = models.DateTimeField("jusqu'au")

    objects = IdentityOpeningQuerySet.as_manager()

    class Meta:
        verbose_name = "ouverture de l'identité"
        verbose_name_plural = "ouvertures de l'identité"
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["signalement", "user", "-expires_at"], name="identity_opening_active")]
        triggers = [
            pgtrigger.Protect(name="identity_opening_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"Identité ouverte le {self.opened_at:%d/%m/%Y %H:%M}"


class ConsentQuerySet(models.QuerySet):
    def given(self):
        return self.filter(decision=ConsentDecision.GIVEN)


@pghistory.track(model_name="ConsentHistory")
class Consent(models.Model):
    """Le consentement de la personne pour une finalité (une ligne par signalement et par finalité) : sa décision,
    sa date, sa forme (écrit, oral devant témoin) et la langue de la notice d'information remise. Toute écriture
    passe par `signalements.services.consents` ; l'historique (pghistory) garde chaque version."""

    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField("finalité", max_length=24, choices=ConsentPurpose.choices)
    decision = models.CharField(
        "décision", max_length=16, choices=ConsentDecision.choices, default=ConsentDecision.UNKNOWN
    )
    decided_on = models.DateField("date du recueil", null=True, blank=True, help_text="Vide : non renseignée.")
    form = models.CharField("forme", max_length=16, choices=ConsentForm.choices, default=ConsentForm.UNKNOWN)
    witness = models.CharField(
        "témoin (fonction)", max_length=150, blank=True, help_text="Pour un consentement oral : la fonction du témoin."
    )
    notice_language = models.CharField("langue de la notice d'information", max_length=8, blank=True)
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)
    note = models.CharField("observation", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "consentement"
        ordering = ["signalement", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["signalement", "purpose"], name="consent_one_row_per_purpose"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} : {self.get_decision_display()}"

    @property
    def is_given(self):
        return self.decision == ConsentDecision.GIVEN


class ConsentOverride(models.Model):
    """Un partage fait sans le consentement de la finalité, là où la loi le permet (personne mineure, danger pour la
    vie), avec son motif écrit. L'événement `consent_overridden` du journal y renvoie."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="consent_overrides")
    purpose = models.CharField("finalité", max_length=24, choices=ConsentPurpose.choices)
    ground = models.CharField("fondement", max_length=24, choices=ConsentOverrideGround.choices)
    reason = models.TextField("motif")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("décidé le", default=timezone.now)

    class Meta:
        verbose_name = "partage sans consentement"
        verbose_name_plural = "partages sans consentement"
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.get_purpose_display()} : {self.get_ground_display()}"


class SignalementUserObjectPermission(UserObjectPermissionBase):
    """Partage explicite d'un signalement avec une personne de l'organisation (django-guardian, clé directe)."""

    content_object = models.ForeignKey(Signalement, on_delete=models.CASCADE)


class InformationRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(answered_at__isnull=True, cancelled_at__isnull=True)


class InformationRequest(models.Model):
    """Une demande de complément de la Miprof à l'organisation déclarante, et sa réponse.

    Le contenu déposé ne change plus : les compléments s'ajoutent ici, avec leur historique."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="information_requests")
    question = models.TextField("question")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="demandé par"
    )
    requested_at = models.DateTimeField("demandé le", default=timezone.now)
    due_at = models.DateTimeField("réponse attendue avant", null=True, blank=True)
    answer = models.TextField("réponse", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="répondu par",
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de complément"
        verbose_name_plural = "demandes de complément"
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"Demande de complément du {self.requested_at:%d/%m/%Y}"

    @property
    def is_pending(self):
        return self.answered_at is None and self.cancelled_at is None


class AnonymousNotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Qui voit une notification statistique anonyme : la Miprof (agents et administrateurs) toutes, les autres
        rôles celles de leur organisation courante. Elle n'entre jamais dans une file ni dans un dossier."""
        membership = current_membership(user)
        if membership is None:
            return self.none()
        if membership.role in NATIONAL_CASE_ROLES:
            return self.all()
        return self.filter(organisation_id=membership.organisation_id)


class AnonymousNotification(models.Model):
    """La notification statistique anonyme (à la façon du « Duty to Notify » britannique) : une personne majeure
    refuse son consentement, l'acteur de première ligne la compte sans l'identifier. **Aucune donnée d'identité** :
    ni nom, ni date de naissance, ni coordonnées, ni récit ; seulement ce que les statistiques lisent. Elle n'est
    jamais instruite : ni file de la Miprof, ni espace de travail, ni notification aux valideur·ses. Écrite par
    `signalements.services.anonymous_notifications.file_anonymous_notification` ; immuable (déclencheur)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="notifiée par"
    )
    created_at = models.DateTimeField("notifiée le", default=timezone.now)
    age_band = models.CharField(
        "tranche d'âge", max_length=16, choices=NotificationAgeBand.choices, default=NotificationAgeBand.UNKNOWN
    )
    sex = models.CharField("sexe", max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    nationalities = _country_list("nationalités")
    nationality_residual = models.CharField(
        "nationalité inconnue (région)",
        max_length=16,
        choices=NationalityResidual.choices,
        blank=True,
        help_text="Seulement si aucune nationalité n'est connue.",
    )
    exploitation_forms = _reference_value_field(ReferenceCategory.EXPLOITATION_FORM, "formes d'exploitation")
    departement = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name="département de la notification"
    )
    place_of_exploitation = models.CharField(
        "lieu d'exploitation", max_length=32, choices=PlaceOfExploitation.choices, default=PlaceOfExploitation.UNKNOWN
    )
    exploitation_started_year = models.PositiveSmallIntegerField(
        "début de l'exploitation (année)", null=True, blank=True
    )
    exploitation_ended_year = models.PositiveSmallIntegerField(
        "fin de l'exploitation (année)", null=True, blank=True, help_text="Vide : en cours ou inconnue."
    )
    identifying_body = _reference_value_choice(
        ReferenceCategory.IDENTIFYING_BODY, "organisme ayant procédé à l'identification"
    )
    trafficking_scope = models.CharField(
        "traite interne ou transnationale",
        max_length=16,
        choices=NotificationScope.choices,
        default=NotificationScope.UNKNOWN,
    )

    objects = AnonymousNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification statistique anonyme"
        verbose_name_plural = "notifications statistiques anonymes"
        ordering = ["-created_at", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="anonymous_notification_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"Notification statistique anonyme du {self.created_at:%d/%m/%Y}"


class LinkRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=LinkRequestStatus.PENDING)


class LinkRequest(models.Model):
    """« Demander au Miprof de rapprocher ces signalements » : la structure a été prévenue qu'un signalement existe
    probablement pour cette personne (`signalements.duplicates.probably_filed_already`, sans savoir lequel) et demande
    à la Miprof de les rapprocher. Rangée avec son signalement (brouillon ou déposé) ; la Miprof la confirme (clôture
    comme doublon, `orientation.services.link_requests.confirm_link`) ou l'écarte avec un motif. `linked_to`, posé à
    la confirmation, n'est jamais montré à la structure qui a demandé."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    signalement = models.ForeignKey(Signalement, on_delete=models.PROTECT, related_name="link_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("demandée le", default=timezone.now)
    status = models.CharField(
        "état", max_length=16, choices=LinkRequestStatus.choices, default=LinkRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("traitée le", null=True, blank=True)
    dismissal_reason = models.TextField("motif (rapprochement écarté)", blank=True)
    linked_to = models.ForeignKey(
        Signalement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signalement rapproché (jamais montré à la structure qui a demandé)",
    )

    objects = LinkRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de rapprochement"
        verbose_name_plural = "demandes de rapprochement"
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signalement"],
                condition=models.Q(status="pending"),
                name="one_pending_link_request_per_signalement",
            )
        ]

    def __str__(self):
        return f"Demande de rapprochement du {self.requested_at:%d/%m/%Y}"
