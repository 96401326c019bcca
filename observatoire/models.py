import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from observatoire.enums import (
    AgeBand,
    AgeGroup,
    DeadlineOutcome,
    Decision,
    DecisionDelayBand,
    EurostatForm,
    MeasureOutcome,
    NationalityGroup,
    RecordKind,
    ResidencePermit,
    TraffickingScope,
)


class CaseStatistic(models.Model):
    """La fiche statistique d'un signalement déposé : **aucune donnée identifiante** (ni nom, ni date de naissance, ni
    commune, ni récit, ni identifiant public), seulement des catégories. Elle survit à l'anonymisation et à la purge
    du signalement (`on_delete=SET_NULL`) : les tableaux des années passées ne changent pas quand un dossier est purgé.
    Écrite par `observatoire.services.refresh_case_statistics` seulement."""

    signalement = models.OneToOneField(
        "signalements.Signalement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signalement (vide après purge)",
    )
    anonymous_notification = models.OneToOneField(
        "signalements.AnonymousNotification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="notification statistique anonyme",
    )
    record_kind = models.CharField(
        "signalement ou notification anonyme",
        max_length=24,
        choices=RecordKind.choices,
        default=RecordKind.SIGNALEMENT,
    )
    year = models.PositiveSmallIntegerField("année de dépôt")
    month = models.PositiveSmallIntegerField("mois de dépôt")
    departement_code = models.CharField("département responsable", max_length=3)
    organisation_id_value = models.BigIntegerField("organisation déclarante (identifiant interne)")
    status = models.CharField("état", max_length=32)
    sex = models.CharField("sexe", max_length=16)
    transgender = models.CharField("transgenre", max_length=16)
    age_group = models.CharField("âge", max_length=16, choices=AgeGroup.choices)
    age_band = models.CharField("tranche d'âge", max_length=16, choices=AgeBand.choices)
    nationality_group = models.CharField("groupe de nationalités", max_length=16, choices=NationalityGroup.choices)
    eurostat_form = models.CharField("catégorie Eurostat", max_length=16, choices=EurostatForm.choices)
    place_of_exploitation = models.CharField("lieu d'exploitation", max_length=32)
    trafficking_scope = models.CharField(
        "traite interne ou transnationale", max_length=16, choices=TraffickingScope.choices
    )
    support_level = models.CharField("repérée ou accompagnée", max_length=16)
    identifying_body = models.CharField("organisme ayant identifié", max_length=64)
    victim_status = models.CharField("statut de la victime", max_length=16)
    is_pregnant = models.BooleanField("grossesse", default=False)
    has_children = models.BooleanField("a des enfants", default=False)
    has_disability = models.BooleanField("handicap", default=False)
    has_addiction = models.BooleanField("addiction", default=False)
    has_guardian = models.CharField("tuteur (mineur·e)", max_length=16)
    compensation_status = models.CharField("indemnisation", max_length=16)
    compensation_payer = models.CharField("indemnisation à la charge de", max_length=16, blank=True)
    has_returned = models.BooleanField("retour volontaire", default=False)
    return_region = models.CharField("région du pays de retour", max_length=16, blank=True)
    decision = models.CharField("décision", max_length=16, choices=Decision.choices)
    decision_working_days = models.PositiveIntegerField("délai de décision (jours ouvrés)", null=True, blank=True)
    decision_delay_band = models.CharField(
        "tranche du délai de décision", max_length=8, choices=DecisionDelayBand.choices, default=DecisionDelayBand.NONE
    )
    triage_deadline = models.CharField(
        "délai d'instruction respecté", max_length=8, choices=DeadlineOutcome.choices, default=DeadlineOutcome.NONE
    )
    decision_deadline = models.CharField(
        "délai de décision respecté", max_length=8, choices=DeadlineOutcome.choices, default=DeadlineOutcome.NONE
    )
    reflection_period = models.CharField(
        "délai de réflexion", max_length=16, choices=MeasureOutcome.choices, default=MeasureOutcome.NONE
    )
    residence_permit = models.CharField(
        "titre de séjour accordé", max_length=16, choices=ResidencePermit.choices, default=ResidencePermit.NONE
    )
    legal_aid = models.CharField(
        "aide juridictionnelle", max_length=16, choices=MeasureOutcome.choices, default=MeasureOutcome.NONE
    )
    return_assistance = models.CharField(
        "aide au retour volontaire (OFII)", max_length=16, choices=MeasureOutcome.choices, default=MeasureOutcome.NONE
    )
    refreshed_at = models.DateTimeField("mise à jour", default=timezone.now)

    class Meta:
        verbose_name = "fiche statistique"
        verbose_name_plural = "fiches statistiques"
        indexes = [models.Index(fields=["year", "departement_code"], name="case_statistic_year_dept")]

    def __str__(self):
        return f"Fiche statistique {self.pk} ({self.year})"


