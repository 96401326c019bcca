"""`manage.py prepare_platform [--static] [--demo] [--accounts] [--again]` : ce que `make run` fait avant de servir,
en un seul processus : migrations, fichiers statiques, données de référence, données de démonstration.

Chaque étape déjà faite à cette version des sources est sautée (voir mniop/preparation.py) : un `make run` relancé
sans changement ne refait que la vérification des migrations. Le suivi s'écrit sur la sortie d'erreur ; la sortie
standard ne porte que les comptes de démonstration (`--accounts`), que `make run` affiche dans son bandeau.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

from mniop import preparation

#: Les référentiels : territoires (COG) et listes du signalement. Nécessaires aussi en production.
REFERENCE_COMMANDS = ["load_reference_data", "load_signalement_references"]
#: Toute la démonstration (organisations, comptes, signalements, instruction, hébergement), idempotente ; elle refuse
#: de tourner sans DEBUG, d'où `force=True`.
DEMO_COMMANDS = ["seed_demo"]


def _seconds(started):
    return f"{time.monotonic() - started:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Prépare la plateforme avant de la servir, en un seul processus : migrations, puis (options) fichiers "
        "statiques, données de référence et de démonstration. Saute chaque étape déjà faite à cette version des "
        "sources."
    )

    def add_arguments(self, parser):
        parser.add_argument("--static", action="store_true", help="Rassemble les fichiers statiques (collectstatic).")
        parser.add_argument("--demo", action="store_true", help="Charge les données et comptes de démonstration.")
        parser.add_argument(
            "--accounts", action="store_true", help="Écrit les comptes de démonstration sur la sortie standard."
        )
        parser.add_argument(
            "--again", action="store_true", help="Refait chaque étape même si ses sources n'ont pas changé."
        )

    def handle(self, *args, static, demo, accounts, again, **options):
        self.again = again
        self.progress = self.stderr  # la sortie standard est réservée au bandeau
        self.progress.style_func = None
        started = time.monotonic()
        self.migrate()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare-static") as background:
            # collectstatic ne touche pas la base : il avance pendant les chargements, qui attendent souvent PostgreSQL
            # (et la compression, en C, se fait hors du verrou global de Python).
            static_step = background.submit(self.static_step) if static else None
            self.loading_step("reference_data", "Données de référence", REFERENCE_COMMANDS)
            if demo:
                # Son empreinte couvre aussi les référentiels : la démonstration est rejouée quand ils changent.
                self.loading_step(
                    "demo_data", "Données de démonstration", DEMO_COMMANDS, depends_on=REFERENCE_COMMANDS, force=True
                )
            if static_step is not None:
                static_step.result()  # relève ici une erreur de collectstatic
        self.progress.write(f"Plateforme prête en {_seconds(started)} s.")
        if accounts:
            call_command("seed_demo", accounts=True, force=True, stdout=self.stdout)

    def migrate(self):
        started = time.monotonic()
        before = set(MigrationRecorder(connection).applied_migrations())
        call_command("migrate", interactive=False, verbosity=0)
        applied = len(set(MigrationRecorder(connection).applied_migrations()) - before)
        done = f"{applied} appliquée(s)" if applied else "à jour"
        self.progress.write(f"Migrations : {done} ({_seconds(started)} s).")

    def loading_step(self, key, label, commands, depends_on=(), **options):
        def run():
            for name in commands:
                call_command(name, stdout=self.progress, stderr=self.progress, **options)

        self.step(key, label, lambda: preparation.loading_fingerprint([*depends_on, *commands]), run)

    def step(self, key, label, fingerprint_of, run, present=lambda: True):
        """Fait l'étape `key` sauf si elle est déjà faite avec cette empreinte (et que `present()` le confirme)."""
        started = time.monotonic()
        fingerprint = fingerprint_of()
        if not self.again and present() and preparation.is_done(key, fingerprint):
            self.progress.write(f"{label} : déjà à jour pour cette version ({_seconds(started)} s).")
            return
        self.progress.write(f"{label} : en cours…")
        run()
        preparation.mark_done(key, fingerprint)
        self.progress.write(f"{label} : étape terminée en {_seconds(started)} s.")

    def static_step(self):
        try:
            self.step(
                "static_files",
                "Fichiers statiques",
                preparation.static_fingerprint,
                self.collect_static,
                self.static_present,
            )
        finally:
            connections.close_all()  # la connexion de ce fil (lecture et écriture de l'empreinte)

    def collect_static(self):
        call_command("collectstatic", interactive=False, verbosity=0)

    def static_present(self):
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        return Path(settings.STATIC_ROOT).is_dir() and (manifest is None or staticfiles_storage.exists(manifest))
