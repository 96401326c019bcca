"""Partage d'un signalement avec un·e collègue de la structure, et retrait du partage."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from mniop.roles import Role
from signalements.enums import SignalementEventKind
from signalements.models import SignalementEvent, SignalementUserObjectPermission
from signalements.permissions import can_share_signalement
from signalements.services.sharing import share_signalement, unshare_signalement
from tests.accounts.factories import MembershipFactory
from tests.personas import EVERYONE, PERSONAS, with_first_line
from tests.signalements.factories import SubmittedSignalementFactory
from tests.two_factor import login_verified

LIST_URL = reverse("signalements:signalement_list")


def matrix(**expected):
    expected = with_first_line(expected)
    assert set(expected) == set(EVERYONE), set(EVERYONE) ^ set(expected)
    return pytest.mark.parametrize("persona, expected_status", list(expected.items()))


@pytest.fixture
def signalement(world):
    return SubmittedSignalementFactory(
        organisation=world.association, created_by=world.user("association_agent"), departement=world.paris
    )


@pytest.fixture
def colleague(world):
    """Un·e autre agent·e de l'association de Paris, avec son adhésion courante."""
    membership = MembershipFactory(organisation=world.association, role=Role.ASSOCIATION_AGENT)
    membership.user.membership = membership
    return membership.user


def share_url(signalement):
    return reverse("signalements:signalement_share", args=[signalement.public_id])


def unshare_url(signalement, user):
    return reverse("signalements:signalement_unshare", args=[signalement.public_id, user.public_id])


def detail_url(signalement):
    """L'espace de travail du dossier."""
    return reverse("orientation:case_detail", args=[signalement.public_id])


def is_shared(signalement, user):
    return SignalementUserObjectPermission.objects.filter(content_object=signalement, user=user).exists()


@matrix(
    anonymous=302,
    association_agent=302,
    association_admin=302,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=403,
    miprof_admin=403,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=404,
)
def test_share_access(world, client_as, signalement, colleague, persona, expected_status):
    response = client_as(persona).post(share_url(signalement), {"colleague": str(colleague.public_id)})
    assert response.status_code == expected_status
    assert is_shared(signalement, colleague) is (persona in {"association_agent", "association_admin"})


@matrix(
    anonymous=302,
    association_agent=302,
    association_admin=302,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=403,
    miprof_admin=403,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=404,
)
def test_unshare_access(world, client_as, signalement, colleague, persona, expected_status):
    share_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_agent"))
    response = client_as(persona).post(unshare_url(signalement, colleague))
    assert response.status_code == expected_status
    assert is_shared(signalement, colleague) is (persona not in {"association_agent", "association_admin"})


@pytest.mark.parametrize(
    "persona, allowed",
    [(persona, persona in {"association_agent", "association_admin"}) for persona in PERSONAS],
)
def test_can_share_signalement_matrix(world, signalement, persona, allowed):
    assert can_share_signalement(world.acting(persona), signalement) is allowed


def test_sharing_records_an_event_with_the_colleagues_public_id_only(world, client_as, signalement, colleague):
    response = client_as("association_agent").post(share_url(signalement), {"colleague": str(colleague.public_id)})
    assert response.status_code == 302
    event = SignalementEvent.objects.get(signalement=signalement)
    assert (event.kind, event.actor, event.data) == (
        SignalementEventKind.SHARED,
        world.user("association_agent"),
        {"user": str(colleague.public_id)},
    )
    assert AccessLog.objects.filter(action=AccessAction.UPDATE, object_id=str(signalement.public_id)).exists()


def test_agent_sees_a_signalement_shared_with_them(world, client_as, signalement, colleague):
    share_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_agent"))
    client = client_as("anonymous")
    login_verified(client, colleague)
    assert [s.pk for s in client.get(LIST_URL).context["page_obj"]] == [signalement.pk]
    assert client.get(detail_url(signalement)).status_code == 200


