"""Les interprètes : un besoin du signalement (langue, sexe de l'interprète quand la personne le demande), une mesure
du parcours (interprétariat : langue, service, dates ; jamais le nom de l'interprète au journal), une catégorie
facultative de l'annuaire, et la règle de langue d'une orientation qui s'y réfère."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orientation.enums import MeasureKind, MeasureStatus
from orientation.models import Measure
from orientation.services import measures, referrals
from referents.enums import REQUIRED_CATEGORIES, ReferentCategory, required_categories_for
from signalements.enums import SignalementEventKind
from signalements.models import SignalementEvent
from signalements.presentation import display
from signalements.services.drafts import update_draft
from tests.signalements.factories import SignalementFactory

SERVICE = "Interprétariat en milieu social de Paris"


def interpreting(case, by, **extra):
    return measures.record_measure(
        signalement=case,
        by=by,
        kind=MeasureKind.INTERPRETING,
        interpreter_language="ti",
        interpreter_service=SERVICE,
        **extra,
    )


def test_the_signalement_records_the_interpreter_need(world):
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)

    update_draft(
        signalement=draft, by=agent, needs_interpreter=True, interpreter_language="TI", interpreter_sex="female"
    )

    draft.refresh_from_db()
    assert (draft.interpreter_language, draft.interpreter_sex) == ("ti", "female")
    assert display(draft, "interpreter_language") == "Tigrigna"
    assert display(draft, "interpreter_sex") == "Une interprète femme"


def test_an_unknown_interpreter_language_is_refused_in_french(world):
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)

    with pytest.raises(ValidationError) as error:
        update_draft(signalement=draft, by=agent, interpreter_language="zz")

    assert error.value.message_dict["interpreter_language"] == [
        "La langue de l'interprète s'indique par son code ISO 639."
    ]


def test_the_situation_step_asks_the_language_and_sex_of_the_interpreter(world, client_as):
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)
    url = reverse("signalements:draft_step", args=[draft.public_id, "situation-et-besoins"])

    response = client_as("association_agent").post(
        url,
        {
            "needs_interpreter": "on",
            "interpreter_language": "ar",
            "interpreter_sex": "male",
            "complaint_status": "unknown",
            "navigation": "next",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert (draft.needs_interpreter, draft.interpreter_language, draft.interpreter_sex) == (True, "ar", "male")


def test_interpreting_is_a_measure_with_a_language_and_a_service(case, filer):
    measure = interpreting(case, filer, status=MeasureStatus.REQUESTED)

    assert (measure.kind, measure.interpreter_language, measure.interpreter_service) == (
        MeasureKind.INTERPRETING,
        "ti",
        SERVICE,
    )
    event = SignalementEvent.objects.filter(signalement=case, kind=SignalementEventKind.MEASURE_RECORDED).last()
    assert event.data["measure_kind"] == MeasureKind.INTERPRETING
    assert SERVICE not in str(event.data)


def test_interpreting_without_a_language_or_a_service_is_refused(case, filer):
    with pytest.raises(ValidationError) as error:
        measures.record_measure(signalement=case, by=filer, kind=MeasureKind.INTERPRETING)

    assert set(error.value.message_dict) == {"interpreter_language", "interpreter_service"}
    assert not Measure.objects.filter(kind=MeasureKind.INTERPRETING).exists()


def test_the_measure_page_records_interpreting(case, client_as):
    url = reverse("orientation:measure_create", args=[case.public_id])

    response = client_as("departmental_validator").post(
        url,
        {
            "mesure-kind": MeasureKind.INTERPRETING,
            "mesure-status": MeasureStatus.PROPOSED,
            "mesure-interpreter_language": "ar",
            "mesure-interpreter_service": SERVICE,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Measure.objects.get(kind=MeasureKind.INTERPRETING).interpreter_language == "ar"


def test_an_arranged_interpreting_measure_prefills_the_language_rule_override(case, filer):
    assert referrals.arranged_interpreting(case) == {}

    interpreting(case, filer)

    assert referrals.arranged_interpreting(case) == {"interpreter_language": "ti", "interpreter_service": SERVICE}


def test_interpreting_is_an_optional_directory_category(world):
    assert ReferentCategory.INTERPRETARIAT.label == "Interprétariat (service d'interprètes)"
    assert ReferentCategory.INTERPRETARIAT not in REQUIRED_CATEGORIES
    assert ReferentCategory.INTERPRETARIAT not in required_categories_for("976")


def test_without_javascript_the_interpreter_fields_stay_and_the_page_gives_their_rule(world, client_as):
    """La langue et le sexe de l'interprète ne valent que si « Besoin d'un·e interprète » est cochée : la page donne
    la règle à `static/js/relevance.js` ; sans JavaScript, les champs restent là (rien n'est masqué par le HTML)."""
    agent = world.acting("association_agent")
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)
    url = reverse("signalements:draft_step", args=[draft.public_id, "situation-et-besoins"])

    content = client_as("association_agent").get(url).content.decode()

    assert 'name="needs_interpreter" value="true"' in content
    assert 'name="interpreter_language"' in content and 'name="interpreter_sex"' in content
    assert "mniop-irrelevant" not in content
    rule = {"controllers": ["needs_interpreter"], "values": ["true"]}
    relevance = json.loads(re.search(r'id="field-relevance"[^>]*>(.*?)</script>', content, re.S).group(1))
    assert relevance["interpreter_language"] == relevance["interpreter_sex"] == rule
