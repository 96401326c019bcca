"""Personnes (User), adhésions à une organisation avec un rôle (Membership), invitations et journal d'accès."""

import secrets
import uuid
from datetime import timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mniop.roles import MIPROF_ADMIN_ROLES, NATIONAL_ROLES, ORGANISATION_ADMIN_ROLES, Role, current_membership
from referents.enums import HabilitationKind
from referents.models import Habilitation, Organisation, Territory


def new_session_token():
    return secrets.token_hex(16)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


@pghistory.track(exclude=["password", "last_login", "session_token"])
class User(AbstractBaseUser, PermissionsMixin):
    """Une personne qui se connecte. Elle agit toujours au nom d'une organisation : son adhésion courante."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    session_token = models.CharField(max_length=32, default=new_session_token, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def _get_session_auth_hash(self, secret=None):
        """Inclut `session_token` : le renouveler met fin à toutes les sessions de la personne (requête suivante).
        Django l'appelle aussi avec chaque clé de SECRET_KEY_FALLBACKS : une rotation de SECRET_KEY garde les
        sessions ouvertes tant que l'ancienne clé y figure."""
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_token}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_staff(self):
        """Accès à l'administration Django : administrateurs de la plateforme seulement (voir mniop.admin)."""
        return self.is_active and self.memberships.filter(is_active=True, role=Role.PLATFORM_ADMIN).exists()


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_active=True)

    def people(self):
        """Les adhésions de personnes, sans les adhésions techniques des jetons d'API (systèmes partenaires)."""
        return self.filter(api_token__isnull=True)

    def visible_to(self, user):
        """Les adhésions qu'un utilisateur peut consulter : les siennes, celles de son organisation courante,
        toutes pour les rôles nationaux."""
        membership = current_membership(user)
        if membership is None:
            return self.none()
        if membership.role in NATIONAL_ROLES:
            return self.all()
        return self.filter(Q(organisation_id=membership.organisation_id) | Q(user=user))


@pghistory.track()
class Membership(models.Model):
    """Le lien personne ↔ organisation, avec un rôle. Une personne peut appartenir à plusieurs organisations."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    departements = models.ManyToManyField(
        Territory,
        verbose_name="départements de compétence",
        blank=True,
        related_name="+",
        help_text="Pour les valideurs départementaux : le ou les départements dont ils décident.",
    )
    is_active = models.BooleanField("active", default=True)
    is_on_call = models.BooleanField(
        "d'astreinte",
        default=False,
        help_text="Agents de la Miprof : reçoivent en plus les alertes des signalements urgents.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    deactivated_at = models.DateTimeField("désactivée le", null=True, blank=True)
    deactivated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion"
        ordering = ["organisation__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def is_national(self):
        return self.role in NATIONAL_ROLES

    @property
    def is_organisation_admin(self):
        return self.role in ORGANISATION_ADMIN_ROLES

    @property
    def is_miprof_admin(self):
        return self.role in MIPROF_ADMIN_ROLES


class RoleGrantStatus(models.TextChoices):
    PENDING = "pending", "En attente d'un second administrateur"
    APPROVED = "approved", "Approuvée"
    REFUSED = "refused", "Refusée"


class RoleGrant(models.Model):
    """Un rôle attribué depuis l'administration technique (Django admin) : demandé par un administrateur de la
    plateforme, appliqué seulement quand un autre l'approuve (jamais la personne qui reçoit le rôle). La table garde
    qui a demandé, qui a décidé et quand ; l'adhésion créée ou modifiée garde aussi son historique (pghistory)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="personne")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    departements = models.ManyToManyField(
        Territory, verbose_name="départements de compétence", blank=True, related_name="+"
    )
    status = models.CharField("état", max_length=16, choices=RoleGrantStatus.choices, default=RoleGrantStatus.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="demandée par")
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="décidée par"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    reminded_at = models.DateTimeField("rappelée le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "attribution de rôle (deux personnes)"
        verbose_name_plural = "attributions de rôle (deux personnes)"
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()}) : {self.get_status_display()}"


class HabilitationRequestStatus(models.TextChoices):
    PENDING = "pending", "En attente de la Miprof"
    APPROVED = "approved", "Accordée"
    REFUSED = "refused", "Refusée"


class HabilitationRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les demandes d'habilitation qu'une personne voit : toutes pour l'administration de la Miprof, celles de
        son organisation pour son administration ; aucune pour les autres rôles."""
        membership = current_membership(user)
        if membership is None:
            return self.none()
        if membership.role in MIPROF_ADMIN_ROLES:
            return self.all()
        if membership.role in ORGANISATION_ADMIN_ROLES:
            return self.filter(organisation_id=membership.organisation_id)
        return self.none()

    def pending(self):
        return self.filter(status=HabilitationRequestStatus.PENDING)


class HabilitationRequest(models.Model):
    """Une organisation demande une habilitation ou un agrément ; l'administration de la Miprof l'accorde (une
    `referents.Habilitation` est créée) ou la refuse avec un motif."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="habilitation_requests")
    kind = models.CharField("type", max_length=16, choices=HabilitationKind.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name="département (agrément départemental)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    motivation = models.TextField("motivation de la demande", blank=True)
    status = models.CharField(
        "état", max_length=16, choices=HabilitationRequestStatus.choices, default=HabilitationRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="demandée par")
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="décidée par"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)
    habilitation = models.ForeignKey(
        Habilitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="habilitation"
    )

    objects = HabilitationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'habilitation"
        verbose_name_plural = "demandes d'habilitation"
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Demande {self.get_kind_display()} — {self.organisation} : {self.get_status_display()}"


