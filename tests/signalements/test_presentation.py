"""Le présentateur d'un dossier (`signalements.presentation`) : des valeurs lisibles, partout les mêmes."""

import datetime

from signalements.presentation import CasePresenter, display
from tests.signalements.factories import SignalementFactory


def test_codes_are_shown_with_their_french_names(world):
    signalement = SignalementFactory.build(
        nationalities=["FR", "MA"], exploitation_countries=["NG"], languages=["fr", "ar"], consent_language="uk"
    )
    assert display(signalement, "nationalities") == "France, Maroc"
    assert display(signalement, "exploitation_countries") == "Nigeria"
    assert display(signalement, "languages") == "Français, Arabe"
    assert display(signalement, "consent_language") == "Ukrainien"


def test_an_empty_value_reads_non_renseigne(world):
    signalement = SignalementFactory.build(nationalities=[], spotted_place="", children_count=None)
    assert [display(signalement, name) for name in ("nationalities", "spotted_place", "children_count")] == [
        "Non renseigné"
    ] * 3


def test_age_is_the_age_when_spotted_or_the_estimated_age(world):
    spotted = SignalementFactory.build(birth_date=datetime.date(2008, 6, 1), spotted_on=datetime.date(2026, 5, 31))
    estimated = SignalementFactory.build(birth_date=None, estimated_age=16)
    unknown = SignalementFactory.build(birth_date=None, estimated_age=None)
    assert [CasePresenter(s).age for s in (spotted, estimated, unknown)] == [
        "17 ans au repérage",
        "16 ans (âge estimé)",
        "Non renseigné",
    ]


def test_markers_say_urgent_minor_and_pending_request(world):
    signalement = SignalementFactory.build(urgent=True, is_mna=True)
    assert CasePresenter(signalement, has_pending_request=True).markers == [
        ("Urgent", "fr-badge--error"),
        ("Mineur", "fr-badge--purple-glycine"),
        ("Complément attendu", "fr-badge--warning"),
    ]
