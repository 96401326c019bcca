"""Chaque passage de relais a une sortie (issue 15, constats 4, 5, 6 et 12) : la coordination Ac.Sé renvoie, refuse
ou place hors de la règle d'éloignement avec une seconde approbation ; clore ou réorienter un dossier annule ses
orientations en attente et libère leurs places ; la règle de langue se lève quand un·e interprète est organisé·e ;
« Chercher une place » n'est pas proposé pendant une orientation en cours."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AccessLog
from notifications.models import Notification, OutboxMessage
from orientation.enums import (
    CapacityMovementKind,
    DistancingWaiverStatus,
    PlaceKind,
    ReferralCancelReason,
    ReferralStatus,
    UrgentMeasureKind,
)
from orientation.models import CapacityMovement, DistancingWaiver, Referral, ShelterCapacity
from orientation.services import closure, decisions, exits, referrals, triage
from signalements.enums import SignalementEventKind, SignalementStatus
from tests.accounts.factories import MembershipFactory
from tests.personas import acting_as
from tests.two_factor import login_verified


def capacity(shelter, kind=PlaceKind.TEH):
    return ShelterCapacity.objects.get(shelter=shelter, place_kind=kind)


def events(signalement, kind):
    return list(signalement.events.filter(kind=kind).order_by("id"))


def login(user):
    client = Client()
    login_verified(client, user)
    return client


@pytest.fixture
def near_paris(validated, world):
    """Exploitation dans le Nord : la partenaire du Nord est écartée par la règle d'éloignement."""
    validated.exploitation_departements.set([world.nord])
    return validated


@pytest.fixture
def awaiting_acse(near_paris, validator):
    return referrals.request_referral(signalement=near_paris, by=validator, via_acse=True)


@pytest.fixture
def second_acse_agent(shelters):
    return acting_as(MembershipFactory(organisation=shelters.acse_organisation))


# --- Constat 4 : la coordination Ac.Sé a une sortie -----------------------------------------------------------------


def test_acse_returns_a_request_to_the_sender_with_a_reason(awaiting_acse, shelters, validator):
    exits.return_referral(
        referral=awaiting_acse, by=shelters.acse_agent, reason="Aucune partenaire : orientez en direct."
    )

    awaiting_acse.refresh_from_db()
    assert (awaiting_acse.status, awaiting_acse.answered_by) == (ReferralStatus.RETURNED, shelters.acse_agent)
    assert awaiting_acse.answer_comment == "Aucune partenaire : orientez en direct."
    [event] = events(awaiting_acse.signalement, SignalementEventKind.REFERRAL_RETURNED)
    assert "Aucune partenaire" not in json.dumps(event.data)
    assert OutboxMessage.objects.filter(template="referral_answered", recipient=validator.email).exists()
    assert Notification.objects.filter(user=validator, title__contains="renvoyée").exists()
    # Plus rien n'est en cours : l'émetteur oriente autrement.
    again = referrals.request_referral(signalement=awaiting_acse.signalement, by=validator, shelter=shelters.paris)
    assert again.status == ReferralStatus.PENDING


def test_a_return_needs_a_reason(awaiting_acse, shelters):
    with pytest.raises(ValidationError) as error:
        exits.return_referral(referral=awaiting_acse, by=shelters.acse_agent, reason="  ")
    assert "reason" in error.value.message_dict


def test_only_the_acse_coordination_returns_its_requests(awaiting_acse, validator, shelters):
    for outsider in (validator, shelters.south_agent):
        with pytest.raises(PermissionDenied):
            exits.return_referral(referral=awaiting_acse, by=outsider, reason="Motif")