class HabilitationReminder(models.Model):
    """Un rappel envoyé avant la fin d'une habilitation : un seul par habilitation, date de fin et palier (60 ou 15
    jours avant). Une habilitation renouvelée (nouvelle date de fin) aura de nouveau ses rappels."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.CASCADE, related_name="+")
    ends_on = models.DateField("fin de validité rappelée")
    days_before = models.PositiveSmallIntegerField("jours avant la fin")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel de fin d'habilitation"
        verbose_name_plural = "rappels de fin d'habilitation"
        constraints = [
            models.UniqueConstraint(
                fields=["habilitation", "ends_on", "days_before"], name="habilitation_reminder_once"
            )
        ]

    def __str__(self):
        return f"Rappel J-{self.days_before} — {self.habilitation}"


class HabilitationRequestReminder(models.Model):
    """Une relance de l'administration de la Miprof pour une demande d'habilitation qui attend sa décision : une
    seule par demande et par palier (jours ouvrés d'attente, `HABILITATION_REQUEST_REMINDER_WORKING_DAYS`)."""

    habilitation_request = models.ForeignKey(HabilitationRequest, on_delete=models.CASCADE, related_name="reminders")
    working_days = models.PositiveSmallIntegerField("jours ouvrés d'attente")
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "relance d'une demande d'habilitation"
        verbose_name_plural = "relances des demandes d'habilitation"
        constraints = [
            models.UniqueConstraint(
                fields=["habilitation_request", "working_days"], name="habilitation_request_reminder_once"
            )
        ]

    def __str__(self):
        return f"Relance après {self.working_days} jours ouvrés — {self.habilitation_request}"


class Invitation(models.Model):
    """Invitation d'une personne dans une organisation, par un administrateur de cette organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse électronique")
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    departements = models.ManyToManyField(Territory, verbose_name="départements de compétence", blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation {self.organisation} ({self.get_role_display()})"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class AccessAction(models.TextChoices):
    READ = "read", "Consultation"
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    SEARCH = "search", "Recherche"
    EXPORT = "export", "Export"
    DOWNLOAD = "download", "Téléchargement"


#: La clé du verrou consultatif de la chaîne du journal d'accès (« MNIOPAL » en hexadécimal).
ACCESS_LOG_CHAIN_LOCK_KEY = 0x4D4E494F50414C
#: Les colonnes que le déclencheur de la chaîne pose au COMMIT (seule modification permise d'une ligne du journal).
CHAIN_COLUMNS = "ARRAY['chain_position', 'previous_hash', 'chain_hash']"


class AccessLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(getattr(obj, "public_id", obj.pk)))


class AccessLog(models.Model):
    """Journal des accès aux données protégées : une ligne par lecture ou écriture, écrite dans la transaction
    de la requête. En ajout seul : la base refuse toute modification ou suppression (déclencheur PostgreSQL), sauf
    celle de son déclencheur de chaîne, qui pose au COMMIT le rang et les empreintes de la ligne."""

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="personne")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="organisation"
    )
    role = models.CharField("rôle", max_length=32, blank=True)
    action = models.CharField("action", max_length=16, choices=AccessAction.choices)
    object_type = models.CharField("type d'objet", max_length=100)
    object_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    view_name = models.CharField("vue ou point d'API", max_length=150)
    path = models.CharField("chemin", max_length=500)
    method = models.CharField("méthode", max_length=8)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    #: Le même que dans les journaux JSON, l'en-tête X-Request-ID et la « Référence de l'incident » des pages d'erreur.
    request_id = models.CharField("identifiant de la requête", max_length=64, blank=True)
    #: La chaîne d'empreintes (accounts/access_chain.py) : SHA-256 de l'empreinte précédente et du contenu.
    previous_hash = models.CharField("empreinte de la ligne précédente", max_length=64, blank=True, editable=False)
    chain_hash = models.CharField("empreinte chaînée", max_length=64, blank=True, editable=False)
    #: Le rang de la ligne dans la chaîne (1, 2, 3…), posé au COMMIT de la transaction qui l'écrit : l'ordre de la
    #: chaîne est celui des validations, pas celui des identifiants (tirés à l'insertion).
    chain_position = models.BigIntegerField("rang dans la chaîne", null=True, unique=True, editable=False)
    #: Le dossier d'une personne mineure (besoin d'en connaître renforcé, domaine §5.5) : chaque accès est signalé.
    concerns_minor = models.BooleanField("dossier d'une personne mineure", default=False, db_default=False)
    #: Le format du contenu canonique de l'empreinte (accounts/access_chain.py) : 1 pour les lignes écrites avant
    #: l'entrée de `concerns_minor` dans l'empreinte, 2 ensuite.
    hash_version = models.SmallIntegerField("format de l'empreinte", default=2, db_default=2, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d'accès"
        verbose_name_plural = "journal d'accès"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["request_id"], name="access_log_request_id", condition=~Q(request_id="")),
        ]
        triggers = [
            # En ajout seul : toute suppression, toute modification refusées, sauf une, faite par le déclencheur de la
            # chaîne au COMMIT (depuis un déclencheur : pg_trigger_depth() > 1) : poser le rang et les empreintes
            # d'une ligne encore hors chaîne, sans toucher au reste.
            pgtrigger.Trigger(
                name="access_log_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    f"""
                    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
                       AND OLD.chain_position IS NULL AND NEW.chain_position IS NOT NULL
                       AND to_jsonb(OLD) - {CHAIN_COLUMNS} = to_jsonb(NEW) - {CHAIN_COLUMNS} THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;
                """
                ),
            ),
            # La chaîne d'empreintes (accounts/access_chain.py), posée par la base au COMMIT de la transaction qui
            # écrit la ligne (déclencheur de contrainte différé) : le verrou consultatif de la chaîne n'est pris qu'à
            # ce moment, et relâché à la fin du COMMIT ; la requête qui a écrit la ligne n'attend personne avant.
            # Sous le verrou : la dernière ligne chaînée (par rang), puis le rang, l'empreinte précédente et celle
            # de la ligne.
            pgtrigger.Trigger(
                name="access_log_hash_chain",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                timing=pgtrigger.Deferred,
                declare=[("previous", "text"), ("position", "bigint")],
                func=pgtrigger.Func(
                    f"""
                    PERFORM pg_advisory_xact_lock({ACCESS_LOG_CHAIN_LOCK_KEY});
                    -- Requêtes dynamiques : planifiées à chaque fois, elles suivent toujours l'index du rang
                    -- (un plan mis en cache sur une table encore vide la parcourrait en entier à chaque ligne).
                    EXECUTE 'SELECT chain_position, chain_hash FROM {{meta.db_table}} '
                        'WHERE chain_position IS NOT NULL ORDER BY chain_position DESC LIMIT 1'
                        INTO position, previous;
                    EXECUTE 'UPDATE {{meta.db_table}} SET chain_position = $2, previous_hash = $3, '
                        'chain_hash = access_log_link_hash($3, $4) WHERE id = $1 AND chain_position IS NULL'
                        USING NEW.id, coalesce(position, 0) + 1, coalesce(previous, ''), NEW;
                    RETURN NULL;
                """
                ),
            ),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_type} {self.object_id}"


class ApiTokenScope(models.TextChoices):
    """Ce qu'un jeton peut faire : une ressource de l'API (son espace de noms d'URL), en lecture ou en écriture."""

    SIGNALEMENTS_READ = "signalements:read", "Signalements : lecture"
    SIGNALEMENTS_WRITE = "signalements:write", "Signalements : écriture (brouillons, dépôt)"
    ORIENTATION_READ = "orientation:read", "Orientation : lecture (files, dossiers, mesures, places)"
    ORIENTATION_WRITE = "orientation:write", "Orientation : écriture (actions, mesures, orientations, places)"
    DIRECTORY_READ = "directory:read", "Annuaire : lecture"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Les jetons qui authentifient encore (ou authentifieront une fois approuvés) : ni révoqués ni expirés."""
        return self.filter(
            revoked_at__isnull=True,
            membership__is_active=True,
            organisation__is_active=True,
            expires_at__gt=timezone.now(),
        )

    def pending(self):
        return self.active().filter(approved_at__isnull=True)


class ApiToken(models.Model):
    """Jeton d'API d'une organisation pour un système partenaire.

    Le jeton agit par une adhésion technique de l'organisation (`membership`) : les mêmes `visible_to` et les mêmes
    services que l'interface s'appliquent. Seule l'empreinte SHA-256 du secret est gardée ; le secret n'est montré
    qu'une fois, à la création."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="api_token", verbose_name="adhésion technique"
    )
    name = models.CharField("nom du système partenaire", max_length=100)
    prefix = models.CharField("début du jeton", max_length=12, editable=False)
    key_hash = models.CharField("empreinte", max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="créé par")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    last_used_from = models.GenericIPAddressField("dernière adresse source", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    scopes = ArrayField(
        models.CharField(max_length=32, choices=ApiTokenScope.choices),
        verbose_name="portées",
        default=list,
        help_text="Les ressources de l'API et le mode (lecture ou écriture) ouverts au jeton.",
    )
    expires_at = models.DateTimeField("expire le")
    allowed_networks = ArrayField(
        models.CharField(max_length=43),
        verbose_name="adresses sources autorisées",
        default=list,
        blank=True,
        help_text="Réseaux en notation CIDR (203.0.113.0/24, 2001:db8::/32) ; vide : toute adresse.",
    )
    approved_at = models.DateTimeField(
        "approuvé le",
        null=True,
        blank=True,
        help_text="Vide tant qu'un jeton créé par la Miprof pour une autre organisation attend son second "
        "approbateur.",
    )
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="approuvé par"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_pending(self):
        return self.approved_at is None

    def get_scopes_display(self):
        labels = dict(ApiTokenScope.choices)
        return [labels.get(scope, scope) for scope in self.scopes]

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class IdempotencyRecord(models.Model):
    """La réponse déjà donnée à une requête POST de l'API portant un en-tête `Idempotency-Key` : une requête
    rejouée avec la même clé reçoit la même réponse, sans nouvelle écriture."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("clé", max_length=255)
    request_fingerprint = models.CharField("empreinte de la requête", max_length=64)
    response_status = models.PositiveSmallIntegerField("code de réponse", null=True, blank=True)
    response_body = models.JSONField("corps de la réponse", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "clé d'idempotence"
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="idempotency_key_unique")]

    def __str__(self):
        return self.key


class PasswordResetRequest(models.Model):
    """Une demande « mot de passe oublié », notée telle quelle avant toute recherche du compte : la réponse est la
    même, et prend le même temps, que l'adresse soit celle d'un compte ou non. Un worker la traite ensuite (envoi du
    lien si le compte existe) et la supprime (accounts.services.process_password_reset_request)."""

    email = models.EmailField("adresse saisie")
    requested_at = models.DateTimeField("demandée le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "demande de réinitialisation de mot de passe"
        verbose_name_plural = "demandes de réinitialisation de mot de passe"

    def __str__(self):
        return f"Demande du {self.requested_at:%d/%m/%Y %H:%M}"


class UserSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Les sessions d'une personne ne sont visibles que d'elle-même."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self, now=None):
        """Celles qui n'ont expiré ni par inactivité ni par leur durée maximale (accounts.sessions)."""
        now = now or timezone.now()
        return self.filter(
            last_activity_at__gte=now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT),
            created_at__gte=now - timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT),
        )


class UserSession(models.Model):
    """Une session ouverte par une personne (un navigateur), pour « Mon compte » : la lister et y mettre fin. La
    session Django porte `public_id` ; sans sa ligne, elle prend fin à la requête suivante (accounts.sessions)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions", verbose_name="personne")
    session_key = models.CharField("clé de session", max_length=40, db_index=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    last_activity_at = models.DateTimeField("dernière activité", default=timezone.now)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session ouverte"
        verbose_name_plural = "sessions ouvertes"
        ordering = ["-last_activity_at"]

    def __str__(self):
        return f"Session ouverte le {self.created_at:%d/%m/%Y %H:%M}"
