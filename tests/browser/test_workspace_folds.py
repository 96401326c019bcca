"""L'espace de travail d'un dossier riche reste court (issue 15) : le panneau « Et maintenant ? » et le résumé en
haut, puis des sections dont ce qu'on lit rarement est replié dans des `<details>` natifs (contenu déposé et récit,
journal au-delà des derniers événements, orientations terminées, mesures passées), qui s'ouvrent au clavier sans
JavaScript. Chaque section du sommaire est atteinte par son ancre. Hauteurs mesurées dans Chromium (1280 px)."""

import pytest

from tests.browser.login import log_in
from tests.browser.rich_case import ACCOUNT, rich_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: La page pleine hauteur du dossier riche (`rich_case`), replis fermés : 12 507 px avant les replis, 3 979 px après,
#: 4 233 px avec la liste des documents joints (Miprof, 1 280 px de large, décembre 2026).
MAX_HEIGHT = 4_500
FOLDS = ["#contenu-depose", "#journal-ancien", "#orientations-terminees", "#mesures-passees"]
HEIGHT = "() => document.documentElement.scrollHeight"


@pytest.fixture
def case(world, shelters, refusal_reason):
    return rich_case(world, shelters, refusal_reason)


@pytest.mark.parametrize("persona", ["miprof_agent", "association_agent"])
def test_the_rich_workspace_is_short_with_its_folds_closed(page, world, case, persona, screenshot):
    log_in(page, world.user(persona).email)
    page.goto(f"/dossiers/{case.public_id}/")
    folded = page.evaluate(HEIGHT)
    screenshot(page, f"espace-de-travail-replie-{persona}")
    for fold in FOLDS:
        assert page.locator(fold).evaluate("details => !details.open"), fold
    page.evaluate("() => document.querySelectorAll('main details').forEach(details => { details.open = true; })")
    unfolded = page.evaluate(HEIGHT)
    print(f"\nhauteur de l'espace de travail ({persona}) : {folded} px replié, {unfolded} px tout ouvert")
    assert folded < MAX_HEIGHT, f"{folded} px"
    assert unfolded > folded + 1_500


def test_the_next_steps_and_the_summary_come_before_the_sections(page, world, case):
    log_in(page, world.user("miprof_agent").email)
    page.goto(f"/dossiers/{case.public_id}/")
    top = "element => element.getBoundingClientRect().top + window.scrollY"
    assert page.locator("main h1").evaluate(top) < page.locator("#et-maintenant").evaluate(top)
    assert page.locator("#et-maintenant").evaluate(top) < page.locator("#resume").evaluate(top)


def test_every_section_is_reached_by_its_anchor(page, world, case):
    log_in(page, world.user("miprof_agent").email)
    page.goto(f"/dossiers/{case.public_id}/")
    links = page.locator("nav.fr-summary a.fr-summary__link")
    anchors = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert {"#resume", "#signalement", "#decision", "#hebergement", "#mesures", "#documents", "#journal"} <= set(
        anchors
    )
    for anchor in anchors:
        page.locator(f'nav.fr-summary a[href="{anchor}"]').click()
        page.wait_for_function("anchor => location.hash === anchor", arg=anchor)
        target = page.locator(anchor)
        assert target.is_visible(), anchor
        position = target.evaluate("element => element.getBoundingClientRect().top")
        assert -2 <= position < page.viewport_size["height"], f"{anchor} hors de l'écran ({position} px)"


def test_folded_content_opens_with_the_keyboard(page, world, case):
    log_in(page, world.user("association_agent").email)
    page.goto(f"/dossiers/{case.public_id}/")
    assert not page.get_by_text("Épisode 12").is_visible()
    for fold, key, revealed in [
        ("#contenu-depose", "Enter", page.get_by_text("Épisode 12")),
        ("#journal-ancien", " ", page.locator("#journal-ancien ol li").first),
        ("#orientations-terminees", "Enter", page.locator("#orientations-terminees li").first),
        ("#mesures-passees", " ", page.locator("#mesures-passees table")),
    ]:
        summary = page.locator(f"{fold} > summary")
        assert summary.evaluate("element => element.tabIndex") == 0, fold
        summary.focus()
        page.keyboard.press(key)
        assert page.locator(fold).evaluate("details => details.open"), fold
        assert revealed.is_visible(), fold
    assert ACCOUNT.splitlines()[0] in page.locator("#contenu-depose").inner_text()


def test_an_address_to_a_folded_answer_reveals_it(page, world, case):
    """Une notification mène à `#complement-<uuid>` : le navigateur ouvre le repli qui contient la demande."""
    answered = case.information_requests.order_by("requested_at").first()
    log_in(page, world.user("miprof_agent").email)
    page.goto(f"/dossiers/{case.public_id}/#complement-{answered.public_id}")
    card = page.locator(f"#complement-{answered.public_id}")
    card.wait_for(state="visible")
    assert "En anglais, avec une interprète" in card.inner_text()
