"""Les pages de l'hébergement : recherche de place, page d'une orientation, page de la structure, répartition Ac.Sé,
fiche d'orientation PDF, circuit des mineurs."""

import subprocess

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AccessLog
from orientation.enums import PlaceKind, ReferralStatus
from orientation.models import MinorProtection, Referral, ShelterCapacity
from orientation.services import referrals
from referents.enums import OrganisationKind
from tests.orientation.shelter_factories import ShelterProfileFactory
from tests.referents.factories import OrganisationFactory
from tests.two_factor import login_verified


def login(user):
    client = Client()
    login_verified(client, user)
    return client


@pytest.fixture
def pending(validated, shelters, validator):
    return referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)


@pytest.mark.parametrize(
    "persona, expected_status",
    [
        ("anonymous", 302),
        ("association_agent", 403),
        ("miprof_agent", 200),
        ("departmental_validator", 200),
        ("departmental_validator_other_departement", 404),
        ("statistician", 404),
    ],
)
def test_referral_request_page_access(client_as, validated, shelters, persona, expected_status):
    response = client_as(persona).get(f"/dossiers/{validated.public_id}/hebergement/")

    assert response.status_code == expected_status


def test_referral_request_page_lists_suggestions_with_reasons(client_as, validated, shelters):
    shelters.paris.women_only = True
    shelters.paris.save()

    response = client_as("miprof_agent").get(f"/dossiers/{validated.public_id}/hebergement/")

    content = response.content.decode()
    assert "Centre du Nord" in content and escape("Places réservées aux femmes.") in content
    assert shelters.paris.sealed_address not in content


