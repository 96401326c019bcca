"""`manage.py seed_demo [--scale N] [--force]` : charge les données et les comptes de démonstration."""

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoDataRefused, seed_demo_data
from referents.enums import OrganisationKind

#: Chaque objet compté : (nom au singulier, au pluriel, « créé » accordé aux deux nombres, « mis à jour » idem).
_WORDS = {
    "organisations": ("organisation", "organisations", "créée", "créées", "mise à jour", "mises à jour"),
    "habilitations": ("habilitation", "habilitations", "créée", "créées", "mise à jour", "mises à jour"),
    "users": ("compte", "comptes", "créé", "créés", "mis à jour", "mis à jour"),
    "memberships": ("adhésion", "adhésions", "créée", "créées", "mise à jour", "mises à jour"),
    "directory_entries": ("fiche d'annuaire", "fiches d'annuaire", "créée", "créées", "mise à jour", "mises à jour"),
}


def count_line(key, created, updated):
    """« 760 organisations créées, 0 mise à jour » : singulier en dessous de 2, comme le veut le français."""
    noun, nouns, made, made_plural, changed, changed_plural = _WORDS[key]
    return (
        f"{created} {noun if created < 2 else nouns} {made if created < 2 else made_plural}, "
        f"{updated} {changed if updated < 2 else changed_plural}"
    )


class Command(BaseCommand):
    help = (
        "Charge le référentiel des territoires, les organisations de démonstration (institutions de chaque "
        "département, associations, structures d'hébergement) et un compte de démonstration par rôle. "
        "Idempotent : relancer ne crée rien de nouveau."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiplie le nombre d'associations et de structures d'hébergement (tests de charge). Défaut : 1.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise le chargement quand DEBUG est désactivé (les comptes ont un mot de passe connu).",
        )

    def handle(self, *args, scale, force, **options):
        if scale < 1:
            raise CommandError("--scale doit être un entier supérieur ou égal à 1.")
        started = time.monotonic()
        try:
            report = seed_demo_data(scale=scale, force=force)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        elapsed = f"{time.monotonic() - started:.1f}".replace(".", ",")
        for key in _WORDS:
            self.stdout.write(count_line(key, report.created[key], report.updated[key]))
        labels = dict(OrganisationKind.choices)
        by_kind = ", ".join(
            f"{labels.get(kind, kind)} : {count}" for kind, count in sorted(report.organisations_by_kind.items())
        )
        self.stdout.write(f"Organisations de démonstration par type : {by_kind}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration chargées en {elapsed} s (échelle {scale}). "
                "Comptes de démonstration : manage.py demo_accounts"
            )
        )
