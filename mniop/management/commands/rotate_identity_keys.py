"""Les rotations des clés du chiffrement de l'identité (`mniop.encryption`), sans interruption de service
(docs/exploitation.md) :

- `--rewrap` : après l'ajout d'une nouvelle clé maîtresse en tête de `IDENTITY_ENCRYPTION_KEYS`, réenveloppe les
  clés de données par elle (quelques lignes, aucune donnée réécrite) ; l'ancienne clé maîtresse peut ensuite partir ;
- `--new-data-key` : crée une clé de données, courante pour les nouvelles écritures, puis rechiffre ;
- sans option : rechiffre par lots sous la clé de données courante toutes les colonnes chiffrées, historique compris
  (reprenable : relancée après une interruption, elle reprend les lignes restantes ; chaque ligne reste lisible) ;
  `--background` confie ce rechiffrement à la tâche Celery `mniop.tasks.reencrypt_identity` ;
- `--check` : compte les lignes restantes et les clés de données sous une ancienne clé maîtresse, sans rien écrire."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mniop.encryption import (
    UndecryptableValue,
    data_keys_under_other_master_keys,
    keyring,
    rewrap_data_keys,
    rotate_data_key,
)
from mniop.key_rotation import count_remaining, reencrypt_all


class Command(BaseCommand):
    help = "Rotation des clés du chiffrement de l'identité : réenveloppe, nouvelle clé de données, rechiffrement."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Lignes par transaction (500).")
        parser.add_argument(
            "--limit", type=int, default=None, help="S'arrêter après ce nombre de lignes par table (par tranches)."
        )
        parser.add_argument("--check", action="store_true", help="Compter ce qui reste, sans rien écrire.")
        parser.add_argument(
            "--rewrap", action="store_true", help="Réenvelopper les clés de données par la clé maîtresse courante."
        )
        parser.add_argument(
            "--new-data-key", action="store_true", help="Créer une nouvelle clé de données, puis rechiffrer."
        )
        parser.add_argument("--background", action="store_true", help="Rechiffrer par la tâche Celery plutôt qu'ici.")

    def handle(self, *, batch_size, limit, check, rewrap, new_data_key, background, **options):
        try:
            self._handle(batch_size, limit, check, rewrap, new_data_key, background)
        except UndecryptableValue as error:
            raise CommandError(str(error)) from error

    def _handle(self, batch_size, limit, check, rewrap, new_data_key, background):
        ring = keyring()
        say = self.stdout.write
        if check:
            say(f"Clé maîtresse courante : {ring.provider.primary_id} ; clé de données courante : {ring.primary_id}.")
            others = data_keys_under_other_master_keys()
            say(f"Clés de données sous une ancienne clé maîtresse : {len(others)}.")
            count_remaining(say)
            return
        if rewrap:
            count = rewrap_data_keys()
            say(f"{count} clé(s) de données réenveloppée(s) par la clé maîtresse {ring.provider.primary_id}.")
            return
        if new_data_key:
            say(f"Nouvelle clé de données courante : {rotate_data_key()}.")
        if background:
            from mniop.tasks import reencrypt_identity  # noqa: PLC0415

            transaction.on_commit(lambda: reencrypt_identity.delay(batch_size=batch_size))
            say("Rechiffrement confié à la tâche mniop.tasks.reencrypt_identity (avancement dans les journaux).")
            return
        say(f"Clé de données courante : {keyring().primary_id}.")
        reencrypt_all(batch_size=batch_size, limit=limit, report=say)
