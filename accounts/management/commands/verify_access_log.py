"""Vérifie la chaîne d'empreintes du journal d'accès (accounts/access_chain.py) et nomme le premier maillon cassé."""

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.access_chain import verify_chain


class Command(BaseCommand):
    help = "Vérifie la chaîne d'empreintes du journal d'accès ; échoue au premier maillon cassé."

    def handle(self, **options):
        started = time.monotonic()
        result = verify_chain()
        elapsed = time.monotonic() - started
        if not result.is_intact:
            raise CommandError(
                f"Chaîne du journal d'accès cassée à la ligne {result.broken_id} : {result.reason}. "
                f"{result.checked} ligne(s) intacte(s) avant elle (dernière ligne sûre : {result.head_id})."
            )
        self.stdout.write(
            f"Chaîne du journal d'accès intacte : {result.checked} ligne(s) vérifiée(s) en {elapsed:.2f} s, "
            f"de la ligne {result.first_id} à la ligne {result.head_id}, tête {result.head_hash or '(vide)'}."
        )
