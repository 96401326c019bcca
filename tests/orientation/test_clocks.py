"""Les délais en jours ouvrés du territoire : week-end, jour férié de métropole, jour férié d'outre-mer seulement,
suspension et reprise, délais urgents, réglages de la Miprof, affichage à l'heure locale."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orientation.enums import ClockStep
from orientation.models import Clock, ClockSettings
from orientation.services.clocks import pause_clock, resume_clock, start_clock
from referents.enums import Zone
from tests.referents.factories import RegionFactory, TerritoryFactory
from tests.signalements.factories import SignalementFactory

PARIS_TZ = zoneinfo.ZoneInfo("Europe/Paris")
GUADELOUPE_TZ = zoneinfo.ZoneInfo("America/Guadeloupe")


def paris_at(*args):
    return datetime.datetime(*args, tzinfo=PARIS_TZ)


@pytest.fixture
def paris(db):
    return TerritoryFactory()


@pytest.fixture
def guadeloupe(db):
    region = RegionFactory(code="01", name="Guadeloupe", zone=Zone.OUTRE_MER)
    return TerritoryFactory(
        code="971",
        name="Guadeloupe",
        region=region,
        zone=Zone.OUTRE_MER,
        time_zone="America/Guadeloupe",
        holiday_subdivision="971",
    )


def clock_for(territory, step=ClockStep.TRIAGE, at=None, **fields):
    signalement = SignalementFactory(departement=territory, **fields)
    return start_clock(signalement=signalement, step=step, territory=territory, at=at)


def test_two_working_days_from_a_friday_skip_the_weekend(paris):
    clock = clock_for(paris, at=paris_at(2025, 10, 3, 10, 0))
    assert clock.due_at == paris_at(2025, 10, 7, 23, 59, 59)


def test_a_mainland_holiday_is_skipped(paris):
    # Lundi 10 novembre 2025 ; le mardi 11 novembre est férié.
    clock = clock_for(paris, at=paris_at(2025, 11, 10, 9, 0))
    assert clock.due_at == paris_at(2025, 11, 13, 23, 59, 59)


def test_an_overseas_only_holiday_is_skipped_only_there(paris, guadeloupe):
    # 27 mai 2025 : abolition de l'esclavage en Guadeloupe, jour ouvré à Paris ; 29 mai : Ascension partout.
    start = datetime.datetime(2025, 5, 26, 9, 0, tzinfo=GUADELOUPE_TZ)
    in_guadeloupe = clock_for(guadeloupe, at=start)
    in_paris = clock_for(paris, at=start)
    assert in_guadeloupe.due_at == datetime.datetime(2025, 5, 30, 23, 59, 59, tzinfo=GUADELOUPE_TZ)
    assert in_paris.due_at == paris_at(2025, 5, 28, 23, 59, 59)


def test_the_departmental_decision_takes_five_working_days(paris):
    clock = clock_for(paris, step=ClockStep.DEPARTMENTAL_DECISION, at=paris_at(2025, 10, 3, 10, 0))
    assert clock.due_at == paris_at(2025, 10, 10, 23, 59, 59)


def test_urgent_triage_is_due_the_same_working_day(paris):
    clock = clock_for(paris, at=paris_at(2025, 10, 3, 10, 0), urgent=True)
    assert clock.due_at == paris_at(2025, 10, 3, 23, 59, 59)


def test_urgent_triage_on_a_saturday_is_due_on_monday(paris):
    clock = clock_for(paris, at=paris_at(2025, 10, 4, 10, 0), urgent=True)
    assert clock.due_at == paris_at(2025, 10, 6, 23, 59, 59)


def test_miprof_admin_settings_change_the_next_clocks(paris):
    ClockSettings.objects.update_or_create(pk=1, defaults={"triage_days": 4})
    clock = clock_for(paris, at=paris_at(2025, 10, 3, 10, 0))
    assert (clock.working_days, clock.due_at) == (4, paris_at(2025, 10, 9, 23, 59, 59))


def test_a_paused_clock_keeps_its_remaining_working_days(paris):
    clock = clock_for(paris, at=paris_at(2025, 10, 6, 9, 0))  # lundi : échéance mercredi 8
    pause_clock(signalement=clock.signalement, step=ClockStep.TRIAGE, at=paris_at(2025, 10, 6, 12, 0))
    clock.refresh_from_db()
    resume_clock(clock=clock, at=paris_at(2025, 10, 10, 15, 0))  # vendredi : encore 2 jours ouvrés
    clock.refresh_from_db()
    assert clock.paused_at is None
    assert clock.due_at == paris_at(2025, 10, 14, 23, 59, 59)


def test_a_paused_clock_is_never_overdue(paris):
    clock = clock_for(paris, at=paris_at(2025, 10, 6, 9, 0))
    pause_clock(signalement=clock.signalement, step=ClockStep.TRIAGE)
    assert not Clock.objects.overdue().exists()


def test_only_one_open_clock_per_step(paris):
    clock = clock_for(paris, at=paris_at(2025, 10, 6, 9, 0))
    again = start_clock(signalement=clock.signalement, step=ClockStep.TRIAGE, territory=paris)
    assert again.pk == clock.pk


def test_the_case_page_shows_the_deadline_in_the_territory_local_time(client_as, world, miprof, make_submitted):
    guadeloupe = TerritoryFactory(
        code="971", name="Guadeloupe", zone=Zone.OUTRE_MER, time_zone="America/Guadeloupe", holiday_subdivision="971"
    )
    signalement = make_submitted()
    with time_machine.travel(datetime.datetime(2025, 5, 26, 13, 0, tzinfo=datetime.UTC), tick=False):
        start_clock(signalement=signalement, step=ClockStep.DEPARTMENTAL_DECISION, territory=guadeloupe)
    text = client_as("miprof_agent").get(reverse("orientation:case_detail", args=[signalement.public_id])).text
    # 5 jours ouvrés depuis le lundi 26 mai 2025, le 27 férié en Guadeloupe, le 29 (Ascension) aussi.
    assert "échéance le 04/06/2025 à 23:59, heure de la Guadeloupe" in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("miprof_admin", 200), ("miprof_agent", 403), ("departmental_validator", 403)],
)
def test_clock_settings_page_access(client_as, persona, status):
    assert client_as(persona).get(reverse("orientation:clock_settings")).status_code == status


def test_miprof_admin_sets_the_defaults(client_as, world):
    data = {
        "triage_days": 3,
        "triage_urgent_days": 0,
        "decision_days": 6,
        "decision_urgent_days": 1,
        "reconsideration_days": 5,
        "information_days": 5,
        "information_urgent_days": 1,
        "reminder_hours_before": 12,
        "admin_escalation_hours_after": 48,
        "inactivity_alert_days": 10,
    }
    response = client_as("miprof_admin").post(reverse("orientation:clock_settings"), data)
    assert response.status_code == 302
    settings = ClockSettings.current()
    assert (settings.triage_days, settings.decision_days, settings.updated_by) == (3, 6, world.user("miprof_admin"))


def test_changing_the_defaults_asks_for_password_and_code_when_the_login_is_not_recent(client_as, world):
    before = ClockSettings.current().triage_days
    response = client_as("miprof_admin", recent_auth=False).post(
        reverse("orientation:clock_settings"), {"triage_days": before + 1}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert ClockSettings.current().triage_days == before


def test_changing_the_defaults_asks_again_after_five_minutes(client_as, world):
    before = ClockSettings.current().triage_days
    client = client_as("miprof_admin")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        response = client.post(reverse("orientation:clock_settings"), {"triage_days": before + 1})
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert ClockSettings.current().triage_days == before


def test_the_clock_settings_are_called_target_deadlines_not_legal_ones(client_as):
    """Aucune source ne fixe les délais d'instruction et de décision (domaine §11.5, §11.9 Q3)."""
    text = client_as("miprof_admin").get(reverse("orientation:clock_settings")).content.decode()
    assert "Délais cibles de la Miprof" in text
    assert "Délais légaux" not in text
    assert str(ClockSettings.current()) == "Délais cibles de la Miprof"
