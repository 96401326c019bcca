from django.db import migrations, models

from accounts.access_chain import CANONICAL_V2_SQL, FUNCTIONS_SQL

#: Les lignes déjà écrites restent au format 1 (la colonne est ajoutée avec la valeur 1, sans réécrire de ligne ni
#: passer par les déclencheurs) ; toute ligne écrite ensuite prend le format 2, qui fait entrer `concerns_minor` dans
#: l'empreinte.
ADD_COLUMN_SQL = """
ALTER TABLE accounts_accesslog ADD COLUMN hash_version smallint NOT NULL DEFAULT 1;
ALTER TABLE accounts_accesslog ALTER COLUMN hash_version SET DEFAULT 2;
"""
DROP_COLUMN_SQL = "ALTER TABLE accounts_accesslog DROP COLUMN hash_version;"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0013_habilitation_requests_and_reminders"),
    ]

    operations = [
        migrations.RunSQL(
            ADD_COLUMN_SQL,
            DROP_COLUMN_SQL,
            state_operations=[
                migrations.AddField(
                    model_name="accesslog",
                    name="hash_version",
                    field=models.SmallIntegerField(
                        db_default=2, default=2, editable=False, verbose_name="format de l'empreinte"
                    ),
                ),
            ],
        ),
        migrations.RunSQL(CANONICAL_V2_SQL, FUNCTIONS_SQL),
    ]