def test_acse_refuses_with_a_reason_of_the_shelters_list_and_nothing_comes_back(
    awaiting_acse, shelters, refusal_reason, validator
):
    exits.refuse_acse_referral(
        referral=awaiting_acse, by=shelters.acse_agent, reason=refusal_reason, comment="Aucune place partenaire."
    )

    awaiting_acse.refresh_from_db()
    assert (awaiting_acse.status, awaiting_acse.refusal_reason) == (ReferralStatus.REFUSED, refusal_reason)
    assert awaiting_acse.answer_comment == "Aucune place partenaire."
    [event] = events(awaiting_acse.signalement, SignalementEventKind.REFERRAL_REFUSED_BY_ACSE)
    assert event.data["reason"] == refusal_reason.code
    # Contrairement au refus d'une structure, la demande ne revient pas à la coordination.
    assert not Referral.objects.open().filter(signalement=awaiting_acse.signalement).exists()
    assert OutboxMessage.objects.filter(template="referral_answered", recipient=validator.email).exists()


def test_an_acse_refusal_needs_a_listed_reason_and_a_precision(awaiting_acse, shelters, refusal_reason):
    with pytest.raises(ValidationError) as error:
        exits.refuse_acse_referral(referral=awaiting_acse, by=shelters.acse_agent, reason=None, comment="x")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        exits.refuse_acse_referral(referral=awaiting_acse, by=shelters.acse_agent, reason=refusal_reason)
    assert "comment" in error.value.message_dict


def test_a_shelter_refusal_keeps_its_precision(validated, shelters, validator, refusal_reason):
    pending = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)

    referrals.refuse_referral(referral=pending, by=shelters.paris_agent, reason=refusal_reason, comment="Travaux.")

    pending.refresh_from_db()
    assert (pending.status, pending.answer_comment) == (ReferralStatus.REFUSED, "Travaux.")


def test_distancing_rule_stays_the_default(awaiting_acse, shelters):
    with pytest.raises(ValidationError):
        referrals.dispatch_referral(referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.nord)


def test_placing_outside_the_distancing_rule_waits_for_a_second_approval(
    awaiting_acse, shelters, second_acse_agent, world
):
    admin = world.acting("miprof_admin")
    waiver = exits.request_distancing_waiver(
        referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.nord, reason="Seule place adaptée."
    )

    awaiting_acse.refresh_from_db()
    assert awaiting_acse.status == ReferralStatus.AWAITING_DISPATCH
    assert capacity(shelters.nord).held == 0
    [event] = events(awaiting_acse.signalement, SignalementEventKind.DISTANCING_WAIVER_REQUESTED)
    assert event.data["waiver"] == str(waiver.public_id)
    told = set(OutboxMessage.objects.filter(template="referral_requested").values_list("recipient", flat=True))
    assert {second_acse_agent.email, admin.email} <= told
    assert shelters.acse_agent.email not in told
    with pytest.raises(PermissionDenied):
        exits.approve_distancing_waiver(referral=awaiting_acse, by=shelters.acse_agent)


def test_another_coordinator_approves_and_the_place_is_held(awaiting_acse, shelters, second_acse_agent):
    exits.request_distancing_waiver(
        referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.nord, reason="Seule place adaptée."
    )

    exits.approve_distancing_waiver(referral=awaiting_acse, by=second_acse_agent)

    awaiting_acse.refresh_from_db()
    assert (awaiting_acse.status, awaiting_acse.shelter) == (ReferralStatus.PENDING, shelters.nord)
    assert awaiting_acse.dispatched_by == shelters.acse_agent
    assert capacity(shelters.nord).held == 1
    assert DistancingWaiver.objects.get().status == DistancingWaiverStatus.APPROVED
    assert events(awaiting_acse.signalement, SignalementEventKind.DISTANCING_WAIVER_APPROVED)
    assert events(awaiting_acse.signalement, SignalementEventKind.REFERRAL_DISPATCHED)
    assert OutboxMessage.objects.filter(template="referral_requested", recipient=shelters.nord_agent.email).exists()


@pytest.mark.parametrize("persona, allowed", [("miprof_admin", True), ("miprof_agent", False)])
def test_the_miprof_administration_may_give_the_second_approval(awaiting_acse, shelters, world, persona, allowed):
    exits.request_distancing_waiver(referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.nord, reason="M")
    if allowed:
        exits.approve_distancing_waiver(referral=awaiting_acse, by=world.acting(persona))
        assert capacity(shelters.nord).held == 1
    else:
        with pytest.raises(PermissionDenied):
            exits.approve_distancing_waiver(referral=awaiting_acse, by=world.acting(persona))


