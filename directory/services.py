"""Écritures de l'annuaire : chaque service reçoit l'auteur en `by=` (ou tourne pour le système), vérifie le droit,
écrit, et laisse l'historique à django-pghistory (déclencheurs PostgreSQL, contexte `by`)."""

from datetime import timedelta

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from directory.coverage import SHORT_LABELS, coverage_by_territory
from directory.exchange import parse_import
from directory.permissions import can_edit_entries_of, can_edit_own_entry, can_moderate_directory
from mniop.roles import current_membership
from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import enqueue_email
from referents.enums import VerificationReason
from referents.indexing import search_texts
from referents.models import DirectoryEntry, EmailBounce, Organisation
from referents.services import history_actor

#: Les coordonnées d'une fiche : ce que le·la titulaire ou suppléant·e corrige elle-même (`update_own_entry`). Le
#: territoire, la catégorie, l'intitulé de la fonction et la publication restent à l'administration de
#: l'organisation ou de la Miprof.
OWN_ENTRY_FIELDS = (
    "public_email",
    "public_phone",
    "public_address",
    "public_hours",
    "restricted_email",
    "restricted_phone",
    "holder_name",
    "holder_email",
    "holder_phone",
    "deputy_name",
    "deputy_email",
    "deputy_phone",
    "on_call_phone",
)
#: Les champs qu'un administrateur d'organisation renseigne sur une fiche.
ENTRY_FIELDS = (
    "category",
    "title",
    "description",
    "themes",
    "specialities",
    "languages",
    *OWN_ENTRY_FIELDS,
    "is_public",
    "is_contact_public",
    "is_holder_public",
    "is_on_call_public",
)
EMAIL_FIELDS = ("public_email", "restricted_email", "holder_email", "deputy_email")
REMINDER_TEMPLATE = "directory_entry_reminder"
COVERAGE_GAPS_TEMPLATE = "directory_coverage_gaps"


def verification_months():
    return settings.MNIOP.get("DIRECTORY_VERIFICATION_MONTHS", 6)


def _write(entry, *, organisation, territories, by):
    territories = sorted(territories, key=lambda territory: territory.code)
    if not territories:
        raise ValidationError({"territories": "Indiquez au moins un territoire couvert."})
    entry.organisation = organisation
    entry.main_territory = territories[0]
    entry.main_territory_code = territories[0].code
    entry.search_names, entry.search_terms = search_texts(
        entry=entry, organisation=organisation, territories=territories
    )
    entry.full_clean(exclude=["search_vector"])
    with pghistory.context(**history_actor(by)):
        entry.save()
        entry.territories.set(territories)
    return entry


def create_entry(*, organisation, territories, by, **fields):
    if not can_edit_entries_of(by, organisation):
        raise PermissionDenied("Seuls les administrateurs de l'organisation ou de la Miprof créent ses fiches.")
    unknown = set(fields) - set(ENTRY_FIELDS) - {"last_verified_on"}
    if unknown:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    fields.setdefault("last_verified_on", timezone.localdate())
    entry = DirectoryEntry(**fields)
    with transaction.atomic():
        return _write(entry, organisation=organisation, territories=territories, by=by)


def update_entry(*, entry, territories, by, **fields):
    """Enregistrer une fiche vaut vérification : la date de vérification passe à aujourd'hui."""
    if not can_edit_entries_of(by, entry.organisation):
        raise PermissionDenied("Seuls les administrateurs de l'organisation ou de la Miprof modifient cette fiche.")
    with transaction.atomic():
        entry = DirectoryEntry.objects.select_for_update().select_related("organisation").get(pk=entry.pk)
        for name, value in fields.items():
            if name not in ENTRY_FIELDS:
                raise ValueError(f"Champ inconnu : {name}")
            setattr(entry, name, value)
        _mark_verified(entry)
        return _write(entry, organisation=entry.organisation, territories=territories, by=by)


