"""`manage.py seed_demo_signalements [--count N] [--drafts N] [--force]` : des signalements de démonstration."""

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoDataRefused, check_demo_allowed
from signalements.demo import seed_demo_signalements


class Command(BaseCommand):
    help = (
        "Dépose des signalements de démonstration (profil du domaine §8.6) au nom des comptes de démonstration des "
        "associations, par les vrais services. Idempotent : complète jusqu'au nombre demandé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=60, help="Signalements déposés voulus (défaut : 60).")
        parser.add_argument("--drafts", type=int, default=10, help="Brouillons voulus (défaut : 10).")
        parser.add_argument("--force", action="store_true", help="Autorise le chargement quand DEBUG est désactivé.")

    def handle(self, *args, count, drafts, force, **options):
        if count < 0 or drafts < 0:
            raise CommandError("--count et --drafts doivent être positifs.")
        try:
            check_demo_allowed(force=force)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
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