def test_a_rejected_waiver_leaves_the_request_to_the_coordination(awaiting_acse, shelters, second_acse_agent):
    exits.request_distancing_waiver(referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.nord, reason="M")

    exits.reject_distancing_waiver(referral=awaiting_acse, by=second_acse_agent, reason="Trop proche.")

    awaiting_acse.refresh_from_db()
    waiver = DistancingWaiver.objects.get()
    assert (waiver.status, waiver.decision_comment) == (DistancingWaiverStatus.REJECTED, "Trop proche.")
    assert awaiting_acse.status == ReferralStatus.AWAITING_DISPATCH
    assert capacity(shelters.nord).held == 0
    assert events(awaiting_acse.signalement, SignalementEventKind.DISTANCING_WAIVER_REJECTED)


# --- Constat 5 : clore ou réorienter libère ce que le dossier retient -----------------------------------------------


def test_closing_a_case_releases_its_acse_place(awaiting_acse, shelters, validator, closure_reason):
    referrals.dispatch_referral(referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.south)
    assert capacity(shelters.south).held == 1

    closure.close_case(signalement=awaiting_acse.signalement, by=validator, reason=closure_reason)

    awaiting_acse.refresh_from_db()
    assert (awaiting_acse.status, awaiting_acse.cancel_reason) == (
        ReferralStatus.CANCELLED,
        ReferralCancelReason.CASE_CLOSED,
    )
    assert (capacity(shelters.south).held, capacity(shelters.south).free) == (0, 2)
    movement = CapacityMovement.objects.filter(capacity=capacity(shelters.south)).order_by("-id").first()
    assert (movement.kind, movement.held, movement.referral_id) == (
        CapacityMovementKind.HOLD_RELEASED,
        0,
        awaiting_acse.pk,
    )
    [event] = events(awaiting_acse.signalement, SignalementEventKind.REFERRAL_CANCELLED)
    assert event.data["reason"] == ReferralCancelReason.CASE_CLOSED
    assert OutboxMessage.objects.filter(template="referral_cancelled", recipient=shelters.south_agent.email).exists()


def test_closing_a_case_cancels_a_request_still_awaiting_acse(awaiting_acse, shelters, miprof, closure_reason):
    closure.close_case(signalement=awaiting_acse.signalement, by=miprof, reason=closure_reason)

    awaiting_acse.refresh_from_db()
    assert awaiting_acse.status == ReferralStatus.CANCELLED
    assert OutboxMessage.objects.filter(template="referral_cancelled", recipient=shelters.acse_agent.email).exists()


def test_a_refused_closure_releases_nothing(awaiting_acse, shelters, filer, validated):
    referrals.dispatch_referral(referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.south)
    with pytest.raises(ValidationError):
        closure.close_case(signalement=validated, by=filer, reason=None)

    awaiting_acse.refresh_from_db()
    assert (awaiting_acse.status, capacity(shelters.south).held) == (ReferralStatus.PENDING, 1)


@pytest.fixture
def sheltered_before_decision(forwarded, miprof, shelters):
    decisions.record_urgent_measure(
        signalement=forwarded, by=miprof, kind=UrgentMeasureKind.EMERGENCY_SHELTER, started_on=timezone.localdate()
    )
    return referrals.request_referral(signalement=forwarded, by=miprof, shelter=shelters.paris)


def test_redirecting_to_the_minors_track_cancels_pending_referrals(sheltered_before_decision, shelters, validator):
    decisions.decide(
        signalement=sheltered_before_decision.signalement,
        by=validator,
        kind="redirected",
        redirect_target="minors_track",
    )

    sheltered_before_decision.refresh_from_db()
    assert sheltered_before_decision.signalement.status == SignalementStatus.CHILD_PROTECTION
    assert sheltered_before_decision.cancel_reason == ReferralCancelReason.MINORS_TRACK
    assert capacity(shelters.paris).held == 0


