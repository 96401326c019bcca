"""Le panneau « Et maintenant ? » du dossier : une table état × rôle, vérifiée sur la seule fonction qui décide
(`orientation.next_steps.next_steps`), puis sur la page."""

import pytest
from django.urls import reverse

from orientation.enums import DecisionKind
from orientation.next_steps import next_steps
from orientation.services import closure, decisions, triage
from signalements.enums import SignalementStatus

CLOSINGS = {"cloturer", "doublon", "hors-champ", "confier-protection-enfance"}


@pytest.fixture
def at(request, world, make_submitted, miprof, validator, closure_reason):
    """Un dossier mené jusqu'à l'état demandé par le chemin des services."""

    def make(state):
        signalement = advance(state)
        signalement.refresh_from_db()
        return signalement

    def advance(state):
        signalement = make_submitted()
        if state == "submitted":
            return signalement
        triage.start_triage(signalement=signalement, by=miprof)
        if state == "in_triage":
            return signalement
        if state == "qualified":
            triage.qualify(
                signalement=signalement,
                by=miprof,
                exploitation_forms=[request.getfixturevalue("sexual_exploitation")],
                is_minor_presumed=False,
                competent_departement=world.paris,
            )
            return signalement
        if state == "information_requested":
            triage.request_information(signalement=signalement, by=miprof, question="Où dort-elle ce soir ?")
            signalement.refresh_from_db()
            return signalement
        triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
        if state == "forwarded":
            return signalement
        if state == "not_validated":
            decisions.decide(
                signalement=signalement,
                by=validator,
                kind=DecisionKind.NOT_VALIDATED,
                reason=request.getfixturevalue("non_validation_reason"),
                comment="Les éléments transmis ne suffisent pas.",
            )
        elif state == "minors_track":
            decisions.decide(
                signalement=signalement, by=validator, kind=DecisionKind.REDIRECTED, redirect_target="minors_track"
            )
        else:
            decisions.decide(signalement=signalement, by=validator, kind=DecisionKind.VALIDATED)
        signalement.refresh_from_db()
        if state == "closed":
            closure.close_case(signalement=signalement, by=miprof, reason=closure_reason)
            signalement.refresh_from_db()
        return signalement

    return make


# (état, persona, action principale attendue, actions secondaires qui doivent y être, actions qui n'y sont pas)
TABLE = [
    ("submitted", "miprof_agent", "commencer", set(), CLOSINGS),
    ("submitted", "association_agent", None, set(), {"commencer"}),
    ("in_triage", "miprof_agent", "qualifier", {"transmettre", "complement", "doublon", "hors-champ"}, set()),
    ("qualified", "miprof_agent", "transmettre", {"qualifier", "doublon", "hors-champ"}, set()),
    ("in_triage", "association_agent", None, set(), {"qualifier", "transmettre"}),
    ("information_requested", "association_agent", "repondre", set(), set()),
    ("information_requested", "miprof_agent", None, set(), {"repondre"}),
    ("forwarded", "departmental_validator", "decider", {"mesure-urgente", "orienter"}, {"cloturer"}),
    ("forwarded", "miprof_agent", None, {"mesure-urgente", "orienter"}, {"decider"}),
    ("forwarded", "association_agent", None, set(), {"decider", "orienter"}),
    ("not_validated", "association_agent", "reexamen", set(), set()),
    ("not_validated", "departmental_validator", None, set(), {"reexamen"}),
    ("validated", "miprof_agent", "orienter", {"acse", "mesure", "cloturer"}, set()),
    ("validated", "departmental_validator", "orienter", {"acse", "mesure", "cloturer"}, set()),
    ("validated", "association_agent", "mesure", {"cloturer"}, {"orienter", "acse"}),
    ("minors_track", "miprof_agent", "mesure", {"confier-protection-enfance"}, {"acse"}),
    ("closed", "miprof_agent", None, {"rouvrir"}, {"cloturer", "mesure", "orienter"}),
    ("closed", "association_agent", None, {"rouvrir"}, {"cloturer", "mesure"}),
]


@pytest.mark.parametrize(("state", "persona", "primary", "present", "absent"), TABLE)
def test_the_next_step_of_each_role_in_each_state(world, at, state, persona, primary, present, absent):
    signalement = at(state)
    steps = next_steps(
        world.acting(persona), signalement, information_requests=list(signalement.information_requests.all())
    )
    assert (steps.primary.slug if steps.primary else None) == primary
    secondary = {step.slug for step in steps.secondary}
    assert present <= secondary
    assert not (absent & set(steps.slugs))
    assert steps.waiting
    # Une clôture n'est jamais l'action principale ; les actions irréversibles viennent en dernier.
    assert primary not in CLOSINGS
    flags = [step.is_irreversible for step in steps.secondary]
    assert flags == sorted(flags)


def test_the_deadlines_of_the_panel_are_the_running_clocks(world, at):
    signalement = at("forwarded")
    clocks = list(signalement.clocks.all())
    steps = next_steps(world.acting("departmental_validator"), signalement, clocks=clocks)
    assert [clock.step for clock in steps.deadlines] == ["departmental_decision"]


def test_after_validation_the_primary_button_of_the_page_orients_not_closes(client_as, at):
    signalement = at("validated")
    page = client_as("departmental_validator").get(reverse("orientation:case_detail", args=[signalement.public_id]))
    html = page.content.decode()
    panel = html[html.index('id="et-maintenant"') :]
    first_button = panel[panel.index('class="fr-btn ') :]
    assert first_button.startswith('class="fr-btn " href="/dossiers/')
    assert "Orienter vers un hébergement" in first_button.split("</a>")[0]
    assert "Demander une place Ac.Sé" in panel
    assert f'class="fr-btn fr-btn--tertiary" href="/dossiers/{signalement.public_id}/cloturer/"' in panel


def test_the_panel_shows_the_running_deadline_to_the_validator(client_as, at):
    signalement = at("forwarded")
    html = (
        client_as("departmental_validator")
        .get(reverse("orientation:case_detail", args=[signalement.public_id]))
        .content.decode()
    )
    panel = html[html.index('id="et-maintenant"') : html.index("</section>", html.index('id="et-maintenant"'))]
    assert "Délais en cours" in panel and "Décision départementale" in panel
    assert "Le dossier attend la décision de l&#x27;autorité départementale." in panel


def test_the_acse_link_of_the_panel_opens_the_search_with_acse_ticked(client_as, at):
    signalement = at("validated")
    url = reverse("orientation:referral_request", args=[signalement.public_id]) + "?acse=1"
    html = client_as("departmental_validator").get(url).content.decode()
    checkbox = html[html.index('name="orientation-via_acse"') - 200 : html.index('name="orientation-via_acse"') + 200]
    assert "checked" in checkbox


def test_the_acse_link_is_not_offered_for_a_minor(world, make_submitted, miprof, validator):
    signalement = make_submitted(is_mna=True)
    triage.start_triage(signalement=signalement, by=miprof)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    decisions.decide(signalement=signalement, by=validator, kind=DecisionKind.VALIDATED)
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.VALIDATED
    assert "acse" not in next_steps(world.acting("departmental_validator"), signalement).slugs