def update_own_entry(*, entry, by, **fields):
    """Le·la titulaire ou suppléant·e corrige les coordonnées de sa fiche (historisé, vaut vérification). Son
    territoire, sa catégorie et sa fonction passent par l'administration de son organisation ou de la Miprof."""
    reserved = sorted(set(fields) - set(OWN_ENTRY_FIELDS))
    if reserved:
        raise PermissionDenied(
            "Le territoire, la fonction et la publication de la fiche sont modifiés par l'administration de votre "
            f"organisation ou de la Miprof ({', '.join(reserved)})."
        )
    with transaction.atomic():
        entry = DirectoryEntry.objects.select_for_update().select_related("organisation").get(pk=entry.pk)
        if not can_edit_own_entry(by, entry):
            raise PermissionDenied(
                "Seul·e le·la titulaire ou le·la suppléant·e de la fiche en corrige les coordonnées."
            )
        for name, value in fields.items():
            setattr(entry, name, value)
        _mark_verified(entry)
        return _write(entry, organisation=entry.organisation, territories=list(entry.territories.all()), by=by)


def _mark_verified(entry):
    entry.last_verified_on = timezone.localdate()
    entry.needs_verification = False
    entry.verification_reason = ""
    entry.reminder_sent_at = None


def verify_entry(*, entry, by):
    """« Les informations sont toujours exactes » : la fiche repart pour un cycle de fraîcheur."""
    if not (can_edit_entries_of(by, entry.organisation) or can_edit_own_entry(by, entry)):
        raise PermissionDenied(
            "Seuls les administrateurs de l'organisation ou de la Miprof, ou le·la titulaire, vérifient cette fiche."
        )
    with transaction.atomic(), pghistory.context(**history_actor(by)):
        entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
        _mark_verified(entry)
        entry.save(update_fields=["last_verified_on", "needs_verification", "verification_reason", "reminder_sent_at"])
    return entry


def moderate_entry(*, entry, is_active, note, by):
    """La Miprof suspend (is_active=False) ou rétablit une fiche ; une suspension est expliquée."""
    if not can_moderate_directory(by):
        raise PermissionDenied("Seule l'administration de la Miprof modère l'annuaire.")
    note = (note or "").strip()
    if not is_active and not note:
        raise ValidationError({"note": "Expliquez la suspension : l'organisation la lira."})
    with transaction.atomic(), pghistory.context(**history_actor(by)):
        entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
        entry.is_active = is_active
        entry.moderation_note = note
        if not is_active:
            entry.needs_verification = True
            entry.verification_reason = VerificationReason.MODERATION
        entry.save(update_fields=["is_active", "moderation_note", "needs_verification", "verification_reason"])
    return entry


def mark_email_bounced(*, email):
    """Une adresse en erreur (rebond, adresse invalide) : chaque fiche qui la porte, ou dont l'organisation la
    porte, passe « à vérifier ». Renvoie le nombre de fiches marquées."""
    email = (email or "").strip()
    if not email:
        return 0
    matches = Q(organisation__email__iexact=email)
    for name in EMAIL_FIELDS:
        matches |= Q(**{f"{name}__iexact": email})
    with pghistory.context(by="rebond", reason=VerificationReason.EMAIL_BOUNCED):
        return DirectoryEntry.objects.filter(matches).update(
            needs_verification=True, verification_reason=VerificationReason.EMAIL_BOUNCED
        )


#: Les échecs plus anciens ne sont plus repris (la boîte d'envoi est purgée, les fiches ont pu être corrigées).
BOUNCE_LOOKBACK_DAYS = 30


def process_failed_emails():
    """Tâche quotidienne : chaque message de la boîte d'envoi en échec définitif depuis le dernier passage marque
    « à vérifier » les fiches qui portent son destinataire, une seule fois (`EmailBounce`). Renvoie le nombre de
    fiches marquées."""
    since = timezone.now() - timedelta(days=BOUNCE_LOOKBACK_DAYS)
    marked = 0
    with transaction.atomic():
        failed = list(
            OutboxMessage.objects.filter(status=OutboxStatus.FAILED, created_at__gte=since)
            .exclude(pk__in=EmailBounce.objects.values("message_id"))
            .select_for_update(skip_locked=True)
            .only("pk", "recipient")
            .order_by("pk")
        )
        for message in failed:
            count = mark_email_bounced(email=message.recipient)
            EmailBounce.objects.create(message=message, entries_marked=count)
            marked += count
    return marked


