"""Parcours dans Chromium headless (issue 15, constats 4 et 12) : pendant qu'une demande attend la coordination
Ac.Sé, le dossier ne propose pas « Chercher une place » et dit pourquoi ; la coordination, sans partenaire qui
convienne, renvoie la demande à l'émetteur avec un motif (page qui dit la conséquence) ; l'émetteur lit le motif et
peut de nouveau chercher une place."""

import pytest

from orientation.enums import ReferralStatus
from orientation.models import Referral
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_acse_returns_a_request_it_cannot_place(
    page,
    live_server,
    world,
    validated,  # noqa: F811 - la fixture importée ci-dessus
    shelters,  # noqa: F811
    screenshot,
):
    validated.exploitation_departements.set([world.nord, world.bouches_du_rhone])
    case_url = f"{live_server.url}/dossiers/{validated.public_id}/"

    log_in(page, world.user("departmental_validator").email)
    page.goto(case_url)
    page.get_by_role("link", name="Chercher une place d'hébergement").click()
    page.locator("label[for=id_orientation-via_acse]").click()
    page.get_by_role("button", name="Adresser l'orientation").click()
    page.goto(case_url)
    assert page.get_by_role("link", name="Chercher une place d'hébergement").count() == 0
    assert page.locator("#orientation-en-cours").is_visible()
    screenshot(page, "sorties-dossier-orientation-en-cours")
    logout(page)

    log_in(page, shelters.acse_agent.email)
    referral = Referral.objects.get()
    page.goto(f"{live_server.url}/orientations/{referral.public_id}/")
    screenshot(page, "sorties-acse-orientation")
    page.get_by_role("link", name="Renvoyer la demande à l'émetteur").click()
    assert page.get_by_text("Conséquence").is_visible()
    page.get_by_label("Motif du renvoi").fill("Aucune partenaire éloignée n'a de place : orientez en direct.")
    screenshot(page, "sorties-acse-renvoi")
    page.get_by_role("button", name="Renvoyer la demande").click()
    assert "Renvoyée à l'émetteur" in page.content()
    logout(page)

    log_in(page, world.user("departmental_validator").email)
    page.goto(f"{live_server.url}/orientations/{referral.public_id}/")
    assert "orientez en direct" in page.content()
    screenshot(page, "sorties-emetteur-lit-le-motif")
    page.goto(case_url)
    assert page.get_by_role("link", name="Chercher une place d'hébergement").is_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED


def test_a_placement_outside_the_distancing_rule_needs_a_second_person(
    page,
    live_server,
    world,
    validated,  # noqa: F811
    validator,  # noqa: F811
    shelters,  # noqa: F811
    screenshot,
):
    from orientation.services import referrals

    validated.exploitation_departements.set([world.nord])
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)

    log_in(page, shelters.acse_agent.email)
    page.goto(f"{live_server.url}/orientations/{referral.public_id}/")
    page.get_by_role("link", name="Placer hors de la règle d'éloignement").click()
    page.get_by_label("Structure partenaire").select_option(str(shelters.nord.public_id))
    page.get_by_label("Motif du placement hors règle d'éloignement").fill("Seule structure avec un suivi médical.")
    screenshot(page, "sorties-hors-eloignement-demande")
    page.get_by_role("button", name="Demander la seconde approbation").click()
    assert "Placement hors règle d'éloignement en attente" in page.content()
    assert "Seconde approbation attendue avant le" in page.content()
    assert page.get_by_role("link", name="Approuver le placement hors règle d'éloignement").count() == 0
    page.goto(f"{live_server.url}/acse/")
    assert "À confier avant le" in page.content()
    assert "Seconde approbation attendue avant le" in page.content()
    screenshot(page, "sorties-hors-eloignement-echeances-coordination")
    logout(page)

    log_in(page, world.user("miprof_admin").email)
    page.goto(f"{live_server.url}/orientations/{referral.public_id}/")
    page.get_by_role("link", name="Approuver le placement hors règle d'éloignement").click()
    assert "Seule structure avec un suivi médical." in page.content()
    screenshot(page, "sorties-hors-eloignement-approbation")
    page.get_by_role("button", name="Approuver et confier l'orientation").click()
    assert "En attente de réponse de la structure" in page.content()
    referral.refresh_from_db()
    assert (referral.status, referral.shelter) == (ReferralStatus.PENDING, shelters.nord)


def places_row(page):
    """La ligne « Places par type » de la page d'accueil de la structure : (déclarées, occupées, retenues, libres)."""
    cells = page.locator("table:has(caption:text('Places par type')) tbody tr").first.locator("td")
    return tuple(int(cells.nth(index).inner_text()) for index in range(1, 5))


def test_closing_a_case_releases_the_place_held_at_the_partner_shelter(
    page,
    live_server,
    world,
    validated,  # noqa: F811
    shelters,  # noqa: F811
    closure_reason,  # noqa: F811
    screenshot,
):
    """Constat 5 : un dossier clos ne garde pas la place retenue chez la structure partenaire ; la structure voit la
    place revenir et l'orientation annulée, sans rien faire."""
    validated.exploitation_departements.set([world.nord])
    case_url = f"{live_server.url}/dossiers/{validated.public_id}/"

    log_in(page, world.user("departmental_validator").email)
    page.goto(case_url)
    page.get_by_role("link", name="Chercher une place d'hébergement").click()
    page.locator("label[for=id_orientation-via_acse]").click()
    page.get_by_role("button", name="Adresser l'orientation").click()
    logout(page)

    log_in(page, shelters.acse_agent.email)
    referral = Referral.objects.get()
    page.goto(f"{live_server.url}/orientations/{referral.public_id}/")
    page.get_by_role("button", name="Confier à Centre du Sud").click()
    page.locator("#consequence").wait_for()
    page.get_by_role("button", name="Confirmer et confier").click()
    logout(page)

    log_in(page, shelters.south_agent.email)
    page.goto(f"{live_server.url}/hebergement/")
    declared, occupied, held, free = places_row(page)
    assert held == 1
    screenshot(page, "cloture-structure-place-retenue")
    logout(page)

    log_in(page, world.user("departmental_validator").email)
    page.goto(f"{case_url}cloturer/")
    assert "places retenues" in page.locator("#consequence").inner_text()
    page.get_by_label("Motif de clôture").select_option(label=closure_reason.label)
    screenshot(page, "cloture-confirmation")
    page.get_by_role("button", name="Confirmer la clôture").click()
    page.wait_for_url(case_url)
    logout(page)

    log_in(page, shelters.south_agent.email)
    page.goto(f"{live_server.url}/hebergement/")
    assert places_row(page) == (declared, occupied, 0, free + 1)
    page.goto(f"{live_server.url}/orientations/{referral.public_id}/")
    assert "Annulée" in page.content()
    screenshot(page, "cloture-structure-place-rendue")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
