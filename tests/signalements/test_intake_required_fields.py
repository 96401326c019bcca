"""Les formulaires disent vrai : un champ que le dépôt exige est marqué « requis pour le dépôt », jamais
« (Optionnel) » ; ce qui manque est signalé à chaque enregistrement, pas seulement au dépôt ; les longues listes sont
des listes à saisie assistée qui restent des listes déroulantes sans JavaScript."""

import re

import pytest
from django.urls import reverse

from orientation.forms import InformationRequestForm
from signalements.forms.intake import REQUIRED_FOR_SUBMISSION, STEP_OF_FIELD, ConsentStepForm
from signalements.models import Signalement
from signalements.services.consents import NOTICE_LANGUAGES
from signalements.services.drafts import REQUIREMENTS, create_draft, submission_errors
from tests.signalements.factories import SignalementFactory


@pytest.fixture
def agent(world):
    return world.acting("association_agent")


@pytest.fixture
def empty_draft(world, agent):
    return create_draft(organisation=world.association, by=agent, spotted_place="Lille")


def step_url(signalement, slug):
    return reverse("signalements:draft_step", args=[signalement.public_id, slug])


def label_of(html, field):
    """Le texte du libellé du champ `field` (sans son aide)."""
    match = re.search(rf'<label[^>]*for="id_{field}"[^>]*>(.*?)(<span class="fr-hint-text"|</label>)', html, re.S)
    if match is None:  # une liste de cases à cocher : la légende du groupe
        match = re.search(rf'id="id_{field}-legend"[^>]*>(.*?)(<span class="fr-hint-text"|</legend>)', html, re.S)
    return " ".join(match.group(1).split())


def test_every_field_the_submission_requires_is_marked_required_on_its_step(empty_draft, agent, client_as):
    client = client_as("association_agent")
    missing = set()
    for consent in ({"consent_shelter": "given"}, {"consent_shelter": "given", "consent_form": "oral_witnessed"}):
        client.post(step_url(empty_draft, "consentement"), consent)
        missing |= set(submission_errors(Signalement.objects.get(pk=empty_draft.pk)))
    # Le dépôt a refusé ce brouillon pour chacun des champs exigés.
    assert {requirement.field for requirement in REQUIREMENTS} <= missing
    for requirement in REQUIREMENTS:
        html = client.get(step_url(empty_draft, STEP_OF_FIELD[requirement.field].slug)).text
        label = label_of(html, requirement.field)
        assert "(Optionnel)" not in label, requirement.field
        assert label.endswith(f"({REQUIRED_FOR_SUBMISSION})"), requirement.field


@pytest.mark.parametrize(
    ("slug", "field", "label"),
    [
        ("signalement", "departement", "Département du signalement"),
        ("signalement", "spotted_on", "Date de repérage"),
        ("exploitation", "exploitation_forms", "Formes d'exploitation"),
        ("consentement", "consent_status", "Consentement de la personne"),
    ],
)
def test_a_required_field_is_not_labelled_optional(empty_draft, client_as, slug, field, label):
    html = client_as("association_agent").get(step_url(empty_draft, slug)).text
    assert label_of(html, field).replace("&#x27;", "'") == f"{label} (requis pour le dépôt)"


def test_an_optional_field_stays_marked_optional(empty_draft, client_as):
    html = client_as("association_agent").get(step_url(empty_draft, "signalement")).text
    assert label_of(html, "spotted_place") == "Lieu de repérage (commune) (Optionnel)"


def test_a_step_saves_without_its_required_fields_and_says_what_is_left(empty_draft, client_as):
    response = client_as("association_agent").post(
        step_url(empty_draft, "signalement"), {"spotted_place": "Roubaix", "navigation": "next"}, follow=True
    )
    empty_draft.refresh_from_db()
    assert empty_draft.spotted_place == "Roubaix"
    assert response.redirect_chain[-1][0] == step_url(empty_draft, "identite")
    assert (
        "Étape « Signalement » enregistrée. À compléter avant le dépôt : Département du signalement, "
        "Date de repérage." in response.text
    )


def test_the_step_page_shows_what_the_submission_still_needs(empty_draft, client_as):
    html = client_as("association_agent").get(step_url(empty_draft, "signalement")).text
    warnings = html[html.index('id="submission-warnings"') :]
    warnings = warnings[: warnings.index("</form>")]
    assert "À compléter avant le dépôt" in warnings
    assert 'href="#id_spotted_on">Date de repérage</a> : Indiquez la date de repérage.' in warnings


