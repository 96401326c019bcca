"""Les acteurs institutionnels dans Chromium headless (issue 16) : une unité de police dépose un signalement avec sa
référence d'opération, le suit et active Ac.Sé sur place ; un dossier de mineur va de la réorientation par le
valideur à la clôture « confié à la protection de l'enfance », le parquet (une OPP) et l'ASE / CRIP agissant dans la
plateforme."""

import datetime

import pytest

from orientation.enums import UrgentMeasureKind
from orientation.models import ChildProtectionAnswer, UrgentMeasure
from orientation.services import triage
from signalements.enums import SignalementStatus
from signalements.models import Signalement
from signalements.services.drafts import update_draft
from tests.browser.combobox import choose
from tests.browser.test_triage_ui import login, logout
from tests.signalements.factories import ReferenceValueFactory, submitted_signalement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_police_unit_files_follows_and_activates_acse_on_the_spot(page, live_server, world, screenshot):
    police = world.acting("police_officer")
    login(page, live_server, world.user("police_officer").email)
    page.goto(f"{live_server.url}/signalements/nouveau/")
    page.get_by_label("Référence de l'opération ou de la procédure").fill("OP-75-2026-117")
    page.get_by_label("Service ayant procédé à l'identification").fill("Brigade de protection des familles")
    page.get_by_label("Date de repérage").fill(datetime.date.today().isoformat())
    choose(page, "Département du signalement", "Paris (75)")
    assert "CODAF" not in page.content()
    screenshot(page, "police-signalement-etape-1")
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_selector(".fr-stepper__title:has-text('Identité')")

    draft = Signalement.objects.get(organisation=world.actors["police_officer"])
    assert draft.operation_reference == "OP-75-2026-117"
    draft.exploitation_forms.set([ReferenceValueFactory(code="exploitation_sexuelle", label="Exploitation sexuelle")])
    update_draft(signalement=draft, by=police, consent_status="given", pseudonym="Aube", estimated_age=26)
    page.goto(f"{live_server.url}/signalements/{draft.public_id}/brouillon/recapitulatif/")
    assert "OP-75-2026-117" in page.locator("main").inner_text()
    page.get_by_role("button", name="Déposer le signalement").click()
    page.wait_for_selector("h1:has-text('Signalement déposé')")
    screenshot(page, "police-signalement-depose")

    page.goto(f"{live_server.url}/signalements/")
    draft.refresh_from_db()
    assert draft.reference in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/dossiers/{draft.public_id}/")
    page.locator("#action-acse-sur-place").get_by_role("link").click()
    acse = page.locator("main form")
    acse.get_by_label("Date de l'activation").fill(datetime.date.today().isoformat())
    acse.get_by_role("button", name="Confirmer : activer Ac.Sé et prévenir la coordination").click()
    assert "c'est fait" in page.content()
    assert "Activation du dispositif Ac.Sé" in page.locator("main").inner_text()
    assert "(à la demande des forces de l'ordre)" in page.locator("main").inner_text()
    screenshot(page, "police-acse-sur-place")
    measure = UrgentMeasure.objects.get(signalement=draft)
    assert (measure.kind, measure.requested_by_police) == (UrgentMeasureKind.ACSE_ACTIVATION, True)
    logout(page)

    # Une autre unité de police ne voit pas ce dossier.
    login(page, live_server, world.user("police_officer_other_unit").email)
    response = page.goto(f"{live_server.url}/dossiers/{draft.public_id}/")
    assert response.status == 404


def test_a_minors_case_reaches_closure_with_the_parquet_and_the_ase_acting(page, live_server, world, screenshot):
    miprof = world.acting("miprof_agent")
    signalement = submitted_signalement(world, "association_agent", is_mna=False, estimated_age=14)
    triage.start_triage(signalement=signalement, by=miprof)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)

    login(page, live_server, world.user("departmental_validator").email)
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    page.locator("#action-decider").get_by_role("link").click()
    decision = page.locator("main form")
    decision.locator("label[for='id_decider-kind_2']").click()
    decision.get_by_label("Réorienté vers").select_option("minors_track")
    decision.get_by_role("button", name="Confirmer la décision").click()
    assert "Décider de la prise en charge : c'est fait." in page.content()
    screenshot(page, "mineur-reoriente")
    logout(page)

    # Le parquet du département reçoit le dossier et y répond : une ordonnance de placement provisoire.
    login(page, live_server, world.user("parquet_magistrate").email)
    page.goto(f"{live_server.url}/notifications/")
    assert "circuit des mineurs" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    page.locator("#action-reponse-mineurs").get_by_role("link").click()
    answer = page.locator("main form")
    answer.locator("label", has_text="Ordonnance de placement provisoire").click()
    answer.get_by_label("Commentaire").fill("OPP prise par le parquet de permanence.")
    answer.get_by_role("button", name="Enregistrer la réponse").click()
    assert "c'est fait" in page.content()
    assert "Ordonnance de placement provisoire" in page.locator("main").inner_text()
    assert page.locator("#action-confier-protection-enfance").count() == 0  # clore revient à l'ASE
    assert "puis l'ASE / CRIP le clôt" in page.locator("main").inner_text()
    screenshot(page, "mineur-reponse-parquet")
    logout(page)

    login(page, live_server, world.user("child_protection_agent").email)
    page.goto(f"{live_server.url}/notifications/")
    assert "circuit des mineurs" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    main = page.locator("main").text_content()
    assert "Moins de 15 ans" in main and "Circuit des mineurs (ASE, parquet)" in main
    page.locator("#action-reponse-mineurs").get_by_role("link").click()
    answer = page.locator("main form")
    answer.locator("label", has_text="Placement (accueil provisoire").click()
    answer.get_by_label("Commentaire").fill("Accueil provisoire en foyer de l'enfance.")
    answer.get_by_role("button", name="Enregistrer la réponse").click()
    assert "c'est fait" in page.content()
    screenshot(page, "mineur-reponse-ase")
    answers = ChildProtectionAnswer.objects.filter(signalement=signalement)
    assert {(a.organisation.name, a.kind) for a in answers} == {
        ("Parquet du tribunal judiciaire de Paris", "opp"),
        ("CRIP de Paris", "placement"),
    }

    page.locator("#action-confier-protection-enfance").get_by_role("link").click()
    page.locator("#consequence").wait_for()
    assert "Cette action est irréversible" in page.content()
    screenshot(page, "mineur-confirmation-confier")
    page.get_by_role("button", name="Confirmer : confier à la protection de l'enfance").click()
    assert "c'est fait" in page.content()
    assert "Clos (confié à la protection de l'enfance)" in page.locator("main").text_content()
    screenshot(page, "mineur-confie-protection-enfance")
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.CLOSED_CHILD_PROTECTION
