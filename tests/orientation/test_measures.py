"""Les mesures du parcours : les règles de droit de chaque mesure (domaine §11.4) avec leur message en français, le
cycle de vie, les rappels d'échéance (une seule fois), l'accès par persona aux actions."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AccessLog
from notifications.models import Notification, OutboxMessage
from orientation import tasks
from orientation.enums import MeasureKind, MeasureReminderKind, MeasureStatus
from orientation.models import Measure, MeasureReminderLog
from orientation.services import measures
from signalements.enums import ComplaintStatus, SignalementEventKind, SignalementStatus
from signalements.models import SignalementEvent
from tests.referents.factories import HabilitationFactory
from tests.signalements.factories import ReferenceValueFactory

K = MeasureKind
TODAY = datetime.date(2026, 3, 2)  # un lundi


def record(case, by, kind, **kwargs):
    return measures.record_measure(signalement=case, by=by, kind=kind, **kwargs)


def grant(measure, by, on=TODAY, ends_on=None):
    return measures.change_measure_status(measure=measure, by=by, action="accorder", on=on, ends_on=ends_on)


def messages_of(error):
    return [message for messages in error.message_dict.values() for message in messages]


def refused(case, by, kind, field="kind", **kwargs):
    with pytest.raises(ValidationError) as error:
        record(case, by, kind, **kwargs)
    assert field in error.value.message_dict
    return " ".join(error.value.message_dict[field])


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


# La validation ouvre l'hébergement et les soins


def test_a_validated_prise_en_charge_opens_granted_shelter_and_health_care(case):
    opened = list(Measure.objects.filter(signalement=case).values_list("kind", "status", "decided_on"))
    assert sorted(opened) == [
        (K.HEALTH_CARE, MeasureStatus.GRANTED, TODAY),
        (K.SHELTER, MeasureStatus.GRANTED, TODAY),
    ]
    assert case.status == SignalementStatus.VALIDATED


# Délai de réflexion


def test_the_reflection_period_is_refused_to_a_french_national(make_validated, filer):
    case = make_validated(nationalities=["FR"])
    assert "réservés aux personnes de nationalité étrangère" in refused(case, filer, K.REFLECTION_PERIOD)
    assert not Measure.objects.filter(signalement=case, kind=K.REFLECTION_PERIOD).exists()


def test_a_french_dual_national_may_not_have_a_reflection_period(make_validated, filer):
    case = make_validated(nationalities=["FR", "MA"])
    assert "même binationale" in refused(case, filer, K.REFLECTION_PERIOD)
    assert not Measure.objects.filter(signalement=case, kind=K.REFLECTION_PERIOD).exists()


def test_an_unknown_nationality_may_not_have_a_reflection_period(make_validated, filer):
    case = make_validated(nationalities=[])
    assert "nationalité inconnue doit d'abord être établie" in refused(case, filer, K.REFLECTION_PERIOD)


@pytest.mark.parametrize("nationalities", [["FR", "NG"], []])
@pytest.mark.parametrize("kind", [K.PERMIT_L425_1, K.PERMIT_L425_3, K.PERMIT_L425_4, K.PERMIT_L435_1])
def test_residence_permits_are_refused_to_dual_nationals_and_unknown_nationality(
    make_validated, filer, kind, nationalities
):
    case = make_validated(nationalities=nationalities, complaint_status=ComplaintStatus.FILED)
    assert "réservés aux personnes de nationalité étrangère" in refused(
        case, filer, kind, links_with_exploiters_broken=True, has_final_conviction=True
    )
    assert not Measure.objects.filter(signalement=case, kind=kind).exists()


def test_a_foreign_national_may_have_a_reflection_period(make_validated, filer):
    case = make_validated(nationalities=["MA", "DZ"])
    assert record(case, filer, K.REFLECTION_PERIOD).status == MeasureStatus.PROPOSED


def test_the_reflection_period_granted_lasts_exactly_30_days(case, filer):
    measure = grant(record(case, filer, K.REFLECTION_PERIOD), filer)
    assert (measure.starts_on, measure.ends_on) == (TODAY, datetime.date(2026, 3, 31))
    assert (measure.ends_on - measure.starts_on).days + 1 == 30


def test_a_reflection_period_of_another_length_is_refused(case, filer):
    measure = record(case, filer, K.REFLECTION_PERIOD)
    with pytest.raises(ValidationError) as error:
        grant(measure, filer, ends_on=datetime.date(2026, 4, 30))
    assert "dure exactement 30 jours" in " ".join(error.value.message_dict["ends_on"])
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PROPOSED


def test_the_reflection_period_is_not_renewable(case, filer):
    grant(record(case, filer, K.REFLECTION_PERIOD), filer)
    assert "n'est pas renouvelable" in refused(case, filer, K.REFLECTION_PERIOD)
    assert Measure.objects.filter(signalement=case, kind=K.REFLECTION_PERIOD).count() == 1


# Carte L425-1


def test_l425_1_requires_a_complaint_or_testimony(case, filer):
    message = refused(case, filer, K.PERMIT_L425_1, links_with_exploiters_broken=True)
    assert "suppose une plainte ou un témoignage" in message


def test_l425_1_requires_all_links_with_exploiters_broken(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    message = refused(case, filer, K.PERMIT_L425_1, field="links_with_exploiters_broken")
    assert "tout lien avec les exploiteurs soit rompu" in message


def test_a_recorded_complaint_opens_l425_1_for_one_year(case, filer):
    record(case, filer, K.COMPLAINT, status=MeasureStatus.REQUESTED)
    permit = grant(record(case, filer, K.PERMIT_L425_1, links_with_exploiters_broken=True), filer)
    assert (permit.starts_on, permit.ends_on) == (TODAY, datetime.date(2027, 3, 1))
    assert permit.legal_basis == "Art. L425-1 CESEDA"


def test_l425_1_renewal_requires_ongoing_proceedings(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    grant(record(case, filer, K.PERMIT_L425_1, links_with_exploiters_broken=True), filer)
    message = refused(case, filer, K.PERMIT_L425_1, field="proceedings_ongoing", links_with_exploiters_broken=True)
    assert "tant que la procédure pénale est en cours" in message
    renewal = record(case, filer, K.PERMIT_L425_1, links_with_exploiters_broken=True, proceedings_ongoing=True)
    assert renewal.is_renewal


# Carte de résident L425-3


def test_l425_3_requires_a_final_conviction(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    assert "condamnation définitive" in refused(case, filer, K.PERMIT_L425_3, field="has_final_conviction")


def test_l425_3_requires_a_complaint_or_testimony(case, filer):
    message = refused(case, filer, K.PERMIT_L425_3, has_final_conviction=True)
    assert "porté plainte ou témoigné" in message


def test_l425_3_is_granted_for_ten_years(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    card = grant(record(case, filer, K.PERMIT_L425_3, has_final_conviction=True), filer)
    assert card.ends_on == datetime.date(2036, 3, 1)


# Titre L425-4


def test_l425_4_is_only_for_sexual_exploitation(make_validated, filer, psp_agrement_paris):
    labour = ReferenceValueFactory(code="exploitation_travail", label="Exploitation par le travail")
    case = make_validated(exploitation_forms=[labour])
    assert "réservé aux victimes d'exploitation sexuelle" in refused(case, filer, K.PERMIT_L425_4)


def test_l425_4_is_refused_when_the_victim_cooperates(make_validated, filer, psp_agrement_paris):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    grant(record(case, filer, K.PSP), filer)
    assert "demandez la carte L425-1" in refused(case, filer, K.PERMIT_L425_4)


def test_l425_4_requires_a_psp(case, filer):
    assert "suppose un parcours de sortie de la prostitution" in refused(case, filer, K.PERMIT_L425_4)


def test_l425_4_lasts_at_least_six_months(case, filer, psp_agrement_paris):
    grant(record(case, filer, K.PSP), filer)
    permit = record(case, filer, K.PERMIT_L425_4)
    with pytest.raises(ValidationError) as error:
        grant(permit, filer, ends_on=datetime.date(2026, 6, 1))
    assert "au moins six mois" in " ".join(error.value.message_dict["ends_on"])
    assert grant(permit, filer).ends_on == datetime.date(2026, 9, 1)


# Titre L435-1


def test_l435_1_requires_fear_of_reprisals_or_humanitarian_grounds(case, filer):
    message = refused(case, filer, K.PERMIT_L435_1, field="non_cooperation_reason")
    assert "crainte de représailles" in message
    assert record(case, filer, K.PERMIT_L435_1, non_cooperation_reason="fear_of_reprisals").pk


def test_l435_1_is_refused_to_a_person_who_cooperates_with_justice(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    message = refused(case, filer, K.PERMIT_L435_1, non_cooperation_reason="fear_of_reprisals")
    assert "ne coopèrent pas avec la justice" in message
    assert not Measure.objects.filter(signalement=case, kind=K.PERMIT_L435_1).exists()


def test_l435_1_is_refused_once_a_complaint_is_recorded_as_a_measure(case, filer):
    record(case, filer, K.COMPLAINT, status=MeasureStatus.REQUESTED)
    assert "ne coopèrent pas avec la justice" in refused(
        case, filer, K.PERMIT_L435_1, non_cooperation_reason="humanitarian"
    )


# Parcours de sortie de la prostitution


def test_psp_is_proposed_by_an_association_with_the_psp_agrement_of_the_departement(
    case,
    filer,
    psp_agrement_paris,
    world,
):
    measure = record(case, filer, K.PSP)
    assert measure.proposed_by == world.association


def test_psp_is_refused_to_an_association_whose_agrement_is_for_another_departement(case, filer, world):
    HabilitationFactory(organisation=world.association, kind="psp", territory=world.nord)
    assert "agrément PSP du département Paris" in refused(case, filer, K.PSP, field="proposed_by")


def test_psp_is_refused_to_an_association_with_a_national_agrement_only(case, filer, world):
    HabilitationFactory(organisation=world.association, kind="psp", territory=None)
    assert "agrément PSP du département" in refused(case, filer, K.PSP, field="proposed_by")


# Asile


def test_asylum_requires_neither_complaint_nor_permit(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.REFUSED)
    measure = grant(record(case, filer, K.ASYLUM, status=MeasureStatus.REQUESTED), filer)
    assert measure.status == MeasureStatus.GRANTED
    assert not Measure.objects.filter(signalement=case, kind__in=list(measures.PERMITS)).exists()


# Mineurs


@pytest.mark.parametrize("kind", sorted(measures.NOT_FOR_MINORS))
def test_measures_that_do_not_apply_to_minors_are_refused(make_validated, filer, kind):
    case = make_validated(is_mna=True, complaint_status=ComplaintStatus.FILED)
    assert refused(case, filer, kind, non_cooperation_reason="humanitarian") == measures.NOT_FOR_MINORS[kind]


def test_a_minor_may_file_a_complaint_and_get_legal_aid(make_validated, filer):
    case = make_validated(is_mna=True)
    assert record(case, filer, K.COMPLAINT).pk and record(case, filer, K.LEGAL_AID).pk


# Cycle de vie


def test_the_first_measure_puts_the_case_in_follow_up_with_an_event(case, filer):
    measure = record(case, filer, K.LEGAL_AID)
    case.refresh_from_db()
    assert case.status == SignalementStatus.FOLLOW_UP
    kinds = list(SignalementEvent.objects.filter(signalement=case).values_list("kind", flat=True))
    assert kinds[-2:] == [SignalementEventKind.MEASURE_RECORDED, SignalementEventKind.FOLLOW_UP_STARTED]
    event = SignalementEvent.objects.get(signalement=case, kind=SignalementEventKind.MEASURE_RECORDED)
    assert event.data == {"measure": str(measure.public_id), "measure_kind": "legal_aid", "status": "proposed"}


def test_a_measure_goes_through_its_whole_lifecycle(case, filer):
    measure = record(case, filer, K.COMPENSATION)
    for action, status in [
        ("demander", MeasureStatus.REQUESTED),
        ("accorder", MeasureStatus.GRANTED),
        ("commencer", MeasureStatus.ONGOING),
        ("terminer", MeasureStatus.ENDED),
    ]:
        measure = measures.change_measure_status(measure=measure, by=filer, action=action, on=TODAY)
        assert measure.status == status
    assert (measure.requested_on, measure.decided_on, measure.starts_on, measure.ends_on) == (TODAY,) * 4
    updates = SignalementEvent.objects.filter(signalement=case, kind=SignalementEventKind.MEASURE_UPDATED)
    assert [(e.data["from"], e.data["status"]) for e in updates] == [
        ("proposed", "requested"),
        ("requested", "granted"),
        ("granted", "ongoing"),
        ("ongoing", "ended"),
    ]


@pytest.mark.parametrize("action", ["accorder", "commencer", "demander"])
def test_an_ended_measure_cannot_move_again(case, filer, action):
    measure = record(case, filer, K.FRANCE_TRAVAIL, status=MeasureStatus.REQUESTED)
    for step in ("accorder", "commencer", "terminer"):
        measure = measures.change_measure_status(measure=measure, by=filer, action=step, on=TODAY)
    with pytest.raises(ValidationError, match="la mesure est à l'état « Terminée »"):
        measures.change_measure_status(measure=measure, by=filer, action=action, on=TODAY)


def test_a_refused_measure_records_its_decision_date(case, filer):
    measure = record(case, filer, K.VOLUNTARY_RETURN, status=MeasureStatus.REQUESTED)
    measure = measures.change_measure_status(measure=measure, by=filer, action="refuser", on=TODAY)
    assert (measure.status, measure.decided_on) == (MeasureStatus.REFUSED, TODAY)


def test_a_decision_date_in_the_future_is_refused(case, filer):
    measure = record(case, filer, K.LEGAL_AID)
    with pytest.raises(ValidationError, match="dans le futur"):
        grant(measure, filer, on=TODAY + datetime.timedelta(days=1))


def test_no_measure_before_the_validation(forwarded, miprof):
    with pytest.raises(ValidationError, match="Impossible de proposer ou demander une mesure : le signalement est"):
        record(forwarded, miprof, K.LEGAL_AID)
    assert not Measure.objects.filter(signalement=forwarded).exists()


def test_a_territorial_referent_cannot_record_a_measure(case, world):
    with pytest.raises(PermissionDenied):
        record(case, world.acting("territorial_referent"), K.LEGAL_AID)


# Rappels d'échéance


@pytest.fixture
def reflection_period(case, filer):
    measure = grant(record(case, filer, K.REFLECTION_PERIOD), filer)  # du lundi 2 au mardi 31 mars 2026
    OutboxMessage.objects.all().delete()
    Notification.objects.all().delete()
    return measure


def test_the_end_of_the_reflection_period_is_reminded_once_five_working_days_before(reflection_period, world):
    assert tasks.send_measure_reminders() == 0  # le 2 mars : bien trop tôt
    assert measures.send_measure_reminders(today=datetime.date(2026, 3, 23)) == 0  # 6 jours ouvrés avant
    assert measures.send_measure_reminders(today=datetime.date(2026, 3, 24)) == 1  # 5 jours ouvrés avant
    assert measures.send_measure_reminders(today=datetime.date(2026, 3, 25)) == 0
    log = MeasureReminderLog.objects.get()
    assert (log.kind, log.due_on) == (MeasureReminderKind.REFLECTION_PERIOD_ENDING, datetime.date(2026, 3, 31))
    recipients = sorted(
        OutboxMessage.objects.filter(template="orientation_measure_deadline").values_list("recipient", flat=True)
    )
    assert recipients == sorted([world.user("association_agent").email, world.user("association_admin").email])
    path = f"/dossiers/{reflection_period.signalement.public_id}/#mesure-{reflection_period.public_id}"
    assert set(Notification.objects.values_list("link", flat=True)) == {path}


def test_reflection_reminder_counts_the_territory_working_days(reflection_period):
    """Fin le mardi 7 avril 2026 : le lundi 30 mars est à 5 jours ouvrés (le lundi de Pâques, 6 avril, est férié ;
    sans lui, il en resterait 6 et le rappel attendrait)."""
    Measure.objects.filter(pk=reflection_period.pk).update(ends_on=datetime.date(2026, 4, 7))
    assert measures.send_measure_reminders(today=datetime.date(2026, 3, 27)) == 0  # 6 jours ouvrés avant
    assert measures.send_measure_reminders(today=datetime.date(2026, 3, 30)) == 1


def test_a_permit_renewal_is_reminded_once_two_months_before_its_end(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    permit = grant(record(case, filer, K.PERMIT_L425_1, links_with_exploiters_broken=True), filer)
    assert permit.ends_on == datetime.date(2027, 3, 1)
    assert measures.send_measure_reminders(today=datetime.date(2026, 12, 30)) == 0
    assert measures.send_measure_reminders(today=datetime.date(2026, 12, 31)) == 1
    assert measures.send_measure_reminders(today=datetime.date(2027, 1, 15)) == 0
    assert MeasureReminderLog.objects.get().kind == MeasureReminderKind.PERMIT_RENEWAL


def test_a_permit_already_renewed_is_not_reminded(make_validated, filer):
    case = make_validated(complaint_status=ComplaintStatus.FILED)
    grant(record(case, filer, K.PERMIT_L425_1, links_with_exploiters_broken=True), filer)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC), tick=False):
        record(case, filer, K.PERMIT_L425_1, links_with_exploiters_broken=True, proceedings_ongoing=True)
    assert measures.send_measure_reminders(today=datetime.date(2026, 12, 31)) == 0
    assert not MeasureReminderLog.objects.exists()


def test_an_ended_measure_is_not_reminded(reflection_period, filer):
    measures.change_measure_status(measure=reflection_period, by=filer, action="terminer", on=TODAY)
    assert measures.send_measure_reminders(today=datetime.date(2026, 3, 24)) == 0
    assert not OutboxMessage.objects.exists()


# Pages : enregistrer et faire évoluer une mesure


def create_url(case):
    return reverse("orientation:measure_create", args=[case.public_id])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("association_agent", 302),
        ("association_admin", 302),
        ("association_agent_other_org", 404),
        ("miprof_agent", 302),
        ("miprof_admin", 302),
        ("departmental_validator", 302),
        ("departmental_validator_other_departement", 404),
        ("territorial_referent", 404),
        ("statistician", 404),
        ("platform_admin", 404),
    ],
)
def test_recording_a_measure_by_persona(client_as, case, persona, status):
    response = client_as(persona).post(create_url(case), {"mesure-kind": "legal_aid", "mesure-status": "proposed"})
    assert response.status_code == status
    assert Measure.objects.filter(signalement=case, kind=K.LEGAL_AID).exists() == (status == 302)
    if status == 302:
        assert AccessLog.objects.for_object(case).filter(action="update").exists()


def test_a_refused_rule_is_shown_in_french_next_to_the_field(client_as, make_validated):
    case = make_validated(nationalities=["FR"])
    response = client_as("association_agent").post(
        create_url(case), {"mesure-kind": "reflection_period", "mesure-status": "requested"}
    )
    assert response.status_code == 400
    assert "réservés aux personnes de nationalité étrangère" in response.content.decode()
    assert not Measure.objects.filter(signalement=case, kind=K.REFLECTION_PERIOD).exists()


def test_a_measure_without_a_kind_is_refused_next_to_the_field(client_as, case):
    response = client_as("miprof_agent").post(create_url(case), {"mesure-kind": "", "mesure-status": "proposed"})
    assert response.status_code == 400
    assert "Choisissez une mesure." in response.content.decode()
    assert case.measures.count() == 2  # l'hébergement et les soins de la validation


def test_the_validator_grants_a_measure_from_the_case_page(client_as, case):
    measure = Measure.objects.get(signalement=case, kind=K.SHELTER)
    url = reverse("orientation:measure_update", args=[case.public_id, measure.public_id])
    prefix = f"mesure-{measure.public_id}"
    response = client_as("departmental_validator").post(
        url, {f"{prefix}-action": "commencer", f"{prefix}-on": "2026-03-01"}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.starts_on) == (MeasureStatus.ONGOING, datetime.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("association_admin", 302),
        ("association_agent_other_org", 404),
        ("miprof_admin", 302),
        ("departmental_validator_other_departement", 404),
        ("statistician", 404),
    ],
)
def test_updating_a_measure_by_persona(client_as, case, persona, status):
    measure = Measure.objects.get(signalement=case, kind=K.HEALTH_CARE)
    url = reverse("orientation:measure_update", args=[case.public_id, measure.public_id])
    response = client_as(persona).post(url, {f"mesure-{measure.public_id}-action": "commencer"})
    assert response.status_code == status
    measure.refresh_from_db()
    assert (measure.status == MeasureStatus.ONGOING) == (status == 302)


def test_an_unavailable_transition_is_refused_on_the_page(client_as, case):
    measure = Measure.objects.get(signalement=case, kind=K.SHELTER)
    url = reverse("orientation:measure_update", args=[case.public_id, measure.public_id])
    prefix = f"mesure-{measure.public_id}"
    response = client_as("miprof_agent").post(url, {f"{prefix}-action": "demander"})
    assert response.status_code == 400
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.GRANTED


def test_the_case_page_offers_to_record_a_measure_while_the_case_is_followed(client_as, case):
    page = client_as("association_agent").get(reverse("orientation:case_detail", args=[case.public_id]))
    assert 'id="action-mesure"' in page.content.decode()
