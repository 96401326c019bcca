"""Qui est prévenu au dépôt d'un signalement : la Miprof (courriel et notification), l'astreinte si urgent."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mniop.roles import Role
from notifications.models import Notification, OutboxMessage
from notifications.services import deliver
from signalements.services.drafts import submit_signalement
from tests.accounts.factories import MembershipFactory
from tests.callbacks import deliveries
from tests.signalements.factories import SignalementFactory, submitted_signalement

IDENTITY = {"first_name": "Ioana", "last_name": "Popescu", "pseudonym": "Lila"}


def recipients(template):
    return sorted(OutboxMessage.objects.filter(template=template).values_list("recipient", flat=True))


def emails(world, *personas):
    return sorted(world.user(persona).email for persona in personas)


def test_submit_writes_one_in_app_notification_per_miprof_member(world):
    signalement = submitted_signalement(world)
    notifications = Notification.objects.order_by("user__email")
    assert sorted(notification.user.email for notification in notifications) == emails(
        world, "miprof_agent", "miprof_admin"
    )
    assert {notification.title for notification in notifications} == {
        f"{signalement.reference} : nouveau signalement à instruire"
    }
    assert {notification.link for notification in notifications} == {f"/dossiers/{signalement.public_id}/"}


def test_a_non_urgent_signalement_does_not_alert_the_on_call_list(world):
    MembershipFactory(organisation=world.miprof, role=Role.MIPROF_AGENT, is_on_call=True)
    submitted_signalement(world)
    assert recipients("signalement_urgent") == []


def test_an_urgent_signalement_alerts_the_on_call_miprof_members_with_a_distinct_email(world):
    on_call = world.memberships["miprof_agent"]
    on_call.is_on_call = True
    on_call.save()
    signalement = submitted_signalement(world, urgent=True)
    assert recipients("signalement_urgent") == [on_call.user.email]
    assert recipients("signalement_submitted") == emails(world, "miprof_agent", "miprof_admin")
    miprof_users = [world.user("miprof_agent"), world.user("miprof_admin")]
    titles = set(Notification.objects.filter(user__in=miprof_users).values_list("title", flat=True))
    assert titles == {f"[URGENT] {signalement.reference} : nouveau signalement à instruire"}


def test_on_call_flag_outside_the_miprof_or_on_an_inactive_membership_is_ignored(world):
    MembershipFactory(organisation=world.association, role=Role.ASSOCIATION_AGENT, is_on_call=True)
    MembershipFactory(organisation=world.miprof, role=Role.MIPROF_AGENT, is_on_call=True, is_active=False)
    MembershipFactory(organisation=world.miprof, role=Role.STATISTICIAN, is_on_call=True)
    submitted_signalement(world, urgent=True)
    assert recipients("signalement_urgent") == emails(world, "miprof_admin")


def test_an_urgent_signalement_with_nobody_on_call_alerts_every_miprof_admin(world):
    """Constat 9 : la liste d'astreinte est vide, l'alerte urgente part quand même, vers l'administration."""
    second_admin = MembershipFactory(organisation=world.miprof, role=Role.MIPROF_ADMIN)
    signalement = submitted_signalement(world, urgent=True)
    assert recipients("signalement_urgent") == sorted([world.user("miprof_admin").email, second_admin.user.email])
    assert {message.link for message in OutboxMessage.objects.filter(template="signalement_urgent")} == {
        f"http://127.0.0.1:8000/dossiers/{signalement.public_id}/"
    }


def test_an_urgent_signalement_alerts_the_validator_of_its_departement_at_once(world):
    signalement = submitted_signalement(world, urgent=True)
    validator = world.user("departmental_validator")
    assert recipients("signalement_urgent_departement") == [validator.email]
    notification = Notification.objects.get(user=validator)
    assert notification.title == (
        f"[URGENT] {signalement.reference} : signalement urgent déposé pour votre département, "
        "en instruction à la Miprof"
    )
    assert notification.is_urgent
    assert notification.link == "/departement/file/"
    assert not Notification.objects.filter(user=world.user("departmental_validator_other_departement")).exists()


