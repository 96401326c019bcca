"""Téléphone perdu : l'administrateur de l'organisation réinitialise le second facteur d'un membre (journalisé,
sessions closes, courriel sans donnée personnelle) ; la Miprof pour son personnel ; jamais pour soi-même."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessAction, AccessLog
from accounts.services_two_factor import regenerate_recovery_codes, reset_second_factor
from notifications.models import OutboxMessage
from notifications.services import EMAIL_TEMPLATES
from tests.two_factor import login_verified, totp_device


def reset_url(world, persona, organisation=None):
    membership = world.memberships[persona]
    organisation = organisation or membership.organisation
    return reverse("accounts:member_second_factor_reset", args=[organisation.public_id, membership.public_id])


def test_an_association_admin_resets_a_member_second_factor(world, client_as):
    member = world.user("association_agent")
    totp_device(member)
    regenerate_recovery_codes(user=member)
    member_session = login_verified(Client(), member)
    response = client_as("association_admin").post(reset_url(world, "association_agent"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    log = AccessLog.objects.get(view_name="accounts:member_second_factor_reset")
    assert (log.user, log.action, log.object_id) == (
        world.user("association_admin"),
        AccessAction.UPDATE,
        str(world.memberships["association_agent"].public_id),
    )
    message = OutboxMessage.objects.get(template="second_factor_reset")
    assert message.recipient == member.email
    assert message.link.endswith(reverse("accounts:login"))
    # Les sessions du membre sont closes : la suivante redemande le mot de passe.
    assert member_session.get(reverse("accounts:account_detail")).url.startswith(reverse("accounts:login"))


def test_the_reset_email_carries_a_link_and_no_personal_data(world):
    member = world.memberships["association_agent"]
    reset_second_factor(membership=member, by=world.acting("association_admin"))
    subject = EMAIL_TEMPLATES["second_factor_reset"]
    body = (settings.BASE_DIR / "templates/emails/notifications/second_factor_reset.txt").read_text(encoding="utf-8")
    for personal in (member.user.first_name, member.user.last_name, member.user.email):
        assert personal not in subject and personal not in body


@pytest.mark.parametrize(
    "persona, target, allowed",
    [
        ("association_admin", "association_agent", True),
        ("association_agent", "association_admin", False),
        ("association_admin_other_org", "association_agent", False),
        ("miprof_admin", "miprof_agent", True),
        ("miprof_admin", "platform_admin", True),
        ("miprof_admin", "association_agent", False),
        ("miprof_agent", "statistician", False),
        ("platform_admin", "miprof_agent", False),
        ("platform_admin", "platform_admin", False),
        ("miprof_admin", "miprof_admin", False),
    ],
)
def test_who_can_reset_whose_second_factor(world, persona, target, allowed):
    membership = world.memberships[target]
    totp_device(membership.user)
    if allowed:
        reset_second_factor(membership=membership, by=world.acting(persona))
        assert not TOTPDevice.objects.filter(user=membership.user).exists()
    else:
        with pytest.raises(PermissionDenied):
            reset_second_factor(membership=membership, by=world.acting(persona))
        assert TOTPDevice.objects.filter(user=membership.user).exists()
        assert not OutboxMessage.objects.exists()


def test_the_reset_page_is_refused_to_a_colleague(world, client_as):
    totp_device(world.user("association_admin"))
    response = client_as("association_agent").post(reset_url(world, "association_admin"))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=world.user("association_admin")).count() == 1


def test_the_reset_asks_the_admin_to_confirm_identity_first(world, client_as):
    totp_device(world.user("association_agent"))
    response = client_as("association_admin", recent_auth=False).post(reset_url(world, "association_agent"))
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert TOTPDevice.objects.filter(user=world.user("association_agent")).exists()


def test_after_a_reset_the_member_enrols_again_at_login(world, client_as):
    member = world.memberships["association_agent"]
    reset_second_factor(membership=member, by=world.acting("association_admin"))
    client = client_as("association_agent", verified=False)
    assert client.get("/").url.startswith(reverse("accounts:two_factor_setup"))


def test_the_members_page_offers_the_reset_to_the_admin_only(world, client_as):
    url = reverse("accounts:organisation_members", args=[world.association.public_id])
    assert "Réinitialiser le second facteur" in client_as("association_admin").get(url).content.decode()
