"""`rest_framework.authtoken` n'est plus installé (l'API authentifie par les jetons d'organisation,
`accounts/api/authentication.py`). Sa table, créée par les anciennes installations, référence `accounts_user` et
empêcherait de vider la table des personnes : elle est supprimée, avec la trace de ses migrations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens_idempotency_on_call"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
