"""La preuve : un parcours réel dans Chromium (saisie d'un signalement avec l'identité et le récit d'une personne,
dépôt, instruction par la Miprof, recherches, adresse mal tapée) pendant que tout ce que les gestionnaires de
journaux écrivent est recueilli. Chaque ligne est du JSON ; aucune ne contient le nom, le prénom, la date de
naissance, le récit ou l'adresse de la personne, ni le nom ou l'adresse électronique des professionnels."""

import datetime
import json
import re

import pytest

from signalements.enums import SignalementStatus
from signalements.models import Signalement
from signalements.reference_data import load_signalement_references
from tests.browser.combobox import choose
from tests.browser.intake import (
    fill_context,
    fill_sexual_exploitation_in_paris,
    give_written_consent,
    submit_with_narrative,
)
from tests.browser.test_intake_stepper import login, next_step
from tests.observability.personal_data import (
    ADDRESS,
    BIRTH_DATE,
    FIRST_NAME,
    FORBIDDEN,
    LAST_NAME,
    NARRATIVE,
    leaks,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_full_walk_leaves_only_json_log_lines_without_personal_data(page, world, log_output, screenshot):
    page.set_default_timeout(30_000)  # un long parcours : marge pour une machine chargée
    load_signalement_references()
    agent, miprof = world.user("association_agent"), world.user("miprof_agent")

    # L'association saisit et dépose le signalement, identité et récit compris.
    login(page, agent.email)
    fill_context(page, spotted_on=datetime.date(2026, 1, 15))
    page.locator("input[name='first_name']").fill(FIRST_NAME)
    page.locator("input[name='last_name']").fill(LAST_NAME)
    page.locator("input[name='birth_date']").fill(BIRTH_DATE)
    page.get_by_label("Femme").check(force=True)
    choose(page, "Nationalités", "Nigeria")
    next_step(page, "Consentement")
    give_written_consent(page)
    fill_sexual_exploitation_in_paris(page)
    submit_with_narrative(page, f"{NARRATIVE}. Hébergée au {ADDRESS}, Saint-Denis.")
    signalement = Signalement.objects.get()
    assert (signalement.status, signalement.last_name) == (SignalementStatus.SUBMITTED, LAST_NAME)
    page.goto(f"/signalements/{signalement.public_id}/")
    assert LAST_NAME in page.locator("main").inner_text()
    page.goto(f"/annuaire/recherche/?q={LAST_NAME}+{FIRST_NAME}")
    page.goto(f"/signalements/{FIRST_NAME}-{LAST_NAME}-{BIRTH_DATE}/")  # adresse mal tapée : 404
    assert "Référence de l'incident" in page.locator("main").inner_text()
    page.get_by_role("button", name="Se déconnecter").click()

    # La Miprof ouvre le dossier et commence l'instruction.
    login(page, miprof.email)
    page.goto(f"/miprof/file/?q={LAST_NAME}")
    page.goto(f"/signalements/{signalement.public_id}/")
    page.locator("#contenu-depose > summary").click()  # le contenu déposé et le récit sont repliés
    assert NARRATIVE in page.locator("main").inner_text()
    page.goto(f"/dossiers/{signalement.public_id}/")
    page.get_by_role("button", name="Commencer l'instruction").click()
    assert "Commencer l'instruction : c'est fait." in page.content()
    screenshot(page, "journaux-parcours-instruction")

    lines = log_output.lines()
    records = [json.loads(line) for line in lines]  # échoue sur la première ligne qui n'est pas du JSON
    requests = [r for r in records if r["logger"] == "mniop.requests"]
    assert len(requests) >= 20
    assert all(re.fullmatch(r"[0-9a-f-]{36}", r["request_id"]) for r in requests)
    assert {r["user_id"] for r in requests if "user_id" in r} == {agent.pk, miprof.pk}
    assert {"signalements:signalement_detail", "<aucune route>"} <= {r["view"] for r in requests}
    assert 404 in {r["status"] for r in requests}
    people = [agent.email, agent.first_name, agent.last_name, miprof.email, miprof.first_name, miprof.last_name]
    assert leaks("\n".join(lines), FORBIDDEN + people) == []
