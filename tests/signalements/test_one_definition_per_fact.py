"""Une seule définition par fait : qui est mineur (`Signalement.is_minor` et `minors()` d'accord), quel est le
département responsable (propriété et versions SQL d'accord)."""

import datetime
import pathlib

import pytest
from django.urls import reverse

from signalements.models import Signalement
from tests.signalements.factories import SignalementFactory, SubmittedSignalementFactory

TODAY = datetime.date(2026, 12, 7)
ROOT = pathlib.Path(__file__).resolve().parents[2]


def years_before(day, years):
    return day.replace(year=day.year - years)


@pytest.fixture
def people(world):
    """Des signalements déposés par l'association, chacun avec un âge différent."""

    def make(**fields):
        return SubmittedSignalementFactory(
            organisation=world.association, created_by=world.user("association_agent"), **fields
        )

    return make


def minor_ids(queryset, today=TODAY):
    return set(queryset.minors().values_list("pk", flat=True))


def adult_ids(queryset, today=TODAY):
    return set(queryset.adults().values_list("pk", flat=True))


def test_seventeen_when_spotted_and_eighteen_today_is_a_minor_for_both_definitions(people):
    spotted_on = datetime.date(2026, 1, 10)
    # Dix-huit ans le 1er juin 2026 : 17 ans au repérage, 18 ans aujourd'hui.
    case = people(birth_date=datetime.date(2008, 6, 1), spotted_on=spotted_on)
    assert case.is_minor
    assert minor_ids(Signalement.objects.all()) == {case.pk}
    assert adult_ids(Signalement.objects.all()) == set()


def test_eighteen_when_spotted_is_an_adult_for_both_definitions(people):
    case = people(birth_date=datetime.date(2000, 6, 1), spotted_on=datetime.date(2026, 1, 10))
    assert not case.is_minor
    assert minor_ids(Signalement.objects.all()) == set()
    assert adult_ids(Signalement.objects.all()) == {case.pk}


def test_born_on_29_february_turns_eighteen_on_1_march_for_both_definitions(people):
    """PostgreSQL `age()` et `signalements.models.age_on` comptent pareil le 28 février d'une année non bissextile."""
    on_28 = people(birth_date=datetime.date(2008, 2, 29), spotted_on=datetime.date(2026, 2, 28))
    on_1st = people(birth_date=datetime.date(2008, 2, 29), spotted_on=datetime.date(2026, 3, 1))
    assert (on_28.is_minor, on_1st.is_minor) == (True, False)
    assert minor_ids(Signalement.objects.all()) == {on_28.pk}


def test_every_rule_of_is_minor_has_its_sql_twin(people):
    cases = [
        people(is_mna=True, birth_date=datetime.date(1990, 1, 1)),
        people(is_minor_presumed=True),
        people(birth_date=None, estimated_age=16),
        people(birth_date=None, estimated_age=25),
        people(birth_date=None, estimated_age=None),
        people(birth_date=datetime.date(2015, 1, 1), spotted_on=None),
    ]
    for case in cases:
        case.refresh_from_db()
    expected = {case.pk for case in cases if case.is_minor}
    assert minor_ids(Signalement.objects.all(), today=datetime.date.today()) == expected
    assert adult_ids(Signalement.objects.all(), today=datetime.date.today()) == {c.pk for c in cases} - expected


def test_the_miprof_queue_minor_filter_uses_the_age_when_spotted(people, client_as):
    """Le filtre « mineur » de la file Miprof disait « majeur » pour 17 ans au repérage et 18 aujourd'hui."""
    turned_eighteen = years_before(datetime.date.today(), 18) - datetime.timedelta(days=30)
    spotted_on = datetime.date.today() - datetime.timedelta(days=60)
    case = people(birth_date=turned_eighteen, spotted_on=spotted_on)
    assert case.is_minor
    client = client_as("miprof_agent")
    minors = client.get(reverse("orientation:miprof_queue"), {"mineur": "oui", "statut": "submitted"})
    adults = client.get(reverse("orientation:miprof_queue"), {"mineur": "non", "statut": "submitted"})
    assert [row.pk for row in minors.context["rows"]] == [case.pk]
    assert [row.pk for row in adults.context["rows"]] == []


def test_the_signalement_list_minor_filter_agrees(people, client_as):
    turned_eighteen = years_before(datetime.date.today(), 18) - datetime.timedelta(days=30)
    case = people(birth_date=turned_eighteen, spotted_on=datetime.date.today() - datetime.timedelta(days=60))
    people(birth_date=datetime.date(1990, 1, 1))
    response = client_as("association_admin").get(reverse("signalements:signalement_list"), {"minor": "on"})
    assert [signalement.pk for signalement in response.context["page_obj"]] == [case.pk]


# --- Le département responsable ----------------------------------------------------------------------------------


def test_the_responsible_departement_is_the_competent_one_else_the_reported_one(world):
    reported = SignalementFactory(departement=world.paris)
    qualified = SignalementFactory(departement=world.paris, competent_departement=world.nord)
    assert reported.responsible_departement == world.paris
    assert qualified.responsible_departement == world.nord
    assert qualified.responsible_departement_id == world.nord.pk


def test_the_sql_versions_agree_with_the_property(world):
    reported = SignalementFactory(departement=world.paris)
    qualified = SignalementFactory(departement=world.paris, competent_departement=world.nord)
    nowhere = SignalementFactory(departement=None)
    codes = dict(Signalement.objects.with_responsible_departement().values_list("pk", "responsible_departement_code"))
    assert codes == {reported.pk: "75", qualified.pk: "59", nowhere.pk: None}
    assert set(Signalement.objects.for_departements([world.paris]).values_list("pk", flat=True)) == {reported.pk}
    assert set(Signalement.objects.for_departements([world.nord]).values_list("pk", flat=True)) == {qualified.pk}


SPELLED_OUT = ("competent_departement or", "competent_departement_id or", "competent_departement.code|default")


def test_competent_or_departement_is_written_only_in_the_model():
    """La règle « compétent, à défaut celui du signalement » n'est écrite qu'une fois (plus ses versions SQL)."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for app in (
            "accounts",
            "demo",
            "directory",
            "orientation",
            "signalements",
            "referents",
            "templates",
            "benchmarks",
        )
        for path in (ROOT / app).rglob("*")
        if path.suffix in {".py", ".html"}
        and "migrations" not in path.parts
        and path.relative_to(ROOT).as_posix() != "signalements/models.py"
        and any(text in path.read_text() for text in SPELLED_OUT)
    ]
    assert offenders == []
