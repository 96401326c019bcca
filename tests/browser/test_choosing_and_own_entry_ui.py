"""Dans Chromium (issue 15, observations 9 et 13) : l'autorité départementale choisit un lieu depuis sa suggestion
classée et adresse l'orientation ; la référente territoriale ouvre « Mes fiches » et corrige son téléphone."""

import pytest

from orientation.models import Referral
from referents.enums import ReferentCategory
from tests.browser.login import log_in
from tests.orientation.conftest import (  # noqa: F401 - les fixtures de l'orientation, pour ce parcours
    filer,
    forwarded,
    in_triage,
    make_submitted,
    miprof,
    shelters,
    submitted,
    validated,
    validator,
)
from tests.referents.factories import DirectoryEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_validator_chooses_a_ranked_suggestion_and_sends_it(
    page,
    live_server,
    world,
    validated,  # noqa: F811 - la fixture importée ci-dessus
    shelters,  # noqa: F811
    screenshot,
):
    shelters.nord.commune, shelters.nord.operator_name = "Lille", "Fondation Escale"
    shelters.nord.save()
    log_in(page, world.user("departmental_validator").email)
    page.goto(f"{live_server.url}/dossiers/{validated.public_id}/hebergement/")
    screenshot(page, "choisir-un-lieu-suggestions")

    page.get_by_role("link", name="Choisir ce lieu : Centre du Nord").click()
    assert page.get_by_text("Lieu choisi : Centre du Nord — Lille, Nord (59) — géré par Fondation Escale").is_visible()
    screenshot(page, "choisir-un-lieu-demande-pre-remplie")
    page.get_by_role("button", name="Adresser l'orientation").click()

    assert "L'orientation est adressée" in page.content()
    assert Referral.objects.get().shelter == shelters.nord


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
    log_in(page, referent.email)
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
