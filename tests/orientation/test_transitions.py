"""Chaque transition de l'instruction et de la validation, et chaque transition refusée (domaine §11.3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification, OutboxMessage
from orientation.enums import ClockStep, DecisionKind, UrgentMeasureKind
from orientation.models import Clock, Closure, Decision, ReconsiderationRequest, UrgentMeasure
from orientation.services import decisions, triage
from orientation.services.clocks import sync_clocks
from signalements.enums import SignalementEventKind, SignalementStatus, VictimStatus
from signalements.models import InformationRequest, SignalementEvent
from tests.referents.factories import TerritoryFactory

TODAY = timezone.localdate()


def last_event(signalement):
    return SignalementEvent.objects.filter(signalement=signalement).order_by("-id").first()


def outbox(template):
    return sorted(OutboxMessage.objects.filter(template=template).values_list("recipient", flat=True))


# Instruction commencée


def test_miprof_starts_triage_and_takes_the_case(submitted, miprof):
    signalement = triage.start_triage(signalement=submitted, by=miprof)
    assert signalement.status == SignalementStatus.IN_TRIAGE
    assert signalement.assigned_to == miprof
    assert last_event(signalement).kind == SignalementEventKind.TRIAGE_STARTED
    clock = Clock.objects.get(signalement=signalement, step=ClockStep.TRIAGE)
    assert clock.started_at == submitted.submitted_at
    assert clock.working_days == 2


def test_starting_triage_twice_is_refused_with_the_current_status(in_triage, miprof):
    with pytest.raises(ValidationError, match="En traitement Miprof"):
        triage.start_triage(signalement=in_triage, by=miprof)


@pytest.mark.parametrize("persona", ["association_agent", "departmental_validator", "statistician", "platform_admin"])
def test_only_miprof_starts_triage(submitted, world, persona):
    with pytest.raises(PermissionDenied):
        triage.start_triage(signalement=submitted, by=world.acting(persona))
    submitted.refresh_from_db()
    assert submitted.status == SignalementStatus.SUBMITTED


# Attribution


def test_miprof_assigns_to_a_colleague_who_is_notified_in_app(in_triage, miprof, world):
    colleague = world.acting("miprof_admin")
    triage.assign(signalement=in_triage, to=colleague, by=miprof)
    in_triage.refresh_from_db()
    assert in_triage.assigned_to == colleague
    assert last_event(in_triage).data == {"assigned_to": str(colleague.public_id)}
    assigned = Notification.objects.filter(user=colleague).exclude(title__endswith="nouveau signalement à instruire")
    assert assigned.get().link == f"/dossiers/{in_triage.public_id}/"


def test_assigning_to_someone_outside_the_miprof_is_refused(in_triage, miprof, world):
    with pytest.raises(ValidationError) as error:
        triage.assign(signalement=in_triage, to=world.user("departmental_validator"), by=miprof)
    assert "assigned_to" in error.value.message_dict


def test_assigning_a_forwarded_signalement_is_refused(forwarded, miprof, world):
    with pytest.raises(ValidationError, match="Transmis"):
        triage.assign(signalement=forwarded, to=world.user("miprof_admin"), by=miprof)


# Qualification


def test_miprof_qualifies_forms_minor_and_competent_departement(in_triage, miprof, world, sexual_exploitation):
    assert triage.suggest_competent_departement(in_triage) == world.paris
    triage.qualify(
        signalement=in_triage,
        by=miprof,
        exploitation_forms=[sexual_exploitation],
        is_minor_presumed=True,
        competent_departement=world.nord,
    )
    in_triage.refresh_from_db()
    assert in_triage.competent_departement == world.nord
    assert in_triage.is_minor_presumed
    event = last_event(in_triage)
    assert event.kind == SignalementEventKind.QUALIFIED
    assert event.data == {"fields": ["is_minor_presumed", "competent_departement"], "competent_departement": "59"}


def test_qualifying_without_any_form_of_exploitation_is_refused(in_triage, miprof, world):
    with pytest.raises(ValidationError) as error:
        triage.qualify(
            signalement=in_triage,
            by=miprof,
            exploitation_forms=[],
            is_minor_presumed=False,
            competent_departement=world.paris,
        )
    assert error.value.message_dict == {"exploitation_forms": ["Indiquez au moins une forme d'exploitation."]}


def test_qualifying_a_submitted_signalement_is_refused(submitted, miprof, world, sexual_exploitation):
    with pytest.raises(ValidationError, match="Soumis"):
        triage.qualify(
            signalement=submitted,
            by=miprof,
            exploitation_forms=[sexual_exploitation],
            is_minor_presumed=False,
            competent_departement=world.paris,
        )


# Demande de complément


def test_requesting_information_pauses_the_triage_clock_and_tells_the_filer(in_triage, miprof, world):
    request = triage.request_information(signalement=in_triage, by=miprof, question="Quelle est sa ville actuelle ?")
    in_triage.refresh_from_db()
    assert in_triage.status == SignalementStatus.INFORMATION_REQUESTED
    assert InformationRequest.objects.get().pk == request.pk
    assert request.due_at > request.requested_at
    assert Clock.objects.get(step=ClockStep.TRIAGE).paused_at is not None
    assert Clock.objects.get(step=ClockStep.INFORMATION_REQUEST).stopped_at is None
    assert last_event(in_triage).kind == SignalementEventKind.INFORMATION_REQUESTED
    assert outbox("orientation_information_requested") == sorted(
        [world.user("association_agent").email, world.user("association_admin").email]
    )


def test_an_empty_question_is_refused(in_triage, miprof):
    with pytest.raises(ValidationError) as error:
        triage.request_information(signalement=in_triage, by=miprof, question="  ")
    assert "question" in error.value.message_dict


def test_triage_clock_resumes_with_its_remaining_days_once_answered(in_triage, miprof):
    triage.request_information(signalement=in_triage, by=miprof, question="Précisez la date.")
    # Écrit autour des services (le filet de sécurité) : l'état revient en instruction sans la transition.
    type(in_triage).objects.filter(pk=in_triage.pk).update(status=SignalementStatus.IN_TRIAGE)
    assert sync_clocks() == (0, 1)
    clock = Clock.objects.get(step=ClockStep.TRIAGE)
    assert clock.paused_at is None and clock.due_at >= timezone.now()
    assert Clock.objects.get(step=ClockStep.INFORMATION_REQUEST).stopped_at is not None
    assert sync_clocks() == (0, 0)


def test_a_submitted_signalement_gets_its_triage_clock_at_submission(submitted):
    assert Clock.objects.get(signalement=submitted).started_at == submitted.submitted_at
    assert sync_clocks()[0] == 0


# Clôtures


def test_closing_as_duplicate_links_the_original(make_submitted, miprof, in_triage):
    original = make_submitted()
    triage.close_as_duplicate(signalement=in_triage, original=original, by=miprof)
    in_triage.refresh_from_db()
    assert in_triage.status == SignalementStatus.CLOSED_DUPLICATE
    assert in_triage.duplicate_of == original
    assert Closure.objects.get(signalement=in_triage).kind == "duplicate"
    assert last_event(in_triage).data == {"original": original.reference}
    assert Clock.objects.open().filter(signalement=in_triage).count() == 0


def test_the_original_cannot_itself_be_a_duplicate(make_submitted, miprof, in_triage):
    first = make_submitted()
    second = triage.start_triage(signalement=make_submitted(), by=miprof)
    triage.close_as_duplicate(signalement=second, original=first, by=miprof)
    with pytest.raises(ValidationError, match="lui-même un doublon"):
        triage.close_as_duplicate(signalement=in_triage, original=second, by=miprof)


def test_a_signalement_cannot_be_its_own_duplicate(miprof, in_triage):
    with pytest.raises(ValidationError) as error:
        triage.close_as_duplicate(signalement=in_triage, original=in_triage, by=miprof)
    assert "original" in error.value.message_dict


def test_closing_out_of_scope_needs_a_listed_reason_and_a_comment(in_triage, miprof, sexual_exploitation):
    with pytest.raises(ValidationError) as error:
        triage.close_out_of_scope(signalement=in_triage, reason=sexual_exploitation, comment="", by=miprof)
    assert set(error.value.message_dict) == {"reason", "comment"}


def test_closing_out_of_scope_records_reason_comment_and_event(in_triage, miprof, out_of_scope_reason, world):
    triage.close_out_of_scope(
        signalement=in_triage, reason=out_of_scope_reason, comment="Aucun élément de traite.", by=miprof
    )
    in_triage.refresh_from_db()
    assert in_triage.status == SignalementStatus.CLOSED_OUT_OF_SCOPE
    assert in_triage.closure_reason == out_of_scope_reason
    assert Closure.objects.get().comment == "Aucun élément de traite."
    assert last_event(in_triage).data == {"reason": "pas_d_indice_de_traite"}
    assert world.user("association_admin").email in outbox("orientation_closed")


def test_a_closed_signalement_cannot_be_forwarded(in_triage, miprof, out_of_scope_reason, world):
    triage.close_out_of_scope(signalement=in_triage, reason=out_of_scope_reason, comment="Hors champ.", by=miprof)
    with pytest.raises(ValidationError, match="Clos"):
        triage.forward_to_departement(signalement=in_triage, by=miprof, departement=world.paris)


# Transmission


def test_forwarding_notifies_the_validators_of_that_departement_only(in_triage, miprof, world):
    triage.forward_to_departement(signalement=in_triage, by=miprof, departement=world.paris)
    in_triage.refresh_from_db()
    assert in_triage.status == SignalementStatus.FORWARDED
    assert in_triage.competent_departement == world.paris
    assert outbox("orientation_forwarded") == [world.user("departmental_validator").email]
    assert OutboxMessage.objects.get(template="orientation_forwarded").link.endswith(
        f"/dossiers/{in_triage.public_id}/decider/"
    )
    assert Clock.objects.get(step=ClockStep.TRIAGE).stopped_at is not None
    decision_clock = Clock.objects.get(step=ClockStep.DEPARTMENTAL_DECISION)
    assert decision_clock.territory == world.paris and decision_clock.working_days == 5
    assert last_event(in_triage).data == {"departement": "75"}


def test_forwarding_to_a_departement_without_validator_goes_to_the_miprof_admin(in_triage, miprof):
    """Le repli national (issue 16) : plus jamais de refus faute de valideur·se (tests/orientation/
    test_territory_fallback.py)."""
    nowhere = TerritoryFactory(code="48", name="Lozère")
    triage.forward_to_departement(signalement=in_triage, by=miprof, departement=nowhere)
    assert last_event(in_triage).data == {"departement": "48", "decider": "national"}


def test_forwarding_without_a_competent_departement_is_refused(in_triage, miprof):
    with pytest.raises(ValidationError) as error:
        triage.forward_to_departement(signalement=in_triage, by=miprof)
    assert "departement" in error.value.message_dict


def test_an_urgent_signalement_gets_one_working_day_for_the_decision(make_submitted, miprof, world):
    signalement = triage.start_triage(signalement=make_submitted(urgent=True), by=miprof)
    assert Clock.objects.get(step=ClockStep.TRIAGE).working_days == 0
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    assert Clock.objects.get(step=ClockStep.DEPARTMENTAL_DECISION).working_days == 1


# Décision


def test_validation_identifies_the_victim_and_opens_rights(forwarded, validator, world):
    decision = decisions.decide(signalement=forwarded, by=validator, kind=DecisionKind.VALIDATED)
    forwarded.refresh_from_db()
    assert forwarded.status == SignalementStatus.VALIDATED
    assert forwarded.victim_status == VictimStatus.IDENTIFIED
    assert decision.has_shelter_right and decision.has_health_care_right
    assert decision.departement == world.paris and not decision.is_reconsideration
    assert last_event(forwarded).kind == SignalementEventKind.VALIDATED
    recipients = outbox("orientation_decision")
    assert world.user("association_admin").email in recipients
    assert world.user("miprof_agent").email in recipients
    assert Clock.objects.open().filter(signalement=forwarded).count() == 0


def test_non_validation_needs_a_listed_reason_and_a_comment(forwarded, validator):
    with pytest.raises(ValidationError) as error:
        decisions.decide(signalement=forwarded, by=validator, kind=DecisionKind.NOT_VALIDATED)
    assert set(error.value.message_dict) == {"reason", "comment"}


def test_non_validation_keeps_the_victim_presumed(not_validated):
    decision = Decision.objects.get()
    assert not_validated.status == SignalementStatus.NOT_VALIDATED
    assert not_validated.victim_status == VictimStatus.PRESUMED
    assert not decision.has_shelter_right
    assert last_event(not_validated).data["reason"] == "elements_insuffisants"


def test_redirection_to_another_departement_hands_over_to_its_validators(forwarded, validator, world):
    OutboxMessage.objects.all().delete()
    decisions.decide(
        signalement=forwarded,
        by=validator,
        kind=DecisionKind.REDIRECTED,
        redirect_target="departement",
        redirected_to=world.nord,
    )
    forwarded.refresh_from_db()
    assert forwarded.status == SignalementStatus.REDIRECTED
    assert forwarded.competent_departement == world.nord
    assert outbox("orientation_forwarded") == [world.user("departmental_validator_other_departement").email]
    nord = world.acting("departmental_validator_other_departement")
    decisions.decide(signalement=forwarded, by=nord, kind=DecisionKind.VALIDATED)
    forwarded.refresh_from_db()
    assert forwarded.status == SignalementStatus.VALIDATED


def test_redirection_to_the_minors_track_ends_the_departmental_step(forwarded, validator):
    decisions.decide(signalement=forwarded, by=validator, kind=DecisionKind.REDIRECTED, redirect_target="minors_track")
    forwarded.refresh_from_db()
    assert forwarded.status == SignalementStatus.CHILD_PROTECTION
    with pytest.raises(ValidationError, match="Circuit des mineurs"):
        decisions.decide(signalement=forwarded, by=validator, kind=DecisionKind.VALIDATED)


def test_redirection_to_ones_own_departement_is_refused(forwarded, validator, world):
    with pytest.raises(ValidationError) as error:
        decisions.decide(
            signalement=forwarded,
            by=validator,
            kind=DecisionKind.REDIRECTED,
            redirect_target="departement",
            redirected_to=world.paris,
        )
    assert "redirected_to" in error.value.message_dict


def test_a_validator_of_another_departement_cannot_decide(forwarded, world):
    with pytest.raises(PermissionDenied):
        decisions.decide(
            signalement=forwarded, by=world.acting("departmental_validator_other_departement"), kind="validated"
        )


def test_miprof_cannot_decide(forwarded, miprof):
    with pytest.raises(PermissionDenied):
        decisions.decide(signalement=forwarded, by=miprof, kind="validated")


def test_deciding_before_forwarding_is_refused(in_triage, validator, world):
    type(in_triage).objects.filter(pk=in_triage.pk).update(competent_departement=world.paris)
    with pytest.raises(ValidationError, match="En traitement Miprof"):
        decisions.decide(signalement=in_triage, by=validator, kind="validated")


def test_deciding_twice_is_refused(validated, validator):
    with pytest.raises(ValidationError, match="Prise en charge validée"):
        decisions.decide(signalement=validated, by=validator, kind="validated")


# Réexamen


def test_the_filer_requests_reconsideration_once_with_its_own_clock(not_validated, filer, validator, world):
    decisions.request_reconsideration(signalement=not_validated, by=filer, motive="Nouveaux éléments recueillis.")
    not_validated.refresh_from_db()
    assert not_validated.status == SignalementStatus.FORWARDED
    assert ReconsiderationRequest.objects.get().requested_by == filer
    assert Clock.objects.open().get(signalement=not_validated).step == ClockStep.RECONSIDERATION
    assert last_event(not_validated).kind == SignalementEventKind.RECONSIDERATION_REQUESTED
    assert outbox("orientation_reconsideration") == [world.user("departmental_validator").email]
    decision = decisions.decide(signalement=not_validated, by=validator, kind="validated")
    assert decision.is_reconsideration
    assert Clock.objects.open().filter(signalement=not_validated).count() == 0


def test_a_second_reconsideration_is_refused(not_validated, filer, validator, non_validation_reason):
    decisions.request_reconsideration(signalement=not_validated, by=filer, motive="Nouveaux éléments.")
    decisions.decide(
        signalement=not_validated, by=validator, kind="not_validated", reason=non_validation_reason, comment="Non."
    )
    with pytest.raises(ValidationError, match="qu'une fois"):
        decisions.request_reconsideration(signalement=not_validated, by=filer, motive="Encore.")


def test_reconsideration_of_a_validation_is_refused(validated, filer):
    with pytest.raises(ValidationError, match="Prise en charge validée"):
        decisions.request_reconsideration(signalement=validated, by=filer, motive="Pourquoi pas.")


@pytest.mark.parametrize("persona", ["association_agent_other_org", "miprof_agent", "departmental_validator"])
def test_only_the_filing_organisation_requests_reconsideration(not_validated, world, persona):
    with pytest.raises(PermissionDenied):
        decisions.request_reconsideration(signalement=not_validated, by=world.acting(persona), motive="Motif.")


# Mesures urgentes


def test_an_urgent_measure_is_recorded_before_validation_apart_from_the_decision(submitted, miprof):
    measure = decisions.record_urgent_measure(
        signalement=submitted,
        by=miprof,
        kind=UrgentMeasureKind.ACSE_ACTIVATION,
        started_on=TODAY,
        requested_by_police=True,
    )
    submitted.refresh_from_db()
    assert submitted.status == SignalementStatus.SUBMITTED
    assert UrgentMeasure.objects.get() == measure
    assert not Decision.objects.exists()
    assert last_event(submitted).data == {"measure": "acse_activation", "requested_by_police": True}


def test_acse_is_refused_for_a_minor(make_submitted, miprof):
    signalement = make_submitted(is_minor_presumed=True)
    with pytest.raises(ValidationError, match="mineurs"):
        decisions.record_urgent_measure(
            signalement=signalement, by=miprof, kind=UrgentMeasureKind.ACSE_ACTIVATION, started_on=TODAY
        )


def test_an_urgent_measure_in_the_future_is_refused(submitted, miprof):
    with pytest.raises(ValidationError) as error:
        decisions.record_urgent_measure(
            signalement=submitted,
            by=miprof,
            kind=UrgentMeasureKind.EMERGENCY_SHELTER,
            started_on=TODAY + datetime.timedelta(days=2),
        )
    assert "started_on" in error.value.message_dict


def test_an_urgent_measure_after_the_decision_is_refused(validated, validator):
    with pytest.raises(ValidationError, match="Prise en charge validée"):
        decisions.record_urgent_measure(
            signalement=validated, by=validator, kind=UrgentMeasureKind.EMERGENCY_SHELTER, started_on=TODAY
        )


def test_the_filer_cannot_record_an_urgent_measure(submitted, filer):
    with pytest.raises(PermissionDenied):
        decisions.record_urgent_measure(
            signalement=submitted, by=filer, kind=UrgentMeasureKind.EMERGENCY_SHELTER, started_on=TODAY
        )
