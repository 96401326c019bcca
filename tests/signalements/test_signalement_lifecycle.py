"""Le signalement, du brouillon au dépôt : services, règles du dépôt, journal et visibilité."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from mniop.roles import Role
from notifications.models import OutboxMessage
from referents.enums import HabilitationKind
from signalements.enums import ConsentStatus, ReferenceCategory, SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from signalements.permissions import can_create_signalement, can_edit_signalement, can_submit_signalement
from signalements.services.drafts import create_draft, submit_signalement, update_draft
from tests.accounts.factories import MembershipFactory
from tests.callbacks import deliveries
from tests.personas import FIRST_LINE_PERSONAS, PERSONAS, acting_as
from tests.referents.factories import HabilitationFactory, OrganisationFactory
from tests.signalements.factories import ReferenceValueFactory, SignalementFactory

TODAY = timezone.localdate()


@pytest.fixture
def agent(world):
    return world.acting("association_agent")


@pytest.fixture
def sexual_exploitation(db):
    return ReferenceValueFactory(code="exploitation_sexuelle", label="Exploitation sexuelle")


@pytest.fixture
def draft(world, agent):
    return SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)


def complete_draft(world, by, **fields):
    """Un brouillon complet de l'association de Paris ; `fields` en retire ou en fausse une partie."""
    return SignalementFactory(
        **{"organisation": world.association, "created_by": by, "departement": world.paris} | fields
    )


# Brouillon


def test_agent_creates_a_draft_with_an_event(world, agent, sexual_exploitation):
    signalement = create_draft(
        organisation=world.association,
        by=agent,
        departement=world.paris,
        pseudonym="Rose",
        exploitation_forms=[sexual_exploitation],
    )
    assert signalement.status == SignalementStatus.DRAFT
    assert signalement.reference is None
    assert list(signalement.exploitation_forms.all()) == [sexual_exploitation]
    event = SignalementEvent.objects.get(signalement=signalement)
    assert event.kind == SignalementEventKind.CREATED
    assert event.actor == agent
    assert event.organisation == world.association
    assert event.data == {"fields": ["departement", "exploitation_forms", "pseudonym"]}


def test_agent_cannot_create_a_draft_for_another_organisation(world, agent):
    with pytest.raises(PermissionDenied):
        create_draft(organisation=world.other_association, by=agent)
    assert not Signalement.objects.exists()


@pytest.mark.parametrize(
    "persona, allowed",
    [(persona, persona.startswith("association_") or persona in FIRST_LINE_PERSONAS) for persona in PERSONAS],
)
def test_only_association_members_and_first_line_actors_may_create_a_signalement(world, persona, allowed):
    assert can_create_signalement(world.acting(persona)) is allowed


def test_statistician_cannot_create_a_draft(world):
    with pytest.raises(PermissionDenied):
        create_draft(organisation=world.miprof, by=world.acting("statistician"))


def test_update_draft_logs_the_field_names_not_the_values(draft, agent):
    update_draft(signalement=draft, by=agent, first_name="Amina", urgent=True)
    draft.refresh_from_db()
    assert draft.first_name == "Amina"
    assert draft.urgent
    event = SignalementEvent.objects.get(signalement=draft, kind=SignalementEventKind.DRAFT_SAVED)
    assert event.data == {"fields": ["first_name", "urgent"]}
    assert "Amina" not in str(event.data)


def test_update_draft_without_change_writes_no_event(draft, agent):
    update_draft(signalement=draft, by=agent, pseudonym=draft.pseudonym)
    assert not SignalementEvent.objects.filter(signalement=draft).exists()


def test_update_draft_rejects_a_value_from_another_list(draft, agent):
    sector = ReferenceValueFactory(category=ReferenceCategory.SECTOR, code="agriculture", label="Agriculture")
    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, exploitation_forms=[sector])
    assert error.value.message_dict == {
        "exploitation_forms": ["Une valeur n'appartient pas à la bonne liste de référence."]
    }


def test_update_draft_normalises_nationalities(draft, agent):
    update_draft(signalement=draft, by=agent, nationalities=["ng", "RO", "ng"])
    draft.refresh_from_db()
    assert draft.nationalities == ["NG", "RO"]


def test_update_draft_rejects_a_malformed_nationality(draft, agent):
    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, nationalities=["Nigeria"])
    assert "nationalities" in error.value.message_dict


def test_association_admin_can_edit_an_agent_draft(world, draft):
    update_draft(signalement=draft, by=world.acting("association_admin"), urgent=True)
    draft.refresh_from_db()
    assert draft.urgent


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("association_agent", "association_admin")])
def test_others_cannot_edit_the_draft(world, draft, persona):
    user = world.acting(persona)
    assert not can_edit_signalement(user, draft)
    with pytest.raises(PermissionDenied):
        update_draft(signalement=draft, by=user, urgent=True)


def test_another_agent_of_the_same_organisation_cannot_edit_the_draft(world, draft):
    colleague = acting_as(MembershipFactory(organisation=world.association, role=Role.ASSOCIATION_AGENT))
    with pytest.raises(PermissionDenied):
        update_draft(signalement=draft, by=colleague, urgent=True)


