"""Inviter, accepter, désactiver : les services et leurs vues."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog, Invitation, Membership, PasswordResetRequest, User
from accounts.services import (
    accept_invitation,
    deactivate_membership,
    invite_member,
    process_password_reset_request,
)
from mniop.roles import Role
from notifications.models import OutboxMessage
from tests.accounts.factories import MembershipFactory
from tests.two_factor import login_verified


@pytest.fixture
def invitation(world):
    return invite_member(
        organisation=world.association,
        email="nouvelle@association.example.org",
        role=Role.ASSOCIATION_AGENT,
        by=world.acting("association_admin"),
    )


def test_invitation_writes_an_outbox_message_with_a_link_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = invite_member(
            organisation=world.association,
            email="Nouvelle.Collegue@association.example.org",
            role=Role.ASSOCIATION_AGENT,
            by=world.acting("association_admin"),
        )
    assert invitation.email == "nouvelle.collegue@association.example.org"
    message = OutboxMessage.objects.get()
    assert message.template == "invitation"
    assert message.recipient == invitation.email
    assert message.link.endswith(reverse("accounts:invitation_accept", args=[invitation.token]))
    assert len(callbacks) == 1


def test_association_admin_cannot_grant_a_miprof_role(world):
    with pytest.raises(ValidationError) as error:
        invite_member(
            organisation=world.association,
            email="x@association.example.org",
            role=Role.MIPROF_ADMIN,
            by=world.acting("association_admin"),
        )
    assert error.value.message_dict["role"] == ["Vous ne pouvez pas attribuer ce rôle dans cette organisation."]
    assert not Invitation.objects.exists()


def test_validator_invitation_requires_a_departement(world):
    with pytest.raises(ValidationError) as error:
        invite_member(
            organisation=world.prefecture_paris,
            email="valideur@prefecture.example.org",
            role=Role.DEPARTMENTAL_VALIDATOR,
            by=world.acting("miprof_admin"),
        )
    assert "département" in error.value.message_dict["departements"][0]


def test_agent_cannot_invite(world):
    with pytest.raises(PermissionDenied):
        invite_member(
            organisation=world.association,
            email="x@association.example.org",
            role=Role.ASSOCIATION_AGENT,
            by=world.acting("association_agent"),
        )


def test_cannot_invite_an_active_member_twice(world):
    existing = world.memberships["association_agent"].user.email
    with pytest.raises(ValidationError) as error:
        invite_member(
            organisation=world.association,
            email=existing.upper(),
            role=Role.ASSOCIATION_AGENT,
            by=world.acting("association_admin"),
        )
    assert "déjà membre" in error.value.message_dict["email"][0]


def test_invite_form_shows_french_errors_next_to_fields(world, client_as):
    url = reverse("accounts:member_invite", args=[world.association.public_id])
    response = client_as("association_admin").post(url, {"email": "pas-une-adresse", "role": "association_agent"})
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_view_creates_invitation_and_logs_it(world, client_as):
    url = reverse("accounts:member_invite", args=[world.association.public_id])
    response = client_as("association_admin").post(
        url, {"email": "nouvelle@association.example.org", "role": "association_agent"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert AccessLog.objects.filter(object_type="accounts.invitation", object_id=str(invitation.public_id)).exists()


def test_accepting_an_invitation_creates_account_and_membership(world, client, invitation):
    response = client.post(
        reverse("accounts:invitation_accept", args=[invitation.token]),
        {
            "first_name": "Awa",
            "last_name": "Diallo",
            "password1": "une phrase de passe solide",
            "password2": "une phrase de passe solide",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle@association.example.org")
    assert membership.organisation == world.association
    assert membership.role == Role.ASSOCIATION_AGENT
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # Connecté par son mot de passe, le nouveau membre active d'abord son second facteur.
    assert client.get(reverse("accounts:account_detail")).url.startswith(reverse("accounts:two_factor_setup"))


def test_accepting_with_a_weak_password_shows_a_french_error(world, client, invitation):
    response = client.post(
        reverse("accounts:invitation_accept", args=[invitation.token]),
        {"first_name": "Awa", "last_name": "Diallo", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()
    assert not User.objects.filter(email="nouvelle@association.example.org").exists()


def test_expired_invitation_is_refused(world, client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("accounts:invitation_accept", args=[invitation.token])).status_code == 410
    with pytest.raises(ValidationError):
        accept_invitation(invitation=invitation, first_name="A", last_name="B", password="une phrase solide ok")


def test_deactivation_ends_the_members_sessions_at_once(world, client_as):
    agent_client = client_as("association_agent")
    assert agent_client.get(reverse("accounts:account_detail")).status_code == 200
    target = world.memberships["association_agent"]

    response = client_as("association_admin").post(
        reverse("accounts:member_deactivate", args=[world.association.public_id, target.public_id])
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert target.deactivated_by == world.user("association_admin")
    assert agent_client.get(reverse("accounts:account_detail")).status_code == 302
    assert AccessLog.objects.filter(object_type="accounts.membership", object_id=str(target.public_id)).exists()


def test_admin_cannot_deactivate_themselves(world):
    admin = world.memberships["association_admin"]
    with pytest.raises(ValidationError):
        deactivate_membership(membership=admin, by=world.acting("association_admin"))


def test_deactivated_member_keeps_other_organisation(world, client):
    target = world.memberships["association_agent"]
    second = MembershipFactory(user=target.user, organisation=world.other_association)
    deactivate_membership(membership=target, by=world.acting("association_admin"))
    target.user.refresh_from_db()
    login_verified(client, target.user)
    response = client.get(reverse("accounts:account_detail"))
    assert response.context["current_membership"] == second


def test_password_reset_goes_through_the_outbox_without_personal_data(
    world, client, django_capture_on_commit_callbacks
):
    user = world.user("association_agent")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    process_password_reset_request(request_id=PasswordResetRequest.objects.get().pk)
    message = OutboxMessage.objects.get(template="password_reset")
    assert message.recipient == user.email
    assert "/mot-de-passe/nouveau/" in message.link
    assert mail.outbox == []


def test_password_reset_for_unknown_email_reveals_nothing(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302
    process_password_reset_request(request_id=PasswordResetRequest.objects.get().pk)
    assert not OutboxMessage.objects.exists()
    assert not PasswordResetRequest.objects.exists()
