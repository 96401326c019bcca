"""Qui est prévenu (`accounts.recipients`) : le seul module qui le dit, et jamais un système partenaire.

Un jeton d'API agit par une adhésion technique (rôle administrateur de structure) : elle ne doit recevoir ni
courriel ni notification, quelle que soit la liste."""

import pytest

from accounts import recipients
from accounts.services_api_tokens import create_api_token
from mniop.roles import Role
from tests.accounts.factories import MembershipFactory
from tests.signalements.factories import SubmittedSignalementFactory


@pytest.fixture
def token_users(world):
    """Un jeton d'API pour chaque organisation du monde des personas (sa personne technique)."""
    admin = world.acting("miprof_admin")
    users = []
    for organisation in (world.association, world.miprof, world.prefecture_paris):
        token, _ = create_api_token(organisation=organisation, name=f"Système {organisation.pk}", by=admin)
        users.append(token.membership.user)
    return users


@pytest.fixture
def case(world):
    return SubmittedSignalementFactory(
        organisation=world.association,
        created_by=world.user("association_agent"),
        submitted_by=world.user("association_agent"),
        departement=world.paris,
    )


def every_list(world, case):
    return {
        "miprof_team": recipients.miprof_team(),
        "miprof_admins": recipients.miprof_admins(),
        "miprof_on_call": recipients.miprof_on_call(),
        "validators_of": recipients.validators_of(world.paris),
        "members_of organisation": recipients.members_of(organisation=world.association),
        "members_of kind": recipients.members_of(organisation_kind=world.miprof.kind),
        "filing_organisation": recipients.filing_organisation(case),
        "people": recipients.people(),
    }


def test_no_list_ever_contains_an_api_token_user(world, case, token_users):
    MembershipFactory(organisation=world.miprof, role=Role.MIPROF_AGENT, is_on_call=True)
    for name, people in every_list(world, case).items():
        assert not set(token_users) & set(people), name


def test_the_lists_name_the_expected_people(world, case, token_users):
    lists = every_list(world, case)
    assert lists["miprof_team"] == sorted([world.user("miprof_agent"), world.user("miprof_admin")], key=lambda u: u.pk)
    assert lists["validators_of"] == [world.user("departmental_validator")]
    assert lists["filing_organisation"] == sorted(
        [world.user("association_admin"), world.user("association_agent")], key=lambda u: u.pk
    )


def test_a_submitter_who_left_the_organisation_is_not_notified(world, case):
    membership = world.memberships["association_agent"]
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert recipients.filing_organisation(case) == [world.user("association_admin")]


def test_inactive_people_and_organisations_are_never_notified(world):
    admin = world.user("miprof_admin")
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    assert recipients.miprof_admins() == []
    assert recipients.unique([admin], [world.user("miprof_agent")]) == [world.user("miprof_agent")]


def test_signalement_and_orientation_modules_build_no_recipient_list_of_their_own():
    """Plus aucune requête « qui prévenir » hors de `accounts.recipients` : les services ne filtrent pas les
    adhésions pour trouver des destinataires."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    modules = [
        "signalements/notifications.py",
        "signalements/services/information_requests.py",
        *(path.relative_to(root).as_posix() for path in (root / "orientation/services").glob("*.py")),
    ]
    offenders = [
        module
        for module in modules
        if "memberships__" in (root / module).read_text() or "Membership.objects" in (root / module).read_text()
    ]
    assert offenders == []
