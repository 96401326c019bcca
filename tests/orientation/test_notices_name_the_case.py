"""Chaque notification d'un dossier nomme sa référence et l'action (« [URGENT] MNIOP-2026-000123 : demande de
complément à traiter ») et ouvre la place exacte où sa destinataire agit : la page répond 200 et porte l'ancre du
lien (la question et son formulaire de réponse, le formulaire de décision, la réponse de la structure…)."""

import datetime
import re
from urllib.parse import urlsplit

import time_machine
from django.test import Client

from accounts.services import set_on_call
from notifications.models import Notification, OutboxMessage
from orientation import tasks
from orientation.enums import ClockStep
from orientation.models import Clock
from orientation.services import decisions, referrals, triage
from signalements.services.information_requests import answer_information_request
from tests.two_factor import login_verified

TITLE = re.compile(r"^(?P<urgent>\[URGENT\] )?(?P<reference>MNIOP-\d{4}-\d{6}) : (?P<action>\S.+)$")

#: Les sortes de notification qu'un parcours ordinaire produit, toutes vérifiées ci-dessous.
JOURNEY_KINDS = {
    "signalement_submitted",
    "signalement_urgent",
    "orientation_information_requested",
    "information_provided",
    "orientation_forwarded",
    "orientation_decision",
    "orientation_reconsideration",
    "orientation_reminder",
    "orientation_closed",
    "referral_requested",
    "referral_urgent",
    "referral_answered",
}


def opened_by(user, link):
    client = Client()
    login_verified(client, user)
    return client.get(link)


class Checker:
    """Ouvre chaque nouvelle notification sous sa destinataire, juste après l'acte qui l'a produite (le moment où elle
    la lit) : titre « [URGENT] <référence> : <action> », page 200, ancre présente."""

    def __init__(self):
        self.seen = set()
        self.urgent_references = set()
        self.count = 0

    def __call__(self):
        for notification in Notification.objects.exclude(pk__in=self.seen).select_related("user").order_by("pk"):
            self.seen.add(notification.pk)
            self.count += 1
            match = TITLE.match(notification.title)
            assert match, notification.title
            expected_urgent = match["reference"] in self.urgent_references
            assert bool(match["urgent"]) is expected_urgent is notification.is_urgent, notification.title
            response = opened_by(notification.user, notification.link)
            assert response.status_code == 200, (notification.title, notification.link)
            fragment = urlsplit(notification.link).fragment
            if fragment:
                assert f'id="{fragment}"' in response.content.decode(), (notification.title, notification.link)


def test_every_notification_names_the_case_and_opens_the_place_where_its_recipient_acts(
    world,
    make_submitted,
    make_validated,
    miprof,
    filer,
    validator,
    shelters,
    non_validation_reason,
    out_of_scope_reason,
):
    check = Checker()
    set_on_call(membership=world.memberships["miprof_agent"], is_on_call=True, by=world.acting("miprof_admin"))
    urgent = make_submitted(urgent=True, needs_shelter_tonight=True)
    check.urgent_references.add(urgent.reference)
    check()
    triage.start_triage(signalement=urgent, by=miprof)
    question = triage.request_information(signalement=urgent, by=miprof, question="Quelle langue parle-t-elle ?")
    check()
    clock = Clock.objects.get(signalement=urgent, step=ClockStep.INFORMATION_REQUEST)
    with time_machine.travel(clock.due_at - datetime.timedelta(hours=2), tick=False):
        tasks.send_deadline_reminders()
    check()
    answer_information_request(information_request=question, answer="Le tigrinya.", by=filer)
    check()
    triage.forward_to_departement(signalement=urgent, by=miprof, departement=world.paris)
    check()
    decisions.decide(
        signalement=urgent, by=validator, kind="not_validated", reason=non_validation_reason, comment="Non."
    )
    check()
    decisions.request_reconsideration(signalement=urgent, by=filer, motive="Éléments nouveaux.")
    check()
    decisions.decide(signalement=urgent, by=validator, kind="validated")
    check()
    referral = referrals.request_referral(signalement=urgent, by=validator, shelter=shelters.paris)
    check()
    referrals.accept_referral(referral=referral, by=shelters.paris_agent)
    check()

    ordinary = make_submitted()
    check()
    triage.start_triage(signalement=ordinary, by=miprof)
    triage.close_out_of_scope(signalement=ordinary, reason=out_of_scope_reason, comment="Hors champ.", by=miprof)
    check()
    to_acse = make_validated()
    check.seen.update(Notification.objects.values_list("pk", flat=True))  # son parcours est vérifié plus haut
    referrals.request_referral(signalement=to_acse, by=validator, via_acse=True)
    check()

    assert JOURNEY_KINDS <= set(OutboxMessage.objects.values_list("template", flat=True))
    assert check.count > len(JOURNEY_KINDS)


def test_the_information_request_notification_opens_the_question_and_its_answer_form(
    world, make_submitted, miprof, filer
):
    signalement = make_submitted(urgent=True)
    triage.start_triage(signalement=signalement, by=miprof)
    question = triage.request_information(signalement=signalement, by=miprof, question="Quelle langue ?")

    notification = Notification.objects.get(user=filer)
    due_on = triage.local_date(question.due_at, signalement.departement)
    assert (
        notification.title == f"[URGENT] {signalement.reference} : demande de complément à traiter avant le {due_on}"
    )
    page = opened_by(filer, notification.link).content.decode()
    anchor = f'id="complement-{question.public_id}"'
    assert notification.link.endswith(f"#complement-{question.public_id}")
    section = page.split(anchor, 1)[1]
    assert "Quelle langue ?" in section
    assert f"/complements/{question.public_id}/" in section.split("</form>", 1)[0]


def test_the_validator_is_sent_to_the_decision_form(in_triage, miprof, world, validator):
    triage.forward_to_departement(signalement=in_triage, by=miprof, departement=world.paris)

    notification = Notification.objects.get(user=validator)
    assert notification.title == f"{in_triage.reference} : transmis à votre département, décision à prendre"
    assert notification.link == f"/dossiers/{in_triage.public_id}/decider/"
    assert "Confirmer la décision" in opened_by(validator, notification.link).content.decode()
