"""Parcours dans Chromium headless d'un cas urgent, à travers les passages de relais (issue 15) : une association
dépose un signalement urgent « hébergement ce soir » ; la Miprof voit son échéance aussitôt dans sa file, demande un
complément ; l'association, depuis sa notification, tombe sur la question et son formulaire et répond ; le délai de
réponse est terminé aussitôt ; la Miprof transmet ; l'autorité départementale, depuis sa notification, tombe sur le
formulaire de décision, valide et oriente vers une structure ; la structure, depuis sa notification, voit l'urgence
et une retenue de quelques heures, et accepte. Chaque notification cliquée ouvre la place où son action se fait.

Aujourd'hui seules la Miprof et l'autorité départementale orientent (`can_propose_referral`) : l'orientation est
donc adressée par l'autorité départementale."""

import datetime
import re

import pytest

from orientation.enums import ClockStep, ReferralStatus
from orientation.models import Clock, Referral
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
from tests.browser.login import log_in
from tests.browser.test_intake_stepper import next_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()


def shows_urgency(text):
    """Les deux badges (le DSFR les affiche en capitales)."""
    text = text.casefold()
    return "urgent" in text and "hébergement ce soir" in text


def open_notification(page, title, capture=None):
    """Ouvre la page des notifications et clique celle dont le titre est `title` (sa référence et son action) ;
    `capture` : une capture de la liste avant le clic."""
    page.get_by_role("link", name=re.compile(r"^Notifications")).first.click()
    if capture:
        capture(page)
    link = page.get_by_role("link", name=title, exact=True)
    link.click()
    page.wait_for_load_state()


def file_urgent_signalement(page):
    fill_context(page, spotted_on=datetime.date.today(), urgent=True)
    page.get_by_label("Pseudonyme").fill("Étoile")
    page.get_by_label("Âge estimé (ans)").fill("24")
    page.get_by_label("Femme").check(force=True)
    choose(page, "Nationalités", "Nigeria")
    choose(page, "Langues parlées", "Anglais", "Français")
    page.get_by_label("Situation administrative").select_option(label="En situation irrégulière")
    next_step(page, "Consentement")
    give_written_consent(page)
    fill_sexual_exploitation_in_paris(page)
    submit_with_narrative(page, "Rencontrée lors d'une maraude, sans hébergement pour la nuit.", shelter_tonight=True)


