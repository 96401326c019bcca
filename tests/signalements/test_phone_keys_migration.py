"""La migration de données qui recalcule les empreintes de doublons avec le téléphone en E.164 (`phonenumbers`)."""

import importlib

from django.apps import apps
from django.db import connection

from signalements.duplicates import compute_duplicate_keys
from signalements.models import Signalement
from tests.signalements.factories import submitted_signalement

migration = importlib.import_module("signalements.migrations.0020_phone_duplicate_keys_in_e164")


def test_the_migration_recomputes_stale_phone_keys_without_a_history_version(world):
    case = submitted_signalement(world, phone="+33 (0)1 23 45 67 89")
    fresh = case.duplicate_keys
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE signalements_signalement SET duplicate_keys = %s WHERE id = %s", [["ancienne-empreinte"], case.pk]
        )
    versions = case.history.count()

    migration.recompute_duplicate_keys(apps, None)

    case = Signalement.objects.get(pk=case.pk)
    assert case.duplicate_keys == fresh == compute_duplicate_keys(case)
    assert case.history.count() == versions
