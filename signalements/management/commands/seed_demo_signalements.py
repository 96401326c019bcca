"""`manage.py seed_demo_signalements [--count N] [--drafts N] [--force]` : des signalements de démonstration."""

from django.core.management.base import CommandError

from accounts.demo.command import DemoSeedCommand
from signalements.demo import seed_demo_signalements


class Command(DemoSeedCommand):
    help = (
        "Dépose des signalements de démonstration (profil du domaine §8.6) au nom des comptes de démonstration des "
        "associations, par les vrais services. Idempotent : complète jusqu'au nombre demandé."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--count", type=int, default=60, help="Signalements déposés voulus (défaut : 60).")
        parser.add_argument("--drafts", type=int, default=10, help="Brouillons voulus (défaut : 10).")

    def seed(self, *, count, drafts, **options):
        if count < 0 or drafts < 0:
            raise CommandError("--count et --drafts doivent être positifs.")
        report = seed_demo_signalements(count=count, drafts=drafts)
        if not report.created and not report.submitted:
            self.stdout.write(
                "Signalements de démonstration déjà présents (ou aucun compte d'association : lancez seed_demo)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} signalement(s) de démonstration créé(s), dont {report.submitted} déposé(s)."
            )
        )
