"""La police active Ac.Sé sur place (issue 16, 001:1656-1661) : la demande urgente est enregistrée par l'unité
elle-même et part aussitôt vers la coordination Ac.Sé et l'astreinte de la Miprof."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from mniop.roles import Role
from notifications.models import OutboxMessage
from orientation.enums import UrgentMeasureKind
from orientation.models import UrgentMeasure
from orientation.services import decisions
from referents.enums import OrganisationKind
from signalements.enums import SignalementEventKind
from signalements.models import SignalementEvent
from tests.accounts.factories import MembershipFactory
from tests.referents.factories import OrganisationFactory
from tests.signalements.factories import submitted_signalement

TODAY = datetime.date.today()


@pytest.fixture
def acse_agent(world):
    coordination = OrganisationFactory(name="Coordination Ac.Sé", kind=OrganisationKind.ACSE, is_national=True)
    return MembershipFactory(organisation=coordination, role=Role.ASSOCIATION_AGENT).user


def url(signalement):
    return reverse("orientation:case_action", args=[signalement.public_id, "acse-sur-place"])


def test_the_police_unit_activates_acse_on_the_spot(world, client_as, acse_agent):
    signalement = submitted_signalement(world, "police_officer", operation_reference="OP-75-2026-12")
    response = client_as("police_officer").post(url(signalement), {"acse-sur-place-started_on": TODAY.isoformat()})
    assert response.status_code == 302
    measure = UrgentMeasure.objects.get(signalement=signalement)
    assert (measure.kind, measure.requested_by_police) == (UrgentMeasureKind.ACSE_ACTIVATION, True)
    event = SignalementEvent.objects.get(signalement=signalement, kind=SignalementEventKind.URGENT_MEASURE_RECORDED)
    assert event.data == {"measure": "acse_activation", "requested_by_police": True}
    recipients = set(OutboxMessage.objects.filter(template="acse_on_the_spot").values_list("recipient", flat=True))
    assert recipients == {acse_agent.email, world.user("miprof_agent").email, world.user("miprof_admin").email}
    acse_link = OutboxMessage.objects.get(template="acse_on_the_spot", recipient=acse_agent.email).link
    assert acse_link.endswith(reverse("orientation:acse_dispatch"))
    assert AccessLog.objects.for_object(signalement).filter(action="update").exists()


def test_only_the_miprof_on_call_is_alerted_when_someone_is_on_call(world, acse_agent):
    world.memberships["miprof_agent"].is_on_call = True
    world.memberships["miprof_agent"].save()
    signalement = submitted_signalement(world, "gendarme", departement=world.nord)
    decisions.activate_acse_on_the_spot(signalement=signalement, by=world.acting("gendarme"), started_on=TODAY)
    recipients = set(OutboxMessage.objects.filter(template="acse_on_the_spot").values_list("recipient", flat=True))
    assert recipients == {acse_agent.email, world.user("miprof_agent").email}


@pytest.mark.parametrize("persona, status", [("police_officer_other_unit", 404), ("miprof_agent", 403)])
def test_only_the_filing_unit_activates_acse_on_the_spot(world, client_as, persona, status):
    signalement = submitted_signalement(world, "police_officer")
    response = client_as(persona).post(url(signalement), {"acse-sur-place-started_on": TODAY.isoformat()})
    assert response.status_code == status
    assert not UrgentMeasure.objects.exists()


def test_a_labour_inspection_unit_may_not_activate_acse_itself(world, client_as):
    signalement = submitted_signalement(world, "labour_inspector")
    response = client_as("labour_inspector").post(url(signalement), {"acse-sur-place-started_on": TODAY.isoformat()})
    assert response.status_code == 403
    assert not UrgentMeasure.objects.exists()


def test_acse_on_the_spot_is_refused_for_a_minor_in_french(world, client_as):
    signalement = submitted_signalement(world, "police_officer", is_mna=True)
    response = client_as("police_officer").post(url(signalement), {"acse-sur-place-started_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "n&#x27;accueille pas de mineurs" in response.content.decode()
    assert not UrgentMeasure.objects.exists()
    assert not OutboxMessage.objects.filter(template="acse_on_the_spot").exists()


def test_the_activation_date_is_required(world, client_as):
    signalement = submitted_signalement(world, "police_officer")
    response = client_as("police_officer").post(url(signalement), {})
    assert response.status_code == 400
    assert "Indiquez la date de l&#x27;activation." in response.content.decode()
