import datetime
from types import SimpleNamespace

import pytest
import time_machine

from referents.models import Territory
from referents.reference_data import load_reference_data
from referents.working_days import (
    add_working_days,
    deadline_at,
    is_working_day,
    local_now,
    working_days_between,
)

D = datetime.date


@pytest.fixture
def territories(db):
    load_reference_data()
    return {territory.code: territory for territory in Territory.objects.all()}


@pytest.fixture
def paris(territories):
    return territories["75"]


def test_saturday_and_sunday_are_not_working_days(paris):
    assert is_working_day(paris, D(2025, 10, 3))
    assert not is_working_day(paris, D(2025, 10, 4))
    assert not is_working_day(paris, D(2025, 10, 5))


def test_two_working_days_after_a_friday_is_the_tuesday(paris):
    assert add_working_days(paris, D(2025, 10, 3), 2) == D(2025, 10, 7)


def test_a_mainland_holiday_pushes_the_deadline_by_one_day(paris):
    assert add_working_days(paris, D(2025, 7, 11), 1) == D(2025, 7, 15)  # lundi 14 juillet
    assert add_working_days(paris, D(2025, 11, 10), 1) == D(2025, 11, 12)  # mardi 11 novembre


def test_a_deadline_of_zero_days_from_a_saturday_is_the_next_monday(paris):
    assert add_working_days(paris, D(2025, 10, 4), 0) == D(2025, 10, 6)


def test_a_negative_number_of_working_days_is_refused(paris):
    with pytest.raises(ValueError):
        add_working_days(paris, D(2025, 10, 3), -1)


def test_working_days_between_counts_days_after_start_up_to_end(paris):
    assert working_days_between(paris, D(2025, 10, 3), D(2025, 10, 7)) == 2
    assert working_days_between(paris, D(2025, 10, 7), D(2025, 10, 3)) == -2
    assert working_days_between(paris, D(2025, 7, 11), D(2025, 7, 15)) == 1


def test_working_days_between_is_the_inverse_of_add_working_days(paris):
    start = D(2025, 12, 19)

    for n in range(1, 15):
        assert working_days_between(paris, start, add_working_days(paris, start, n)) == n


@pytest.mark.parametrize(
    "code, holiday",
    [
        ("976", D(2026, 4, 27)),  # Mayotte, abolition de l'esclavage
        ("972", D(2026, 5, 22)),  # Martinique
        ("971", D(2026, 5, 27)),  # Guadeloupe
        ("973", D(2026, 6, 10)),  # Guyane
        ("974", D(2024, 12, 20)),  # La Réunion
    ],
)
def test_an_overseas_holiday_is_a_working_day_in_paris_but_not_in_that_territory(territories, code, holiday):
    assert is_working_day(territories["75"], holiday)
    assert not is_working_day(territories[code], holiday)


@pytest.mark.parametrize("code", ["57", "67", "68"])
def test_good_friday_is_a_holiday_in_alsace_moselle_only(territories, code):
    good_friday = D(2026, 4, 3)

    assert is_working_day(territories["75"], good_friday)
    assert not is_working_day(territories[code], good_friday)


def test_boxing_day_is_a_holiday_in_alsace_moselle_only(territories):
    assert is_working_day(territories["75"], D(2025, 12, 26))
    assert not is_working_day(territories["67"], D(2025, 12, 26))


def test_deadline_is_end_of_day_in_noumea_time(territories):
    noumea = territories["988"]
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)  # lundi, 21 h à Nouméa

    deadline = deadline_at(noumea, start, 2)

    assert (deadline.date(), deadline.time()) == (D(2026, 3, 4), datetime.time(23, 59, 59))
    assert deadline.utcoffset() == datetime.timedelta(hours=11)
    assert deadline == datetime.datetime(2026, 3, 4, 12, 59, 59, tzinfo=datetime.UTC)


def test_deadline_counts_from_the_local_date_of_the_territory(territories):
    start = datetime.datetime(2026, 3, 5, 14, 0, tzinfo=datetime.UTC)  # jeudi à Paris, vendredi 1 h à Nouméa

    assert deadline_at(territories["75"], start, 1).date() == D(2026, 3, 6)
    assert deadline_at(territories["988"], start, 1).date() == D(2026, 3, 9)


def test_deadline_follows_paris_summer_time(paris):
    deadline = deadline_at(paris, datetime.datetime(2026, 3, 27, 9, 0, tzinfo=datetime.UTC), 1)

    assert deadline.date() == D(2026, 3, 30)
    assert deadline.utcoffset() == datetime.timedelta(hours=2)


def test_deadline_refuses_a_naive_datetime(paris):
    with pytest.raises(ValueError):
        deadline_at(paris, datetime.datetime(2026, 3, 2, 10, 0), 1)


def test_local_now_is_in_the_territory_time_zone(territories):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        now = local_now(territories["987"])

    assert (now.hour, now.utcoffset()) == (0, datetime.timedelta(hours=-10))
    assert now == datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def test_any_object_with_a_subdivision_and_a_time_zone_is_accepted():
    moselle = SimpleNamespace(holiday_subdivision="57", time_zone="Europe/Paris")

    assert not is_working_day(moselle, D(2026, 4, 3))
    assert deadline_at(moselle, datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC), 1).date() == D(2026, 4, 7)
