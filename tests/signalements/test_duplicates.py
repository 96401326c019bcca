"""Doublons possibles : empreintes HMAC d'identités normalisées, visibles de la Miprof seulement."""

import datetime
import hashlib
import os
import subprocess
import sys

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from signalements.duplicates import (
    can_view_possible_duplicates,
    compute_duplicate_keys,
    name_tokens,
    normalise_name,
    normalise_phone,
    phone_error,
    possible_duplicates,
)
from signalements.enums import ConsentStatus
from signalements.models import Signalement
from tests.personas import PERSONAS
from tests.signalements.factories import SignalementFactory, submitted_signalement

BORN = datetime.date(1998, 7, 21)
IOANA = {"first_name": "Ioana", "last_name": "Popescu", "birth_date": BORN, "nationalities": ["RO"]}
MIPROF = {"miprof_agent", "miprof_admin"}


def render_hint(signalement, user):
    request = RequestFactory().get("/")
    request.user = user
    context = {"possible_duplicates": possible_duplicates(signalement, user=user)}
    return render_to_string("signalements/includes/possible_duplicates.html", context, request=request)


def keys_of(**fields):
    return compute_duplicate_keys(Signalement(**{"spotted_on": datetime.date(2026, 3, 1)} | fields))


def test_normalisation_removes_accents_case_punctuation_and_extra_spaces():
    assert normalise_name("  Ana-María   DE LA Cruz ") == "ana maria de la cruz"
    assert normalise_name("N’Diaye") == "n diaye"


def test_name_tokens_are_sorted_so_first_and_last_name_may_be_swapped():
    assert name_tokens("Popescu", "Ioana") == name_tokens("IOANA", "popescu") == "ioana popescu"


def test_same_person_typed_differently_shares_every_key():
    typed_once = keys_of(**IOANA)
    typed_again = keys_of(first_name="POPESCU ", last_name="ioána", birth_date=BORN, nationalities=["ro"])
    assert typed_once == typed_again
    assert len(typed_once) == 2


def test_different_person_shares_no_key():
    assert not set(keys_of(**IOANA)) & set(keys_of(**IOANA | {"first_name": "Elena"}))
    assert not set(keys_of(**IOANA)) & set(keys_of(**IOANA | {"birth_date": BORN.replace(year=1988)}))


def test_birth_year_and_nationality_match_a_typo_in_the_birth_day():
    other_day = keys_of(**IOANA | {"birth_date": BORN.replace(day=12)})
    assert len(set(keys_of(**IOANA)) & set(other_day)) == 1


@pytest.mark.parametrize("age", [26, 27, 28])
def test_an_estimated_age_matches_the_birth_year_within_one_year(age):
    # repérée en 2026 : 27 ans estimés -> née vers 1999, donc 1998 à 2000 ; 26 -> 1999 à 2001 ne contient pas 1998.
    estimated = keys_of(first_name="Ioana", last_name="Popescu", estimated_age=age, nationalities=["RO"])
    assert len(estimated) == 3
    assert bool(set(estimated) & set(keys_of(**IOANA))) is (age in (27, 28))


def test_a_name_alone_gives_no_key_and_no_name_gives_none():
    assert keys_of(first_name="Ioana", last_name="Popescu") == []
    assert keys_of(birth_date=BORN, nationalities=["RO"]) == []
    assert keys_of(first_name=" - ", birth_date=BORN) == []


def test_a_first_name_alone_is_enough_with_a_birth_date():
    assert len(keys_of(first_name="Ioana", birth_date=BORN)) == 1


def test_a_person_known_under_another_name_shares_a_key():
    """Déposée sous « Ioana Popescu », retrouvée quand une autre structure la connaît sous « Nina » (autres noms)."""
    as_nina = keys_of(first_name="Nina", birth_date=BORN, nationalities=["RO"])
    with_alias = keys_of(**IOANA, aliases="Ioana P.\n  nina  \n")
    assert set(as_nina) <= set(with_alias)
    assert not set(as_nina) & set(keys_of(**IOANA))


@pytest.mark.parametrize(
    "typed, normalised",
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 6 12-34-56-78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+48 601 234 567", "+48601234567"),
        ("0048 601 234 567", "+48601234567"),
        ("+234 803 123 4567", "+2348031234567"),
        ("00 234 803 123 4567", "+2348031234567"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+40 721 234 567", "+40721234567"),
        ("0040 721 234 567", "+40721234567"),
        ("+33 (0)1 23 45 67 89", "+33123456789"),
        ("12 34", ""),
        ("06 12 34 AB CD", ""),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised_to_an_international_form(typed, normalised):
    assert normalise_phone(typed) == normalised


def test_a_foreign_phone_typed_with_00_or_plus_shares_a_key():
    assert keys_of(phone="+234 803 123 4567") == keys_of(phone="00234 8031234567")
    assert keys_of(phone="+40 721 234 567") == keys_of(phone="0040 721-234-567")


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "+234 803 123 4567", "+40 721 234 567", ""])
def test_a_possible_phone_number_has_no_error(typed):
    assert phone_error(typed) is None


@pytest.mark.parametrize("typed", ["12 34", "06 12 34 56 78 90 12", "+999 12 34 56", "appeler le foyer"])
def test_an_impossible_phone_number_has_a_french_error(typed):
    assert "n'est pas valide" in phone_error(typed)


def test_the_same_phone_typed_differently_shares_a_key_even_without_a_name():
    assert keys_of(phone="06 12 34 56 78") == keys_of(phone="+33 6 12 34 56 78")
    assert len(keys_of(phone="06 12 34 56 78")) == 1
    assert not set(keys_of(phone="06 12 34 56 78")) & set(keys_of(phone="06 12 34 56 79"))


