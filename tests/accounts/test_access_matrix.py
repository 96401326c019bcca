"""Matrice d'accès : chaque vue ajoutée par les fondations, chaque persona, une requête chacun.

404 = hors de portée (visible_to) ; 403 = dans la portée mais sans le droit ; 302 = anonyme renvoyé à la connexion.
"""

import pytest
from django.urls import reverse

from tests.personas import EVERYONE, with_first_line

ALL = EVERYONE


def matrix(**expected):
    expected = with_first_line(expected)
    assert set(expected) == set(ALL), set(ALL) ^ set(expected)
    return pytest.mark.parametrize("persona, expected_status", list(expected.items()))


@matrix(
    anonymous=302,
    association_agent=200,
    association_admin=200,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=200,
    miprof_admin=200,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=200,
)
def test_organisation_detail_access(world, client_as, persona, expected_status):
    url = reverse("accounts:organisation_detail", args=[world.association.public_id])
    assert client_as(persona).get(url).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=403,
    association_admin=200,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=403,
    miprof_admin=200,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=403,
)
@pytest.mark.parametrize("url_name", ["accounts:organisation_members", "accounts:member_invite"])
def test_member_pages_access(world, client_as, url_name, persona, expected_status):
    url = reverse(url_name, args=[world.association.public_id])
    assert client_as(persona).get(url).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=403,
    association_admin=200,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=403,
    miprof_admin=200,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=403,
)
def test_member_deactivate_page_access(world, client_as, persona, expected_status):
    target = world.memberships["association_agent"]
    url = reverse("accounts:member_deactivate", args=[world.association.public_id, target.public_id])
    assert client_as(persona).get(url).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=403,
    association_admin=403,
    association_agent_other_org=403,
    association_admin_other_org=403,
    miprof_agent=200,
    miprof_admin=200,
    departmental_validator=403,
    departmental_validator_other_departement=403,
    territorial_referent=403,
    statistician=403,
    platform_admin=200,
)
def test_organisation_list_access(client_as, persona, expected_status):
    assert client_as(persona).get(reverse("accounts:organisation_list")).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=403,
    association_admin=403,
    association_agent_other_org=403,
    association_admin_other_org=403,
    miprof_agent=403,
    miprof_admin=200,
    departmental_validator=403,
    departmental_validator_other_departement=403,
    territorial_referent=403,
    statistician=403,
    platform_admin=200,
)
def test_access_log_search_access(client_as, persona, expected_status):
    assert client_as(persona).get(reverse("accounts:access_log_list")).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=200,
    association_admin=200,
    association_agent_other_org=200,
    association_admin_other_org=200,
    miprof_agent=200,
    miprof_admin=200,
    departmental_validator=200,
    departmental_validator_other_departement=200,
    territorial_referent=200,
    statistician=200,
    platform_admin=200,
)
def test_account_page_access(client_as, persona, expected_status):
    assert client_as(persona).get(reverse("accounts:account_detail")).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=302,
    association_admin=302,
    association_agent_other_org=302,
    association_admin_other_org=302,
    miprof_agent=302,
    miprof_admin=302,
    departmental_validator=302,
    departmental_validator_other_departement=302,
    territorial_referent=302,
    statistician=302,
    platform_admin=200,
)
def test_django_admin_is_for_platform_admins_only(client_as, persona, expected_status):
    assert client_as(persona).get(reverse("admin:index")).status_code == expected_status


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("url_name", ["home", "accessibility", "legal_notices", "privacy"])
def test_public_pages_open_to_everyone(client_as, persona, url_name):
    assert client_as(persona).get(reverse(url_name)).status_code == 200