def test_a_non_urgent_signalement_does_not_alert_the_validator(world):
    submitted_signalement(world)
    assert recipients("signalement_urgent_departement") == []
    assert not Notification.objects.filter(user=world.user("departmental_validator")).exists()


def test_an_urgent_signalement_in_a_departement_without_validator_alerts_the_national_decider(world):
    """Repli national (`deciders_of`) : sans valideur·se pour le Nord, l'administration de la Miprof est alertée."""
    world.memberships["departmental_validator_other_departement"].is_active = False
    world.memberships["departmental_validator_other_departement"].save()
    signalement = submitted_signalement(world, urgent=True, departement=world.nord)
    assert recipients("signalement_urgent_departement") == emails(world, "miprof_admin")
    assert {message.link for message in OutboxMessage.objects.filter(template="signalement_urgent_departement")} == {
        f"http://127.0.0.1:8000/dossiers/{signalement.public_id}/"
    }


def test_the_departement_alert_carries_no_personal_data(world):
    submitted_signalement(world, urgent=True, account="Récit confidentiel", **IDENTITY)
    message = OutboxMessage.objects.get(template="signalement_urgent_departement")
    assert deliver(message_id=message.pk) is True
    sent = mail.outbox[0]
    for value in [*IDENTITY.values(), "Récit"]:
        assert value not in sent.body
        assert value not in sent.subject


def test_inactive_miprof_users_get_neither_email_nor_notification(world):
    user = world.user("miprof_admin")
    user.is_active = False
    user.save()
    submitted_signalement(world)
    assert recipients("signalement_submitted") == emails(world, "miprof_agent")
    assert not Notification.objects.filter(user=user).exists()


def test_a_miprof_member_of_two_organisations_is_notified_once(world):
    MembershipFactory(user=world.user("miprof_agent"), organisation=world.prefecture_paris, role=Role.MIPROF_ADMIN)
    submitted_signalement(world)
    assert recipients("signalement_submitted") == emails(world, "miprof_agent", "miprof_admin")
    assert Notification.objects.filter(user=world.user("miprof_agent")).count() == 1


def test_urgent_email_carries_a_link_and_no_personal_data(world):
    world.memberships["miprof_agent"].is_on_call = True
    world.memberships["miprof_agent"].save()
    signalement = submitted_signalement(world, urgent=True, account="Récit confidentiel", **IDENTITY)
    message = OutboxMessage.objects.get(template="signalement_urgent")
    assert deliver(message_id=message.pk) is True
    sent = mail.outbox[0]
    assert sent.subject == "Signalement urgent sur le MNIOP : astreinte"
    assert f"http://127.0.0.1:8000/dossiers/{signalement.public_id}/" in sent.body
    for value in [*IDENTITY.values(), "Récit", signalement.organisation.name]:
        assert value not in sent.body
        assert value not in sent.subject


def test_notification_titles_carry_no_personal_data(world):
    submitted_signalement(world, urgent=True, **IDENTITY)
    for title in Notification.objects.values_list("title", flat=True):
        for value in IDENTITY.values():
            assert value not in title


def test_delivery_is_scheduled_after_commit_once_per_email(world, django_capture_on_commit_callbacks):
    world.memberships["miprof_agent"].is_on_call = True
    world.memberships["miprof_agent"].save()
    with django_capture_on_commit_callbacks() as callbacks:
        submitted_signalement(world, urgent=True)
    # Deux « nouveau signalement », l'astreinte, le·la valideur·se de Paris.
    assert len(deliveries(callbacks)) == OutboxMessage.objects.count() == 4


def test_a_refused_submit_writes_no_notification(world):
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=None)
    with pytest.raises(ValidationError):
        submit_signalement(signalement=draft, by=agent)
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()
