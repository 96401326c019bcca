"""`manage.py seed_demo_orientation [--force]` : profils et places des structures d'hébergement de démonstration."""

from accounts.demo.command import DemoSeedCommand
from orientation.demo import seed_demo_orientation


class Command(DemoSeedCommand):
    help = (
        "Donne un profil d'hébergement (critères, adresse scellée, partenariat Ac.Sé) et des places à chaque "
        "structure d'hébergement de démonstration. Idempotent."
    )

    def seed(self, **options):
        created = seed_demo_orientation()
        self.stdout.write(self.style.SUCCESS(f"{created} profil(s) de structure d'hébergement créé(s)."))
