"""Les règles écrites de classement (observatoire/classification.py)."""

import pytest

from observatoire.classification import eurostat_form, nationality_group, trafficking_scope


@pytest.mark.parametrize(
    ("place", "countries", "transit", "recruitment", "nationalities", "expected"),
    [
        ("france_only", [], [], "", ["FR"], "internal"),
        ("france_only", [], [], "FR", ["RO"], "internal"),
        ("france_only", [], [], "", ["RO"], "unknown"),
        ("france_only", [], ["IT"], "", ["FR"], "transnational"),
        ("france_only", [], [], "NG", ["NG"], "transnational"),
        ("abroad_only", ["BE"], [], "", ["FR"], "transnational"),
        ("unknown", [], [], "", ["FR"], "unknown"),
    ],
)
def test_the_internal_or_transnational_rule(place, countries, transit, recruitment, nationalities, expected):
    assert (
        trafficking_scope(
            place_of_exploitation=place,
            exploitation_countries=countries,
            transit_countries=transit,
            recruitment_country=recruitment,
            nationalities=nationalities,
        )
        == expected
    )


def test_an_unknown_nationality_keeps_its_eurostat_residual_code():
    assert nationality_group([], "unknown_non_eu") == "unknown_non_eu"
    assert nationality_group([]) == "unknown"
    assert nationality_group(["RO", "FR"]) == "france"


def test_unknown_form_with_a_known_one_is_the_known_one():
    assert eurostat_form(["Sexual exploitation", "Unknown form of exploitation"]) == "sexual"
    assert eurostat_form(["Criminal activities", "Forced begging/use for begging"]) == "multiple_other"
