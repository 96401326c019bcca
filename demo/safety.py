"""Garde-fou des données de démonstration : les comptes ont un mot de passe connu de tous.

`check_demo_allowed` refuse le chargement sans DEBUG ni --force ; `demo_password` donne le mot de passe commun
(variable d'environnement `MNIOP_DEMO_PASSWORD`, à défaut `DEFAULT_PASSWORD`).
"""

import os

from django.conf import settings

DEFAULT_PASSWORD = "mniop-demo-2026!"


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
