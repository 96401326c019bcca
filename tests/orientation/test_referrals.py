"""Les orientations vers un hébergement : demande, Ac.Sé, réponse, retenue qui expire, arrivée, départ, mineurs."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from notifications.models import OutboxMessage
from orientation.enums import PlaceKind, ReferralChannel, ReferralStatus, UrgentMeasureKind
from orientation.models import CapacityMovement, ShelterCapacity
from orientation.services import decisions, referrals
from signalements.enums import SignalementEventKind


def capacity(shelter, kind=PlaceKind.TEH):
    return ShelterCapacity.objects.get(shelter=shelter, place_kind=kind)


def last_event(signalement):
    return signalement.events.order_by("-id").first()


@pytest.fixture
def pending(validated, shelters, validator):
    return referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)


@pytest.fixture
def accepted(pending, shelters):
    return referrals.accept_referral(referral=pending, by=shelters.paris_agent)


def test_request_to_a_shelter_holds_a_place_and_notifies_it(validated, shelters, validator):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)

    assert (referral.status, referral.place_kind) == (ReferralStatus.PENDING, PlaceKind.TEH)
    assert (capacity(shelters.paris).held, capacity(shelters.paris).free) == (1, 2)
    assert referral.hold_expires_at > timezone.now() + timedelta(hours=47)
    assert last_event(validated).kind == SignalementEventKind.REFERRAL_REQUESTED
    assert OutboxMessage.objects.filter(
        template="referral_requested",
        recipient=shelters.paris_agent.email,
        link__endswith=f"{referral.public_id}/#action-accepter",
    ).exists()


def test_the_filing_association_cannot_request_a_referral(validated, shelters, filer):
    with pytest.raises(PermissionDenied):
        referrals.request_referral(signalement=validated, by=filer, shelter=shelters.paris)


def test_a_referral_needs_a_validated_case_or_an_urgent_measure(forwarded, shelters, miprof):
    with pytest.raises(ValidationError) as error:
        referrals.request_referral(signalement=forwarded, by=miprof, shelter=shelters.paris)
    assert "mesure urgente" in str(error.value)

    decisions.record_urgent_measure(
        signalement=forwarded, by=miprof, kind=UrgentMeasureKind.EMERGENCY_SHELTER, started_on=timezone.localdate()
    )
    assert referrals.request_referral(signalement=forwarded, by=miprof, shelter=shelters.paris).is_holding


def test_only_one_open_referral_per_case(pending, shelters, validator):
    with pytest.raises(ValidationError, match="déjà en cours"):
        referrals.request_referral(signalement=pending.signalement, by=validator, shelter=shelters.nord)


def test_shelter_accepts_and_the_followers_are_notified(pending, shelters, validator):
    referrals.accept_referral(referral=pending, by=shelters.paris_agent)

    pending.refresh_from_db()
    assert (pending.status, pending.answered_by) == (ReferralStatus.ACCEPTED, shelters.paris_agent)
    assert capacity(shelters.paris).held == 1
    assert last_event(pending.signalement).kind == SignalementEventKind.REFERRAL_ACCEPTED
    assert OutboxMessage.objects.filter(template="referral_answered", recipient=validator.email).exists()


def test_another_shelter_cannot_answer(pending, shelters):
    with pytest.raises(PermissionDenied):
        referrals.accept_referral(referral=pending, by=shelters.nord_agent)


def test_refusal_needs_a_reason_from_the_list_and_frees_the_place(pending, shelters, refusal_reason):
    with pytest.raises(ValidationError):
        referrals.refuse_referral(referral=pending, by=shelters.paris_agent, reason=None)

    referrals.refuse_referral(referral=pending, by=shelters.paris_agent, reason=refusal_reason)

    pending.refresh_from_db()
    assert (pending.status, pending.refusal_reason) == (ReferralStatus.REFUSED, refusal_reason)
    assert capacity(shelters.paris).held == 0
    assert last_event(pending.signalement).data["reason"] == "pas_de_place"


def test_arrival_turns_the_hold_into_an_occupied_place(accepted, shelters):
    referrals.confirm_arrival(referral=accepted, by=shelters.paris_agent)

    place = capacity(shelters.paris)
    assert (place.held, place.occupied, place.free) == (0, 1, 2)
    assert last_event(accepted.signalement).kind == SignalementEventKind.SHELTER_ARRIVAL


def test_departure_with_a_reason_frees_the_place(accepted, shelters, departure_reason):
    referrals.confirm_arrival(referral=accepted, by=shelters.paris_agent)
    referrals.record_departure(referral=accepted, by=shelters.paris_agent, reason=departure_reason)

    accepted.refresh_from_db()
    assert (accepted.status, accepted.departure_reason) == (ReferralStatus.DEPARTED, departure_reason)
    assert capacity(shelters.paris).free == 3
    kinds = list(CapacityMovement.objects.filter(referral=accepted).order_by("id").values_list("kind", flat=True))
    assert kinds == ["hold", "arrival", "departure"]


def test_arrival_before_acceptance_is_refused_with_the_state(pending, shelters):
    with pytest.raises(ValidationError, match="En attente de réponse"):
        referrals.confirm_arrival(referral=pending, by=shelters.paris_agent)


def test_holds_expire_on_their_own_and_only_once(pending, shelters):
    later = pending.hold_expires_at + timedelta(minutes=1)

    assert referrals.expire_holds(now=later) == 1
    assert referrals.expire_holds(now=later) == 0

    pending.refresh_from_db()
    assert pending.status == ReferralStatus.EXPIRED
    assert capacity(shelters.paris).held == 0
    assert last_event(pending.signalement).kind == SignalementEventKind.REFERRAL_EXPIRED


def test_holds_not_yet_due_are_kept(pending, shelters):
    assert referrals.expire_holds(now=pending.hold_expires_at - timedelta(minutes=1)) == 0
    assert capacity(shelters.paris).held == 1


def test_an_expired_referral_can_no_longer_be_accepted(pending, shelters):
    referrals.expire_holds(now=pending.hold_expires_at + timedelta(minutes=1))

    with pytest.raises(ValidationError, match="Sans réponse dans le délai"):
        referrals.accept_referral(referral=pending, by=shelters.paris_agent)


def test_the_beat_task_expires_holds(pending):
    from orientation.tasks import expire_referral_holds

    pending.hold_expires_at = timezone.now() - timedelta(minutes=1)
    pending.save()
    assert expire_referral_holds() == 1


def test_acse_request_waits_for_the_coordination_then_is_dispatched(validated, shelters, validator):
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)
    assert (referral.channel, referral.status, referral.shelter) == (
        ReferralChannel.ACSE,
        ReferralStatus.AWAITING_DISPATCH,
        None,
    )
    assert OutboxMessage.objects.filter(template="referral_requested", recipient=shelters.acse_agent.email).exists()

    referrals.dispatch_referral(referral=referral, by=shelters.acse_agent, shelter=shelters.south)

    referral.refresh_from_db()
    assert (referral.status, referral.shelter, referral.dispatched_by) == (
        ReferralStatus.PENDING,
        shelters.south,
        shelters.acse_agent,
    )
    assert capacity(shelters.south).held == 1
    assert last_event(validated).kind == SignalementEventKind.REFERRAL_DISPATCHED


def test_acse_cannot_dispatch_near_the_place_of_exploitation(validated, shelters, validator, world):
    validated.exploitation_departements.set([world.bouches_du_rhone])
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)

    with pytest.raises(ValidationError) as error:
        referrals.dispatch_referral(referral=referral, by=shelters.acse_agent, shelter=shelters.south)
    assert "Dans le département d'exploitation" in str(error.value)
    assert capacity(shelters.south).held == 0


def test_only_the_acse_coordination_dispatches(validated, shelters, validator):
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)

    with pytest.raises(PermissionDenied):
        referrals.dispatch_referral(referral=referral, by=validator, shelter=shelters.south)


def test_a_minor_is_never_sent_to_acse(validated, shelters, validator):
    validated.is_mna = True
    validated.save()

    with pytest.raises(ValidationError, match="n'accueille que des personnes majeures"):
        referrals.request_referral(signalement=validated, by=validator, via_acse=True)
    assert not validated.referrals.exists()


def test_a_minor_gets_a_place_for_young_victims(validated, shelters, validator):
    validated.is_minor_presumed = True
    validated.save()
    shelters.south.accepts_minors = True
    shelters.south.save()

    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.south)

    assert referral.place_kind == PlaceKind.YOUNG


def test_a_shelter_not_meeting_the_criteria_is_refused_with_reasons(validated, shelters, validator):
    validated.is_mna = True
    validated.save()

    with pytest.raises(ValidationError, match="N'accueille pas de mineurs"):
        referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_for_the_last_place_one_wins_one_gets_a_clear_message(
    make_submitted, shelters, miprof, validator, world
):
    from orientation.services import triage

    cases = []
    for _ in range(2):
        signalement = triage.start_triage(signalement=make_submitted(), by=miprof)
        triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
        decisions.decide(signalement=signalement, by=validator, kind="validated")
        cases.append(signalement)
    ShelterCapacity.objects.filter(shelter=shelters.paris).update(declared=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def request(signalement):
        try:
            barrier.wait()
            referrals.request_referral(signalement=signalement, by=validator, shelter=shelters.paris)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[-1] == "ok"
    assert sorted(outcomes)[0].startswith("Plus aucune place libre de ce type dans Centre Les Glycines")
    place = capacity(shelters.paris)
    assert (place.held, place.free) == (1, 0)


def test_an_acse_referral_refused_by_the_partner_goes_back_to_the_coordination(
    validated, shelters, validator, refusal_reason
):
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)
    referrals.dispatch_referral(referral=referral, by=shelters.acse_agent, shelter=shelters.south)

    referrals.refuse_referral(referral=referral, by=shelters.south_agent, reason=refusal_reason)

    again = validated.referrals.get(status=ReferralStatus.AWAITING_DISPATCH)
    assert (again.channel, again.requested_by, again.shelter) == (ReferralChannel.ACSE, validator, None)
    assert capacity(shelters.south).held == 0
    assert OutboxMessage.objects.filter(
        template="referral_requested",
        recipient=shelters.acse_agent.email,
        link__endswith=f"{again.public_id}/#action-confier",
    ).exists()
