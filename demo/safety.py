"""Garde-fou des données de démonstration : les comptes ont un mot de passe connu de tous.

`check_demo_allowed` refuse le chargement sans DEBUG ni --force ; `demo_password` donne le mot de passe commun
(variable d'environnement `MNIOP_DEMO_PASSWORD`, à défaut `DEFAULT_PASSWORD`) ; `give_demo_second_factor` donne à
chaque compte de démonstration la même application d'authentification (TOTP), de clé `DEMO_TOTP_SECRET` : à saisir
dans une application d'authentification, ou `manage.py demo_totp <adresse>` affiche le code du moment.
Cette clé n'existe que dans les données de démonstration, jamais dans les réglages de production.
"""

import base64
import os

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

DEFAULT_PASSWORD = "mniop-demo-2026!"
#: La clé TOTP (base 32, comme la saisit une application d'authentification) de tous les comptes de démonstration.
DEMO_TOTP_SECRET = "MNIOPDEMOMNIOPDEMOMNIOPDEMOMNIOP"
DEMO_TOTP_DEVICE_NAME = "Démonstration"


def demo_totp_key():
    """La clé de démonstration au format de `TOTPDevice.key` (hexadécimal)."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def give_demo_second_factor(users):
    """Donne aux comptes qui n'ont pas encore de second facteur l'application d'authentification de démonstration ;
    renvoie le nombre de dispositifs créés. Idempotent."""
    users = list(users)
    equipped = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True).distinct()
    )
    devices = [
        TOTPDevice(user=user, name=DEMO_TOTP_DEVICE_NAME, key=demo_totp_key(), confirmed=True)
        for user in users
        if user.pk not in equipped
    ]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)


class DemoDataRefused(Exception):
    """Les données de démonstration créent des comptes au mot de passe connu : jamais sans DEBUG ni --force."""


def demo_password():
    return os.environ.get("MNIOP_DEMO_PASSWORD") or DEFAULT_PASSWORD


def check_demo_allowed(*, force=False):
    if not settings.DEBUG and not force:
        raise DemoDataRefused(
            "Refus : DEBUG est désactivé. Les données de démonstration créent des comptes dont le mot de passe "
            "est connu de tous ; ne les chargez jamais sur une plateforme réelle. Pour passer outre "
            "(environnement de recette, tests), relancez avec --force."
        )
