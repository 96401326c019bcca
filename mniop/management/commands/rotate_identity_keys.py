"""Rechiffre par la clé la plus récente toutes les colonnes chiffrées (`mniop.fields`), historique compris.

Sans interruption de service : la nouvelle clé est mise en tête de `IDENTITY_ENCRYPTION_KEYS` (les anciennes
restent derrière), l'application la prend au redémarrage, puis cette commande rechiffre les lignes par lots.
Reprenable : relancée après une interruption, elle reprend les lignes restantes ; chaque ligne reste lisible pendant
toute la rotation. Quand elle annonce « 0 ligne restante », l'ancienne clé peut être retirée (docs/exploitation.md)."""

import pgtrigger
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from mniop.encryption import SEPARATOR, keyring, reencrypt_table
from mniop.fields import EncryptedMixin


def encrypted_tables():
    """[(modèle, [colonnes chiffrées])] pour chaque table qui en a, copies de django-pghistory comprises."""
    tables = []
    for model in apps.get_models():
        columns = [field.column for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)]
        if columns and not model._meta.proxy and model._meta.managed:
            tables.append((model, columns))
    return tables


def remaining_rows(model, columns):
    """Les lignes qui ont encore une valeur chiffrée par une autre clé que la plus récente."""
    prefix = f"{keyring().primary_id}{SEPARATOR}%"
    quoted = [connection.ops.quote_name(column) for column in columns]
    condition = " OR ".join(f"({column} <> '' AND {column} NOT LIKE %s)" for column in quoted)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {condition}",
            [prefix] * len(columns),
        )
        return cursor.fetchone()[0]


def model_triggers(model):
    """Les déclencheurs de la table (copies d'historique, ajout seul) : une rotation n'est pas une modification."""
    return [
        f"{model._meta.label}:{trigger.name}" for registered, trigger in pgtrigger.registered() if registered is model
    ]


class Command(BaseCommand):
    help = "Rechiffre l'identité par la clé la plus récente de IDENTITY_ENCRYPTION_KEYS (reprenable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Lignes par transaction (500).")
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="S'arrêter après ce nombre de lignes par table (rotation par tranches).",
        )
        parser.add_argument("--check", action="store_true", help="Compter les lignes restantes, sans rien écrire.")

    def handle(self, *, batch_size, limit, check, **options):
        ring = keyring()
        self.stdout.write(f"Clé la plus récente : {ring.primary_id} ({len(ring.fernets)} clé(s) configurée(s)).")
        total = 0
        for model, columns in encrypted_tables():
            if not check:
                with pgtrigger.ignore(*model_triggers(model)):
                    rewritten = reencrypt_table(
                        table=model._meta.db_table,
                        pk=model._meta.pk.column,
                        columns=columns,
                        batch_size=batch_size,
                        limit=limit,
                    )
                self.stdout.write(f"{model._meta.label} : {rewritten} ligne(s) rechiffrée(s).")
            remaining = remaining_rows(model, columns)
            total += remaining
            self.stdout.write(f"{model._meta.label} : {remaining} ligne(s) restante(s).")
        self.stdout.write(f"Total : {total} ligne(s) restante(s) sous une ancienne clé.")
