"""La liste d'astreinte de la Miprof : l'administration met ses agents d'astreinte (alertes urgentes)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AccessLog, Membership
from accounts.recipients import miprof_on_call as on_call_recipients
from accounts.services import set_on_call
from tests.personas import EVERYONE, FIRST_LINE_PERSONAS


def on_call_url(world, persona="miprof_agent"):
    membership = world.memberships[persona]
    return reverse("accounts:member_on_call", args=[membership.organisation.public_id, membership.public_id])


def test_set_on_call_marks_the_agent_and_records_who_did_it(world):
    membership = world.memberships["miprof_agent"]
    admin = world.acting("miprof_admin")
    set_on_call(membership=membership, is_on_call=True, by=admin)
    membership.refresh_from_db()
    assert membership.is_on_call
    event = membership.events.order_by("pgh_id").last()
    assert event.is_on_call is True
    assert event.pgh_context.metadata["by"] == str(admin.public_id)
    assert list(on_call_recipients()) == [membership.user]


def test_set_on_call_refuses_a_membership_outside_the_miprof(world):
    with pytest.raises(PermissionDenied):
        set_on_call(
            membership=world.memberships["association_agent"], is_on_call=True, by=world.acting("miprof_admin")
        )
    assert not Membership.objects.filter(is_on_call=True).exists()


def test_set_on_call_refuses_a_miprof_agent(world):
    with pytest.raises(PermissionDenied):
        set_on_call(membership=world.memberships["miprof_agent"], is_on_call=True, by=world.acting("miprof_agent"))


ON_CALL_STATUS = {
    "anonymous": 302,
    "association_agent": 404,
    "association_admin": 404,
    "association_agent_other_org": 404,
    "association_admin_other_org": 404,
    "miprof_agent": 403,
    "miprof_admin": 302,
    "departmental_validator": 404,
    "departmental_validator_other_departement": 404,
    "territorial_referent": 404,
    "statistician": 403,
    "platform_admin": 403,
} | {persona: 404 for persona in FIRST_LINE_PERSONAS}


def test_on_call_matrix_covers_everyone():
    assert set(ON_CALL_STATUS) == set(EVERYONE)


@pytest.mark.parametrize("persona, expected_status", ON_CALL_STATUS.items())
def test_on_call_toggle_access(world, client_as, persona, expected_status):
    response = client_as(persona).post(on_call_url(world), {"is_on_call": "1"})
    assert response.status_code == expected_status
    assert Membership.objects.get(pk=world.memberships["miprof_agent"].pk).is_on_call is (
        expected_status == 302 and persona != "anonymous"
    )


def test_on_call_toggle_writes_an_access_log_row_and_can_be_undone(world, client_as):
    client = client_as("miprof_admin")
    membership = world.memberships["miprof_agent"]
    client.post(on_call_url(world), {"is_on_call": "1"})
    response = client.post(on_call_url(world), {"is_on_call": "0"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_on_call
    rows = AccessLog.objects.filter(
        action="update", object_type="accounts.membership", object_id=str(membership.public_id)
    )
    assert rows.count() == 2


def test_miprof_members_page_shows_the_on_call_toggle_to_the_miprof_admin_only(world, client_as):
    url = reverse("accounts:organisation_members", args=[world.miprof.public_id])
    assert on_call_url(world) in client_as("miprof_admin").get(url).content.decode()
    assert on_call_url(world) not in client_as("statistician").get(url).content.decode()


def test_toggle_is_not_offered_for_a_statistician(world, client_as):
    url = reverse("accounts:organisation_members", args=[world.miprof.public_id])
    assert on_call_url(world, "statistician") not in client_as("miprof_admin").get(url).content.decode()
    response = client_as("miprof_admin").post(on_call_url(world, "statistician"), {"is_on_call": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize("url_name", ["home", "members"])
def test_the_miprof_admin_is_warned_that_the_on_call_list_is_empty(world, client_as, url_name):
    url = reverse("home") if url_name == "home" else members_url(world)
    assert 'id="on-call-warning"' in client_as("miprof_admin").get(url).content.decode()
    set_on_call(membership=world.memberships["miprof_agent"], is_on_call=True, by=world.acting("miprof_admin"))
    assert 'id="on-call-warning"' not in client_as("miprof_admin").get(url).content.decode()


def test_only_the_miprof_admin_sees_the_empty_on_call_warning(world, client_as):
    assert 'id="on-call-warning"' not in client_as("miprof_agent").get(reverse("home")).content.decode()


def members_url(world):
    return reverse("accounts:organisation_members", args=[world.miprof.public_id])
