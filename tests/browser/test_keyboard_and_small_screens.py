"""Accessibilité (RGAA 4.1) au-delà d'axe-core : la boucle principale au clavier seul (Tab, Entrée, saisie de texte),
et les pages principales à 320 px de large sans défilement horizontal (critère 10.11)."""

import re

import pytest

from signalements.enums import SignalementStatus
from tests.accounts.factories import PASSWORD
from tests.browser.login import log_in
from tests.signalements.factories import submitted_signalement
from tests.two_factor import current_totp_code, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Ce que dit le contrôle qui a le focus (lien, bouton, champ) : son étiquette, son texte, son nom accessible. Un
#: tableau qui défile prend aussi le focus, mais n'est pas un contrôle : il ne compte pas.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || !["A", "BUTTON", "INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return [label, el.innerText || "", el.getAttribute("aria-label") || "", el.value || ""].join(" | ");
}"""


def tab_to(page, text, limit=120):
    """Appuie sur Tab jusqu'à ce que l'élément qui a le focus dise `text` ; échoue si on ne l'atteint pas."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in page.evaluate(FOCUSED):
            return
    pytest.fail(f"« {text} » n'est pas atteignable au clavier en {limit} tabulations")


def test_the_core_loop_is_done_with_the_keyboard_only(page, live_server, world):
    signalement = submitted_signalement(world)
    agent = world.user("miprof_agent")
    totp_device(agent)

    page.goto("/connexion/")
    tab_to(page, "Adresse électronique")
    page.keyboard.type(agent.email)
    tab_to(page, "Mot de passe")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/second-facteur/verifier/"))
    tab_to(page, "Code de vérification")
    page.keyboard.type(current_totp_code(agent))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/second-facteur/" not in url)

    tab_to(page, "File Miprof")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/miprof/file/"))
    tab_to(page, signalement.reference)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(str(signalement.public_id)))
    tab_to(page, "Commencer l'instruction")
    page.keyboard.press("Enter")
    page.get_by_text("Commencer l'instruction : c'est fait.").wait_for()
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.IN_TRIAGE


@pytest.mark.parametrize(
    ("persona", "paths"),
    [
        ("association_agent", ["/", "/signalements/", "/annuaire/", "/accessibilite/"]),
        ("miprof_agent", ["/", "/miprof/file/", "/annuaire/couverture/", "/statistiques/"]),
        ("departmental_validator", ["/", "/departement/file/"]),
    ],
)
def test_main_pages_have_no_horizontal_scroll_at_320_px(page, live_server, world, persona, paths):
    log_in(page, world.user(persona).email)
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    assert not too_wide, f"défilement horizontal à 320 px : {too_wide}"