def test_keys_never_contain_the_alias_or_the_phone_in_clear():
    keys = keys_of(**IOANA, aliases="Nina", phone="06 12 34 56 78")
    assert not any("nina" in key or "0612" in key or "612345678" in key for key in keys)


def test_anonymous_signalements_get_no_key():
    assert keys_of(**IOANA, is_anonymous=True) == []


def test_keys_never_contain_the_clear_identity_and_need_the_secret():
    keys = keys_of(**IOANA)
    assert all(len(key) == 64 and set(key) <= set("0123456789abcdef") for key in keys)
    # Sans la clé, un hachage des mêmes éléments ne retrouve pas l'empreinte (pas d'attaque par dictionnaire).
    guesses = [
        "v1|date|ioana popescu|1998-07-21",
        "v1|year-nationality|ioana popescu|1998|RO",
        "ioana popescu 1998-07-21",
    ]
    assert not {hashlib.sha256(guess.encode()).hexdigest() for guess in guesses} & set(keys)


def test_keys_depend_on_the_server_secret(settings):
    before = keys_of(**IOANA)
    settings.MNIOP = {**settings.MNIOP, "DUPLICATE_HMAC_KEY": "une-autre-cle-secrete"}
    assert not set(before) & set(keys_of(**IOANA))


def test_keys_are_computed_at_submission(world):
    signalement = submitted_signalement(world, **IOANA)
    signalement.refresh_from_db()
    assert signalement.duplicate_keys == keys_of(**IOANA)


def test_an_anonymous_submission_stores_no_key(world):
    signalement = submitted_signalement(world, consent_status=ConsentStatus.REFUSED_ANONYMOUS, pseudonym="X")
    signalement.refresh_from_db()
    assert signalement.is_anonymous
    assert signalement.duplicate_keys == []


def test_miprof_finds_a_case_filed_under_another_name_by_its_alias(world):
    first = submitted_signalement(world, "association_agent_other_org", first_name="Nina", birth_date=BORN)
    second = submitted_signalement(world, **IOANA, aliases="Nina")
    assert list(possible_duplicates(second, user=world.acting("miprof_agent"))) == [first]


def test_miprof_sees_the_signalement_of_another_association_as_a_possible_duplicate(world):
    first = submitted_signalement(world, "association_agent_other_org", **IOANA)
    second = submitted_signalement(world, first_name="POPESCU", last_name="Ioána", birth_date=BORN)
    submitted_signalement(world, **IOANA | {"first_name": "Elena"})
    SignalementFactory(organisation=world.association, created_by=world.user("association_agent"), **IOANA)
    duplicates = possible_duplicates(second, user=world.acting("miprof_agent"))
    assert list(duplicates) == [first]
    assert list(possible_duplicates(first, user=world.acting("miprof_admin"))) == [second]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_miprof_may_see_possible_duplicates(world, persona):
    assert can_view_possible_duplicates(world.acting(persona)) is (persona in MIPROF)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MIPROF))
def test_no_one_outside_the_miprof_gets_the_hint(world, persona):
    """Pas même l'association qui a déposé les deux signalements : le rapprochement ne sort pas de la Miprof."""
    submitted_signalement(world, **IOANA)
    second = submitted_signalement(world, **IOANA)
    user = world.acting(persona)
    assert not possible_duplicates(second, user=user).exists()
    assert "Doublon possible" not in render_hint(second, user)


def test_the_include_names_the_other_reference_for_the_miprof(world):
    first = submitted_signalement(world, **IOANA)
    second = submitted_signalement(world, **IOANA)
    html = render_hint(second, world.acting("miprof_agent"))
    assert f'href="/dossiers/{first.public_id}/"><strong>{first.reference}</strong></a>' in html
    assert "Ioana" not in html


def test_possible_duplicates_is_one_query(world, django_assert_num_queries):
    first = submitted_signalement(world, **IOANA)
    for _ in range(5):
        submitted_signalement(world, **IOANA)
    user = world.acting("miprof_agent")
    with django_assert_num_queries(1):
        assert len(list(possible_duplicates(first, user=user))) == 5


def test_production_settings_refuse_to_start_without_the_hmac_key():
    env = {key: value for key, value in os.environ.items() if key != "DUPLICATE_HMAC_KEY"}
    env |= {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "mniop.example.gouv.fr",
        "SITE_URL": "https://mniop.example.gouv.fr",
        "IDENTITY_ENCRYPTION_KEYS": "cle-de-chiffrement",
    }
    code = "import mniop.settings.prod as s; print(s.MNIOP['DUPLICATE_HMAC_KEY'])"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "DUPLICATE_HMAC_KEY" in refused.stderr
    accepted = subprocess.run(
        [sys.executable, "-c", code], env=env | {"DUPLICATE_HMAC_KEY": "k" * 40}, capture_output=True, text=True
    )
    assert accepted.stdout.strip() == "k" * 40


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("miprof_agent", True), ("miprof_admin", True), ("association_admin", False), ("association_agent", False)],
)
def test_detail_page_shows_the_duplicate_hint_to_the_miprof_only(world, client_as, persona, shown):
    submitted_signalement(world, "association_agent_other_org", departement=world.nord, **IOANA)
    mine = submitted_signalement(world, "association_agent", **IOANA)
    response = client_as(persona).get(f"/dossiers/{mine.public_id}/")
    assert response.status_code == 200
    assert ("Doublon possible de" in response.content.decode()) is shown
