"""Le circuit des mineurs va jusqu'au bout (issue 16, domaine §5.5) : la réorientation prévient l'ASE / CRIP et le
parquet du département, qui répondent dans la plateforme ; les mesures pour mineurs s'y enregistrent ; l'ASE clôt
« confié à la protection de l'enfance ». Les dossiers de mineurs sont signalés au journal d'accès."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AccessLog
from notifications.models import Notification, OutboxMessage
from orientation.enums import ChildProtectionAnswerKind, MeasureKind
from orientation.models import ChildProtectionAnswer, Measure
from orientation.services import child_protection, measures
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import SignalementEvent

A = ChildProtectionAnswerKind


def case_url(signalement, action=None):
    if action is None:
        return reverse("orientation:case_detail", args=[signalement.public_id])
    return reverse("orientation:case_action", args=[signalement.public_id, action])


def events(signalement, kind):
    return SignalementEvent.objects.filter(signalement=signalement, kind=kind)


def test_redirection_to_the_minors_track_notifies_the_ase_and_the_parquet(minor_case, world):
    assert minor_case.status == SignalementStatus.CHILD_PROTECTION
    assert events(minor_case, SignalementEventKind.REDIRECTED_TO_MINORS_TRACK).count() == 1
    recipients = sorted(OutboxMessage.objects.filter(template="minors_track").values_list("recipient", flat=True))
    assert recipients == sorted([world.user("child_protection_agent").email, world.user("parquet_magistrate").email])
    assert all(str(minor_case.public_id) in link for link in OutboxMessage.objects.values_list("link", flat=True))
    assert Notification.objects.filter(user=world.user("child_protection_agent")).exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("child_protection_agent", 200),
        ("parquet_magistrate", 200),
        ("miprof_agent", 200),
        ("police_officer", 404),
        ("labour_inspector", 404),
        ("association_agent_other_org", 404),
        ("departmental_validator_other_departement", 404),
    ],
)
def test_minors_case_access_matrix_and_every_read_is_flagged(client_as, minor_case, persona, status):
    response = client_as(persona).get(case_url(minor_case))
    assert response.status_code == status
    reads = AccessLog.objects.for_object(minor_case).filter(action="read")
    assert reads.count() == (1 if status == 200 else 0)
    assert all(reads.values_list("concerns_minor", flat=True))


def test_an_adult_case_read_is_not_flagged(client_as, case):
    client_as("miprof_agent").get(case_url(case))
    assert AccessLog.objects.for_object(case).get(action="read").concerns_minor is False


def test_the_ase_answers_from_the_case_page(client_as, minor_case, world):
    response = client_as("child_protection_agent").post(
        case_url(minor_case, "reponse-mineurs"),
        {"reponse-mineurs-kind": A.PLACEMENT, "reponse-mineurs-comment": "Accueil provisoire au foyer."},
    )
    assert response.status_code == 302
    answer = ChildProtectionAnswer.objects.get(signalement=minor_case)
    assert (answer.kind, answer.organisation) == (A.PLACEMENT, world.actors["child_protection_agent"])
    assert events(minor_case, SignalementEventKind.CHILD_PROTECTION_ANSWERED).get().data == {"answer": A.PLACEMENT}
    assert AccessLog.objects.for_object(minor_case).filter(action="update").exists()
    answered = OutboxMessage.objects.filter(template="child_protection_answered")
    notified = set(answered.values_list("recipient", flat=True))
    assert world.user("parquet_magistrate").email in notified
    assert world.user("child_protection_agent").email not in notified
    page = client_as("association_admin").get(case_url(minor_case)).content.decode()
    assert "Placement (accueil provisoire ou confié à l&#x27;ASE)" in page


def test_an_answer_without_a_kind_is_refused_in_french(client_as, minor_case):
    response = client_as("parquet_magistrate").post(case_url(minor_case, "reponse-mineurs"), {})
    assert response.status_code == 400
    assert "Choisissez une réponse." in response.content.decode()
    assert not ChildProtectionAnswer.objects.exists()


@pytest.mark.parametrize("persona", ["association_agent", "departmental_validator", "police_officer"])
def test_only_the_ase_and_the_parquet_answer(client_as, minor_case, persona):
    status = client_as(persona).post(case_url(minor_case, "reponse-mineurs"), {"reponse-mineurs-kind": A.OPP})
    assert status.status_code in (403, 404)
    assert not ChildProtectionAnswer.objects.exists()


def test_the_parquet_orders_a_provisional_placement(minor_case, world):
    child_protection.answer_child_protection(
        signalement=minor_case, by=world.acting("parquet_magistrate"), kind=A.OPP, decided_on=datetime.date.today()
    )
    assert ChildProtectionAnswer.objects.get().organisation == world.actors["parquet_magistrate"]


def test_the_ase_records_a_guardian_for_any_minor_not_only_an_mna(make_minor_case, world):
    case = make_minor_case(is_mna=False, estimated_age=14)
    measure = measures.record_measure(
        signalement=case, by=world.acting("child_protection_agent"), kind=MeasureKind.GUARDIANSHIP
    )
    assert measure.kind == MeasureKind.GUARDIANSHIP
    assert events(case, SignalementEventKind.MEASURE_RECORDED).exists()


def test_a_guardian_is_refused_for_an_adult(case, filer):
    with pytest.raises(ValidationError) as error:
        measures.record_measure(signalement=case, by=filer, kind=MeasureKind.GUARDIANSHIP)
    assert "ne concerne qu'une personne mineure" in " ".join(error.value.message_dict["kind"])
    assert not Measure.objects.filter(kind=MeasureKind.GUARDIANSHIP).exists()


def test_closure_entrusted_to_child_protection_needs_an_entrusting_answer(minor_case, world):
    ase = world.acting("child_protection_agent")
    with pytest.raises(ValidationError, match="après une réponse de prise en charge"):
        child_protection.entrust_to_child_protection(signalement=minor_case, by=ase)
    child_protection.answer_child_protection(signalement=minor_case, by=ase, kind=A.DECLINED)
    with pytest.raises(ValidationError):
        child_protection.entrust_to_child_protection(signalement=minor_case, by=ase)
    minor_case.refresh_from_db()
    assert minor_case.status == SignalementStatus.CHILD_PROTECTION


def test_the_ase_closes_the_case_entrusted_to_child_protection(client_as, minor_case, world):
    child_protection.answer_child_protection(
        signalement=minor_case, by=world.acting("child_protection_agent"), kind=A.ACCEPTED
    )
    response = client_as("child_protection_agent").post(case_url(minor_case, "confier-protection-enfance"))
    assert response.status_code == 302
    minor_case.refresh_from_db()
    assert minor_case.status == SignalementStatus.CLOSED_CHILD_PROTECTION
    event = events(minor_case, SignalementEventKind.ENTRUSTED_TO_CHILD_PROTECTION).get()
    assert event.data == {"answers": [A.ACCEPTED]}
    assert AccessLog.objects.for_object(minor_case).filter(action="update").exists()
    # Clos, le dossier reste lisible par l'ASE et le parquet.
    assert client_as("child_protection_agent").get(case_url(minor_case)).status_code == 200


def test_the_parquet_may_not_close_the_case(minor_case, world):
    parquet = world.acting("parquet_magistrate")
    child_protection.answer_child_protection(signalement=minor_case, by=parquet, kind=A.OPP)
    with pytest.raises(PermissionDenied):
        child_protection.entrust_to_child_protection(signalement=minor_case, by=parquet)


def test_the_under_15_threshold_is_derived_and_shown(client_as, make_minor_case):
    case = make_minor_case(is_mna=False, estimated_age=13)
    assert case.is_under_15
    assert "Moins de 15 ans" in client_as("child_protection_agent").get(case_url(case)).content.decode()
    older = make_minor_case(is_mna=False, estimated_age=16)
    assert not older.is_under_15
    assert "Moins de 15 ans" not in client_as("child_protection_agent").get(case_url(older)).content.decode()
