"""Dans Chromium headless : un seul espace de travail par dossier (issue 15). L'association ouvre l'ancienne adresse
du signalement, arrive sur l'espace de travail et répond au complément depuis la section « Signalement » ; la Miprof
y lit la réponse et le récit ; l'autorité départementale y décide sur la vue pseudonymisée (identité scellée, pas de
récit). Une capture par rôle."""

import datetime

import pytest

from orientation.services import triage
from signalements.services.drafts import submit_signalement
from tests.browser.login import log_in
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = "Recrutée à Lagos par une fausse agence de mannequins, puis contrainte à se prostituer."
LAST_NAME = "Okonkwo"


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_every_role_works_on_the_same_workspace(page, world, screenshot):
    filer = world.acting("association_agent")
    miprof = world.acting("miprof_agent")
    signalement = SignalementFactory(
        organisation=world.association,
        created_by=filer,
        departement=world.paris,
        pseudonym="Étoile",
        last_name=LAST_NAME,
        birth_date=datetime.date(1998, 4, 2),
        account=ACCOUNT,
    )
    submit_signalement(signalement=signalement, by=filer)
    triage.start_triage(signalement=signalement, by=miprof)
    question = triage.request_information(
        signalement=signalement, by=miprof, question="Dans quelle langue souhaite-t-elle être accompagnée ?"
    )
    workspace = f"/dossiers/{signalement.public_id}/"

    # L'association : l'ancienne adresse mène à l'espace de travail, où la question attend sa réponse.
    log_in(page, world.user("association_agent").email)
    page.goto(f"/signalements/{signalement.public_id}/")
    assert page.url.endswith(workspace)
    card = page.locator(f"#complement-{question.public_id}")
    assert "Dans quelle langue" in card.inner_text()
    page.locator("#contenu-depose > summary").click()  # le contenu déposé et le récit sont repliés
    assert ACCOUNT in page.locator("#signalement").locator("xpath=..").inner_text()
    card.get_by_label("Votre réponse").fill("En anglais, avec une interprète si possible.")
    screenshot(page, "espace-de-travail-association-complement")
    card.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{workspace}#complement-{question.public_id}")
    assert "Votre réponse a été transmise à la Miprof." in page.content()
    logout(page)

    # La Miprof lit la réponse et le récit au même endroit, puis transmet au département.
    log_in(page, world.user("miprof_agent").email)
    page.goto(workspace)
    page.locator("#contenu-depose > summary").click()
    page.locator("#complements-traites > summary").click()
    main = page.locator("main").inner_text()
    assert "En anglais, avec une interprète" in main and ACCOUNT in main and LAST_NAME in main
    screenshot(page, "espace-de-travail-miprof")
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    logout(page)

    # L'autorité départementale : la même page, l'identité scellée et le récit fermé.
    log_in(page, world.user("departmental_validator").email)
    page.goto(workspace)
    page.locator("#contenu-depose > summary").click()
    main = page.locator("main").inner_text()
    assert "Identité scellée" in main
    assert LAST_NAME not in main and ACCOUNT not in main
    assert "Le récit est d'accès restreint" in main
    screenshot(page, "espace-de-travail-valideur")