def test_agent_no_longer_sees_a_signalement_once_unshared(world, client_as, signalement, colleague):
    share_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_agent"))
    unshare_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_admin"))
    client = client_as("anonymous")
    login_verified(client, colleague)
    assert list(client.get(LIST_URL).context["page_obj"]) == []
    assert client.get(detail_url(signalement)).status_code == 404
    unshared = SignalementEvent.objects.get(signalement=signalement, kind=SignalementEventKind.UNSHARED)
    assert unshared.data == {"user": str(colleague.public_id)}


def test_colleague_a_signalement_is_shared_with_cannot_share_it_further(world, signalement, colleague):
    share_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_agent"))
    third = MembershipFactory(organisation=world.association, role=Role.ASSOCIATION_AGENT).user
    with pytest.raises(PermissionDenied):
        share_signalement(signalement=signalement, colleague=third, by=colleague)


@pytest.mark.parametrize(
    "who",
    ["other_organisation", "inactive_membership", "inactive_user", "author", "admin", "already_shared"],
)
def test_sharing_refuses_someone_who_is_not_an_active_agent_without_access(world, signalement, colleague, who):
    if who == "other_organisation":
        target = world.user("association_agent_other_org")
    elif who == "inactive_membership":
        target = MembershipFactory(organisation=world.association, is_active=False).user
    elif who == "inactive_user":
        target = MembershipFactory(organisation=world.association, user__is_active=False).user
    elif who == "author":
        target = world.user("association_agent")
    elif who == "admin":
        target = world.user("association_admin")
    else:
        share_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_agent"))
        target = colleague
    with pytest.raises(ValidationError) as error:
        share_signalement(signalement=signalement, colleague=target, by=world.acting("association_admin"))
    assert "colleague" in error.value.message_dict
    assert SignalementEvent.objects.filter(kind=SignalementEventKind.SHARED).count() == (who == "already_shared")


def test_share_form_shows_an_error_next_to_the_field_for_an_unknown_colleague(world, client_as, signalement):
    stranger = world.user("association_agent_other_org")
    response = client_as("association_admin").post(share_url(signalement), {"colleague": str(stranger.public_id)})
    assert response.status_code == 400
    assert "Choisissez une personne de la liste." in response.content.decode()
    assert not SignalementEvent.objects.exists()


def test_unsharing_someone_without_a_share_is_404(world, client_as, signalement, colleague):
    response = client_as("association_admin").post(unshare_url(signalement, colleague))
    assert response.status_code == 404
    assert not SignalementEvent.objects.exists()


def test_the_sharing_page_lists_the_colleagues_it_is_shared_with(world, client_as, signalement, colleague):
    share_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_agent"))
    response = client_as("association_agent").get(share_url(signalement))
    content = response.content.decode()
    assert response.status_code == 200
    assert unshare_url(signalement, colleague) in content
    assert f'href="{detail_url(signalement)}"' in content
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_id) == (AccessAction.READ, str(signalement.public_id))


@matrix(
    anonymous=302,
    association_agent=200,
    association_admin=200,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=403,
    miprof_admin=403,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=404,
)
def test_sharing_page_access(world, client_as, signalement, persona, expected_status):
    assert client_as(persona).get(share_url(signalement)).status_code == expected_status


@pytest.mark.parametrize("persona, links", [("association_agent", True), ("miprof_agent", False)])
def test_the_workspace_links_to_the_sharing_page_for_who_may_share(world, client_as, signalement, persona, links):
    content = client_as(persona).get(detail_url(signalement)).content.decode()
    assert (f'href="{share_url(signalement)}"' in content) is links


def test_the_workspace_journal_names_the_colleague_it_is_shared_with(world, client_as, signalement, colleague):
    share_signalement(signalement=signalement, colleague=colleague, by=world.acting("association_agent"))
    content = client_as("association_agent").get(detail_url(signalement)).content.decode()
    assert unshare_url(signalement, colleague) not in content
    assert re.search(rf"Signalement partagé avec un·e collègue</strong>\s*— {colleague}", content)