def test_referral_request_page_queries_do_not_grow(client_as, validated, shelters, django_assert_num_queries):
    client = client_as("miprof_agent")
    client.get(f"/dossiers/{validated.public_id}/hebergement/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as with_three:
        client.get(f"/dossiers/{validated.public_id}/hebergement/")
    ShelterProfileFactory.create_batch(8, is_acse_partner=True)
    with django_assert_num_queries(len(with_three)):
        response = client.get(f"/dossiers/{validated.public_id}/hebergement/")
    assert response.content.decode().count("<tr>") == 12


def test_posting_a_referral_holds_the_place(client_as, validated, shelters):
    response = client_as("departmental_validator").post(
        f"/dossiers/{validated.public_id}/hebergement/",
        {"orientation-shelter": shelters.paris.public_id, "orientation-safety_notes": "Ne pas appeler le soir."},
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.status, referral.safety_notes) == (ReferralStatus.PENDING, "Ne pas appeler le soir.")
    assert ShelterCapacity.objects.get(shelter=shelters.paris).held == 1
    assert AccessLog.objects.filter(action="create", object_id=str(referral.public_id)).exists()


def test_a_minor_cannot_be_sent_to_acse_from_the_page(client_as, validated, shelters):
    validated.is_mna = True
    validated.save()

    response = client_as("miprof_agent").post(
        f"/dossiers/{validated.public_id}/hebergement/", {"orientation-via_acse": "on"}
    )

    assert response.status_code == 400
    assert escape("n'accueille que des personnes majeures") in response.content.decode()
    assert not Referral.objects.exists()


def test_the_shelter_accepts_from_its_page(pending, shelters):
    response = login(shelters.paris_agent).post(f"/orientations/{pending.public_id}/accepter/")

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.ACCEPTED


def test_refusal_without_reason_shows_the_error_next_to_the_field(pending, shelters):
    response = login(shelters.paris_agent).post(f"/orientations/{pending.public_id}/refuser/", {"confirmed": "1"})

    assert response.status_code == 400
    assert "Choisissez un motif de refus dans la liste." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.PENDING


def test_the_validator_cannot_answer_for_the_shelter(pending, client_as):
    response = client_as("departmental_validator").post(f"/orientations/{pending.public_id}/accepter/")

    assert response.status_code == 403


def test_shelter_page_lists_requests_and_updates_places(pending, shelters, django_assert_max_num_queries):
    client = login(shelters.paris_agent)
    with django_assert_max_num_queries(15):
        response = client.get("/hebergement/")
    assert pending.signalement.reference in response.content.decode()

    response = client.post("/hebergement/", {"places-place_kind": PlaceKind.TEH, "places-declared": 6})

    assert response.status_code == 302
    assert ShelterCapacity.objects.get(shelter=shelters.paris).free == 5


def test_shelter_page_query_count_does_not_grow_with_requests(
    make_submitted, shelters, miprof, world, django_assert_max_num_queries
):
    from orientation.services import decisions, triage

    for _ in range(3):
        signalement = triage.start_triage(signalement=make_submitted(), by=miprof)
        triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
        decisions.decide(signalement=signalement, by=world.acting("departmental_validator"), kind="validated")
        referrals.request_referral(signalement=signalement, by=miprof, shelter=shelters.paris)
    client = login(shelters.paris_agent)
    with django_assert_max_num_queries(15):
        response = client.get("/hebergement/")
    assert response.content.decode().count("/orientations/") == 3


def test_declaring_fewer_places_than_occupied_shows_the_error(pending, shelters):
    response = login(shelters.paris_agent).post("/hebergement/", {"places-place_kind": "teh", "places-declared": 0})

    assert response.status_code == 400
    assert "Au moins 1 places" in response.content.decode()


@pytest.mark.parametrize("persona", ["miprof_agent", "association_agent", "departmental_validator"])
def test_shelter_and_acse_pages_are_refused_to_others(client_as, world, persona):
    assert client_as(persona).get("/hebergement/").status_code == 403
    assert client_as(persona).get("/acse/").status_code == 403


def test_acse_dispatches_from_the_referral_page(validated, shelters, validator, world):
    validated.exploitation_departements.set([world.nord])
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)
    client = login(shelters.acse_agent)

    assert referral.signalement.reference in client.get("/acse/").content.decode()
    page = client.get(f"/orientations/{referral.public_id}/").content.decode()
    assert escape("Dans le département d'exploitation ou de repérage (Nord (59)).") in page

    url = f"/orientations/{referral.public_id}/confier/"
    assert client.post(url, {"confier-shelter": shelters.nord.public_id, "confirmed": "1"}).status_code == 400
    response = client.post(url, {"confier-shelter": shelters.south.public_id, "confirmed": "1"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.shelter) == (ReferralStatus.PENDING, shelters.south)


def test_orientation_sheet_is_watermarked_and_holds_no_account(pending, shelters):
    pending.signalement.account = "Récit confidentiel de la personne"
    pending.signalement.last_name = "Dupontel"
    pending.signalement.save()

    response = login(shelters.paris_agent).get(f"/orientations/{pending.public_id}/fiche.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "Fiche d'orientation" in text
    assert shelters.paris_agent.email in text and timezone.localtime().strftime("%d/%m/%Y") in text
    assert "Récit confidentiel" not in text and "Dupontel" not in text
    assert AccessLog.objects.filter(action="download", object_id=str(pending.public_id)).exists()


def test_orientation_sheet_is_refused_to_the_proposer(pending, client_as):
    assert client_as("departmental_validator").get(f"/orientations/{pending.public_id}/fiche.pdf").status_code == 403


def test_minors_track_is_recorded_from_the_case_page(validated, client_as, world):
    validated.is_mna = True
    validated.save()
    crip = OrganisationFactory(name="Conseil départemental de Paris", kind=OrganisationKind.DEPARTEMENT_COUNCIL)
    today = timezone.localdate().isoformat()

    response = client_as("departmental_validator").post(
        f"/dossiers/{validated.public_id}/mineurs/",
        {
            "mineurs-crip": crip.public_id,
            "mineurs-referred_to_ase_on": today,
            "mineurs-juge_des_enfants_informed_on": today,
            "mineurs-ad_hoc_administrator": "Association tutélaire de Paris",
            "mineurs-ad_hoc_appointed_on": today,
        },
    )

    assert response.status_code == 302
    protection = MinorProtection.objects.get(signalement=validated)
    assert (protection.crip, protection.ad_hoc_administrator) == (crip, "Association tutélaire de Paris")
    validated.refresh_from_db()
    assert (validated.juge_des_enfants_informed, validated.procureur_informed) == (True, False)


def test_minors_track_errors_are_shown_next_to_the_fields(validated, client_as):
    validated.is_minor_presumed = True
    validated.save()

    response = client_as("miprof_agent").post(f"/dossiers/{validated.public_id}/mineurs/", {})

    assert response.status_code == 400
    content = response.content.decode()
    assert "Choisissez le conseil départemental (ASE / CRIP)." in content
    assert not MinorProtection.objects.exists()


def test_a_refusal_first_shows_its_consequence_and_changes_nothing(pending, shelters, refusal_reason):
    client = login(shelters.paris_agent)
    url = f"/orientations/{pending.public_id}/refuser/"

    response = client.post(url, {"refuser-reason": refusal_reason.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette action est irréversible" in html and "la place retenue est libérée" in html
    assert 'name="confirmed" value="1"' in html
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.PENDING

    response = client.post(url, {"refuser-reason": refusal_reason.pk, "confirmed": "1"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.REFUSED


def test_an_acse_dispatch_first_shows_its_consequence_and_changes_nothing(validated, shelters, validator, world):
    validated.exploitation_departements.set([world.nord])
    referral = referrals.request_referral(signalement=validated, by=validator, via_acse=True)

    response = login(shelters.acse_agent).post(
        f"/orientations/{referral.public_id}/confier/", {"confier-shelter": shelters.south.public_id}
    )

    assert response.status_code == 200
    assert "une place y est retenue" in response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.shelter) == (ReferralStatus.AWAITING_DISPATCH, None)
