"""Issue 16 dans Chromium headless (axe-core passe sur chaque page visitée) : une unité de police fait une
notification statistique anonyme depuis la page de départ du signalement ; la Miprof examine une demande de
rapprochement depuis sa file."""

import datetime

import pytest

from signalements.models import AnonymousNotification
from signalements.services.link_requests import request_link
from tests.browser.combobox import choose
from tests.browser.test_triage_ui import login, logout
from tests.signalements.factories import ReferenceValueFactory, submitted_signalement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IOANA = {"first_name": "Ioana", "last_name": "Popescu", "birth_date": datetime.date(1998, 7, 21)}


def test_a_police_unit_files_an_anonymous_notification(page, live_server, world, screenshot):
    ReferenceValueFactory(code="travail_force", label="Travail forcé", eurostat_category="Forced labour")
    login(page, live_server, world.user("police_officer").email)
    page.goto(f"{live_server.url}/signalements/nouveau/")
    page.get_by_role("link", name="Faire une notification statistique anonyme").click()
    page.wait_for_selector("h1:has-text('Notification statistique anonyme')")
    page.get_by_label("Tranche d'âge").select_option("25-34")
    page.get_by_label("Travail forcé").check(force=True)
    choose(page, "Département", "Paris (75)")
    screenshot(page, "notification-anonyme-formulaire")
    page.get_by_role("button", name="Enregistrer la notification").click()
    page.wait_for_selector("h1:has-text('Notification statistique enregistrée')")
    screenshot(page, "notification-anonyme-enregistree")
    notification = AnonymousNotification.objects.get()
    assert notification.departement == world.paris
    logout(page)


def test_the_miprof_examines_a_link_request_from_its_queue(page, live_server, world, screenshot):
    submitted_signalement(world, "association_agent_other_org", **IOANA)
    signalement = submitted_signalement(world, **IOANA)
    request_link(signalement=signalement, by=world.acting("association_agent"))
    login(page, live_server, world.user("miprof_agent").email)
    page.goto(f"{live_server.url}/miprof/file/")
    page.locator("#rapprochements").get_by_role("link", name=signalement.reference).click()
    page.wait_for_selector("h1:has-text('Demande de rapprochement')")
    screenshot(page, "rapprochement-miprof")
    page.get_by_label("Motif").fill("Deux personnes différentes.")
    page.get_by_role("button", name="Écarter le rapprochement").click()
    page.wait_for_selector("#rapprochement")
    assert "Rapprochement écarté" in page.locator("main").inner_text()
    logout(page)
