"""`manage.py demo_accounts [--force]` : l'adresse de la plateforme et les comptes de démonstration."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ACCOUNTS, demo_password
from accounts.models import User
from mniop.roles import Role


class Command(BaseCommand):
    help = (
        "Affiche l'adresse de la plateforme et les comptes de démonstration (un par rôle). Le mot de passe "
        "n'est affiché que si DEBUG est activé ou avec --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Affiche le mot de passe même quand DEBUG est désactivé."
        )

    def handle(self, *args, force, **options):
        existing = set(User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).values_list("email", flat=True))
        self.stdout.write(f"Plateforme : {settings.SITE_URL}/")
        if settings.DEBUG or force:
            self.stdout.write(f"Mot de passe de tous les comptes : {demo_password()}")
        else:
            self.stdout.write("Mot de passe masqué (DEBUG est désactivé) : relancez avec --force pour l'afficher.")
        self.stdout.write("")

        labels = dict(Role.choices)
        rows = [("Adresse électronique", "Rôle", "Organisation")] + [
            (account.email, labels[account.role], account.organisation) for account in DEMO_ACCOUNTS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        header, *body = rows
        self.stdout.write(self.style.MIGRATE_HEADING(_format(header, widths)))
        for row, account in zip(body, DEMO_ACCOUNTS, strict=True):
            self.stdout.write(_format(row, widths))
            missing = "" if account.email in existing else " (compte absent : lancez manage.py seed_demo)"
            self.stdout.write(f"    {account.description}{missing}")
        if not existing:
            self.stdout.write("")
            self.stdout.write(
                self.style.WARNING("Aucun compte de démonstration en base : lancez manage.py seed_demo.")
            )


def _format(row, widths):
    return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
