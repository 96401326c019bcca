"""Parcours dans Chromium headless : connexion, organisation courante, invitation d'un membre."""

import pytest

from notifications.models import OutboxMessage
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, email):
    """Le formulaire de connexion puis le second facteur (tests/browser/login.py)."""
    log_in(page, email)


def test_association_admin_logs_in_and_invites_a_colleague(page, live_server, world, screenshot):
    login(page, live_server, world.user("association_admin").email)
    assert "Vous agissez au nom de Association Accueil Paris" in page.locator(".mniop-current-org").inner_text()
    assert page.evaluate("document.documentElement.dataset.frJs") == "true", "le JavaScript du DSFR n'a pas démarré"
    screenshot(page, "accueil-administrateur-structure")

    page.get_by_role("link", name="Membres").first.click()
    page.get_by_role("link", name="Inviter un membre").click()
    page.get_by_label("Adresse électronique professionnelle").fill("collegue@association.example.org")
    page.get_by_label("Rôle").select_option("association_agent")
    page.get_by_role("button", name="Envoyer l'invitation").click()

    assert "Invitation envoyée à collegue@association.example.org" in page.content()
    assert OutboxMessage.objects.filter(recipient="collegue@association.example.org").exists()
    screenshot(page, "membres-apres-invitation")


def test_wrong_password_is_explained_in_french(page, live_server, world):
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill(world.user("association_agent").email)
    page.get_by_label("Mot de passe").fill("mauvais mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    assert "Adresse électronique ou mot de passe incorrect" in page.content()
