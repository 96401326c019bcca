"""Les alertes dont la Miprof a besoin (issue 16) : un dossier suivi sans activité depuis N jours ouvrés (une seule
alerte par dossier et par période sans activité, la référence seulement), un département dont l'annuaire n'a pas une
catégorie obligatoire (chaque semaine, la liste des territoires et des catégories)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from directory import tasks as directory_tasks
from directory.services import alert_coverage_gaps
from notifications.models import Notification, OutboxMessage
from notifications.services import deliver
from orientation import tasks
from orientation.enums import MeasureKind
from orientation.models import InactivityAlert
from orientation.services import decisions, measures, triage
from orientation.services.alerts import alert_inactive_cases
from orientation.services.clocks import update_clock_settings
from referents.enums import REQUIRED_CATEGORIES
from tests.referents.factories import DirectoryEntryFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
#: Le dossier est validé le lundi 8 mars 2027 ; dix jours ouvrés plus tard (aucun jour férié entre), le lundi 22.
VALIDATED_AT = datetime.datetime(2027, 3, 8, 10, 0, tzinfo=PARIS)


@pytest.fixture
def followed(forwarded, validator):
    with time_machine.travel(VALIDATED_AT, tick=False):
        decisions.decide(signalement=forwarded, by=validator, kind="validated")
    forwarded.refresh_from_db()
    return forwarded


def at(day, hour=8):
    return datetime.datetime(2027, 3, day, hour, 0, tzinfo=PARIS)


def inactivity_notifications():
    return Notification.objects.filter(title__endswith="sans activité depuis 10 jours ouvrés")


def test_a_followed_case_without_activity_for_ten_working_days_alerts_the_miprof_team(world, followed):
    assert alert_inactive_cases(now=at(22)) == 1
    notifications = inactivity_notifications().order_by("user__email")
    assert sorted(n.user.email for n in notifications) == sorted(
        [world.user("miprof_agent").email, world.user("miprof_admin").email]
    )
    assert {n.title for n in notifications} == {
        f"{followed.reference} : dossier suivi sans activité depuis 10 jours ouvrés"
    }
    assert {n.link for n in notifications} == {f"/dossiers/{followed.public_id}/"}
    assert OutboxMessage.objects.filter(template="case_inactive").count() == 2
    assert InactivityAlert.objects.get().signalement == followed


def test_nine_working_days_are_not_enough(followed):
    """Le vendredi 19 mars : neuf jours ouvrés seulement (les samedis et dimanches ne comptent pas)."""
    assert alert_inactive_cases(now=at(19, 20)) == 0
    assert not inactivity_notifications().exists()


def test_the_alert_is_sent_once_per_period_even_if_the_task_runs_again(followed):
    assert alert_inactive_cases(now=at(22)) == 1
    assert alert_inactive_cases(now=at(23)) == 0
    with time_machine.travel(at(24), tick=False):
        tasks.alert_inactive_cases()
    assert InactivityAlert.objects.count() == 1
    assert inactivity_notifications().count() == 2


def test_new_activity_opens_a_new_period(followed, world):
    assert alert_inactive_cases(now=at(22)) == 1
    with time_machine.travel(at(23, 9), tick=False):
        measures.record_measure(signalement=followed, by=world.acting("association_agent"), kind=MeasureKind.COMPLAINT)
    # Du 23 mars au 7 avril : dix jours ouvrés, le lundi de Pâques (29 mars) ne compte pas.
    assert alert_inactive_cases(now=datetime.datetime(2027, 4, 6, 20, 0, tzinfo=PARIS)) == 0
    assert alert_inactive_cases(now=datetime.datetime(2027, 4, 7, 8, 0, tzinfo=PARIS)) == 1
    assert InactivityAlert.objects.count() == 2


def test_the_number_of_days_is_a_clock_setting(followed, world):
    update_clock_settings(by=world.acting("miprof_admin"), inactivity_alert_days=3)
    assert alert_inactive_cases(now=at(11)) == 1
    assert Notification.objects.filter(title__endswith="sans activité depuis 3 jours ouvrés").exists()


def test_a_case_still_in_triage_is_not_a_followed_case(in_triage):
    assert alert_inactive_cases(now=datetime.datetime(2027, 1, 4, 8, 0, tzinfo=PARIS)) == 0


def test_the_inactivity_email_carries_no_personal_data(followed):
    followed.first_name, followed.last_name = "Ioana", "Popescu"
    followed.save(update_fields=["first_name", "last_name"])
    alert_inactive_cases(now=at(22))
    message = OutboxMessage.objects.filter(template="case_inactive").first()
    assert deliver(message_id=message.pk) is True
    sent = mail.outbox[0]
    for value in ["Ioana", "Popescu"]:
        assert value not in sent.body and value not in sent.subject
    assert f"/dossiers/{followed.public_id}/" in sent.body


@pytest.fixture
def five_followed(make_submitted, miprof, validator, world):
    cases = []
    with time_machine.travel(VALIDATED_AT, tick=False):
        for _ in range(5):
            signalement = triage.start_triage(signalement=make_submitted(), by=miprof)
            triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
            decisions.decide(signalement=signalement, by=validator, kind="validated")
            cases.append(signalement)
    return cases


def test_five_inactive_cases_give_one_email_per_recipient(world, five_followed):
    assert alert_inactive_cases(now=at(22)) == 5
    emails = OutboxMessage.objects.filter(template="case_inactive")
    assert sorted(emails.values_list("recipient", flat=True)) == sorted(
        [world.user("miprof_agent").email, world.user("miprof_admin").email]
    )
    assert InactivityAlert.objects.count() == 5
    assert inactivity_notifications().count() == 10  # une par dossier et par personne, chacune vers son dossier


def test_the_digest_lists_the_reference_and_link_of_each_newly_inactive_case(world, five_followed):
    for case in five_followed:
        case.first_name, case.last_name = "Ioana", "Popescu"
        case.save(update_fields=["first_name", "last_name"])
    alert_inactive_cases(now=at(22))
    message = OutboxMessage.objects.filter(template="case_inactive").first()
    assert deliver(message_id=message.pk) is True
    body = mail.outbox[0].body
    for case in five_followed:
        case.refresh_from_db()
        assert case.reference in body
        assert f"/dossiers/{case.public_id}/" in body
    assert "5 dossiers suivis" in body
    assert "Ioana" not in body and "Popescu" not in body


def test_the_next_run_sends_no_digest_when_no_case_newly_became_inactive(world, five_followed):
    alert_inactive_cases(now=at(22))
    assert alert_inactive_cases(now=at(23)) == 0
    assert OutboxMessage.objects.filter(template="case_inactive").count() == 2


# --- Catégories obligatoires manquantes ---------------------------------------------------------------------------


def test_a_departement_missing_a_mandatory_category_is_listed_to_the_miprof_admin(world):
    for category in REQUIRED_CATEGORIES:
        DirectoryEntryFactory(category=category, territories=[world.paris, world.nord])
    assert alert_coverage_gaps(today=datetime.date(2026, 3, 9)) == 1
    message = OutboxMessage.objects.get(template="directory_coverage_gaps")
    assert message.recipient == world.user("miprof_admin").email
    assert [gap["code"] for gap in message.context["gaps"]] == ["13"]
    assert deliver(message_id=message.pk) is True
    body = mail.outbox[0].body
    assert "- Bouches-du-Rhône (13) : Parquet, " in body
    assert "(75)" not in body and "(59)" not in body
    assert "/annuaire/couverture/" in body


def test_the_coverage_alert_is_sent_once_a_week(world):
    assert alert_coverage_gaps(today=datetime.date(2026, 3, 9)) == 1
    assert alert_coverage_gaps(today=datetime.date(2026, 3, 11)) == 0
    assert alert_coverage_gaps(today=datetime.date(2026, 3, 16)) == 1


def test_a_complete_directory_sends_no_coverage_alert(world):
    for category in REQUIRED_CATEGORIES:
        DirectoryEntryFactory(category=category, territories=[world.paris, world.nord, world.bouches_du_rhone])
    assert alert_coverage_gaps(today=datetime.date(2026, 3, 9)) == 0
    assert not OutboxMessage.objects.filter(template="directory_coverage_gaps").exists()


def test_the_coverage_task_runs_the_service(world):
    assert directory_tasks.alert_coverage_gaps() == 1


@pytest.mark.parametrize(
    ("entry", "task"),
    [
        ("orientation-alerter-dossiers-sans-activite", "orientation.tasks.alert_inactive_cases"),
        ("annuaire-alerter-categories-manquantes", "directory.tasks.alert_coverage_gaps"),
    ],
)
def test_the_alerts_are_in_the_beat_schedule(entry, task):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] == task
