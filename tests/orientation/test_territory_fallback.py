"""Les territoires (issue 16) : une transmission n'est jamais refusée faute de valideur·se. Sans valideur·se actif·ve
pour le département, l'administration de la Miprof décide (repli national documenté dans docs/exploitation.md)."""

import pytest
from django.core.exceptions import PermissionDenied

from mniop.roles import Role
from notifications.models import OutboxMessage
from orientation.enums import DecisionKind
from orientation.permissions import can_decide_signalement
from orientation.services import decisions, triage
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import SignalementEvent
from tests.accounts.factories import MembershipFactory


@pytest.fixture
def forwarded_without_validator(make_submitted, miprof, world):
    signalement = make_submitted(departement=world.bouches_du_rhone)
    triage.start_triage(signalement=signalement, by=miprof)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.bouches_du_rhone)
    signalement.refresh_from_db()
    return signalement


def test_forwarding_to_a_departement_without_validator_goes_to_the_national_decider(
    forwarded_without_validator, world
):
    assert forwarded_without_validator.status == SignalementStatus.FORWARDED
    event = SignalementEvent.objects.get(signalement=forwarded_without_validator, kind=SignalementEventKind.FORWARDED)
    assert event.data == {"departement": "13", "decider": "national"}
    recipients = list(
        OutboxMessage.objects.filter(template="orientation_forwarded").values_list("recipient", flat=True)
    )
    assert recipients == [world.user("miprof_admin").email]


def test_the_miprof_admin_decides_where_no_validator_is_active(forwarded_without_validator, world):
    admin = world.acting("miprof_admin")
    assert not can_decide_signalement(world.acting("miprof_agent"), forwarded_without_validator)
    decisions.decide(signalement=forwarded_without_validator, by=admin, kind=DecisionKind.VALIDATED)
    forwarded_without_validator.refresh_from_db()
    assert forwarded_without_validator.status == SignalementStatus.VALIDATED


def test_the_miprof_admin_does_not_decide_where_a_validator_is_active(forwarded_without_validator, world):
    MembershipFactory(
        organisation=world.tribunal_marseille, role=Role.DEPARTMENTAL_VALIDATOR, departements=[world.bouches_du_rhone]
    )
    with pytest.raises(PermissionDenied):
        decisions.decide(signalement=forwarded_without_validator, by=world.acting("miprof_admin"), kind="validated")


def test_a_redirection_to_a_departement_without_validator_is_accepted(forwarded, validator, world):
    decisions.decide(
        signalement=forwarded,
        by=validator,
        kind=DecisionKind.REDIRECTED,
        redirect_target="departement",
        redirected_to=world.bouches_du_rhone,
    )
    forwarded.refresh_from_db()
    assert forwarded.competent_departement == world.bouches_du_rhone
    assert world.user("miprof_admin").email in OutboxMessage.objects.values_list("recipient", flat=True)
