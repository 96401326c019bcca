from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Index construit sans verrou d'écriture sur une table en service (docs/exploitation.md).
    atomic = False

    dependencies = [
        ("signalements", "0007_remove_signalement_group_permissions"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="signalement",
            index=models.Index(fields=["organisation", "-created_at", "-id"], name="signalement_org_created"),
        ),
    ]
