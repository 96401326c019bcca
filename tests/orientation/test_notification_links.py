"""Chaque lien écrit dans un courriel (boîte d'envoi) ou une notification mène à une page qui existe et que son
destinataire peut ouvrir : un parcours complet, puis chaque lien est résolu et ouvert sous son destinataire."""

import datetime
from urllib.parse import urlsplit

import time_machine
from django.test import Client
from django.urls import resolve

from accounts.models import User
from accounts.services import invite_member, set_on_call
from mniop.roles import Role
from notifications.models import Notification, OutboxMessage
from orientation import tasks
from orientation.enums import ClockStep
from orientation.models import Clock, NotificationPreference
from orientation.services import decisions, triage
from signalements.services.information_requests import answer_information_request
from tests.two_factor import login_verified


def opened_by(user, link):
    client = Client()
    login_verified(client, user)
    return client.get(link)


def test_every_email_and_in_app_link_of_the_journey_opens_for_its_recipient(
    world, make_submitted, miprof, filer, validator, non_validation_reason
):
    set_on_call(membership=world.memberships["miprof_agent"], is_on_call=True, by=world.acting("miprof_admin"))
    signalement = make_submitted(urgent=True)
    triage.start_triage(signalement=signalement, by=miprof)
    triage.assign(signalement=signalement, to=world.user("miprof_admin"), by=miprof)
    information_request = triage.request_information(signalement=signalement, by=miprof, question="Quelle langue ?")
    answer_information_request(information_request=information_request, answer="Le tigrinya.", by=filer)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    decisions.decide(
        signalement=signalement, by=validator, kind="not_validated", reason=non_validation_reason, comment="Non."
    )
    decisions.request_reconsideration(signalement=signalement, by=filer, motive="Éléments nouveaux.")
    NotificationPreference.objects.create(user=world.user("departmental_validator"), daily_digest=True)
    clock = Clock.objects.filter(signalement=signalement, step=ClockStep.RECONSIDERATION).get()
    with time_machine.travel(clock.due_at - datetime.timedelta(hours=10), tick=False):
        tasks.send_deadline_reminders()
    tasks.send_daily_digests()
    invite_member(
        organisation=world.association,
        email="nouvelle@example.org",
        role=Role.ASSOCIATION_AGENT,
        by=world.acting("association_admin"),
    )

    emails = list(OutboxMessage.objects.values_list("template", "recipient", "link"))
    notifications = list(Notification.objects.values_list("title", "user__email", "link"))
    templates = {template for template, _, _ in emails}
    assert {"signalement_submitted", "signalement_urgent", "information_provided", "invitation"} <= templates
    assert "orientation_digest" in templates
    for kind, recipient, link in emails + notifications:
        path = urlsplit(link).path
        resolve(path)  # Resolver404 si la page n'existe pas
        user = User.objects.filter(email=recipient).first()
        if user is None:  # une invitation : la personne n'a pas encore de compte
            assert Client().get(link).status_code == 200, (kind, link)
            continue
        assert opened_by(user, link).status_code == 200, (kind, recipient, link)
