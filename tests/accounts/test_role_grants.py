"""L'administration technique ne lit jamais de dossier (constat 1) : elle n'administre aucune organisation, et ne
se donne (ni ne donne) un rôle dans l'administration Django qu'avec un second administrateur de la plateforme."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, RoleGrant, RoleGrantStatus
from accounts.permissions import is_admin_of
from accounts.services_role_grants import (
    approve_role_grant,
    refuse_role_grant,
    request_role_grant,
    send_role_grant_reminders,
)
from accounts.tasks import send_role_grant_reminders as send_role_grant_reminders_task
from mniop.roles import Role
from notifications.models import Notification, OutboxMessage
from signalements.models import Signalement
from tests.accounts.factories import MembershipFactory
from tests.personas import acting_as


@pytest.fixture
def other_platform_admin(world):
    return acting_as(MembershipFactory(organisation=world.miprof, role=Role.PLATFORM_ADMIN))


def test_the_platform_admin_administers_no_organisation(world):
    platform_admin = world.acting("platform_admin")
    assert not is_admin_of(platform_admin, world.association)
    assert not is_admin_of(platform_admin, world.miprof)
    assert Signalement.objects.visible_to(platform_admin).count() == 0


def test_the_platform_admin_cannot_add_a_membership_in_the_django_admin(world, client_as):
    platform_admin = world.user("platform_admin")
    data = {"user": platform_admin.pk, "organisation": world.association.pk, "role": Role.ASSOCIATION_ADMIN}
    response = client_as("platform_admin").post(reverse("admin:accounts_membership_add"), data)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=platform_admin, organisation=world.association).exists()


def test_the_platform_admin_cannot_change_its_own_role_in_the_django_admin(world, client_as):
    membership = world.memberships["platform_admin"]
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    client = client_as("platform_admin")
    assert client.get(url).status_code == 200
    response = client.post(url, {"user": membership.user_id, "organisation": world.miprof.pk, "role": "miprof_admin"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.PLATFORM_ADMIN


def test_the_user_admin_shows_memberships_read_only_and_keeps_the_email(world, client_as):
    user = world.user("miprof_admin")
    response = client_as("platform_admin").get(reverse("admin:accounts_user_change", args=[user.pk]))
    form = response.context["adminform"].form
    assert "email" not in form.fields
    assert not response.context["inline_admin_formsets"][0].has_add_permission


def test_a_role_grant_requested_in_the_admin_waits_for_a_second_person(world, client_as):
    platform_admin = world.user("platform_admin")
    data = {"user": platform_admin.pk, "organisation": world.association.pk, "role": Role.ASSOCIATION_ADMIN}
    client = client_as("platform_admin")
    response = client.post(reverse("admin:accounts_rolegrant_add"), data)
    assert response.status_code == 302
    grant = RoleGrant.objects.get()
    assert (grant.status, grant.requested_by) == (RoleGrantStatus.PENDING, platform_admin)
    assert not Membership.objects.filter(user=platform_admin, organisation=world.association).exists()
    changelist = reverse("admin:accounts_rolegrant_changelist")
    response = client.post(changelist, {"action": "approve", "_selected_action": [grant.pk]}, follow=True)
    assert "approuvée par un autre administrateur" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == RoleGrantStatus.PENDING
    assert not Membership.objects.filter(user=platform_admin, organisation=world.association).exists()


def test_another_platform_admin_approves_a_role_grant_in_the_admin(world, client_as, other_platform_admin):
    agent = world.user("association_agent")
    grant = request_role_grant(
        user=agent, organisation=world.association, role=Role.ASSOCIATION_ADMIN, by=other_platform_admin
    )
    changelist = reverse("admin:accounts_rolegrant_changelist")
    client_as("platform_admin").post(changelist, {"action": "approve", "_selected_action": [grant.pk]})
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (RoleGrantStatus.APPROVED, world.user("platform_admin"))
    assert Membership.objects.get(user=agent, organisation=world.association).role == Role.ASSOCIATION_ADMIN


def test_the_person_who_receives_the_role_cannot_approve_it(world, other_platform_admin):
    platform_admin = world.acting("platform_admin")
    grant = request_role_grant(
        user=platform_admin, organisation=world.association, role=Role.ASSOCIATION_ADMIN, by=other_platform_admin
    )
    with pytest.raises(PermissionDenied):
        approve_role_grant(grant=grant, by=platform_admin)
    assert not Membership.objects.filter(user=platform_admin, organisation=world.association).exists()


def test_only_platform_admins_request_or_decide_a_grant(world, other_platform_admin):
    with pytest.raises(PermissionDenied):
        request_role_grant(
            user=world.user("association_agent"),
            organisation=world.association,
            role=Role.ASSOCIATION_ADMIN,
            by=world.acting("miprof_admin"),
        )
    grant = request_role_grant(
        user=world.user("association_agent"),
        organisation=world.association,
        role=Role.ASSOCIATION_ADMIN,
        by=other_platform_admin,
    )
    with pytest.raises(PermissionDenied):
        approve_role_grant(grant=grant, by=world.acting("miprof_admin"))
    refuse_role_grant(grant=grant, by=world.acting("platform_admin"))
    grant.refresh_from_db()
    assert grant.status == RoleGrantStatus.REFUSED
    with pytest.raises(ValidationError):
        approve_role_grant(grant=grant, by=world.acting("platform_admin"))


def test_a_role_must_fit_the_organisation(world, client_as):
    data = {"user": world.user("association_agent").pk, "organisation": world.association.pk, "role": "miprof_admin"}
    response = client_as("platform_admin").post(reverse("admin:accounts_rolegrant_add"), data)
    assert response.status_code == 200
    assert "réservé aux membres de la Miprof" in response.content.decode()
    assert not RoleGrant.objects.exists()


# Une attribution en attente ne reste pas sans réponse : les autres administrateur·rices sont prévenu·es, puis
# relancé·es une fois.

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def pending_grant(world, other_platform_admin):
    grant = request_role_grant(
        user=world.user("association_agent"),
        organisation=world.association,
        role=Role.ASSOCIATION_ADMIN,
        by=other_platform_admin,
    )
    requested_at = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(10)))
    RoleGrant.objects.filter(pk=grant.pk).update(requested_at=requested_at)
    grant.refresh_from_db()
    return grant


def test_the_other_platform_admins_are_told_a_grant_waits(world, pending_grant, other_platform_admin):
    platform_admin = world.user("platform_admin")
    [notification] = Notification.objects.all()
    assert notification.user == platform_admin
    assert notification.title == "Attribution de rôle à approuver ou refuser (administration technique)"
    assert world.user("association_agent").last_name not in notification.title
    emails = OutboxMessage.objects.filter(template="role_grant_pending")
    assert list(emails.values_list("recipient", flat=True)) == [platform_admin.email]
    assert other_platform_admin.email not in emails.values_list("recipient", flat=True)


def test_a_pending_grant_is_reminded_once_after_two_working_days(world, pending_grant):
    OutboxMessage.objects.all().delete()
    assert send_role_grant_reminders(today=MONDAY + datetime.timedelta(days=1)) == 0
    assert send_role_grant_reminders(today=MONDAY + datetime.timedelta(days=2)) == 1
    assert send_role_grant_reminders(today=MONDAY + datetime.timedelta(days=9)) == 0
    emails = OutboxMessage.objects.filter(template="role_grant_pending")
    assert list(emails.values_list("recipient", flat=True)) == [world.user("platform_admin").email]
    pending_grant.refresh_from_db()
    assert pending_grant.reminded_at is not None


def test_a_decided_grant_is_not_reminded(world, pending_grant):
    refuse_role_grant(grant=pending_grant, by=world.acting("platform_admin"))
    assert send_role_grant_reminders(today=MONDAY + datetime.timedelta(days=9)) == 0


def test_the_role_grant_reminder_is_in_the_beat_schedule(world, pending_grant):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.send_role_grant_reminders" in tasks
    assert send_role_grant_reminders_task() == 1
