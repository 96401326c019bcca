"""Les procédures judiciaires dans Chromium headless : la magistrate du parquet de Paris ouvre un dossier où une
plainte est déposée, enregistre la procédure depuis la fiche de l'annuaire, la fait avancer jusqu'à la condamnation
avec une indemnisation accordée, et la retrouve dans la section du dossier et dans la frise."""

import pytest

from referents.enums import ReferentCategory
from signalements.enums import ComplaintStatus
from signalements.services.drafts import submit_signalement
from tests.browser.combobox import choose
from tests.browser.test_triage_ui import login
from tests.referents.factories import DirectoryEntryFactory
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_parquet_follows_a_procedure_from_investigation_to_conviction(page, live_server, world, screenshot):
    filer = world.acting("association_agent")
    signalement = submit_signalement(
        signalement=SignalementFactory(
            organisation=world.association,
            created_by=filer,
            departement=world.paris,
            complaint_status=ComplaintStatus.FILED,
        ),
        by=filer,
    )
    DirectoryEntryFactory(
        organisation=world.actors["parquet_magistrate"],
        category=ReferentCategory.PARQUET,
        title="Section traite des êtres humains",
    )

    login(page, live_server, world.user("parquet_magistrate").email)
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    page.get_by_role("link", name="Ajouter une procédure judiciaire").click()
    form = page.locator("main form")
    choose(
        page,
        "Service enquêteur ou juridiction (annuaire)",
        "Section traite des êtres humains — Parquet du tribunal judiciaire de Paris",
    )
    form.get_by_label("Référence de la procédure").fill("PARQ-26-004242")
    form.get_by_label("Stade", exact=True).select_option("investigation")
    form.get_by_role("button", name="Enregistrer la procédure").click()
    assert "La procédure judiciaire est enregistrée." in page.content()

    page.get_by_role("link", name="Mettre à jour").click()
    form = page.locator("main form")
    form.locator("label[for=id_procedure-is_civil_party]").click()
    form.get_by_label("Stade", exact=True).select_option("conviction")
    form.get_by_role("button", name="Enregistrer la procédure").click()
    assert "Indiquez la date" in page.content()
    form.get_by_label("Date du stade").fill("2026-11-30")
    form.get_by_label("Indemnisation", exact=True).select_option("granted")
    form.get_by_label("Indemnisation à la charge de").select_option("offender")
    form.get_by_label("Montant accordé (euros)").fill("12000")
    form.get_by_role("button", name="Enregistrer la procédure").click()
    assert "La procédure judiciaire est mise à jour." in page.content()

    section = page.locator("section", has=page.locator("#procedures"))
    text = section.inner_text()
    assert "Section traite des êtres humains — Parquet du tribunal judiciaire de Paris" in text
    assert "Condamnation le 30/11/2026" in text
    assert "12000" in text.replace("\u202f", "").replace(" ", "")
    journal = page.locator("section[aria-labelledby=journal]")
    if journal.locator("#journal-ancien").count():
        journal.locator("#journal-ancien > summary").click()  # les événements les plus anciens sont repliés
    journey = journal.inner_text()
    assert "Stade : condamnation" in journey
    # Enregistrée sans nouvelle de l'indemnisation (« Non renseigné » par défaut), puis accordée : une seule mise à
    # jour du suivi statistique.
    assert journey.count("Suivi statistique mis à jour") == 1
    section.scroll_into_view_if_needed()
    screenshot(page, "procedures-judiciaires-dossier")
