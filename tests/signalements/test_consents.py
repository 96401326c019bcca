"""Le consentement par finalité : saisi à l'étape « Consentement » du formulaire (une décision par finalité, la date,
la forme, le témoin, la langue de la notice), vérifié au dépôt, modifiable ensuite par le service ; l'ancien booléen
`consent_to_data_sharing` repris fidèlement par la migration."""

import datetime
import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from signalements.enums import ConsentDecision, ConsentForm, ConsentPurpose, SignalementEventKind
from signalements.models import Consent, Signalement
from signalements.services.consents import record_consent
from signalements.services.drafts import submission_errors, update_draft
from tests.signalements.factories import SignalementFactory, submitted_signalement

TODAY = timezone.localdate()
legacy = importlib.import_module("signalements.migrations.0011_consent_per_purpose")


@pytest.fixture
def agent(world):
    return world.acting("association_agent")


@pytest.fixture
def draft(world, agent):
    return SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris, consents=[])


def decisions(signalement):
    return dict(Consent.objects.filter(signalement=signalement).values_list("purpose", "decision"))


def test_the_consent_step_records_one_decision_per_purpose(draft, client_as):
    response = client_as("association_agent").post(
        reverse("signalements:draft_step", args=[draft.public_id, "consentement"]),
        {
            "consent_status": "given",
            "consent_language": "uk",
            "consent_shelter": "given",
            "consent_police_justice": "refused",
            "consent_association": "given",
            "consent_statistics": "unknown",
            "consent_given_on": TODAY.isoformat(),
            "consent_form": "oral_witnessed",
            "consent_witness": "Interprète de l'association",
            "navigation": "next",
        },
    )

    assert response.status_code == 302
    assert decisions(draft) == {
        "shelter": "given",
        "police_justice": "refused",
        "association": "given",
        "statistics": "unknown",
    }
    shelter = Consent.objects.get(signalement=draft, purpose="shelter")
    assert (shelter.decided_on, shelter.form, shelter.witness) == (
        TODAY,
        "oral_witnessed",
        "Interprète de l'association",
    )
    event = draft.events.filter(kind=SignalementEventKind.DRAFT_SAVED).last()
    assert "consent_shelter" in event.data["fields"]
    # L'étape relue montre ce qui a été saisi.
    page = client_as("association_agent").get(
        reverse("signalements:draft_step", args=[draft.public_id, "consentement"])
    )
    assert 'value="oral_witnessed" selected' in page.content.decode() or "Interprète de l&#x27;association" in (
        page.content.decode()
    )


def test_a_given_consent_is_submitted_with_its_date_form_and_notice_language(draft, agent):
    draft = update_draft(signalement=draft, by=agent, consent_shelter="given", consent_language="ar")

    errors = submission_errors(draft)

    assert errors["consent_given_on"] == "Indiquez la date à laquelle la personne a donné son consentement."
    assert errors["consent_form"] == "Indiquez la forme du consentement : écrit, ou oral devant témoin."
    assert "portugais" in errors["consent_language"]


def test_an_oral_consent_needs_a_witness(draft, agent):
    update_draft(
        signalement=draft,
        by=agent,
        consent_shelter="given",
        consent_given_on=TODAY,
        consent_form=ConsentForm.ORAL_WITNESSED,
        consent_language="fr",
    )
    assert submission_errors(draft)["consent_witness"].startswith("Un consentement oral se recueille devant témoin")


def test_a_consent_date_in_the_future_is_refused(draft, agent):
    with pytest.raises(ValidationError, match="ne peut pas être dans le futur"):
        update_draft(signalement=draft, by=agent, consent_given_on=TODAY + datetime.timedelta(days=1))


def test_the_filing_organisation_updates_a_consent_after_submission_and_it_is_logged(world):
    signalement = submitted_signalement(world, consents=[])
    by = world.acting("association_agent")

    with transaction.atomic():
        consent = record_consent(
            signalement=signalement,
            purpose=ConsentPurpose.POLICE_JUSTICE,
            decision=ConsentDecision.GIVEN,
            decided_on=TODAY,
            form=ConsentForm.WRITTEN,
            notice_language="ro",
            by=by,
        )

    assert (consent.decision, consent.notice_language, consent.recorded_by) == ("given", "ro", by)
    event = signalement.events.get(kind=SignalementEventKind.CONSENT_RECORDED)
    assert event.data == {"purpose": "police_justice", "decision": "given"}


def test_a_validator_cannot_record_a_consent(world, validated_for_paris):
    with pytest.raises(PermissionDenied):
        record_consent(
            signalement=validated_for_paris,
            purpose=ConsentPurpose.SHELTER,
            decision=ConsentDecision.REFUSED,
            by=world.acting("departmental_validator"),
        )


@pytest.fixture
def validated_for_paris(world):
    return submitted_signalement(world)


def test_a_given_consent_without_date_or_form_is_refused(world):
    signalement = submitted_signalement(world)
    with pytest.raises(ValidationError) as error:
        record_consent(
            signalement=signalement,
            purpose=ConsentPurpose.STATISTICS,
            decision=ConsentDecision.GIVEN,
            by=world.acting("miprof_agent"),
        )
    assert set(error.value.message_dict) == {"decided_on", "form", "notice_language"}


@pytest.mark.parametrize(
    "status, sharing, expected",
    [
        ("given", True, {"shelter": "given", "association": "given", "police_justice": None, "statistics": None}),
        ("given", False, {"shelter": None, "association": None, "police_justice": None, "statistics": None}),
        (
            "refused_anonymous",
            False,
            {"shelter": "refused", "association": "refused", "police_justice": "refused", "statistics": None},
        ),
        (
            "not_required_minor",
            False,
            {"shelter": None, "association": None, "police_justice": None, "statistics": None},
        ),
        ("", False, {"shelter": None, "association": None, "police_justice": None, "statistics": None}),
    ],
)
def test_the_migration_keeps_what_was_recorded_and_guesses_nothing(status, sharing, expected):
    """« Accord pour le partage des données avec les acteurs de sa prise en charge » : hébergement / Ac.Sé et autre
    association ; une case non cochée ne distingue pas refus et question non posée : non renseigné."""
    got = {purpose: legacy.legacy_decision(status, sharing, purpose)[0] for purpose in expected}
    assert got == expected


def test_a_refused_or_withdrawn_statistics_consent_takes_the_case_out_of_statistics(world):
    counted = submitted_signalement(world)
    refused = submitted_signalement(world, consents={"statistics": "refused"})
    unknown = submitted_signalement(world, consents={})
    withdrawn = submitted_signalement(world, consents={"statistics": "withdrawn"})

    assert set(Signalement.objects.counted_in_statistics()) == {counted, unknown}
    assert refused not in Signalement.objects.counted_in_statistics() and withdrawn
