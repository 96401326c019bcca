"""La page du dossier comme espace de travail : chaque action irréversible a sa page de confirmation (sans
JavaScript) qui dit la conséquence et n'agit qu'à son POST ; le formulaire des mesures a sa page."""

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from orientation.case_actions import ACTIONS
from orientation.models import Measure
from signalements.enums import SignalementStatus

IRREVERSIBLE = ["doublon", "hors-champ", "transmettre", "decider", "acse-sur-place", "cloturer"]


def action_url(signalement, slug):
    return reverse("orientation:case_action", args=[signalement.public_id, slug])


def case_url(signalement):
    return reverse("orientation:case_detail", args=[signalement.public_id])


def test_every_closing_transfer_and_decision_is_marked_irreversible():
    irreversible = {slug for slug, action in ACTIONS.items() if action.is_irreversible}
    assert irreversible == {*IRREVERSIBLE, "confier-protection-enfance"}


@pytest.mark.parametrize(
    ("slug", "state", "persona", "consequence"),
    [
        ("doublon", "in_triage", "miprof_agent", "Le signalement sera clos comme doublon"),
        ("hors-champ", "in_triage", "miprof_agent", "Le signalement sera clos hors champ"),
        ("transmettre", "in_triage", "miprof_agent", "Le signalement sera transmis à l&#x27;autorité"),
        ("decider", "forwarded", "departmental_validator", "La décision sera définitive"),
        ("cloturer", "case", "association_agent", "Le dossier sera clos : les demandes en cours"),
        ("cloturer", "case", "miprof_agent", "Le dossier sera clos : les demandes en cours"),
        ("confier-protection-enfance", "minor_case", "miprof_agent", "confié à la protection de l&#x27;enfance"),
    ],
)
def test_an_irreversible_action_opens_a_confirmation_page_that_spells_out_the_consequence(
    request, client_as, slug, state, persona, consequence
):
    signalement = request.getfixturevalue(state)
    before = signalement.status
    response = client_as(persona).get(action_url(signalement, slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette action est irréversible" in html and consequence in html
    assert f'action="{action_url(signalement, slug)}"' in html and ACTIONS[slug].submit.replace("'", "&#x27;") in html
    signalement.refresh_from_db()
    assert signalement.status == before
    assert AccessLog.objects.for_object(signalement).filter(action="read").count() == 1


def test_the_case_page_has_no_one_click_form_for_an_irreversible_action(client_as, case, in_triage):
    for signalement, persona in [(case, "miprof_agent"), (in_triage, "miprof_agent"), (case, "association_agent")]:
        html = client_as(persona).get(case_url(signalement)).content.decode()
        for slug in IRREVERSIBLE:
            assert f'<form method="post" action="{action_url(signalement, slug)}"' not in html
            assert f'action="{action_url(signalement, slug)}"' not in html


def test_the_minor_case_page_links_to_the_entrusting_confirmation_instead_of_acting(client_as, minor_case):
    html = client_as("miprof_agent").get(case_url(minor_case)).content.decode()
    assert f'href="{action_url(minor_case, "confier-protection-enfance")}"' in html
    assert f'action="{action_url(minor_case, "confier-protection-enfance")}"' not in html


def test_closing_happens_on_the_confirmation_post(client_as, case, closure_reason):
    client = client_as("association_agent")
    assert client.get(action_url(case, "cloturer")).status_code == 200
    case.refresh_from_db()
    assert case.status == SignalementStatus.VALIDATED
    response = client.post(action_url(case, "cloturer"), {"cloturer-reason": closure_reason.code})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == SignalementStatus.CLOSED


def test_forwarding_happens_on_the_confirmation_post(client_as, in_triage, world):
    response = client_as("miprof_agent").post(
        action_url(in_triage, "transmettre"), {"transmettre-departement": world.paris.code}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    in_triage.refresh_from_db()
    assert in_triage.status == SignalementStatus.FORWARDED


def test_a_refused_confirmation_comes_back_on_its_own_page_with_the_french_error(client_as, case):
    response = client_as("association_agent").post(action_url(case, "cloturer"), {"cloturer-reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez un motif de la liste des motifs de clôture du dossier." in html
    assert "Cette action est irréversible" in html


def test_an_action_page_out_of_its_state_says_why_in_french(client_as, case):
    response = client_as("miprof_agent").get(action_url(case, "transmettre"))
    assert response.status_code == 200
    assert "Impossible de transmettre" in response.content.decode()


def test_an_action_page_is_403_to_a_role_that_cannot_act_and_404_out_of_scope(client_as, case):
    assert client_as("association_agent").get(action_url(case, "decider")).status_code == 403
    assert client_as("association_agent_other_org").get(action_url(case, "cloturer")).status_code == 404


def test_starting_triage_stays_one_click_from_the_panel(client_as, submitted):
    html = client_as("miprof_agent").get(case_url(submitted)).content.decode()
    assert f'<form method="post" action="{action_url(submitted, "commencer")}">' in html


# --- Les mesures ont leur page ------------------------------------------------------------------------------------


def test_the_case_page_lists_measures_and_links_to_the_measure_page_without_the_form(client_as, case):
    html = client_as("association_agent").get(case_url(case)).content.decode()
    assert 'name="mesure-kind"' not in html
    assert f'href="{reverse("orientation:measure_create", args=[case.public_id])}"' in html
    assert "Ajouter une mesure" in html


def test_the_measure_page_shows_the_form_and_logs_one_read(client_as, case):
    response = client_as("association_agent").get(reverse("orientation:measure_create", args=[case.public_id]))
    assert response.status_code == 200
    assert 'name="mesure-kind"' in response.content.decode()
    assert AccessLog.objects.for_object(case).filter(action="read").count() == 1


def test_a_refused_measure_comes_back_on_the_measure_page(client_as, case):
    url = reverse("orientation:measure_create", args=[case.public_id])
    before = Measure.objects.filter(signalement=case).count()
    response = client_as("association_agent").post(url, {"mesure-kind": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Ajouter une mesure</h1>" in html and 'name="mesure-kind"' in html
    assert Measure.objects.filter(signalement=case).count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("association_agent", 200), ("miprof_agent", 200), ("departmental_validator", 200), ("statistician", 404)],
)
def test_measure_page_access(client_as, case, persona, status):
    response = client_as(persona).get(reverse("orientation:measure_create", args=[case.public_id]))
    assert response.status_code == status


# --- Des sections qui se lisent de la même façon pour tous -------------------------------------------------------

SECTIONS = ["resume", "signalement", "decision", "hebergement", "mesures", "documents", "journal"]


@pytest.mark.parametrize("persona", ["association_agent", "miprof_agent", "departmental_validator"])
def test_the_case_page_has_the_same_sections_in_the_same_order_for_every_role(client_as, case, persona):
    html = client_as(persona).get(case_url(case)).content.decode()
    positions = [html.index(f'<h2 id="{section}">') for section in SECTIONS]
    assert positions == sorted(positions)
    for section in SECTIONS:
        assert f'href="#{section}"' in html


def test_the_documents_section_gathers_the_receipt_the_attestation_and_the_rights_sheet(client_as, case):
    html = client_as("association_agent").get(case_url(case)).content.decode()
    documents = html[html.index('<h2 id="documents">') : html.index('<h2 id="journal">')]
    assert reverse("signalements:signalement_receipt", args=[case.public_id]) in documents
    assert "Attestation de décision du" in documents
    assert reverse("orientation:rights_sheet", args=[case.public_id, "fr"]) in documents


def test_the_closing_confirmation_names_the_orientations_still_running(client_as, validated, shelters, validator):
    from orientation.services import referrals

    referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    html = client_as("departmental_validator").get(action_url(validated, "cloturer")).content.decode()
    running = html[html.index('id="en-cours"') :]
    assert "En attente de réponse de la structure" in running.split("</ul>")[0]
