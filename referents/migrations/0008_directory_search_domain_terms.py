"""Les textes indexés des fiches déjà enregistrées reçoivent les termes du domaine (`referents.indexing.DOMAIN_TERMS`) :
« traite » ou « TEH » n'écarte plus aucune fiche de l'annuaire. Les services les écrivent ensuite à chaque écriture."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr, Trim

DOMAIN_TERMS = "traite des êtres humains TEH"


def add_domain_terms(apps, schema_editor):
    DirectoryEntry = apps.get_model("referents", "DirectoryEntry")
    DirectoryEntry.objects.exclude(search_terms__startswith=DOMAIN_TERMS).update(
        search_terms=Trim(Concat(Value(f"{DOMAIN_TERMS} "), F("search_terms")))
    )


def remove_domain_terms(apps, schema_editor):
    DirectoryEntry = apps.get_model("referents", "DirectoryEntry")
    DirectoryEntry.objects.filter(search_terms__startswith=DOMAIN_TERMS).update(
        search_terms=Trim(Substr("search_terms", len(DOMAIN_TERMS) + 1))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referents", "0007_overseas_collectivite_categories"),
    ]

    operations = [migrations.RunPython(add_domain_terms, remove_domain_terms)]