def send_freshness_reminders(*, today=None):
    """Tâche quotidienne : une fiche non vérifiée depuis `DIRECTORY_VERIFICATION_MONTHS` mois vaut une relance à
    son organisation (un seul courriel par organisation et par passage, une seule fois par fiche), puis passe
    « à vérifier ». Renvoie le nombre de courriels écrits dans la boîte d'envoi."""
    today = today or timezone.localdate()
    before = today - relativedelta(months=verification_months())
    sent = 0
    with transaction.atomic(), pghistory.context(by="système", reason=VerificationReason.STALE):
        entries = list(
            DirectoryEntry.objects.stale(before)
            .filter(reminder_sent_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("organisation")
            .order_by("organisation_id", "pk")
        )
        by_organisation = {}
        for entry in entries:
            by_organisation.setdefault(entry.organisation, []).append(entry)
        for organisation, its_entries in by_organisation.items():
            recipient = organisation.email or next((e.public_email for e in its_entries if e.public_email), "")
            if recipient:
                enqueue_email(template=REMINDER_TEMPLATE, recipient=recipient, path=reverse("directory:my_entries"))
                sent += 1
        DirectoryEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
            needs_verification=True, verification_reason=VerificationReason.STALE, reminder_sent_at=timezone.now()
        )
    return sent


def editable_organisations(user):
    """Les organisations dont la personne tient les fiches (import, création)."""
    if can_moderate_directory(user):
        return Organisation.objects.active()
    membership = current_membership(user)
    if membership is None or not can_edit_entries_of(user, membership.organisation):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=membership.organisation_id)


def import_entries(*, content, by, dry_run=True):
    """Importe un CSV de fiches. `dry_run` : analyse seulement (l'aperçu). Sinon, tout ou rien : si une ligne est
    en erreur, rien n'est écrit et l'aperçu est renvoyé avec ses erreurs."""
    organisations = list(editable_organisations(by))
    if not organisations:
        raise PermissionDenied("Vous ne gérez les fiches d'aucune organisation.")
    preview = parse_import(content, organisations=organisations)
    if dry_run or preview.has_errors:
        return preview
    with transaction.atomic():
        for row in preview.rows:
            create_entry(organisation=row.organisation, territories=row.territories, by=by, **row.fields)
    preview.created = len(preview.rows)
    return preview


def coverage_gaps():
    """[{code, name, missing}] : les départements et collectivités dont l'annuaire n'a pas toutes les catégories
    obligatoires (`directory.coverage`), par code, les catégories manquantes en mots."""
    return [
        {
            "code": coverage.territory.code,
            "name": coverage.territory.name,
            "missing": [SHORT_LABELS[category] for category in coverage.missing],
        }
        for coverage in coverage_by_territory()
        if not coverage.is_complete
    ]


def alert_coverage_gaps(*, today=None):
    """Tâche hebdomadaire : un courriel à chaque administrateur·rice de la Miprof avec la liste des territoires et
    de leurs catégories obligatoires manquantes, vers la carte de couverture. Une seule fois par semaine ISO
    (rejouable : la boîte d'envoi porte la semaine) ; rien si l'annuaire est complet. Renvoie le nombre de
    courriels écrits."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    week_key = f"{year}-W{week:02d}"
    gaps = coverage_gaps()
    if not gaps or OutboxMessage.objects.filter(template=COVERAGE_GAPS_TEMPLATE, context__week=week_key).exists():
        return 0
    admins = recipients.miprof_admins()
    for admin in admins:
        enqueue_email(
            template=COVERAGE_GAPS_TEMPLATE,
            recipient=admin.email,
            path=reverse("directory:coverage"),
            context={"week": week_key, "gaps": gaps},
        )
    return len(admins)
