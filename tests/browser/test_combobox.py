"""Les longues listes (pays, langues, départements) au clavier seulement, dans Chromium : la liste à saisie assistée
(`static/js/combobox.js`) suit le motif « combobox » des WAI-ARIA Authoring Practices ; les valeurs choisies sont
enregistrées par le formulaire, comme sans JavaScript."""

import re

import pytest

from signalements.models import Signalement
from signalements.reference_data import load_signalement_references
from tests.browser.login import log_in
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page):
    return page.evaluate("document.activeElement.id")


def tab_to(page, element_id, limit=10):
    """Tabulation jusqu'à l'élément `element_id` (au plus `limit` fois)."""
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    assert focused(page) == element_id


def test_keyboard_only_chooses_two_nationalities_and_a_language_and_they_are_saved(page, world, screenshot):
    load_signalement_references()
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, nationalities=[], languages=[])
    log_in(page, world.user("association_agent").email)
    page.goto(f"/signalements/{draft.public_id}/brouillon/identite/")

    nationalities = page.get_by_role("combobox", name="Nationalités")
    # Rôles et noms : la liste de secours est masquée, le champ porte le nom du libellé et commande une listbox.
    assert page.locator("select[name='nationalities']").is_hidden()
    assert nationalities.get_attribute("aria-expanded") == "false"
    assert "Ctrl" not in page.locator("label[for='id_nationalities-combobox']").inner_text()
    listbox_id = nationalities.get_attribute("aria-controls")
    listbox = page.locator(f"#{listbox_id}")
    assert listbox.get_attribute("role") == "listbox"
    assert page.get_by_role("listbox", name="Nationalités").count() == 0  # fermée : hors de l'arbre

    # Tabulation depuis le champ précédent jusqu'au champ des nationalités.
    page.get_by_label("Âge estimé (ans)").focus()
    tab_to(page, "id_nationalities-combobox")

    page.keyboard.type("nig")
    assert nationalities.get_attribute("aria-expanded") == "true"
    options = page.get_by_role("listbox", name="Nationalités").get_by_role("option")
    assert options.all_inner_texts() == ["Niger", "Nigeria"]
    status = page.locator(".mniop-combobox [role='status']").first
    status.filter(has_text="2 résultats disponibles.").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = nationalities.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").inner_text() == "Nigeria"
    screenshot(page, "liste-a-saisie-assistee-ouverte")
    page.keyboard.press("Enter")
    assert nationalities.get_attribute("aria-expanded") == "false"
    assert nationalities.input_value() == ""

    page.keyboard.type("camer")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    # Un choix de trop, retiré par le bouton de son étiquette.
    page.keyboard.type("ghan")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    remove_ghana = page.get_by_role("button", name="Retirer Ghana")
    remove_ghana.focus()
    page.keyboard.press("Enter")
    assert remove_ghana.count() == 0
    assert focused(page) == "id_nationalities-combobox"
    assert page.get_by_role("button", name="Retirer Nigeria").is_visible()
    assert page.get_by_role("button", name="Retirer Cameroun").is_visible()

    # Échap ferme la liste sans rien choisir.
    page.keyboard.type("fra")
    page.keyboard.press("Escape")
    assert nationalities.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert nationalities.input_value() == ""

    # Les langues : Tab jusqu'au champ, une langue.
    tab_to(page, "id_languages-combobox")
    page.keyboard.type("angl")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Retirer Anglais").is_visible()
    screenshot(page, "liste-a-saisie-assistee-choix")

    # Entrée dans le champ, liste fermée : le formulaire part (« Suivant »), comme tout champ de saisie.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/brouillon/consentement/"))
    draft = Signalement.objects.get(pk=draft.pk)
    assert draft.nationalities == ["CM", "NG"]
    assert draft.languages == ["en"]

    # Relue, l'étape montre les choix en étiquettes.
    page.goto(f"/signalements/{draft.public_id}/brouillon/identite/")
    assert page.get_by_role("button", name="Retirer Nigeria").is_visible()
    assert page.get_by_role("button", name="Retirer Cameroun").is_visible()


def test_a_single_choice_list_keeps_its_value_and_can_be_emptied(page, world):
    load_signalement_references()
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)
    log_in(page, world.user("association_agent").email)
    page.goto(f"/signalements/{draft.public_id}/brouillon/signalement/")

    departement = page.get_by_role("combobox", name="Département du signalement")
    assert departement.input_value() == "Paris (75)"
    departement.focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")
    assert page.locator("select[name='departement']").input_value() == ""
    page.get_by_role("button", name="Suivant").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/brouillon/identite/"))
    assert Signalement.objects.get(pk=draft.pk).departement is None
    assert "À compléter avant le dépôt : Département du signalement" in page.locator("body").inner_text()


def test_a_warning_link_leads_to_the_type_ahead_field(page, world):
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=None)
    log_in(page, world.user("association_agent").email)
    page.goto(f"/signalements/{draft.public_id}/brouillon/signalement/")
    page.locator("#submission-warnings").get_by_role("link", name="Département du signalement").click()
    assert focused(page) == "id_departement-combobox"
