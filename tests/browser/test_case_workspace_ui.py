"""La page du dossier dans Chromium headless, rôle par rôle, sur un dossier validé : le panneau « Et maintenant ? »
donne à chacun son action principale (jamais « Clore ») ; la clôture passe par sa page de confirmation ; la
structure d'hébergement, qui ne voit pas le dossier, agit sur la page de l'orientation. Captures regardées."""

import pytest

from orientation.services import referrals
from signalements.enums import SignalementStatus
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def primary_button(page):
    return page.locator("#et-maintenant .fr-btn:not(.fr-btn--secondary):not(.fr-btn--tertiary)").first


@pytest.mark.parametrize(
    ("persona", "primary"),
    [
        ("departmental_validator", "Orienter vers un hébergement"),
        ("miprof_agent", "Orienter vers un hébergement"),
        ("association_agent", "Ajouter une mesure"),
    ],
)
def test_each_role_sees_its_next_step_on_the_validated_case(
    page,
    live_server,
    world,
    validated,  # noqa: F811 - la fixture importée ci-dessus
    persona,
    primary,
    screenshot,
):
    log_in(page, world.user(persona).email)
    page.goto(f"{live_server.url}/dossiers/{validated.public_id}/")
    assert primary_button(page).inner_text() == primary
    assert "Clore" not in primary_button(page).inner_text()
    screenshot(page, f"dossier-valide-{persona}")
    page.locator("#action-cloturer").get_by_role("link").click()
    page.locator("#consequence").wait_for()
    assert "Cette action est irréversible" in page.content()
    screenshot(page, f"confirmation-cloture-{persona}")
    page.get_by_role("link", name="Annuler et revenir au dossier").click()
    validated.refresh_from_db()
    assert validated.status == SignalementStatus.VALIDATED


def test_the_shelter_acts_on_the_referral_page_not_on_the_case(
    page,
    live_server,
    world,
    validated,  # noqa: F811 - la fixture importée ci-dessus
    shelters,  # noqa: F811
    validator,  # noqa: F811
    screenshot,
):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    log_in(page, shelters.paris_agent.email)
    assert page.goto(f"{live_server.url}/dossiers/{validated.public_id}/").status == 404
    page.goto(f"{live_server.url}/orientations/{referral.public_id}/")
    assert page.get_by_role("button", name="Accepter l'orientation").is_visible()
    screenshot(page, "orientation-structure")
