"""`manage.py seed_demo_orientation [--force]` : profils et places des structures d'hébergement de démonstration."""

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoDataRefused, check_demo_allowed
from orientation.demo import seed_demo_orientation


class Command(BaseCommand):
    help = (
        "Donne un profil d'hébergement (critères, adresse scellée, partenariat Ac.Sé) et des places à chaque "
        "structure d'hébergement de démonstration. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise le chargement quand DEBUG est désactivé.")

    def handle(self, *args, force, **options):
        try:
            check_demo_allowed(force=force)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        created = seed_demo_orientation()
        self.stdout.write(self.style.SUCCESS(f"{created} profil(s) de structure d'hébergement créé(s)."))
