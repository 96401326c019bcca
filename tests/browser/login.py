"""Se connecter dans le navigateur comme une vraie personne : le formulaire de connexion, puis un vrai code TOTP
calculé depuis la clé de son application d'authentification de test (tests/two_factor.py)."""

import re

from accounts.models import User
from tests.accounts.factories import PASSWORD
from tests.two_factor import current_totp_code, totp_device


def log_in(page, email, password=PASSWORD):
    """Remplit le formulaire de connexion puis la vérification en deux étapes ; attend la page suivante."""
    user = User.objects.get(email=email)
    totp_device(user)
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/second-facteur/verifier/"))
    page.get_by_label("Code de vérification").fill(current_totp_code(user))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(lambda url: "/second-facteur/" not in url)