# Dépôt


def test_submit_assigns_a_reference_and_the_submitted_status(draft, agent):
    signalement = submit_signalement(signalement=draft, by=agent)
    signalement.refresh_from_db()
    assert re.fullmatch(rf"MNIOP-{TODAY.year}-\d{{6}}", signalement.reference)
    assert signalement.status == SignalementStatus.SUBMITTED
    assert signalement.submitted_by == agent
    assert signalement.submitted_at is not None


def test_submit_references_increment(world, agent):
    first = submit_signalement(signalement=complete_draft(world, agent), by=agent)
    second = submit_signalement(signalement=complete_draft(world, agent), by=agent)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_submit_writes_an_event_and_one_outbox_message_per_miprof_member(
    world, draft, agent, django_capture_on_commit_callbacks
):
    MembershipFactory(organisation=world.miprof, role=Role.MIPROF_AGENT, is_active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        submit_signalement(signalement=draft, by=agent)
    event = SignalementEvent.objects.get(signalement=draft, kind=SignalementEventKind.SUBMITTED)
    draft.refresh_from_db()
    assert event.actor == agent
    assert event.data == {"reference": draft.reference, "urgent": False}
    messages = OutboxMessage.objects.filter(template="signalement_submitted")
    assert sorted(messages.values_list("recipient", flat=True)) == sorted(
        [world.user("miprof_agent").email, world.user("miprof_admin").email]
    )
    assert all(message.link.endswith(f"/dossiers/{draft.public_id}/") for message in messages)
    assert len(deliveries(callbacks)) == 2


def test_submit_is_refused_without_a_mniop_habilitation(world):
    organisation = OrganisationFactory(territories=[world.paris])
    user = acting_as(MembershipFactory(organisation=organisation, role=Role.ASSOCIATION_AGENT))
    signalement = SignalementFactory(organisation=organisation, created_by=user, departement=world.paris)
    assert not can_submit_signalement(user, signalement)
    with pytest.raises(PermissionDenied, match="Votre organisation n'a pas d'habilitation MNIOP valide"):
        submit_signalement(signalement=signalement, by=user)
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.DRAFT
    assert not OutboxMessage.objects.exists()


def test_submit_is_refused_with_an_expired_habilitation(world):
    organisation = OrganisationFactory(territories=[world.paris])
    HabilitationFactory(
        organisation=organisation,
        kind=HabilitationKind.MNIOP,
        starts_on=TODAY - datetime.timedelta(days=400),
        ends_on=TODAY - datetime.timedelta(days=1),
    )
    user = acting_as(MembershipFactory(organisation=organisation, role=Role.ASSOCIATION_AGENT))
    signalement = SignalementFactory(organisation=organisation, created_by=user, departement=world.paris)
    ended_on = (TODAY - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    with pytest.raises(PermissionDenied, match=f"L'habilitation MNIOP de votre organisation a pris fin le {ended_on}"):
        submit_signalement(signalement=signalement, by=user)


def test_update_after_submit_is_refused(draft, agent):
    submit_signalement(signalement=draft, by=agent)
    with pytest.raises(ValidationError, match="son contenu ne peut plus être modifié"):
        update_draft(signalement=draft, by=agent, first_name="Amina")


def test_submit_twice_is_refused(draft, agent):
    submit_signalement(signalement=draft, by=agent)
    with pytest.raises(ValidationError, match="déjà été déposé"):
        submit_signalement(signalement=draft, by=agent)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"departement": None}, "departement", "Indiquez le département du signalement."),
        ({"spotted_on": None}, "spotted_on", "Indiquez la date de repérage."),
        (
            {"spotted_on": TODAY + datetime.timedelta(days=1)},
            "spotted_on",
            "La date de repérage ne peut pas être dans le futur.",
        ),
        ({"exploitation_forms": []}, "exploitation_forms", "Indiquez au moins une forme d'exploitation."),
        (
            {"consent_status": ""},
            "consent_status",
            "Indiquez si le consentement de la personne a été recueilli.",
        ),
        (
            {"birth_date": TODAY + datetime.timedelta(days=1)},
            "birth_date",
            "La date de naissance ne peut pas être dans le futur.",
        ),
        (
            {"birth_date": datetime.date(1899, 12, 31)},
            "birth_date",
            "La date de naissance ne peut pas être antérieure à 1900.",
        ),
        (
            {"is_mna": True, "estimated_age": 30},
            "is_mna",
            "Un mineur non accompagné a moins de 18 ans : vérifiez l'âge ou la case MNA.",
        ),
        (
            {"consent_status": ConsentStatus.REFUSED_ANONYMOUS, "first_name": "Amina"},
            "first_name",
            "Sans consentement, le signalement est anonyme : retirez le prénom.",
        ),
        (
            {"consent_status": ConsentStatus.REFUSED_ANONYMOUS, "last_name": "Diallo"},
            "last_name",
            "Sans consentement, le signalement est anonyme : retirez le nom.",
        ),
        (
            {"consent_status": ConsentStatus.REFUSED_ANONYMOUS, "birth_date": datetime.date(1990, 5, 1)},
            "birth_date",
            "Sans consentement, le signalement est anonyme : retirez la date de naissance.",
        ),
        (
            {"consent_status": ConsentStatus.NOT_REQUIRED_MINOR, "estimated_age": 25},
            "consent_status",
            "Le consentement ne peut être omis que pour une personne mineure.",
        ),
    ],
)
def test_submit_rules(world, agent, fields, field, message):
    signalement = complete_draft(world, agent, **fields)
    with pytest.raises(ValidationError) as error:
        submit_signalement(signalement=signalement, by=agent)
    assert error.value.message_dict == {field: [message]}
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.DRAFT
    assert signalement.reference is None
    assert not SignalementEvent.objects.filter(kind=SignalementEventKind.SUBMITTED).exists()


