"""Remplir le formulaire de signalement en étapes comme une association, pour les parcours navigateur qui ont besoin
d'un signalement déposé par l'interface (l'enchaînement des étapes lui-même est éprouvé par test_intake_stepper.py).
Chaque fonction remplit une étape puis passe à la suivante."""

import datetime

from tests.browser.combobox import choose
from tests.browser.test_intake_stepper import next_step


def fill_context(page, *, spotted_on, urgent=False):
    """Étape « Contexte » : maraude associative à Saint-Denis, département de Paris ; vers « Identité »."""
    page.get_by_role("link", name="Nouveau signalement").first.click()
    page.get_by_label("Canal d'entrée").select_option(label="Maraude, permanence ou accompagnement associatif")
    page.get_by_label("Organisme ayant procédé à l'identification").select_option(label="Association")
    page.get_by_label("Date de repérage").fill(spotted_on.isoformat())
    page.get_by_label("Lieu de repérage (commune)").fill("Saint-Denis")
    choose(page, "Département du signalement", "Paris (75)")
    if urgent:
        page.get_by_label("Signalement urgent").check(force=True)
    next_step(page, "Identité")


def give_written_consent(page):
    """Étape « Consentement » : recueilli, notice en anglais, prise en charge et statistiques par écrit,
    aujourd'hui ; vers « Exploitation »."""
    page.get_by_label("Consentement recueilli").check(force=True)
    page.get_by_label("Langue dans laquelle l'information a été donnée").select_option("en")
    page.locator("#id_consent_shelter_0").check(force=True)
    page.locator("#id_consent_statistics_0").check(force=True)
    page.get_by_label("Date du recueil du consentement").fill(datetime.date.today().isoformat())
    page.get_by_label("Forme du consentement").select_option("written")
    next_step(page, "Exploitation")


def fill_sexual_exploitation_in_paris(page):
    """Étape « Exploitation » : exploitation sexuelle, en France seulement, à Paris ; vers « Recrutement et
    numérique »."""
    page.get_by_label("Exploitation sexuelle").check(force=True)
    page.get_by_label("En France uniquement").check(force=True)
    choose(page, "Départements d'exploitation", "Paris (75)")
    next_step(page, "Recrutement et numérique")


def submit_with_narrative(page, narrative, *, shelter_tonight=False):
    """Des étapes « Recrutement et numérique » au dépôt : le besoin d'hébergement ce soir si demandé, le récit,
    puis « Déposer le signalement »."""
    next_step(page, "Vulnérabilités et indicateurs")
    next_step(page, "Situation et besoins")
    if shelter_tonight:
        page.get_by_label("Besoin d'un hébergement ce soir").check(force=True)
    next_step(page, "Récit")
    page.get_by_label("Récit").fill(narrative)
    next_step(page, "Récapitulatif et dépôt")
    page.get_by_role("button", name="Déposer le signalement").click()
    page.wait_for_selector("h1:has-text('Signalement déposé')")