def test_closing_at_triage_releases_an_emergency_hold(submitted, miprof, shelters, out_of_scope_reason):
    in_triage = triage.start_triage(signalement=submitted, by=miprof)
    decisions.record_urgent_measure(
        signalement=in_triage, by=miprof, kind=UrgentMeasureKind.EMERGENCY_SHELTER, started_on=timezone.localdate()
    )
    referral = referrals.request_referral(signalement=in_triage, by=miprof, shelter=shelters.paris)

    triage.close_out_of_scope(signalement=in_triage, reason=out_of_scope_reason, comment="Hors champ.", by=miprof)

    referral.refresh_from_db()
    assert (referral.status, referral.cancel_reason) == (ReferralStatus.CANCELLED, ReferralCancelReason.TRIAGE_CLOSED)
    assert capacity(shelters.paris).held == 0


def test_an_arrived_person_stays_when_the_case_closes(validated, shelters, validator, closure_reason):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    referrals.accept_referral(referral=referral, by=shelters.paris_agent)
    referrals.confirm_arrival(referral=referral, by=shelters.paris_agent)

    closure.close_case(signalement=validated, by=validator, reason=closure_reason)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ARRIVED
    assert capacity(shelters.paris).occupied == 1


# --- Constat 6 : la règle de langue se lève quand un·e interprète est organisé·e -----------------------------------


@pytest.fixture
def tigrinya_speaker(validated):
    validated.languages = ["ti"]
    validated.needs_interpreter = True
    validated.save(update_fields=["languages", "needs_interpreter"])
    return validated


def test_the_language_rule_still_blocks_by_default(tigrinya_speaker, shelters, validator):
    with pytest.raises(ValidationError, match="Aucune langue commune"):
        referrals.request_referral(signalement=tigrinya_speaker, by=validator, shelter=shelters.paris)


def test_an_arranged_interpreter_lifts_the_language_rule(tigrinya_speaker, shelters, validator):
    referral = referrals.request_referral(
        signalement=tigrinya_speaker,
        by=validator,
        shelter=shelters.paris,
        interpreter_language="ti",
        interpreter_service="Interprétariat téléphonique",
    )

    assert referral.status == ReferralStatus.PENDING
    assert (referral.interpreter_language, referral.interpreter_service) == ("ti", "Interprétariat téléphonique")
    [event] = events(tigrinya_speaker, SignalementEventKind.LANGUAGE_RULE_OVERRIDDEN)
    assert event.data["interpreter_language"] == "ti"
    assert "Interprétariat" not in json.dumps(event.data)


def test_an_interpreter_needs_a_language_and_a_service(tigrinya_speaker, shelters, validator):
    with pytest.raises(ValidationError) as error:
        referrals.request_referral(
            signalement=tigrinya_speaker, by=validator, shelter=shelters.paris, interpreter_language="ti"
        )
    assert "interpreter_service" in error.value.message_dict


def test_acse_can_dispatch_with_an_arranged_interpreter(tigrinya_speaker, shelters, validator):
    referral = referrals.request_referral(signalement=tigrinya_speaker, by=validator, via_acse=True)
    with pytest.raises(ValidationError, match="Aucune langue commune"):
        referrals.dispatch_referral(referral=referral, by=shelters.acse_agent, shelter=shelters.south)

    referrals.dispatch_referral(
        referral=referral,
        by=shelters.acse_agent,
        shelter=shelters.south,
        interpreter_language="ti",
        interpreter_service="ISM Interprétariat",
    )

    referral.refresh_from_db()
    assert (referral.status, referral.interpreter_language) == (ReferralStatus.PENDING, "ti")


def test_the_request_page_lifts_the_language_rule(tigrinya_speaker, shelters, client_as):
    url = f"/dossiers/{tigrinya_speaker.public_id}/hebergement/"
    data = {"orientation-shelter": shelters.paris.public_id, "orientation-interpreter_language": "ti"}
    page = client_as("departmental_validator").post(url, data)
    assert page.status_code == 400

    data["orientation-interpreter_service"] = "Interprétariat téléphonique"
    assert client_as("departmental_validator").post(url, data).status_code == 302
    assert Referral.objects.get().interpreter_language == "ti"


