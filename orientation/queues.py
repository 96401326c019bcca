"""Les files de la Miprof et des départements : lectures seules, toujours à partir de `visible_to(user)`.

Ordre : urgents d'abord, puis les plus anciens (date de dépôt), puis l'identifiant. La pagination est par curseur
(keyset) sur `(NOT urgent, submitted_at, id)`, servi par les index de la migration `orientation.0002` : pas d'OFFSET,
le temps d'une page ne dépend pas de sa profondeur."""

import datetime

from django.core import signing
from django.db.models import BooleanField, Exists, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from mniop.fields import EncryptedMixin
from orientation.models import Clock
from signalements.enums import SignalementStatus
from signalements.models import Signalement
from signalements.status_counts import counts_by_status

PAGE_SIZE = 50
CURSOR_SALT = "orientation.queue.cursor"
NOT_URGENT = RawSQL('NOT "signalements_signalement"."urgent"', (), output_field=BooleanField())
KEYSET = (
    '(NOT "signalements_signalement"."urgent", "signalements_signalement"."submitted_at", '
    '"signalements_signalement"."id") > (%s, %s, %s)'
)

# Les états de chaque file (comptés en tête de file, affichés sans filtre) sont des groupes de la table du cycle
# de vie : `lifecycle.MIPROF_QUEUE`, `lifecycle.OPEN` ; `lifecycle.DEPARTMENTAL_QUEUE`,
# `lifecycle.DEPARTMENTAL_QUEUE_DEFAULT`.


def filter_queue(queryset, filters, default_statuses):
    """`filters` : les données nettoyées du formulaire de filtres (clés absentes ou vides : pas de filtre)."""
    if filters.get("reference"):
        return queryset.filter(reference=filters["reference"].strip().upper())
    status = filters.get("statut")
    queryset = queryset.filter(status=status) if status else queryset.filter(status__in=default_statuses)
    if filters.get("departement"):
        queryset = queryset.for_departements([filters["departement"]])
    if filters.get("forme"):
        queryset = queryset.filter(exploitation_forms=filters["forme"])
    if filters.get("mineur") == "oui":
        queryset = queryset.minors()
    elif filters.get("mineur") == "non":
        queryset = queryset.adults()
    if filters.get("canal"):
        queryset = queryset.filter(entry_channel=filters["canal"])
    if filters.get("agent"):
        queryset = queryset.filter(assigned_to=filters["agent"])
    if filters.get("en_retard"):
        queryset = queryset.filter(Exists(Clock.objects.overdue().filter(signalement=OuterRef("pk"))))
    return queryset


def encode_cursor(signalement):
    return signing.dumps(
        [not signalement.urgent, signalement.submitted_at.isoformat(), signalement.pk], salt=CURSOR_SALT
    )


def decode_cursor(value):
    try:
        not_urgent, submitted_at, pk = signing.loads(value, salt=CURSOR_SALT)
        return bool(not_urgent), datetime.datetime.fromisoformat(submitted_at), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def encrypted_fields(model):
    """Les champs chiffrés d'un modèle : une file ne les affiche pas, les lire coûterait un déchiffrement par case."""
    return [field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)]


def page(queryset, cursor=None, size=PAGE_SIZE):
    """Une page de la file après `cursor` ; renvoie (lignes, curseur de la page suivante ou None). Les champs
    chiffrés (identité, récit) ne sont pas lus : la file n'en montre aucun."""
    next_clock = Clock.objects.open().filter(signalement=OuterRef("pk")).order_by("due_at")
    queryset = (
        queryset.filter(submitted_at__isnull=False)
        .select_related("departement", "competent_departement", "assigned_to", "entry_channel")
        .with_responsible_departement()
        .annotate(
            next_due_at=Subquery(next_clock.values("due_at")[:1]),
            next_due_paused=Subquery(next_clock.values("paused_at")[:1]),
            next_due_time_zone=Subquery(next_clock.values("territory__time_zone")[:1]),
        )
        .order_by(NOT_URGENT, "submitted_at", "pk")
        .defer(*encrypted_fields(Signalement))
    )
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        queryset = queryset.filter(RawSQL(KEYSET, position, output_field=BooleanField()))
    rows = list(queryset[: size + 1])
    now = timezone.now()
    for row in rows:
        row.is_overdue = row.next_due_at is not None and row.next_due_paused is None and row.next_due_at < now
    if len(rows) > size:
        return rows[:size], encode_cursor(rows[size - 1])
    return rows, None


def status_counts(queryset, statuses):
    """Les comptes par état en tête de file, gardés en cache jusqu'au prochain changement d'état
    (`signalements.status_counts`)."""
    counts = counts_by_status(queryset, statuses)
    return [(SignalementStatus(status), counts.get(status, 0)) for status in statuses]


def miprof_queue(user):
    return Signalement.objects.visible_to(user)
