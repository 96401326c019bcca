# L'attestation de décision nomme la fonction de qui a décidé (rôle et organisation, jamais son nom) et porte un code
# de vérification tiré au hasard, unique, que la page publique de vérification résout.

import django.db.models.deletion
from django.db import migrations, models

import orientation.models.triage


def draw_codes(apps, schema_editor):
    Decision = apps.get_model("orientation", "Decision")
    for decision in Decision.objects.filter(verification_code__isnull=True).only("pk"):
        decision.verification_code = orientation.models.triage.new_verification_code()
        decision.save(update_fields=["verification_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("orientation", "0012_shelter_commune_and_operator"),
        ("referents", "0007_overseas_collectivite_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="decided_by_role",
            field=models.CharField(
                blank=True,
                choices=[('association_agent', 'Agent de structure'), ('association_admin', 'Administrateur·rice de structure'), ('miprof_agent', 'Agent de la Miprof'), ('miprof_admin', 'Administrateur·rice de la Miprof'), ('departmental_validator', 'Valideur·se départemental·e'), ('territorial_referent', 'Référent·e territorial·e'), ('statistician', 'Statisticien·ne'), ('platform_admin', 'Administrateur·rice de la plateforme'), ('police_officer', "Enquêteur·rice d'une unité de police nationale"), ('gendarme', "Enquêteur·rice d'une unité de gendarmerie"), ('labour_inspector', 'Inspecteur·rice ou contrôleur·se du travail'), ('child_protection_agent', "Agent de l'ASE / CRIP du conseil départemental"), ('parquet_magistrate', 'Magistrat·e référent·e TEH du parquet')],
                max_length=32,
                verbose_name="fonction de qui a décidé",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="decided_by_organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="referents.organisation",
                verbose_name="organisation de qui a décidé",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="verification_code",
            field=models.CharField(max_length=19, null=True, editable=False, verbose_name="code de vérification"),
        ),
        migrations.RunPython(draw_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="verification_code",
            field=models.CharField(
                default=orientation.models.triage.new_verification_code,
                editable=False,
                max_length=19,
                unique=True,
                verbose_name="code de vérification",
            ),
        ),
    ]
