"""La base des commandes qui chargent des données de démonstration : l'option --force et le refus sans DEBUG."""

from django.core.management.base import BaseCommand, CommandError

from accounts.demo.safety import DemoDataRefused, check_demo_allowed


class DemoSeedCommand(BaseCommand):
    """Sous-classes : `seed(**options)` fait le chargement ; `add_arguments` ajoute leurs options (super() d'abord)."""

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise le chargement quand DEBUG est désactivé.")

    def handle(self, *args, force, **options):
        try:
            check_demo_allowed(force=force)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        self.seed(**options)

    def seed(self, **options):
        raise NotImplementedError
