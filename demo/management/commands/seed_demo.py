"""`manage.py seed_demo [--scale N] [--signalements N] [--drafts N] [--force]` : toute la démonstration, par les
vrais services ; `manage.py seed_demo --accounts [--force]` : seulement l'adresse et les comptes de démonstration."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.people import DEMO_ACCOUNTS
from demo.safety import DEMO_TOTP_SECRET, DemoDataRefused, demo_password
from demo.seeding import seed_demo
from mniop.roles import Role
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


def _non_negative(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Charge toute la démonstration par les vrais services : référentiels, organisations (institutions de chaque "
        "département, associations, structures d'hébergement), un compte par rôle, fiches de l'annuaire, profils et "
        "places d'hébergement, signalements déposés et brouillons, parcours d'instruction et de décision. "
        "Idempotent : relancer n'ajoute rien. --accounts affiche seulement les comptes de démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiplie le nombre d'associations et de structures d'hébergement (tests de charge). Défaut : 1.",
        )
        parser.add_argument(
            "--signalements", type=_non_negative, default=60, help="Signalements déposés voulus (défaut : 60)."
        )
        parser.add_argument("--drafts", type=_non_negative, default=10, help="Brouillons voulus (défaut : 10).")
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="N'écrit rien : affiche l'adresse de la plateforme et les comptes de démonstration (un par rôle).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise le chargement, et l'affichage du mot de passe, quand DEBUG est désactivé.",
        )

    def handle(self, *args, scale, signalements, drafts, accounts, force, **options):
        if accounts:
            return self.print_accounts(force=force)
        if scale < 1:
            raise CommandError("--scale doit être un entier supérieur ou égal à 1.")
        started = time.monotonic()
        try:
            report = seed_demo(scale=scale, signalements=signalements, drafts=drafts, force=force)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        elapsed = f"{time.monotonic() - started:.1f}".replace(".", ",")
        for key in _WORDS:
            self.stdout.write(count_line(key, report.base.created[key], report.base.updated[key]))
        labels = dict(OrganisationKind.choices)
        by_kind = ", ".join(
            f"{labels.get(kind, kind)} : {count}" for kind, count in sorted(report.base.organisations_by_kind.items())
        )
        self.stdout.write(f"Organisations de démonstration par type : {by_kind}.")
        self.stdout.write(f"{report.shelter_profiles} profil(s) de structure d'hébergement créé(s).")
        self.stdout.write(
            f"{report.signalements.created} signalement(s) de démonstration créé(s), "
            f"dont {report.signalements.submitted} déposé(s)."
        )
        walked = ", ".join(f"{scenario} : {count}" for scenario, count in sorted(report.triage.walked.items()))
        self.stdout.write(
            f"{report.triage.total} signalement(s) menés par l'instruction" + (f" ({walked})." if walked else ".")
        )
        self.stdout.write(f"{report.procedures} procédure(s) judiciaire(s) de démonstration enregistrée(s).")
        self.stdout.write(f"{report.documents} document(s) joint(s) de démonstration, analysé(s) par l'antivirus.")
        self.stdout.write(f"{report.statistics} fiche(s) statistique(s) d'historique créée(s) ; cumuls recalculés.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration chargées en {elapsed} s (échelle {scale}). "
                "Comptes de démonstration : manage.py seed_demo --accounts"
            )
        )

    def print_accounts(self, *, force):
        existing = set(User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).values_list("email", flat=True))
        self.stdout.write(f"Plateforme : {settings.SITE_URL}/")
        if settings.DEBUG or force:
            self.stdout.write(f"Mot de passe de tous les comptes : {demo_password()}")
            self.stdout.write(
                f"Second facteur de tous les comptes : clé TOTP {DEMO_TOTP_SECRET} à saisir dans une application "
                "d'authentification, ou le code du moment par : python manage.py demo_totp <adresse>"
            )
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
