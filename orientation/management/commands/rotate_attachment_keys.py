"""Rechiffre par la clé de données courante les fichiers joints, comme `rotate_identity_keys` les colonnes.

Reprenable et sans interruption : chaque fichier est remplacé d'un coup, et reste lisible par toute clé encore
configurée ; relancée, la commande ne touche que les fichiers encore sous une ancienne clé. Quand elle annonce « 0
fichier restant » (et `rotate_identity_keys` « 0 ligne restante »), l'ancienne clé peut être retirée."""

from django.core.management.base import BaseCommand

from mniop.encryption import keyring
from orientation import attachments as files
from orientation.models import CaseAttachment


class Command(BaseCommand):
    help = "Rechiffre les documents joints par la clé de données courante (reprenable)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compter les fichiers restants, sans rien écrire.")

    def handle(self, *, check, **options):
        self.stdout.write(f"Clé la plus récente : {keyring().primary_id}.")
        names = CaseAttachment.objects.exclude(storage_name="").values_list("storage_name", flat=True)
        if not check:
            rewritten = sum(files.reencrypt(name) for name in names.iterator())
            self.stdout.write(f"{rewritten} fichier(s) rechiffré(s).")
        remaining = sum(not files.is_under_current_key(name) for name in names.iterator())
        self.stdout.write(f"Total : {remaining} fichier(s) restant(s) sous une ancienne clé.")
