"""Le rechiffrement de toutes les colonnes chiffrées (`mniop.fields`), historique django-pghistory compris, sous la
clé de données courante : appelé par la commande `rotate_identity_keys` et par la tâche
`mniop.tasks.reencrypt_identity`. Reprenable et idempotent (`mniop.encryption.reencrypt_table`) ; la rotation
n'écrit pas de version d'historique : elle ne modifie pas les données."""

import logging

import pgtrigger
from django.apps import apps
from django.db import connection

from mniop.encryption import pending_condition, reencrypt_table
from mniop.fields import EncryptedMixin

logger = logging.getLogger(__name__)


def encrypted_tables():
    """[(modèle, [colonnes chiffrées])] pour chaque table qui en a, copies de django-pghistory comprises."""
    tables = []
    for model in apps.get_models():
        columns = [field.column for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)]
        if columns and not model._meta.proxy and model._meta.managed:
            tables.append((model, columns))
    return tables


def remaining_rows(model, columns):
    """Les lignes qui ont encore une valeur chiffrée par une autre clé que la clé de données courante."""
    condition, parameters = pending_condition(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {condition}", parameters
        )
        return cursor.fetchone()[0]


def model_triggers(model):
    """Les déclencheurs de la table (copies d'historique, ajout seul) : une rotation n'est pas une modification."""
    return [
        f"{model._meta.label}:{trigger.name}" for registered, trigger in pgtrigger.registered() if registered is model
    ]


def reencrypt_all(*, batch_size=500, limit=None, report=None):
    """Rechiffre chaque table, par lots ; `limit` par table. `report(texte)` reçoit l'avancement (la commande
    l'affiche, la tâche le journalise). Renvoie le nombre de lignes restant sous une ancienne clé."""
    report = report or (lambda text: logger.info(text))
    total = 0
    for model, columns in encrypted_tables():
        with pgtrigger.ignore(*model_triggers(model)):
            rewritten = reencrypt_table(
                table=model._meta.db_table,
                pk=model._meta.pk.column,
                columns=columns,
                batch_size=batch_size,
                limit=limit,
            )
        remaining = remaining_rows(model, columns)
        total += remaining
        report(f"{model._meta.label} : {rewritten} ligne(s) rechiffrée(s), {remaining} ligne(s) restante(s).")
    report(f"Total : {total} ligne(s) restante(s) sous une ancienne clé.")
    return total


def count_remaining(report):
    total = 0
    for model, columns in encrypted_tables():
        remaining = remaining_rows(model, columns)
        total += remaining
        report(f"{model._meta.label} : {remaining} ligne(s) restante(s).")
    report(f"Total : {total} ligne(s) restante(s) sous une ancienne clé.")
    return total
