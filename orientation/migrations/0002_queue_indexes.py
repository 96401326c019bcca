"""Les index des files (orientation.queues) sur la table des signalements : ordre `(NOT urgent, submitted_at, id)`
de la pagination par curseur, pour la file Miprof (états d'instruction), par état et par département. Créés ici pour que
l'application signalements reste sans migration de cette branche ; ils ne concernent que les lectures des files."""

from django.db import migrations

TRIAGE_INDEX = (
    "CREATE INDEX IF NOT EXISTS orientation_queue_triage ON signalements_signalement "
    '((NOT urgent), submitted_at, id) WHERE status IN (\'submitted\', \'in_triage\', \'information_requested\')'
)
STATUS_INDEX = (
    "CREATE INDEX IF NOT EXISTS orientation_queue_status ON signalements_signalement "
    "(status, (NOT urgent), submitted_at, id) WHERE submitted_at IS NOT NULL"
)

#: File départementale : le département compétent, à défaut celui du signalement (voir `visible_to`).
DEPARTEMENT_INDEX = (
    "CREATE INDEX IF NOT EXISTS orientation_queue_departement ON signalements_signalement "
    "(competent_departement_id, status, (NOT urgent), submitted_at, id) WHERE submitted_at IS NOT NULL"
)
FALLBACK_DEPARTEMENT_INDEX = (
    "CREATE INDEX IF NOT EXISTS orientation_queue_departement_fallback ON signalements_signalement "
    "(departement_id, status) WHERE competent_departement_id IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [
        ("orientation", "0001_triage_and_validation"),
        ("signalements", "0004_triage_fields_and_reason_lists"),
    ]

    operations = [
        migrations.RunSQL(TRIAGE_INDEX, "DROP INDEX IF EXISTS orientation_queue_triage"),
        migrations.RunSQL(STATUS_INDEX, "DROP INDEX IF EXISTS orientation_queue_status"),
        migrations.RunSQL(DEPARTEMENT_INDEX, "DROP INDEX IF EXISTS orientation_queue_departement"),
        migrations.RunSQL(FALLBACK_DEPARTEMENT_INDEX, "DROP INDEX IF EXISTS orientation_queue_departement_fallback"),
    ]
