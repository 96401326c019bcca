"""Les empreintes de doublons recalculées avec le téléphone normalisé en E.164 par `phonenumbers` (un numéro saisi
« +33 (0)1 … » ou étranger sans « + » ne donnait pas la même empreinte qu'avant). Seules changent les lignes dont
les empreintes diffèrent ; recalculer une empreinte n'est pas une modification du signalement : pas de version
d'historique."""

import pgtrigger
from django.db import migrations

from signalements.duplicates import compute_duplicate_keys

HISTORY_TRIGGERS = ["signalements.Signalement:update_update"]


def recompute_duplicate_keys(apps, schema_editor):
    Signalement = apps.get_model("signalements", "Signalement")
    with pgtrigger.ignore(*HISTORY_TRIGGERS):
        for signalement in Signalement.objects.order_by("pk").iterator(chunk_size=500):
            keys = compute_duplicate_keys(signalement)
            if keys != sorted(signalement.duplicate_keys or []):
                Signalement.objects.filter(pk=signalement.pk).update(duplicate_keys=keys)


class Migration(migrations.Migration):

    dependencies = [
        ("signalements", "0019_identity_aliases_phone_address"),
    ]

    operations = [
        migrations.RunPython(recompute_duplicate_keys, migrations.RunPython.noop),
    ]