def test_a_complete_step_shows_no_warning(world, agent, client_as):
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)
    html = client_as("association_agent").get(step_url(draft, "signalement")).text
    assert "À compléter avant le dépôt" not in html


def test_autosave_checks_the_submission_rules_of_the_step(empty_draft, client_as):
    response = client_as("association_agent").post(
        step_url(empty_draft, "signalement"), {"spotted_place": "Lens"}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 200
    assert response.json()["warnings"] == [
        {
            "field": "departement",
            "label": "Département du signalement",
            "message": "Indiquez le département du signalement.",
            "url": "#id_departement",
        },
        {
            "field": "spotted_on",
            "label": "Date de repérage",
            "message": "Indiquez la date de repérage.",
            "url": "#id_spotted_on",
        },
    ]


def test_autosave_of_a_step_with_nothing_left_answers_204(world, agent, client_as):
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)
    response = client_as("association_agent").post(
        step_url(draft, "signalement"),
        {"departement": world.paris.pk, "spotted_on": "2026-01-05"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 204


def test_the_consent_details_say_when_they_are_required(empty_draft, client_as):
    html = client_as("association_agent").get(step_url(empty_draft, "consentement")).text
    assert "Si la personne accorde au moins un partage." in html
    assert "Pour un consentement oral." in html


def test_the_notice_language_offers_only_the_languages_the_submission_accepts():
    form = ConsentStepForm(signalement=Signalement())
    offered = [code for code, _ in form.fields["consent_language"].choices if code]
    assert sorted(offered) == sorted(NOTICE_LANGUAGES)


def test_the_information_request_question_is_required_and_marked_so():
    form = InformationRequestForm(data={"question": ""})
    assert not form.is_valid()
    assert form.errors["question"] == ["Écrivez la question posée à l'organisation déclarante."]
    html = str(form["question"].as_field_group())
    assert "(Optionnel)" not in html
    assert "required" in html


# Longues listes


@pytest.mark.parametrize(
    ("slug", "field", "multiple"),
    [
        ("signalement", "departement", False),
        ("identite", "nationalities", True),
        ("identite", "languages", True),
        ("exploitation", "exploitation_departements", True),
        ("exploitation", "exploitation_countries", True),
        ("exploitation", "transit_countries", True),
        ("exploitation", "recruitment_country", False),
        ("situation-et-besoins", "return_country", False),
    ],
)
def test_long_lists_are_enhanced_selects_that_work_without_javascript(empty_draft, client_as, slug, field, multiple):
    html = client_as("association_agent").get(step_url(empty_draft, slug)).text
    select = re.search(rf'<select name="{field}"[^>]*>', html).group(0)
    assert "data-combobox" in select
    assert ("multiple" in select) is multiple
    assert "js/combobox.js" in html
    if multiple:
        # L'aide « Ctrl + clic » ne vaut que pour la liste de secours : le script la retire.
        assert '<span class="mniop-nojs-hint">Plusieurs choix possibles : Ctrl (ou Cmd) + clic.</span>' in html


def test_a_country_chosen_without_javascript_is_saved(empty_draft, client_as):
    client_as("association_agent").post(
        step_url(empty_draft, "identite"),
        {"nationalities": ["NG", "CM"], "languages": ["en"], "sex": "female", "transgender": "unknown"},
    )
    empty_draft.refresh_from_db()
    assert empty_draft.nationalities == ["CM", "NG"]
    assert empty_draft.languages == ["en"]


def test_emptying_a_required_field_is_reported_when_leaving_the_step(world, agent, client_as):
    draft = SignalementFactory(organisation=world.association, created_by=agent, departement=world.paris)
    response = client_as("association_agent").post(
        step_url(draft, "signalement"), {"departement": "", "spotted_on": "2026-01-05"}, follow=True
    )
    draft.refresh_from_db()
    assert draft.departement is None
    assert "À compléter avant le dépôt : Département du signalement." in response.text


def test_the_step_gives_its_field_dependencies_to_the_page(empty_draft, client_as):
    response = client_as("association_agent").get(step_url(empty_draft, "exploitation"))
    relevance = response.context["relevance"]
    assert relevance["exploitation_departements"] == {
        "controllers": ["place_of_exploitation"],
        "values": ["france_and_abroad", "france_only"],
    }
    assert relevance["exploitation_countries"]["values"] == ["abroad_only", "france_and_abroad"]
    assert 'id="field-relevance"' in response.text
