from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from signalements.enums import ReferenceCategory
from signalements.models import ReferenceValue
from signalements.reference_data import DATA_FILE, ReferenceValuesError, load_signalement_references


class Command(BaseCommand):
    help = (
        "Crée les valeurs de référence du signalement absentes de la base (listes du domaine §4). "
        "Les valeurs existantes, que la Miprof administre, ne sont jamais modifiées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_FILE), help="Fichier CSV (par défaut : le fichier fourni).")

    def handle(self, *args, file, **options):
        try:
            created = load_signalement_references(file)
        except ReferenceValuesError as exc:
            raise CommandError(f"Listes de référence invalides, rien n'a été écrit. {exc}") from exc
        totals = dict(
            ReferenceValue.objects.order_by().values("category").annotate(n=Count("pk")).values_list("category", "n")
        )
        for category in ReferenceCategory:
            self.stdout.write(
                f"{category.label} : {totals.get(category.value, 0)} valeur(s) en base, "
                f"{created[category.value]} créée(s)."
            )
        self.stdout.write(self.style.SUCCESS(f"Listes de référence chargées : {created.total()} valeur(s) créée(s)."))
