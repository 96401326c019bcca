"""Les champs sans objet disparaissent avec les réponses qui les rendent inutiles, et reviennent avec leur saisie
(`static/js/relevance.js`, règles `signalements.services.drafts.RELEVANCE`)."""

import re

import pytest

from signalements.models import Signalement
from signalements.reference_data import load_signalement_references
from tests.browser.combobox import choose
from tests.browser.login import log_in
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exploitation_places_follow_the_place_of_exploitation(page, world, screenshot):
    load_signalement_references()
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, place_of_exploitation="unknown")
    log_in(page, world.user("association_agent").email)
    page.goto(f"/signalements/{draft.public_id}/brouillon/exploitation/")

    departements = page.get_by_role("combobox", name="Départements d'exploitation")
    countries = page.get_by_role("combobox", name="Pays d'exploitation")
    assert departements.is_hidden() and countries.is_hidden()

    page.get_by_label("En France uniquement").check(force=True)
    assert departements.is_visible() and countries.is_hidden()
    choose(page, "Départements d'exploitation", "Paris (75)")

    page.get_by_label("À l'étranger uniquement").check(force=True)
    assert departements.is_hidden() and countries.is_visible()
    choose(page, "Pays d'exploitation", "Nigeria")
    screenshot(page, "champs-selon-les-reponses")
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_url(re.compile(r"/brouillon/recrutement-et-numerique/"))
    draft = Signalement.objects.get(pk=draft.pk)
    # Le département, sans objet pour une exploitation à l'étranger, n'est pas enregistré.
    assert draft.exploitation_countries == ["NG"]
    assert not draft.exploitation_departements.exists()


def test_the_witness_appears_for_an_oral_consent_only(page, world):
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, consents=[])
    log_in(page, world.user("association_agent").email)
    page.goto(f"/signalements/{draft.public_id}/brouillon/consentement/")

    form = page.get_by_label("Forme du consentement")
    witness = page.get_by_label("Témoin (fonction)")
    assert form.is_hidden() and witness.is_hidden()
    page.locator("#id_consent_shelter_0").check(force=True)
    assert form.is_visible() and witness.is_hidden()
    form.select_option("oral_witnessed")
    assert witness.is_visible()
    # Un signalement anonyme : plus aucun partage à décider.
    page.get_by_label("Consentement refusé : signalement anonyme").check(force=True)
    assert page.locator("#id_consent_shelter_0").is_hidden()
    assert form.is_hidden() and witness.is_hidden()
    # L'enregistrement automatique a lieu avant la fin du test (aucune requête en vol au nettoyage de la base).
    page.locator("#autosave-status").filter(has_text=re.compile(r"Brouillon enregistré à")).wait_for()
    assert Signalement.objects.get(pk=draft.pk).consent_status == "refused_anonymous"


def test_the_interpreter_fields_appear_only_when_an_interpreter_is_needed(page, world, screenshot):
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, needs_interpreter=False)
    log_in(page, world.user("association_agent").email)
    page.goto(f"/signalements/{draft.public_id}/brouillon/situation-et-besoins/")

    language = page.get_by_role("combobox", name="Langue de l'interprète")
    woman = page.get_by_label("Une interprète femme")
    needed = page.get_by_role("checkbox", name="Besoin d'un·e interprète")
    assert language.is_hidden() and woman.is_hidden()
    needed.check(force=True)
    assert language.is_visible() and woman.is_visible()
    choose(page, "Langue de l'interprète", "Arabe")
    woman.check(force=True)
    screenshot(page, "interprete-champs-visibles")
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_url(re.compile(r"/brouillon/recit/"))
    draft = Signalement.objects.get(pk=draft.pk)
    assert (draft.needs_interpreter, draft.interpreter_language, draft.interpreter_sex) == (True, "ar", "female")

    # Décochée : la langue et le sexe disparaissent, et le brouillon les enregistre vides.
    page.goto(f"/signalements/{draft.public_id}/brouillon/situation-et-besoins/")
    assert language.is_visible()
    needed.uncheck(force=True)
    assert language.is_hidden() and woman.is_hidden()
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_url(re.compile(r"/brouillon/recit/"))
    draft = Signalement.objects.get(pk=draft.pk)
    assert (draft.needs_interpreter, draft.interpreter_language, draft.interpreter_sex) == (False, "", "")
