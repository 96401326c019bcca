"""Les acteurs institutionnels de première ligne (issue 16) : police, gendarmerie, inspection du travail, ASE / CRIP
et parquet déposent des signalements avec le même formulaire, adapté, et voient seulement ce qui les concerne."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from accounts.permissions import grantable_roles
from mniop.roles import Role
from signalements.enums import ComplaintStatus, SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from signalements.services.drafts import create_draft, submit_signalement, update_draft
from tests.personas import FIRST_LINE_PERSONAS
from tests.signalements.factories import SignalementFactory, submitted_signalement


def detail_url(signalement):
    return reverse("orientation:case_detail", args=[signalement.public_id])


@pytest.mark.parametrize("persona", FIRST_LINE_PERSONAS)
def test_every_first_line_actor_files_a_signalement_with_the_same_service(world, persona):
    by = world.acting(persona)
    organisation = world.memberships[persona].organisation
    draft = create_draft(organisation=organisation, by=by, departement=world.paris, operation_reference="OP-2026-17")
    complete = SignalementFactory(organisation=organisation, created_by=by, departement=world.paris)
    draft.exploitation_forms.set(complete.exploitation_forms.all())
    update_draft(signalement=draft, by=by, consent_status=complete.consent_status, spotted_on=complete.spotted_on)

    signalement = submit_signalement(signalement=draft, by=by)

    assert signalement.status == SignalementStatus.SUBMITTED
    assert signalement.organisation == organisation
    assert SignalementEvent.objects.filter(signalement=signalement, kind=SignalementEventKind.SUBMITTED).exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("police_officer", 200),
        ("police_officer_other_unit", 404),
        ("gendarme", 404),
        ("labour_inspector", 404),
        ("child_protection_agent", 404),
        ("association_agent", 404),
        ("miprof_agent", 200),
    ],
)
def test_a_police_unit_never_sees_another_units_cases(world, client_as, persona, status):
    signalement = submitted_signalement(world, "police_officer", complaint_status=ComplaintStatus.NO)
    response = client_as(persona).get(detail_url(signalement))
    assert response.status_code == status
    assert AccessLog.objects.for_object(signalement).filter(action="read").exists() is (status == 200)


@pytest.mark.parametrize(
    "fields, visible",
    [
        ({"estimated_age": 30}, False),
        ({"estimated_age": 15}, True),
        ({"is_mna": True}, True),
        ({"estimated_age": 30, "complaint_status": ComplaintStatus.FILED}, True),
        ({"estimated_age": 30, "procureur_informed": True}, True),
    ],
)
def test_the_parquet_sees_only_what_concerns_it_in_its_jurisdiction(world, fields, visible):
    signalement = submitted_signalement(world, "association_agent", **fields)
    other_departement = submitted_signalement(world, "association_agent", departement=world.nord, is_mna=True)
    seen = Signalement.objects.visible_to(world.acting("parquet_magistrate"))
    assert seen.filter(pk=signalement.pk).exists() is visible
    assert not seen.filter(pk=other_departement.pk).exists()


def test_the_parquet_reads_a_minors_case_and_the_read_is_logged(world, client_as):
    signalement = submitted_signalement(world, "association_agent", is_mna=True)
    response = client_as("parquet_magistrate").get(detail_url(signalement))
    assert response.status_code == 200
    assert AccessLog.objects.for_object(signalement).filter(action="read").count() == 1


def test_the_child_protection_agent_does_not_see_a_minor_before_the_minors_track(world):
    signalement = submitted_signalement(world, "association_agent", is_mna=True)
    assert not Signalement.objects.visible_to(world.acting("child_protection_agent")).filter(pk=signalement.pk)


def test_the_police_intake_form_asks_for_the_operation_reference(client_as):
    text = client_as("police_officer").get(reverse("signalements:draft_create")).content.decode()
    assert "Référence de l&#x27;opération ou de la procédure" in text
    assert "CODAF" not in text


def test_the_labour_inspection_form_asks_for_opj_and_codaf(client_as):
    text = client_as("labour_inspector").get(reverse("signalements:draft_create")).content.decode()
    assert "art. 28 du code de procédure pénale" in text
    assert "CODAF ou URACTI" in text


def test_an_association_form_has_no_institution_fields(client_as):
    text = client_as("association_agent").get(reverse("signalements:draft_create")).content.decode()
    assert "Référence de l&#x27;opération" not in text
    assert "CODAF" not in text


def test_the_operation_reference_is_saved_from_the_form(world, client_as):
    response = client_as("gendarme").post(
        reverse("signalements:draft_create"),
        {"operation_reference": "OP-NORD-42", "identifying_service": "Section de recherches de Lille"},
    )
    assert response.status_code == 302
    draft = Signalement.objects.get(organisation=world.actors["gendarme"])
    assert (draft.operation_reference, draft.identifying_service) == ("OP-NORD-42", "Section de recherches de Lille")
    assert AccessLog.objects.for_object(draft).filter(action="create").exists()


@pytest.mark.parametrize(
    "persona, role",
    [
        ("police_officer", Role.POLICE_OFFICER),
        ("gendarme", Role.GENDARME),
        ("labour_inspector", Role.LABOUR_INSPECTOR),
        ("child_protection_agent", Role.CHILD_PROTECTION_AGENT),
        ("parquet_magistrate", Role.PARQUET_MAGISTRATE),
    ],
)
def test_the_miprof_admin_grants_the_role_of_the_organisation_kind(world, persona, role):
    roles = grantable_roles(world.acting("miprof_admin"), world.actors[persona])
    assert role in roles
    assert Role.POLICE_OFFICER not in roles or persona == "police_officer"


def summary_url(signalement):
    return reverse("signalements:draft_step", args=[signalement.public_id, "recapitulatif"])


IDENTITY = {"first_name": "Ana María", "last_name": "De la Cruz", "birth_date": datetime.date(1999, 4, 2)}


def test_search_before_create_warns_the_filer_without_revealing_whose(world, client_as):
    """Chercher avant de créer (issue 16) : l'unité de police apprend qu'un signalement existe probablement, sans
    savoir lequel ni quelle association l'a déposé."""
    existing = submitted_signalement(world, "association_agent", **IDENTITY)
    police = world.acting("police_officer")
    draft = SignalementFactory(
        organisation=world.actors["police_officer"], created_by=police, departement=world.paris, **IDENTITY
    )
    content = client_as("police_officer").get(summary_url(draft)).content.decode()
    assert "Un signalement existe probablement déjà pour cette personne" in content
    assert existing.reference not in content
    assert world.association.name not in content
    assert AccessLog.objects.for_object(draft).filter(action="read").exists()
    assert not AccessLog.objects.for_object(existing).exists()


def test_no_warning_without_a_matching_filed_signalement(world, client_as):
    police = world.acting("police_officer")
    draft = SignalementFactory(
        organisation=world.actors["police_officer"], created_by=police, departement=world.paris, **IDENTITY
    )
    SignalementFactory(
        organisation=world.association, departement=world.paris, **IDENTITY
    )  # un brouillon ne compte pas
    content = client_as("police_officer").get(summary_url(draft)).content.decode()
    assert "existe probablement" not in content
