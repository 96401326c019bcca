"""Dans Chromium headless : l'administration d'une association demande son habilitation MNIOP, l'administration de
la Miprof l'accorde avec la référence de l'acte, puis y met fin ; l'historique garde chaque étape."""

import datetime

import pytest
from django.utils import timezone

from referents.models import Habilitation
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_association_requests_and_the_miprof_admin_grants_then_ends_its_habilitation(
    browser, page, live_server, world, screenshot
):
    world.association.habilitations.all().delete()
    log_in(page, world.user("association_admin").email)
    page.goto(f"/organisations/{world.association.public_id}/")
    page.get_by_role("link", name="Habilitations et demandes").click()
    page.get_by_role("link", name="Demander une habilitation").click()
    page.get_by_label("Type d'habilitation ou d'agrément").select_option("mniop")
    page.get_by_label("Motivation").fill("Accueil de jour et accompagnement des victimes d'exploitation.")
    screenshot(page, "habilitation-demande")
    page.get_by_role("button", name="Envoyer la demande").click()
    assert page.get_by_text("Demande envoyée").is_visible()
    screenshot(page, "habilitations-organisation-demande-en-attente")

    admin = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    miprof = admin.new_page()
    log_in(miprof, world.user("miprof_admin").email)
    miprof.goto("/organisations/")
    miprof.get_by_role("link", name="Demandes d'habilitation en attente").click()
    assert miprof.get_by_role("columnheader", name="En attente depuis").is_visible()
    assert miprof.get_by_role("cell", name="0 jours ouvrés").is_visible()
    miprof.get_by_role("link", name="Association Accueil Paris").click()
    today = timezone.localdate()
    miprof.get_by_label("Début de validité").fill(today.isoformat())
    miprof.get_by_label("Référence de l'acte").fill("Arrêté du 3 mars 2026")
    screenshot(miprof, "habilitation-decision-miprof")
    miprof.get_by_role("button", name="Accorder l'habilitation").click()
    assert miprof.get_by_text("Demande de Association Accueil Paris accordée").is_visible()
    habilitation = Habilitation.objects.get(organisation=world.association)

    miprof.goto(f"/organisations/{world.association.public_id}/habilitations/")
    miprof.get_by_role("link", name="Mettre fin").click()
    yesterday = today - datetime.timedelta(days=1)
    miprof.get_by_label("Dernier jour de validité").fill(max(yesterday, habilitation.starts_on).isoformat())
    miprof.get_by_label("Motif").fill("Convention non renouvelée")
    miprof.get_by_role("button", name="Mettre fin à l'habilitation").click()
    assert miprof.get_by_role("cell", name="Convention non renouvelée").is_visible()
    screenshot(miprof, "habilitations-historique-miprof")
    admin.close()
