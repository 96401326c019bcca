"""Annuaire dans Chromium : rechercher, ouvrir la page d'un territoire d'outre-mer, regarder la carte de couverture,
corriger sa propre fiche (référente territoriale)."""

import pytest

from referents.enums import REQUIRED_CATEGORIES, ReferentCategory, Theme
from referents.models import Territory
from referents.reference_data import load_reference_data
from tests.browser.test_foundation_ui import login
from tests.referents.factories import DirectoryEntryFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(world):
    load_reference_data()
    guyane = Territory.objects.get(code="973")
    DirectoryEntryFactory(
        organisation=OrganisationFactory(name="DGCOPOP de la Guyane – inspection du travail", territories=[guyane]),
        category=ReferentCategory.INSPECTION_DU_TRAVAIL,
        title="Cellule de lutte contre l'exploitation par le travail",
        themes=[Theme.TRAVAIL],
        territories=[guyane],
    )
    for index, category in enumerate(REQUIRED_CATEGORIES):
        DirectoryEntryFactory(category=category, territories=[world.nord])
        if index < 3:
            DirectoryEntryFactory(category=category, territories=[world.paris, Territory.objects.get(code="974")])
    return guyane


def test_a_professional_searches_and_opens_an_overseas_territory(page, live_server, world, directory, screenshot):
    login(page, live_server, world.user("association_agent").email)
    page.get_by_role("link", name="Annuaire").first.click()
    page.get_by_role("link", name="Rechercher dans l'annuaire").click()
    page.get_by_label("Rechercher").fill("exploitée guyane")
    page.get_by_role("button", name="Rechercher").click()
    assert "1 fiche trouvée" in page.content()
    screenshot(page, "annuaire-recherche")

    page.get_by_role("link", name="Guyane (973)").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Guyane (973)"
    local_time = page.locator(".mniop-local-time").inner_text()
    assert "heure de la Guyane" in local_time
    assert "Cellule de lutte contre l'exploitation par le travail" in page.content()
    screenshot(page, "annuaire-guyane")


def test_coverage_map_is_drawn_with_overseas_insets(page, live_server, world, directory, screenshot):
    login(page, live_server, world.user("miprof_agent").email)
    page.goto(f"{live_server.url}/annuaire/couverture/")
    assert page.locator("svg rect[data-code]").count() == 107
    for code in ("971", "972", "973", "974", "976", "988"):
        assert page.locator(f'rect[data-code="{code}"]').is_visible()
    box = page.locator('rect[data-code="59"]').bounding_box()
    assert box["width"] > 20, "la carte est écrasée"
    assert page.locator('rect[data-code="59"]').get_attribute("data-count") == "6"
    path = screenshot(page, "annuaire-couverture")
    assert path.stat().st_size > 20_000


def test_the_territorial_referent_corrects_her_own_entry(page, live_server, world, screenshot):
    referent = world.user("territorial_referent")
    entry = DirectoryEntryFactory(
        organisation=world.tribunal_marseille,
        category=ReferentCategory.MAGISTRAT_REFERENT_TEH,
        title="Magistrat·e référent·e TEH",
        holder_name=referent.get_full_name(),
        holder_email=referent.email,
        territories=[world.bouches_du_rhone],
    )
    login(page, live_server, referent.email)
    page.goto(f"{live_server.url}/annuaire/")
    page.get_by_role("link", name="Mes fiches").click()
    screenshot(page, "mes-fiches-referente")
    page.get_by_role("link", name="Magistrat·e référent·e TEH").click()
    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Téléphone du titulaire").fill("04 99 00 00 42")
    screenshot(page, "mes-fiches-modifier-coordonnees")
    page.get_by_role("button", name="Enregistrer").click()

    assert "Vos coordonnées sont enregistrées" in page.content()
    entry.refresh_from_db()
    assert entry.holder_phone == "04 99 00 00 42"
