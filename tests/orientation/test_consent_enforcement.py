"""Aucun service ne partage de données sans le consentement de sa finalité : transmission au département, orientation
vers un hébergement ou Ac.Sé, information du parquet. Sans consentement : un refus en français, ou un partage avec un
motif légal (mineur, danger pour la vie), inscrit au journal. Le retrait annule les orientations en attente."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AccessLog
from notifications.models import OutboxMessage
from orientation.enums import ReferralStatus
from orientation.models import Referral, ShelterCapacity
from orientation.services import break_glass, measures, referrals, triage
from orientation.services.consents import withdraw_consent
from referents.enums import OrganisationKind
from signalements.enums import ConsentDecision, ConsentOverrideGround, ConsentPurpose, SignalementEventKind
from signalements.models import Consent, ConsentOverride
from tests.referents.factories import OrganisationFactory


def refuse(signalement, purpose):
    Consent.objects.filter(signalement=signalement, purpose=purpose).update(decision=ConsentDecision.REFUSED)


def kinds(signalement):
    return list(signalement.events.order_by("id").values_list("kind", flat=True))


def test_forwarding_without_consent_is_refused_in_french(in_triage, miprof, world):
    refuse(in_triage, ConsentPurpose.SHELTER)

    with pytest.raises(
        ValidationError, match="n'a pas donné son consentement au partage de ses données pour sa prise"
    ):
        triage.forward_to_departement(signalement=in_triage, by=miprof, departement=world.paris)

    in_triage.refresh_from_db()
    assert in_triage.status == "in_triage"
    assert SignalementEventKind.FORWARDED not in kinds(in_triage)


def test_forwarding_with_a_danger_to_life_override_is_logged(in_triage, miprof, world):
    refuse(in_triage, ConsentPurpose.SHELTER)

    triage.forward_to_departement(
        signalement=in_triage,
        by=miprof,
        departement=world.paris,
        override_ground=ConsentOverrideGround.DANGER_TO_LIFE,
        override_reason="Menaces de mort reçues hier, mise à l'abri urgente.",
    )

    override = ConsentOverride.objects.get(signalement=in_triage)
    assert (override.purpose, override.ground, override.decided_by) == ("shelter", "danger_to_life", miprof)
    event = in_triage.events.get(kind=SignalementEventKind.CONSENT_OVERRIDDEN)
    assert event.data == {"purpose": "shelter", "ground": "danger_to_life", "override": str(override.public_id)}
    assert kinds(in_triage)[-2:] == [SignalementEventKind.CONSENT_OVERRIDDEN, SignalementEventKind.FORWARDED]


def test_the_minor_ground_is_refused_for_an_adult(in_triage, miprof, world):
    refuse(in_triage, ConsentPurpose.SHELTER)

    with pytest.raises(ValidationError, match="ne vaut que pour une personne mineure"):
        triage.forward_to_departement(
            signalement=in_triage,
            by=miprof,
            departement=world.paris,
            override_ground=ConsentOverrideGround.MINOR,
            override_reason="Personne présentée comme mineure.",
        )
    assert not ConsentOverride.objects.exists()


def test_an_override_needs_a_written_reason(in_triage, miprof, world):
    refuse(in_triage, ConsentPurpose.SHELTER)

    with pytest.raises(ValidationError, match="Expliquez en quelques mots"):
        triage.forward_to_departement(
            signalement=in_triage, by=miprof, departement=world.paris, override_ground="danger_to_life"
        )


def test_a_referral_without_consent_is_refused_and_holds_no_place(validated, shelters, validator):
    refuse(validated, ConsentPurpose.SHELTER)

    with pytest.raises(ValidationError, match="consentement"):
        referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)

    assert not Referral.objects.filter(signalement=validated).exists()
    assert ShelterCapacity.objects.get(shelter=shelters.paris, place_kind="teh").held == 0


def test_a_referral_to_acse_without_consent_is_refused(validated, validator):
    refuse(validated, ConsentPurpose.SHELTER)

    with pytest.raises(ValidationError, match="consentement"):
        referrals.request_referral(signalement=validated, by=validator, via_acse=True)
    assert not Referral.objects.exists()


def test_a_referral_with_an_override_is_made_and_logged(validated, shelters, validator):
    refuse(validated, ConsentPurpose.SHELTER)

    referral = referrals.request_referral(
        signalement=validated,
        by=validator,
        shelter=shelters.paris,
        override_ground=ConsentOverrideGround.DANGER_TO_LIFE,
        override_reason="La personne est menacée là où elle dort.",
    )

    assert referral.status == ReferralStatus.PENDING
    assert ConsentOverride.objects.filter(signalement=validated, purpose="shelter").count() == 1


def test_the_referral_page_shows_the_consent_refusal_in_french(validated, shelters, client_as):
    refuse(validated, ConsentPurpose.SHELTER)
    url = reverse("orientation:referral_request", kwargs={"public_id": validated.public_id})

    response = client_as("departmental_validator").post(
        url, {"orientation-shelter": str(shelters.paris.public_id), "orientation-place_kind": ""}
    )

    assert response.status_code == 400
    assert "consentement au partage de ses données pour sa prise en charge" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_referral_api_refuses_without_consent_as_a_problem(validated, shelters, client_as):
    refuse(validated, ConsentPurpose.SHELTER)

    url = reverse("orientation_api:referral_list", kwargs={"public_id": validated.public_id})
    response = client_as("departmental_validator").post(
        url, {"shelter": str(shelters.paris.public_id)}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "consentement" in response.json()["detail"]
    assert not Referral.objects.exists()


@pytest.fixture
def minor_case(make_validated):
    return make_validated(estimated_age=15, consent_status="not_required_minor")


@pytest.fixture
def crip(world):
    return OrganisationFactory(
        name="CRIP de Paris", kind=OrganisationKind.DEPARTEMENT_COUNCIL, territories=[world.paris]
    )


def test_informing_the_procureur_needs_the_police_consent_or_the_minor_ground(minor_case, validator, crip):
    refuse(minor_case, ConsentPurpose.POLICE_JUSTICE)
    today = datetime.date.today()

    with pytest.raises(ValidationError, match="police, à la gendarmerie ou au parquet"):
        break_glass.record_minor_protection(
            signalement=minor_case, by=validator, crip=crip, referred_to_ase_on=today, procureur_informed_on=today
        )

    break_glass.record_minor_protection(
        signalement=minor_case,
        by=validator,
        crip=crip,
        referred_to_ase_on=today,
        procureur_informed_on=today,
        override_ground=ConsentOverrideGround.MINOR,
        override_reason="Signalement au parquet obligatoire pour un mineur en danger (art. 40 CPP).",
    )
    assert ConsentOverride.objects.get(signalement=minor_case).purpose == "police_justice"


def test_withdrawal_cancels_a_pending_referral_and_tells_the_shelter(validated, shelters, validator, filer):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)

    consent, cancelled = withdraw_consent(signalement=validated, purpose=ConsentPurpose.SHELTER, by=filer)

    referral.refresh_from_db()
    assert (consent.decision, cancelled) == (ConsentDecision.WITHDRAWN, [referral])
    assert referral.status == ReferralStatus.CANCELLED
    assert ShelterCapacity.objects.get(shelter=shelters.paris, place_kind="teh").held == 0
    assert {SignalementEventKind.REFERRAL_CANCELLED, SignalementEventKind.CONSENT_WITHDRAWN} <= set(kinds(validated))
    assert OutboxMessage.objects.filter(template="referral_cancelled", recipient=shelters.paris_agent.email).exists()
    # Plus rien ne part : une nouvelle orientation est refusée.
    with pytest.raises(ValidationError, match="consentement"):
        referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)


def test_withdrawal_leaves_a_person_who_has_arrived_where_she_is(validated, shelters, validator, filer):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    referrals.accept_referral(referral=referral, by=shelters.paris_agent)
    referrals.confirm_arrival(referral=referral, by=shelters.paris_agent)

    _, cancelled = withdraw_consent(signalement=validated, purpose=ConsentPurpose.SHELTER, by=filer)

    referral.refresh_from_db()
    assert (cancelled, referral.status) == ([], ReferralStatus.ARRIVED)


def test_only_a_given_consent_can_be_withdrawn(validated, filer):
    refuse(validated, ConsentPurpose.STATISTICS)

    with pytest.raises(ValidationError, match="Seul un consentement accordé"):
        withdraw_consent(signalement=validated, purpose=ConsentPurpose.STATISTICS, by=filer)


def test_the_consents_page_withdraws_and_says_what_stops_and_what_is_kept(validated, shelters, validator, client_as):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    url = reverse("privacy:consent_withdraw", kwargs={"public_id": validated.public_id})

    response = client_as("association_agent").post(url, {"retrait-purpose": "shelter"}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce qui s&#x27;arrête" in page or "Ce qui s'arrête" in page
    assert "1 orientation(s) en attente annulée(s)" in page
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    assert AccessLog.objects.filter(object_id=str(validated.public_id), action="update").exists()


@pytest.fixture
def police_paris(world):
    return OrganisationFactory(name="Commissariat du 18e", kind=OrganisationKind.POLICE, territories=[world.paris])


def test_a_measure_handed_to_the_police_needs_the_police_consent(case, police_paris, validator):
    refuse(case, ConsentPurpose.POLICE_JUSTICE)
    before = case.measures.count()

    with pytest.raises(ValidationError, match="police, à la gendarmerie ou au parquet"):
        measures.record_measure(signalement=case, by=validator, kind="complaint", operator=police_paris)
    assert case.measures.count() == before

    measure = measures.record_measure(
        signalement=case,
        by=validator,
        kind="complaint",
        operator=police_paris,
        override_ground=ConsentOverrideGround.DANGER_TO_LIFE,
        override_reason="Menaces de mort : la plainte protège la personne.",
    )
    assert measure.operator == police_paris
    assert ConsentOverride.objects.get(signalement=case).purpose == "police_justice"


def test_a_measure_handed_to_another_association_needs_the_association_consent(case, world, validator):
    refuse(case, ConsentPurpose.ASSOCIATION)
    other = OrganisationFactory(name="Association du 18e", territories=[world.paris])

    with pytest.raises(ValidationError, match="avec une autre association"):
        measures.record_measure(signalement=case, by=validator, kind="legal_aid", operator=other)
    # L'organisation déclarante elle-même ne reçoit rien de nouveau : pas de consentement à demander.
    assert measures.record_measure(signalement=case, by=validator, kind="legal_aid", operator=world.association)