def test_submit_marks_an_mna_as_presumed_minor(world, agent):
    signalement = submit_signalement(signalement=complete_draft(world, agent, is_mna=True), by=agent)
    signalement.refresh_from_db()
    assert signalement.is_minor_presumed
    assert signalement.is_minor


def test_submit_with_refused_consent_makes_the_signalement_anonymous(world, agent):
    signalement = complete_draft(world, agent, consent_status=ConsentStatus.REFUSED_ANONYMOUS)
    submit_signalement(signalement=signalement, by=agent)
    signalement.refresh_from_db()
    assert signalement.is_anonymous


def test_consent_is_not_required_for_a_minor(world, agent):
    signalement = complete_draft(world, agent, consent_status=ConsentStatus.NOT_REQUIRED_MINOR, estimated_age=15)
    submit_signalement(signalement=signalement, by=agent)
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.SUBMITTED


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({}, False),
        ({"is_mna": True}, True),
        ({"is_minor_presumed": True}, True),
        ({"estimated_age": 17}, True),
        ({"estimated_age": 18}, False),
        ({"birth_date": datetime.date(2010, 6, 2), "spotted_on": datetime.date(2028, 6, 1)}, True),
        ({"birth_date": datetime.date(2010, 6, 2), "spotted_on": datetime.date(2028, 6, 2)}, False),
    ],
)
def test_is_minor(fields, expected):
    assert Signalement(**fields).is_minor is expected


# Journal


def test_events_cannot_be_updated(draft, agent):
    submit_signalement(signalement=draft, by=agent)
    with pytest.raises(DatabaseError), transaction.atomic():
        SignalementEvent.objects.filter(signalement=draft).update(data={})


def test_events_cannot_be_deleted(draft, agent):
    submit_signalement(signalement=draft, by=agent)
    with pytest.raises(DatabaseError), transaction.atomic():
        SignalementEvent.objects.filter(signalement=draft).delete()


# Visibilité


@pytest.fixture
def signalements(world):
    """A : brouillon de l'agent ; B : déposé par l'agent ; C : brouillon de l'administrateur ;
    D : déposé par une autre structure, dans le Nord ; E : transmis au département de Paris ; F : déposé par une
    unité de police de Paris."""
    agent = world.user("association_agent")
    admin = world.user("association_admin")
    outsider = MembershipFactory(organisation=world.other_association, role=Role.ASSOCIATION_AGENT).user
    submitted = SignalementStatus.SUBMITTED
    return {
        "A": SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris),
        "B": SignalementFactory(
            organisation=world.association, created_by=agent, departement=world.paris, status=submitted
        ),
        "C": SignalementFactory(organisation=world.association, created_by=admin, departement=world.paris),
        "D": SignalementFactory(
            organisation=world.other_association, created_by=outsider, departement=world.nord, status=submitted
        ),
        "E": SignalementFactory(
            organisation=world.association,
            created_by=admin,
            departement=world.paris,
            status=SignalementStatus.FORWARDED,
        ),
        "F": SignalementFactory(
            organisation=world.actors["police_officer"],
            created_by=world.user("police_officer"),
            departement=world.paris,
            status=submitted,
        ),
    }


VISIBLE = {
    "association_agent": "AB",
    "association_admin": "ABCE",
    "association_agent_other_org": "",
    "association_admin_other_org": "D",
    "miprof_agent": "BDEF",
    "miprof_admin": "BDEF",
    "departmental_validator": "E",
    "departmental_validator_other_departement": "",
    "territorial_referent": "",
    "statistician": "",
    "platform_admin": "",
    "police_officer": "F",
    "police_officer_other_unit": "",
    "gendarme": "",
    "labour_inspector": "",
    "child_protection_agent": "",
    "parquet_magistrate": "",
}


def test_visibility_covers_every_persona():
    assert set(VISIBLE) == set(PERSONAS)


@pytest.mark.parametrize("persona, expected", list(VISIBLE.items()))
def test_visible_to(world, signalements, persona, expected):
    visible = Signalement.objects.visible_to(world.acting(persona))
    names = {name for name, signalement in signalements.items() if signalement in visible}
    assert "".join(sorted(names)) == expected


def test_nobody_without_a_current_membership_sees_anything(world, signalements):
    assert not Signalement.objects.visible_to(world.user("miprof_agent")).exists()
