"""Les autres acteurs institutionnels dans Chromium headless (issue 16) : une unité d'inspection du travail dépose un
signalement avec ses champs propres (service, enquête conjointe art. 28 CPP, CODAF / URACTI) et le suit sans voir
les dossiers d'une autre unité ; un dossier déposé à Mayotte (976) est décidé par sa valideuse, à l'heure de
Mayotte."""

import datetime

import pytest

from mniop.roles import Role
from referents.enums import OrganisationKind, Zone
from signalements.enums import SignalementStatus
from signalements.models import Signalement
from signalements.services.drafts import submit_signalement, update_draft
from tests.accounts.factories import MembershipFactory
from tests.browser.combobox import choose
from tests.browser.test_triage_ui import login, logout
from tests.personas import acting_as
from tests.referents.factories import HabilitationFactory, OrganisationFactory, TerritoryFactory
from tests.signalements.factories import ReferenceValueFactory, SignalementFactory, submitted_signalement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_labour_inspection_unit_files_and_follows_with_its_own_fields(page, live_server, world, screenshot):
    inspector = world.acting("labour_inspector")
    police_case = submitted_signalement(world, "police_officer")

    login(page, live_server, world.user("labour_inspector").email)
    page.goto(f"{live_server.url}/signalements/nouveau/")
    page.get_by_label("Référence de l'opération ou de la procédure").fill("CT-75-2026-042")
    page.get_by_label("Service ayant procédé à l'identification").fill("Unité de contrôle n° 3 (BTP)")
    page.get_by_label("Enquête conjointe avec un·e officier·e de police judiciaire").check(force=True)
    page.get_by_label("CODAF ou URACTI associé").check(force=True)
    page.get_by_label("Date de repérage").fill(datetime.date.today().isoformat())
    choose(page, "Département du signalement", "Paris (75)")
    screenshot(page, "inspection-travail-signalement-etape-1")
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_selector(".fr-stepper__title:has-text('Identité')")

    draft = Signalement.objects.get(organisation=world.actors["labour_inspector"])
    assert (draft.operation_reference, draft.identifying_service) == ("CT-75-2026-042", "Unité de contrôle n° 3 (BTP)")
    assert draft.joint_investigation_with_opj and draft.codaf_or_uracti_involved
    draft.exploitation_forms.set([ReferenceValueFactory(code="travail_force", label="Travail forcé")])
    update_draft(signalement=draft, by=inspector, consent_status="given", pseudonym="Ilyes", estimated_age=31)
    page.goto(f"{live_server.url}/signalements/{draft.public_id}/brouillon/recapitulatif/")
    summary = page.locator("main").inner_text()
    assert "CT-75-2026-042" in summary and "Unité de contrôle n° 3 (BTP)" in summary
    screenshot(page, "inspection-travail-recapitulatif")
    page.get_by_role("button", name="Déposer le signalement").click()
    page.wait_for_selector("h1:has-text('Signalement déposé')")

    draft.refresh_from_db()
    page.goto(f"{live_server.url}/signalements/")
    listing = page.locator("main").inner_text()
    assert draft.reference in listing
    assert police_case.reference not in listing
    screenshot(page, "inspection-travail-liste")
    page.goto(f"{live_server.url}/dossiers/{draft.public_id}/")
    assert draft.reference in page.locator("main").inner_text()
    screenshot(page, "inspection-travail-dossier")

    # Le dossier d'une unité de police n'existe pas pour l'inspection du travail, et inversement.
    assert page.goto(f"{live_server.url}/dossiers/{police_case.public_id}/").status == 404
    logout(page)
    login(page, live_server, world.user("police_officer").email)
    assert page.goto(f"{live_server.url}/dossiers/{draft.public_id}/").status == 404


def test_a_case_filed_in_mayotte_is_decided_by_the_mayotte_validator(page, live_server, world, screenshot):
    mayotte = TerritoryFactory(
        code="976", name="Mayotte", zone=Zone.OUTRE_MER, region=None, time_zone="Indian/Mayotte"
    )
    association = OrganisationFactory(name="Association de Mamoudzou", territories=[mayotte])
    HabilitationFactory(organisation=association)
    filer = MembershipFactory(organisation=association, role=Role.ASSOCIATION_AGENT)
    prefecture = OrganisationFactory(
        name="Préfecture de Mayotte", kind=OrganisationKind.PREFECTURE, territories=[mayotte]
    )
    validator = MembershipFactory(organisation=prefecture, role=Role.DEPARTMENTAL_VALIDATOR, departements=[mayotte])
    signalement = submit_signalement(
        signalement=SignalementFactory(
            organisation=association, created_by=acting_as(filer), departement=mayotte, spotted_place="Mamoudzou"
        ),
        by=acting_as(filer),
    )

    login(page, live_server, world.user("miprof_agent").email)
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    page.get_by_role("button", name="Commencer l'instruction").click()
    page.locator("#action-transmettre").get_by_role("link").click()
    forward = page.locator("main form")
    choose(forward, "Département compétent", "976 — Mayotte")
    forward.get_by_role("button", name="Confirmer la transmission").click()
    assert "Transmis à l'autorité départementale" in page.content()
    logout(page)

    login(page, live_server, validator.user.email)
    page.goto(f"{live_server.url}/notifications/")
    assert "(heure de Mayotte)" in page.locator("main").inner_text()
    screenshot(page, "mayotte-notification-valideuse")
    page.locator("main").get_by_role("link", name=signalement.reference).first.click()
    # La notification mène droit à la décision.
    page.wait_for_url(f"**/dossiers/{signalement.public_id}/decider/")
    screenshot(page, "mayotte-decision")
    decision = page.locator("main form")
    decision.locator("label", has_text="Prise en charge validée").click()
    decision.get_by_role("button", name="Confirmer la décision").click()
    assert "Décider de la prise en charge : c'est fait." in page.content()
    assert "heure de Mayotte" in page.locator("main").inner_text()
    screenshot(page, "mayotte-dossier-valide")
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.VALIDATED
    assert signalement.competent_departement == mayotte
