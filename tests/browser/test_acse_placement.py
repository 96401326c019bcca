"""Parcours dans Chromium headless, trois comptes : l'autorité départementale adresse une victime validée à la
coordination Ac.Sé, qui la confie à une structure partenaire éloignée ; la structure accepte. Le dossier ne montre
ensuite que « Orientation via Ac.Sé », jamais le lieu. Et le choix d'un lieu depuis sa suggestion classée."""

import pytest

from orientation.enums import ReferralStatus
from orientation.models import Referral
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, email):
    """Le formulaire de connexion puis le second facteur (tests/browser/login.py)."""
    log_in(page, email)


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_a_validated_victim_is_walked_to_an_accepted_acse_placement(
    page,
    live_server,
    world,
    validated,  # noqa: F811 - la fixture importée ci-dessus
    shelters,  # noqa: F811
    screenshot,
):
    validated.exploitation_departements.set([world.nord])

    login(page, live_server, world.user("departmental_validator").email)
    page.goto(f"{live_server.url}/dossiers/{validated.public_id}/")
    page.get_by_role("link", name="Chercher une place d'hébergement").click()
    assert "structure partenaire assez éloignée" in page.content()
    page.locator("label[for=id_orientation-via_acse]").click()
    page.get_by_role("button", name="Adresser l'orientation").click()
    assert "L'orientation est adressée" in page.content()
    screenshot(page, "acse-orientation-adressee")
    logout(page)

    login(page, live_server, shelters.acse_agent.email)
    page.get_by_role("link", name="Coordination Ac.Sé").first.click()
    page.get_by_role("link", name=validated.reference).click()
    assert page.get_by_text("Dans le département d'exploitation ou de repérage (Nord (59)).").is_visible()
    screenshot(page, "acse-repartition")
    page.get_by_role("button", name="Confier à Centre du Sud").click()
    page.locator("#consequence").wait_for()
    assert "Cette action est irréversible" in page.content()
    screenshot(page, "acse-confirmation-confier")
    page.get_by_role("button", name="Confirmer et confier").click()
    assert "En attente de réponse de la structure" in page.content()
    logout(page)

    login(page, live_server, shelters.south_agent.email)
    page.get_by_role("link", name="Hébergement").first.click()
    page.get_by_role("link", name=validated.reference).click()
    page.get_by_role("button", name="Accepter l'orientation").click()
    assert "Acceptée" in page.content()
    screenshot(page, "acse-structure-accepte")
    logout(page)

    login(page, live_server, world.user("departmental_validator").email)
    page.goto(f"{live_server.url}/dossiers/{validated.public_id}/")
    assert "Orientation via Ac.Sé" in page.content()
    assert "Centre du Sud" not in page.content()
    referral = Referral.objects.get()
    assert (referral.status, referral.shelter) == (ReferralStatus.ACCEPTED, shelters.south)


def test_the_validator_chooses_a_ranked_suggestion_and_sends_it(
    page,
    live_server,
    world,
    validated,  # noqa: F811 - la fixture importée ci-dessus
    shelters,  # noqa: F811
    screenshot,
):
    shelters.nord.commune, shelters.nord.operator_name = "Lille", "Fondation Escale"
    shelters.nord.save()
    login(page, live_server, world.user("departmental_validator").email)
    page.goto(f"{live_server.url}/dossiers/{validated.public_id}/hebergement/")
    screenshot(page, "choisir-un-lieu-suggestions")

    page.get_by_role("link", name="Choisir ce lieu : Centre du Nord").click()
    assert page.get_by_text("Lieu choisi : Centre du Nord — Lille, Nord (59) — géré par Fondation Escale").is_visible()
    screenshot(page, "choisir-un-lieu-demande-pre-remplie")
    page.get_by_role("button", name="Adresser l'orientation").click()

    assert "L'orientation est adressée" in page.content()
    assert Referral.objects.get().shelter == shelters.nord
