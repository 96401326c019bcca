"""Parcours dans Chromium headless : une agente d'association remplit un signalement étape par étape, quitte la page
en cours de route (l'enregistrement automatique garde sa saisie), le reprend dans un autre navigateur, le dépose."""

import datetime
import re

import pytest

from signalements.enums import ConsentStatus, SignalementStatus
from signalements.models import Signalement
from signalements.reference_data import load_signalement_references
from tests.browser.combobox import choose
from tests.browser.login import log_in
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, email):
    """Le formulaire de connexion puis le second facteur (tests/browser/login.py)."""
    log_in(page, email)


def next_step(page, title):
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_selector(f".fr-stepper__title:has-text('{title}')")


def test_agent_files_a_signalement_through_the_stepper_and_resumes_it_elsewhere(
    browser, live_server, world, screenshot
):
    load_signalement_references()
    email = world.user("association_agent").email

    first = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = first.new_page()
    login(page, email)
    page.get_by_role("link", name="Nouveau signalement").first.click()
    assert "Étape 1 sur 9" in page.locator(".fr-stepper").inner_text()
    page.get_by_label("Canal d'entrée").select_option(label="Maraude, permanence ou accompagnement associatif")
    page.get_by_label("Organisme ayant procédé à l'identification").select_option(label="Association")
    page.get_by_label("Date de repérage").fill("2026-01-15")
    page.get_by_label("Lieu de repérage (commune)").fill("Saint-Denis")
    choose(page, "Département du signalement", "Paris (75)")
    page.get_by_label("Signalement urgent").check(force=True)
    screenshot(page, "signalement-etape-1")
    next_step(page, "Identité")

    signalement = Signalement.objects.get()
    assert signalement.urgent and signalement.spotted_place == "Saint-Denis"
    page.get_by_label("Pseudonyme").fill("Étoile")
    page.get_by_label("Âge estimé (ans)").fill("24")
    page.get_by_label("Femme").check(force=True)
    choose(page, "Nationalités", "Nigeria")
    choose(page, "Langues parlées", "Anglais", "Français")
    page.get_by_label("Situation administrative").select_option(label="En situation irrégulière")
    page.get_by_label("Téléphone").fill("06 39 98 00 01")
    screenshot(page, "signalement-etape-identite")
    next_step(page, "Consentement")
    assert Signalement.objects.get().phone == "06 39 98 00 01"

    # Elle coche le consentement puis quitte la page sans cliquer : l'enregistrement automatique le garde.
    page.get_by_label("Consentement recueilli").check(force=True)
    page.get_by_label("Langue dans laquelle l'information a été donnée").select_option("en")
    status = page.locator("#autosave-status")
    status.filter(has_text=re.compile(r"Brouillon enregistré à \d\d:\d\d")).wait_for(timeout=10_000)
    first.close()
    signalement.refresh_from_db()
    assert signalement.consent_status == ConsentStatus.GIVEN
    assert signalement.consent_language == "en"
    assert signalement.nationalities == ["NG"]

    # Un autre navigateur (cookies vides) : elle se reconnecte et reprend le brouillon là où elle l'a laissé.
    second = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = second.new_page()
    login(page, email)
    page.goto(f"/signalements/{signalement.public_id}/brouillon/")
    assert "Étape 3 sur 9" in page.locator(".fr-stepper").inner_text()
    assert page.get_by_label("Consentement recueilli").is_checked()
    # Le consentement par finalité : la prise en charge et les statistiques, par écrit, aujourd'hui.
    page.locator("#id_consent_shelter_0").check(force=True)
    page.locator("#id_consent_statistics_0").check(force=True)
    page.get_by_label("Date du recueil du consentement").fill(datetime.date.today().isoformat())
    page.get_by_label("Forme du consentement").select_option("written")
    next_step(page, "Exploitation")

    page.get_by_label("Exploitation sexuelle").check(force=True)
    page.get_by_label("En France uniquement").check(force=True)
    choose(page, "Départements d'exploitation", "Paris (75)")
    page.get_by_label("Hôtel", exact=True).check(force=True)
    screenshot(page, "signalement-etape-exploitation")
    next_step(page, "Recrutement et numérique")
    page.get_by_label("Réseaux sociaux").check(force=True)
    next_step(page, "Vulnérabilités et indicateurs")
    page.get_by_label("Ne parle pas français").check(force=True)
    next_step(page, "Situation et besoins")
    page.get_by_label("Besoin d'un hébergement ce soir").check(force=True)
    next_step(page, "Récit")
    page.get_by_label("Récit").fill("Rencontrée lors d'une maraude, elle dit devoir rembourser une dette de voyage.")
    next_step(page, "Récapitulatif et dépôt")

    summary = page.locator("main").inner_text()
    assert "Avant de déposer" not in summary
    assert "Exploitation sexuelle" in summary
    assert "Nigeria" in summary
    assert "rembourser une dette" not in summary
    screenshot(page, "signalement-recapitulatif")
    page.get_by_role("button", name="Déposer le signalement").click()

    page.wait_for_selector("h1:has-text('Signalement déposé')")
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.SUBMITTED
    assert f"Référence : {signalement.reference}" in page.locator("main").inner_text()
    assert re.fullmatch(r"MNIOP-\d{4}-\d{6}", signalement.reference)
    assert signalement.exploitation_forms.get().code == "exploitation_sexuelle"
    assert signalement.needs_shelter_tonight
    consents = dict(signalement.consents.values_list("purpose", "decision"))
    assert consents == {
        "shelter": "given",
        "statistics": "given",
        "police_justice": "unknown",
        "association": "unknown",
    }
    screenshot(page, "signalement-depose")
    second.close()


def test_text_typed_just_before_leaving_the_page_is_saved_by_beacon(page, world):
    agent = world.user("association_agent")
    signalement = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)
    login(page, agent.email)
    page.goto(f"/signalements/{signalement.public_id}/brouillon/recit/")
    page.get_by_label("Récit").fill("Saisi juste avant de fermer l'onglet.")
    page.goto("/")  # avant le délai de l'enregistrement automatique : c'est `pagehide` qui envoie le beacon
    for _ in range(50):
        signalement.refresh_from_db()
        if signalement.account:
            break
        page.wait_for_timeout(100)
    assert signalement.account == "Saisi juste avant de fermer l'onglet."
