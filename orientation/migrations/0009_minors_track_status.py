"""Les signalements déjà réorientés vers le circuit des mineurs passent à l'état « Circuit des mineurs » : ils n'étaient
qu'une impasse (« Réorienté ») et continuent désormais jusqu'à la clôture « confié à la protection de l'enfance »."""

from django.db import migrations


def forwards(apps, schema_editor):
    Signalement = apps.get_model("signalements", "Signalement")
    Decision = apps.get_model("orientation", "Decision")
    redirected = Decision.objects.filter(redirect_target="minors_track").values("signalement_id")
    Signalement.objects.filter(status="redirected", pk__in=redirected).update(status="child_protection")


def backwards(apps, schema_editor):
    Signalement = apps.get_model("signalements", "Signalement")
    Signalement.objects.filter(status="child_protection").update(status="redirected")


class Migration(migrations.Migration):
    dependencies = [
        ("orientation", "0008_alter_referral_status"),
        ("signalements", "0014_first_line_actors"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
