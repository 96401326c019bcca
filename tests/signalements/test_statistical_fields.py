"""Les champs que les statistiques demandent (repérée ou accompagnée, nationalité résiduelle, pays de transit et de
recrutement, tuteur, indemnisation, retour) : saisis dans les étapes existantes, vérifiés au dépôt, mis à jour
pendant le parcours par un service qui écrit un événement."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from signalements.enums import SignalementEventKind
from signalements.models import SignalementEvent
from signalements.services.drafts import submission_errors
from signalements.services.statistical_fields import update_statistical_fields
from tests.signalements.factories import SignalementFactory, submitted_signalement


@pytest.fixture
def draft(world):
    agent = world.acting("association_agent")
    return SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)


def step_url(signalement, slug):
    return reverse("signalements:draft_step", args=[signalement.public_id, slug])


def test_the_situation_step_saves_the_statistical_fields(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "situation-et-besoins"),
        {
            "complaint_status": "unknown",
            "support_level": "supported",
            "has_guardian": "unknown",
            "compensation_status": "granted",
            "compensation_payer": "state",
            "return_country": "RO",
            "navigation": "next",
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.support_level, draft.compensation_status, draft.compensation_payer) == (
        "supported",
        "granted",
        "state",
    )
    assert draft.return_country == "RO"


def test_the_exploitation_step_saves_transit_and_recruitment_countries(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "exploitation"),
        {
            "place_of_exploitation": "france_only",
            "recruitment_country": "NG",
            "transit_countries": ["LY", "IT"],
            "navigation": "next",
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.recruitment_country == "NG"
    assert draft.transit_countries == ["IT", "LY"]


def test_existing_signalements_read_non_renseigne(draft):
    assert draft.get_support_level_display() == "Non renseigné"
    assert draft.get_compensation_status_display() == "Non renseigné"
    assert draft.nationality_residual == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"nationalities": ["FR"], "nationality_residual": "unknown_eu"}, "nationality_residual"),
        ({"estimated_age": 30, "has_guardian": "yes"}, "has_guardian"),
        ({"compensation_status": "requested", "compensation_payer": "offender"}, "compensation_payer"),
        ({"return_country": "FR"}, "return_country"),
    ],
)
def test_incoherent_statistical_fields_are_explained_in_french(draft, fields, field):
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save()

    assert field in submission_errors(draft)


def test_a_guardian_is_accepted_for_a_minor_who_is_not_mna(draft):
    draft.estimated_age = 15
    draft.has_guardian = "yes"
    draft.save()

    assert "has_guardian" not in submission_errors(draft)


def test_the_filing_association_updates_support_level_during_the_journey(world):
    signalement = submitted_signalement(world)

    update_statistical_fields(signalement=signalement, by=world.acting("association_admin"), support_level="supported")

    signalement.refresh_from_db()
    assert signalement.support_level == "supported"
    event = SignalementEvent.objects.get(signalement=signalement, kind=SignalementEventKind.STATISTICAL_FIELDS_UPDATED)
    assert event.data == {"fields": ["support_level"]}


def test_another_organisation_cannot_update_the_statistical_fields(world):
    signalement = submitted_signalement(world)

    with pytest.raises(PermissionDenied):
        update_statistical_fields(
            signalement=signalement, by=world.acting("association_admin_other_org"), support_level="supported"
        )


def test_an_incoherent_update_is_refused(world):
    signalement = submitted_signalement(world)

    with pytest.raises(ValidationError) as error:
        update_statistical_fields(
            signalement=signalement, by=world.acting("miprof_agent"), compensation_payer="offender"
        )

    assert "compensation_payer" in error.value.message_dict
    assert not SignalementEvent.objects.filter(kind=SignalementEventKind.STATISTICAL_FIELDS_UPDATED).exists()


def test_a_situation_step_saved_without_the_statistical_fields_keeps_non_renseigne(draft, client_as):
    response = client_as("association_agent").post(
        step_url(draft, "situation-et-besoins"), {"complaint_status": "unknown", "navigation": "next"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.support_level, draft.has_guardian, draft.compensation_status) == ("unknown", "unknown", "unknown")
