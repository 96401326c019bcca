"""`manage.py demo_totp <adresse> [--force]` : le code du second facteur d'un compte de démonstration, à l'instant.

Ne lit que l'application d'authentification de démonstration (clé `demo.safety.DEMO_TOTP_SECRET`) : jamais le
code d'un compte réel. Refusé sans DEBUG, sauf --force (recette).
"""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.safety import DemoDataRefused, check_demo_allowed, demo_totp_key


class Command(BaseCommand):
    help = (
        "Affiche le code à 6 chiffres du moment pour un compte de démonstration (second facteur de démonstration). "
        "Les comptes réels ne sont jamais lus."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="Adresse électronique du compte de démonstration.")
        parser.add_argument("--force", action="store_true", help="Autorise la commande quand DEBUG est désactivé.")

    def handle(self, *args, email, force, **options):
        try:
            check_demo_allowed(force=force)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        device = (
            TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True, key=demo_totp_key())
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(
                f"Aucun second facteur de démonstration pour « {email} » : ce n'est pas un compte de démonstration "
                "(lancez manage.py seed_demo --accounts pour la liste)."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"Valable encore {remaining} s (un code ne sert qu'une fois).")
