"""Le parcours dans Chromium headless : sur un dossier validé, l'association enregistre un délai de réflexion, le
fait accorder, le voit dans la frise avec sa fin prévue, puis télécharge la fiche des droits en chinois."""

import pytest

from orientation.services import decisions, triage
from signalements.services.drafts import submit_signalement
from tests.browser.test_triage_ui import login
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_association_follows_the_journey_of_a_validated_victim(page, live_server, world, screenshot):
    filer, miprof = world.acting("association_agent"), world.acting("miprof_agent")
    signalement = submit_signalement(
        signalement=SignalementFactory(
            organisation=world.association, created_by=filer, departement=world.paris, nationalities=["NG"]
        ),
        by=filer,
    )
    triage.start_triage(signalement=signalement, by=miprof)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    decisions.decide(signalement=signalement, by=world.acting("departmental_validator"), kind="validated")

    login(page, live_server, world.user("association_agent").email)
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    page.locator("#action-mesure").get_by_role("link").click()
    form = page.locator("main form")
    form.get_by_label("Mesure").select_option("reflection_period")
    form.get_by_label("État").select_option("requested")
    form.get_by_role("button", name="Enregistrer la mesure").click()
    assert "La mesure est enregistrée." in page.content()

    row = page.locator("tr", has_text="Délai de réflexion (30 jours)").first
    page.get_by_text("Faire évoluer : Délai de réflexion (30 jours)").click()
    update = page.locator("form.mniop-measure-update").nth(2)
    update.get_by_label("Nouvel état").select_option("accorder")
    update.get_by_role("button", name="Mettre à jour").click()
    assert "La mesure est mise à jour." in page.content()
    assert "accordée" in row.inner_text().lower()
    journey = page.locator("section[aria-labelledby=journal]")
    if journey.locator("#journal-ancien").count():
        journey.locator("#journal-ancien > summary").click()  # les événements les plus anciens sont repliés
    assert "Fin prévue : Délai de réflexion (30 jours)" in journey.inner_text()
    assert "Prise en charge validée" in journey.inner_text()
    screenshot(page, "parcours-delai-de-reflexion")

    with page.expect_download() as download:
        page.get_by_role("link", name="中文").click()
    assert download.value.suggested_filename == "vos-droits-zh.pdf"
