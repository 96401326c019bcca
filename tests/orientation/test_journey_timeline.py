"""La frise du parcours sur la page du dossier : tous les événements dans l'ordre, par famille (celle de la table du
cycle de vie), les mesures et leurs échéances à venir, un type d'événement inconnu qui apparaît quand même ; requêtes
constantes avec 1 ou 10 mesures."""

import datetime

import pytest
from django.urls import reverse

from orientation.enums import MeasureKind, MeasureStatus
from orientation.services import closure, measures
from signalements.lifecycle import family_of
from signalements.models import SignalementEvent


def case_url(case):
    return reverse("orientation:case_detail", args=[case.public_id])


def journey_of(client, case):
    response = client.get(case_url(case))
    assert response.status_code == 200
    # Le journal entier : les événements repliés (les plus anciens) puis les derniers et les échéances à venir.
    return response.context["older_timeline"] + response.context["timeline"], response.content.decode()


def test_the_journey_lists_every_step_in_order_with_its_family(client_as, case, filer):
    measures.record_measure(signalement=case, by=filer, kind=MeasureKind.LEGAL_AID)
    journey, page = journey_of(client_as("association_agent"), case)
    assert [(item.family, item.title) for item in journey] == [
        ("intake", "Signalement soumis"),
        ("triage", "Instruction commencée par la Miprof"),
        ("triage", "Transmis à l'autorité départementale"),
        ("decision", "Prise en charge validée"),
        ("measure", "Mesure du parcours enregistrée"),
        ("measure", "Suivi du parcours commencé"),
    ]
    assert "mniop-journey__item--decision" in page and "Aide juridictionnelle : proposée" in page


def test_a_granted_reflection_period_shows_its_coming_end(client_as, case, filer):
    measure = measures.record_measure(signalement=case, by=filer, kind=MeasureKind.REFLECTION_PERIOD)
    measure = measures.change_measure_status(measure=measure, by=filer, action="accorder")
    journey, page = journey_of(client_as("miprof_agent"), case)
    upcoming = [item for item in journey if item.is_upcoming]
    assert [(item.title, item.at.date()) for item in upcoming] == [
        ("Fin prévue : Délai de réflexion (30 jours)", measure.ends_on)
    ]
    assert journey[-1] is upcoming[0]
    assert "Délai de réflexion (30 jours) : accordée" in page


def test_an_ended_measure_has_no_coming_end(client_as, case, filer):
    measure = measures.record_measure(signalement=case, by=filer, kind=MeasureKind.FRANCE_TRAVAIL)
    for action in ("accorder", "commencer", "terminer"):
        measure = measures.change_measure_status(measure=measure, by=filer, action=action)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ENDED
    journey, _ = journey_of(client_as("miprof_agent"), case)
    assert not [item for item in journey if item.is_upcoming]


def test_closing_and_reopening_appear_in_the_journey(client_as, case, miprof, closure_reason):
    closure.close_case(signalement=case, by=miprof, reason=closure_reason)
    closure.reopen_case(signalement=case, by=miprof, reason="Reprise de contact")
    journey, _ = journey_of(client_as("departmental_validator"), case)
    assert [(item.family, item.title) for item in journey[-2:]] == [
        ("closure", "Dossier clos"),
        ("closure", "Dossier rouvert"),
    ]


def test_an_unknown_kind_of_event_still_appears_in_the_journey(client_as, case, world):
    """Un type d'événement que la table du cycle de vie ne connaît pas y apparaît quand même, dans « Autre »."""
    SignalementEvent.objects.create(signalement=case, kind="referral_reminded", actor=world.user("miprof_agent"))
    journey, page = journey_of(client_as("miprof_agent"), case)
    assert (journey[-1].family, journey[-1].title) == ("other", "referral_reminded")
    assert "mniop-journey__item--other" in page


@pytest.mark.parametrize(
    ("kind", "family"),
    [
        ("referral_dispatched", "orientation"),
        ("shelter_arrival", "orientation"),
        ("break_glass", "orientation"),
        ("minors_track_recorded", "orientation"),
        ("placement_suggested", "other"),
    ],
)
def test_kinds_get_their_family_from_the_lifecycle_table_not_from_their_name(kind, family):
    assert family_of(kind) == family


def test_draft_saves_are_not_part_of_the_journey(client_as, case, world):
    SignalementEvent.objects.create(signalement=case, kind="draft_saved", actor=world.user("association_agent"))
    journey, _ = journey_of(client_as("association_agent"), case)
    assert "Brouillon enregistré" not in [item.title for item in journey]


@pytest.mark.parametrize("count", [1, 10])
def test_case_page_queries_do_not_grow_with_measures(client_as, case, filer, django_assert_max_num_queries, count):
    kinds = [MeasureKind.LEGAL_AID, MeasureKind.COMPENSATION, MeasureKind.FRANCE_TRAVAIL, MeasureKind.ASYLUM]
    for index in range(count - 2):  # la validation en a déjà ouvert deux (hébergement, soins)
        measure = measures.record_measure(signalement=case, by=filer, kind=kinds[index % len(kinds)])
        measures.change_measure_status(measure=measure, by=filer, action="accorder", on=datetime.date.today())
    if count == 1:
        case.measures.filter(kind=MeasureKind.HEALTH_CARE).delete()
    assert case.measures.count() == count
    client = client_as("association_agent")
    # + 1 requête : le second facteur de la session (django-otp) ; + 11 : le contenu déposé de la section
    # « Signalement » (une requête par liste à choix multiples, les consentements)
    with django_assert_max_num_queries(38):  # hébergement, procédures, orientation, rapprochements, 2 SET LOCAL
        response = client.get(case_url(case))
    assert len(response.context["journey_measures"]) == count
