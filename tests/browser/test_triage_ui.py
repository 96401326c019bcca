"""Parcours dans Chromium headless, trois comptes : un signalement déposé par l'association, instruit et transmis par
la Miprof, validé par l'autorité départementale, puis l'attestation proposée à l'association."""

import pytest

from signalements.enums import SignalementStatus, VictimStatus
from signalements.services.drafts import submit_signalement
from tests.browser.combobox import choose
from tests.browser.login import log_in
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, email):
    """Le formulaire de connexion puis le second facteur (tests/browser/login.py)."""
    log_in(page, email)


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_a_signalement_goes_from_submission_to_validation(page, live_server, world, screenshot):
    filer = world.acting("association_agent")
    signalement = submit_signalement(
        signalement=SignalementFactory(organisation=world.association, created_by=filer, departement=world.paris),
        by=filer,
    )

    login(page, live_server, world.user("miprof_agent").email)
    page.get_by_role("link", name="File Miprof").first.click()
    screenshot(page, "file-miprof")
    page.get_by_role("link", name=signalement.reference).click()
    page.get_by_role("button", name="Commencer l'instruction").click()
    assert "Commencer l'instruction : c'est fait." in page.content()
    page.locator("#action-transmettre").get_by_role("link").click()
    page.locator("#consequence").wait_for()
    assert "Cette action est irréversible" in page.content()
    forward = page.locator("main form")
    choose(forward, "Département compétent", "75 — Paris")
    screenshot(page, "transmettre-departement-saisie-assistee")
    forward.get_by_role("button", name="Confirmer la transmission").click()
    assert "Transmis à l'autorité départementale" in page.content()
    screenshot(page, "dossier-transmis")
    logout(page)

    login(page, live_server, world.user("departmental_validator").email)
    page.get_by_role("link", name="File du département").first.click()
    page.get_by_role("link", name=signalement.reference).click()
    page.locator("#action-decider").get_by_role("link").click()
    decision = page.locator("main form")
    decision.locator("label", has_text="Prise en charge validée").click()
    decision.get_by_role("button", name="Confirmer la décision").click()
    assert "Décider de la prise en charge : c'est fait." in page.content()
    screenshot(page, "dossier-valide")
    logout(page)

    login(page, live_server, world.user("association_agent").email)
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    assert page.get_by_role("link", name="Télécharger l'attestation (PDF)").is_visible()
    signalement.refresh_from_db()
    assert (signalement.status, signalement.victim_status) == (SignalementStatus.VALIDATED, VictimStatus.IDENTIFIED)