def test_an_urgent_shelter_tonight_case_travels_through_every_hand_off(page, live_server, world, shelters, screenshot):  # noqa: F811
    load_signalement_references()

    # 1. L'association dépose un signalement urgent « hébergement ce soir ».
    log_in(page, world.user("association_agent").email)
    file_urgent_signalement(page)
    signalement = Signalement.objects.get()
    reference = signalement.reference
    screenshot(page, "urgence-1-signalement-depose")
    logout(page)

    # 2. La Miprof : notification urgente, puis la file montre l'échéance d'instruction sans attendre la tâche beat.
    log_in(page, world.user("miprof_agent").email)
    open_notification(page, f"[URGENT] {reference} : nouveau signalement à instruire")
    assert reference in page.locator("main").inner_text()
    page.get_by_role("link", name="File Miprof").first.click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    triage_clock = Clock.objects.get(signalement=signalement, step=ClockStep.TRIAGE)
    assert triage_clock.due_at.astimezone(datetime.UTC).date() >= datetime.date.today()
    row_text = row.inner_text()
    assert shows_urgency(row_text), row_text
    assert re.search(r"\d\d/\d\d/\d{4}", row_text.split("\t")[-1]), row_text
    screenshot(page, "urgence-2-file-miprof-echeance")
    row.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Commencer l'instruction").click()
    page.locator("#action-complement").get_by_role("link").click()
    question_form = page.locator("main form")
    question_form.get_by_label("Question à l'organisation déclarante").fill(
        "Dans quelle langue souhaite-t-elle être accompagnée ?"
    )
    question_form.get_by_role("button", name="Envoyer la demande").click()
    screenshot(page, "urgence-3-complement-demande")
    logout(page)

    # 3. L'association : la notification ouvre la question et son formulaire de réponse.
    log_in(page, world.user("association_agent").email)
    open_notification(
        page, re.compile(rf"^\[URGENT\] {reference} : demande de complément à traiter avant le \d\d.\d\d.\d{{4}}$")
    )
    assert re.search(r"#complement-[0-9a-f-]+$", page.url)
    question = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    assert "Dans quelle langue" in question.inner_text()
    question.get_by_label("Votre réponse").fill("En anglais, avec une interprète si possible.")
    screenshot(page, "urgence-4-question-et-reponse")
    question.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_load_state()
    logout(page)

    # 4. La Miprof : le délai de réponse est terminé aussitôt, l'instruction a repris ; elle transmet.
    log_in(page, world.user("miprof_agent").email)
    open_notification(page, f"[URGENT] {reference} : complément apporté, instruction à reprendre")
    assert "En anglais" in page.locator("main").inner_text()
    page.goto(f"/dossiers/{signalement.public_id}/")
    page.locator("#delais-termines > summary").click()  # les délais terminés sont repliés
    deadlines = page.get_by_role("list", name="Délais terminés")
    information = deadlines.get_by_role("listitem").filter(has_text="Réponse à une demande de complément")
    state = information.inner_text().casefold()
    assert "terminé" in state and "en cours" not in state, state
    screenshot(page, "urgence-5-delai-complement-termine")
    page.locator("#action-transmettre").get_by_role("link").click()
    forward = page.locator("main form")
    choose(forward, "Département compétent", "75 — Paris")
    forward.get_by_role("button", name="Confirmer la transmission").click()
    assert "Transmis à l'autorité départementale" in page.content()
    logout(page)

    # 5. L'autorité départementale : la notification ouvre le formulaire de décision ; elle valide, puis oriente.
    log_in(page, world.user("departmental_validator").email)
    open_notification(page, f"[URGENT] {reference} : transmis à votre département, décision à prendre")
    assert page.url.endswith(f"/dossiers/{signalement.public_id}/decider/")
    decision = page.locator("main form")
    assert decision.is_visible()
    screenshot(page, "urgence-6-formulaire-de-decision")
    decision.locator("label", has_text="Prise en charge validée").click()
    decision.get_by_role("button", name="Confirmer la décision").click()
    assert "Décider de la prise en charge : c'est fait." in page.content()
    page.get_by_role("link", name="Chercher une place d'hébergement").click()
    assert shows_urgency(page.locator("main").inner_text())
    page.locator("#id_orientation-shelter").select_option(str(shelters.paris.public_id))
    screenshot(page, "urgence-7-orientation")
    page.get_by_role("button", name="Adresser l'orientation").click()
    assert "L'orientation est adressée" in page.content()
    logout(page)

    # 6. La structure : la notification urgente ouvre la réponse ; urgence visible, retenue de quelques heures.
    log_in(page, shelters.paris_agent.email)
    open_notification(
        page,
        f"[URGENT] {reference} : orientation vers votre structure à accepter ou refuser",
        capture=lambda page: screenshot(page, "urgence-8a-notifications-de-la-structure"),
    )
    assert page.url.endswith("#action-accepter")
    assert shows_urgency(page.locator("main").inner_text())
    referral = Referral.objects.get()
    hold = referral.hold_expires_at - referral.requested_at
    assert datetime.timedelta(hours=3) < hold <= datetime.timedelta(hours=4, minutes=1)
    screenshot(page, "urgence-8-structure-voit-l-urgence")
    page.get_by_role("button", name="Accepter l'orientation").click()
    assert "Acceptée" in page.content()
    screenshot(page, "urgence-9-orientation-acceptee")

    referral.refresh_from_db()
    signalement.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert signalement.status == SignalementStatus.VALIDATED