# --- Constat 12 : « Chercher une place » n'est pas proposé pendant une orientation en cours -------------------------


def test_the_case_page_says_why_no_place_can_be_sought(awaiting_acse, client_as):
    page = client_as("departmental_validator").get(f"/dossiers/{awaiting_acse.signalement.public_id}/")

    content = page.content.decode()
    assert f"/dossiers/{awaiting_acse.signalement.public_id}/hebergement/" not in content
    assert escape("Une orientation est déjà en cours pour ce signalement (« En attente de la coordination")[:60] in (
        content
    )


def test_the_case_page_offers_to_seek_a_place_when_nothing_runs(validated, shelters, client_as):
    page = client_as("departmental_validator").get(f"/dossiers/{validated.public_id}/")

    assert f"/dossiers/{validated.public_id}/hebergement/" in page.content.decode()


def test_the_request_page_shows_no_form_while_an_orientation_runs(awaiting_acse, client_as):
    page = client_as("departmental_validator").get(f"/dossiers/{awaiting_acse.signalement.public_id}/hebergement/")

    content = page.content.decode()
    assert "Adresser l&#x27;orientation" not in content and "Adresser l'orientation" not in content
    assert f"/orientations/{awaiting_acse.public_id}/" in content


# --- Pages de la coordination ---------------------------------------------------------------------------------------


def test_the_referral_page_offers_the_exits_to_the_coordination(awaiting_acse, shelters, client_as):
    page = login(shelters.acse_agent).get(f"/orientations/{awaiting_acse.public_id}/").content.decode()
    for slug in ("renvoyer", "refuser", "hors-eloignement"):
        assert f"/orientations/{awaiting_acse.public_id}/coordination/{slug}/" in page

    other = client_as("departmental_validator").get(f"/orientations/{awaiting_acse.public_id}/").content.decode()
    assert "/coordination/" not in other


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("departmental_validator", 403),
        ("miprof_agent", 403),
        ("association_agent", 403),
        ("statistician", 404),
        ("anonymous", 302),
    ],
)
def test_coordination_pages_are_refused_to_others(awaiting_acse, client_as, persona, expected):
    url = f"/orientations/{awaiting_acse.public_id}/coordination/renvoyer/"
    assert client_as(persona).get(url).status_code == expected


def test_the_return_page_spells_out_the_consequence_and_returns(awaiting_acse, shelters):
    client = login(shelters.acse_agent)
    url = f"/orientations/{awaiting_acse.public_id}/coordination/renvoyer/"

    page = client.get(url).content.decode()
    assert "Conséquence" in page and escape("la personne qui l'a adressée") in page
    assert client.post(url, {"sortie-reason": ""}).status_code == 400
    response = client.post(url, {"sortie-reason": "Orientez en direct."})

    assert response.status_code == 302
    awaiting_acse.refresh_from_db()
    assert awaiting_acse.status == ReferralStatus.RETURNED
    assert AccessLog.objects.for_object(awaiting_acse).filter(action="update").exists()


def test_the_waiver_is_approved_from_its_page_by_another_person(awaiting_acse, shelters, second_acse_agent):
    requester = login(shelters.acse_agent)
    url = f"/orientations/{awaiting_acse.public_id}/coordination/hors-eloignement/"
    data = {"sortie-shelter": shelters.nord.public_id, "sortie-reason": "Seule place adaptée."}
    assert requester.post(url, data).status_code == 302

    approve = f"/orientations/{awaiting_acse.public_id}/coordination/approuver/"
    assert requester.get(approve).status_code == 403
    approver = login(second_acse_agent)
    page = approver.get(approve).content.decode()
    assert "Centre du Nord" in page and escape("Seule place adaptée.") in page
    assert approver.post(approve, {}).status_code == 302
    awaiting_acse.refresh_from_db()
    assert (awaiting_acse.status, awaiting_acse.shelter) == (ReferralStatus.PENDING, shelters.nord)


# --- API ------------------------------------------------------------------------------------------------------------


