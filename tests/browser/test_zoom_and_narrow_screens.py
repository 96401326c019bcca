"""Agrandissement à 200 % et écran de 320 px (RGAA 4.1, critères 10.4 et 10.11) : les pages principales de trois
rôles (association, Miprof, autorité départementale : file, espace de travail d'un dossier riche, étape du
formulaire de signalement, recherche dans l'annuaire) s'affichent sans défilement horizontal, et aucun élément qui
prend le focus n'est coupé ni poussé hors de l'écran ; un tableau large défile dans son propre conteneur, qui prend
le focus.

200 % : une fenêtre de 1 280 × 800 px agrandie deux fois, c'est une fenêtre de 640 × 400 px CSS avec un facteur de
pixels de 2 (Playwright `device_scale_factor`). 320 px : la largeur du critère 10.11."""

import pytest

from tests.browser.accessibility import AxeSweep
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.login import log_in
from tests.browser.rich_case import rich_case
from tests.referents.factories import DirectoryEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
    "largeur-320": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 1},
}

#: Les éléments focalisables rendus, coupés par un ancêtre `overflow: hidden` ou hors de la largeur de l'écran ; ceux
#: d'un conteneur qui défile horizontalement ne comptent que si ce conteneur ne prend pas le focus.
CLIPPED_FOCUSABLES = """() => {
  const width = window.innerWidth;
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} « ${
    (el.innerText || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 40)} »`;
  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const problems = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.closest(".fr-skiplinks")) continue;
    // Rendu seulement : ni caché, ni dans un <details> fermé (content-visibility), ni sans boîte.
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    let scroller = null;
    let clipped = null;
    for (let parent = el.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (["auto", "scroll"].includes(style.overflowX) && parent.scrollWidth > parent.clientWidth + 1) {
        scroller = parent;
        break;
      }
      if (["hidden", "clip"].includes(style.overflowX)) {
        const area = parent.getBoundingClientRect();
        if (box.left < area.left - 1 || box.right > area.right + 1) {
          clipped = parent;
          break;
        }
      }
    }
    if (scroller) {
      if (scroller.tabIndex < 0) problems.push(`${describe(el)} dans un conteneur qui défile sans prendre le focus`);
    } else if (clipped) {
      problems.push(`${describe(el)} coupé par ${describe(clipped)}`);
    } else if (box.left < -1 || box.right > width + 1) {
      problems.push(`${describe(el)} hors de l'écran (${Math.round(box.left)} à ${Math.round(box.right)} px)`);
    }
  }
  return problems;
}"""
SCROLL = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def case(world, shelters, refusal_reason):
    DirectoryEntryFactory(
        title="Référente départementale traite des êtres humains et exploitation par le travail",
        public_email="referente.traite-des-etres-humains.exploitation@prefecture-de-police.interieur.gouv.fr",
        territories=[world.paris],
    )
    return rich_case(world, shelters, refusal_reason)


def paths_of(persona, case):
    workspace = f"/dossiers/{case.public_id}/"
    search = "/annuaire/recherche/?q=traite+paris"
    return {
        "association_agent": ["/signalements/", workspace, "/signalements/nouveau/", search],
        "miprof_agent": ["/miprof/file/", workspace, search],
        "departmental_validator": ["/departement/file/", workspace, search],
    }[persona]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("persona", ["association_agent", "miprof_agent", "departmental_validator"])
def test_main_pages_fit_the_screen_at_200_percent_and_320_px(browser, live_server, world, case, persona, screen):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, **SCREENS[screen])
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    sweep = AxeSweep(page)
    try:
        log_in(page, world.user(persona).email)
        problems = {}
        for path in paths_of(persona, case):
            page.goto(path)
            scroll_width, inner_width = page.evaluate(SCROLL)
            found = page.evaluate(CLIPPED_FOCUSABLES)
            if scroll_width > inner_width + 1:
                found.insert(0, f"défilement horizontal : {scroll_width} px pour {inner_width} px")
            if found:
                problems[page.url.removeprefix(live_server.url)] = found
        assert not problems, f"{screen}, {persona} : {problems}"
        failures = sweep.failures()
        assert not failures, failures
    finally:
        context.close()