class RollupCell(models.Model):
    """Un cumul précalculé : le nombre de fiches d'une année, d'un périmètre (national, un département, une
    organisation) et d'un tableau, par ligne et colonne. Les pages lisent ces cases ; aucune ne compte les
    signalements à la volée. Récrites par `observatoire.services.refresh_rollups`."""

    year = models.PositiveSmallIntegerField("année")
    scope_kind = models.CharField("périmètre", max_length=16)  # national, departement, organisation
    scope_key = models.CharField("clé du périmètre", max_length=32, blank=True)
    table = models.CharField("tableau", max_length=32)
    row = models.CharField("ligne", max_length=32)
    column = models.CharField("colonne", max_length=32)
    count = models.PositiveIntegerField("nombre")
    value_sum = models.BigIntegerField("somme (délais)", default=0)

    class Meta:
        verbose_name = "cumul statistique"
        verbose_name_plural = "cumuls statistiques"
        indexes = [models.Index(fields=["scope_kind", "scope_key", "year", "table"], name="rollup_lookup")]

    def __str__(self):
        return f"{self.table} {self.year} {self.scope_kind}:{self.scope_key} [{self.row}, {self.column}]"


class RollupState(models.Model):
    """Où en sont les fiches et les cumuls : le dernier événement de signalement lu, l'heure du dernier calcul
    (affichée sous chaque page de statistiques)."""

    last_event_id = models.BigIntegerField("dernier événement lu", default=0)
    refreshed_at = models.DateTimeField("cumuls calculés le", null=True, blank=True)

    class Meta:
        verbose_name = "état des cumuls"

    def __str__(self):
        return f"Cumuls au {self.refreshed_at}"

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Un export n'est vu que par la personne qui l'a demandé."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """Un export long (les microdonnées, ou un tableau au-delà du seuil de lignes, ou l'enquête annuelle entière),
    calculé par une tâche Celery : son avancement s'affiche, le fichier se télécharge quand il est prêt, par la seule
    personne qui l'a demandé (et chaque téléchargement est journalisé). Le fichier est gardé en base, hors de la
    racine web, jusqu'à `expires_at` ; la tâche beat `purge_expired_exports` l'efface ensuite."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"
        EXPIRED = "expired", "Expiré"

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="demandé par"
    )
    kind = models.CharField("export", max_length=32)
    parameters = models.CharField("paramètres", max_length=200, blank=True)
    status = models.CharField("état", max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    filename = models.CharField("nom du fichier", max_length=100, blank=True)
    content = models.BinaryField("contenu", null=True, blank=True)
    summary = models.CharField("résumé", max_length=200, blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "export statistique"
        verbose_name_plural = "exports statistiques"
        ordering = ["-created_at"]

    #: Ce que l'export contient, en clair (titre de sa page).
    KIND_LABELS = {
        "microdata": "des microdonnées",
        "dashboard": "du tableau de bord",
        "survey": "de l'enquête annuelle",
        "greta": "de la grille du GRETA",
    }

    def __str__(self):
        label = self.KIND_LABELS.get(self.kind, self.kind)
        return f"Export {label} du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def is_expired(self):
        return self.status == self.Status.EXPIRED or (
            self.expires_at is not None and self.expires_at <= timezone.now()
        )