def api_post(client, name, referral, body=None):
    url = reverse(f"orientation_api:referral_{name}", args=[referral.public_id])
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_api_returns_and_refuses_like_the_pages(awaiting_acse, shelters, validator, refusal_reason):
    client = login(shelters.acse_agent)
    assert api_post(client, "renvoyer", awaiting_acse).status_code == 400
    response = api_post(client, "renvoyer", awaiting_acse, {"reason": "Orientez en direct."})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["answer_comment"]) == ("returned", "Orientez en direct.")

    second = referrals.request_referral(signalement=awaiting_acse.signalement, by=validator, via_acse=True)
    body = {"reason": refusal_reason.code, "comment": "Aucune place partenaire."}
    assert api_post(client, "refuser-acse", second, body).json()["status"] == "refused"


def test_the_api_places_outside_the_rule_with_a_second_approval(awaiting_acse, shelters, second_acse_agent):
    body = {"shelter": str(shelters.nord.public_id), "reason": "Seule place adaptée."}
    assert api_post(login(shelters.acse_agent), "hors-eloignement", awaiting_acse, body).status_code == 200
    assert api_post(login(shelters.acse_agent), "approuver-hors-eloignement", awaiting_acse).status_code == 403

    response = api_post(login(second_acse_agent), "approuver-hors-eloignement", awaiting_acse)

    assert (response.status_code, response.json()["status"]) == (200, "pending")


def test_the_journal_says_why_a_referral_was_cancelled(awaiting_acse, miprof, closure_reason):
    from orientation.journey import describe

    closure.close_case(signalement=awaiting_acse.signalement, by=miprof, reason=closure_reason)

    [event] = events(awaiting_acse.signalement, SignalementEventKind.REFERRAL_CANCELLED)
    assert describe(event) == "Dossier clos"


def test_every_exit_notification_opens_for_its_recipient(
    awaiting_acse, shelters, second_acse_agent, validator, closure_reason, refusal_reason
):
    exits.request_distancing_waiver(referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.nord, reason="M")
    exits.approve_distancing_waiver(referral=awaiting_acse, by=second_acse_agent)
    closure.close_case(signalement=awaiting_acse.signalement, by=validator, reason=closure_reason)

    notifications = list(Notification.objects.select_related("user"))
    assert {n.user for n in notifications} >= {second_acse_agent, shelters.acse_agent, shelters.nord_agent}
    for notification in notifications:
        assert login(notification.user).get(notification.link).status_code == 200, notification.title


def test_anonymisation_erases_the_free_texts_of_the_exits(awaiting_acse, shelters, second_acse_agent, world):
    from privacy.anonymisation import anonymise_signalement

    exits.request_distancing_waiver(
        referral=awaiting_acse, by=shelters.acse_agent, shelter=shelters.nord, reason="Proche de sa sœur Amina."
    )
    exits.reject_distancing_waiver(referral=awaiting_acse, by=second_acse_agent, reason="Amina habite trop près.")
    exits.return_referral(referral=awaiting_acse, by=shelters.acse_agent, reason="Amina refuse de partir.")

    anonymise_signalement(signalement=awaiting_acse.signalement, by=world.acting("miprof_admin"), cause="erasure")

    awaiting_acse.refresh_from_db()
    waiver = DistancingWaiver.objects.get()
    assert (awaiting_acse.answer_comment, waiver.reason, waiver.decision_comment) == ("", "[anonymisé]", "")


@pytest.mark.parametrize("path", ["", "coordination/hors-eloignement/"])
def test_acse_pages_queries_do_not_grow_with_partners(awaiting_acse, shelters, django_assert_num_queries, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.orientation.shelter_factories import ShelterProfileFactory

    client = login(shelters.acse_agent)
    url = f"/orientations/{awaiting_acse.public_id}/{path}"
    client.get(url)
    with CaptureQueriesContext(connection) as with_two_partners:
        client.get(url)
    ShelterProfileFactory.create_batch(8, is_acse_partner=True)
    with django_assert_num_queries(len(with_two_partners)):
        assert client.get(url).status_code == 200
