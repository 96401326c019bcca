from django.core.management.base import BaseCommand, CommandError

from referents.reference_data import DATA_DIR, ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Charge ou met à jour les régions et territoires (COG de l'INSEE) depuis les fichiers CSV de référence."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=str(DATA_DIR),
            help="Dossier contenant regions.csv et territories.csv (par défaut : referents/data).",
        )

    def handle(self, *args, data_dir, **options):
        try:
            counts = load_reference_data(data_dir)
        except ReferenceDataError as exc:
            raise CommandError(f"Données de référence invalides, rien n'a été écrit. {exc}") from exc
        for label, upsert in (("Régions", counts.regions), ("Territoires", counts.territories)):
            self.stdout.write(
                f"{label} : {upsert.total} au total, {upsert.created} créé(s), {upsert.updated} mis à jour, "
                f"{upsert.unchanged} inchangé(s)."
            )
        self.stdout.write(self.style.SUCCESS("Données de référence chargées."))
