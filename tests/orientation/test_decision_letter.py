"""L'attestation de décision : contenu du PDF (pdftotext), lien signé qui expire, accès par persona, journal."""

import re
import shutil
import subprocess

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from orientation.documents import letter_from_token, letter_token, render_decision_letter
from orientation.models import Decision


def pdf_text(pdf, tmp_path):
    path = tmp_path / "attestation.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def decision(validated):
    return Decision.objects.get(signalement=validated)


def letter_link(decision, user):
    return reverse("orientation:decision_letter", args=[letter_token(decision, user)])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
def test_the_letter_states_reference_decision_date_authority_and_rights(decision, tmp_path):
    text = " ".join(pdf_text(render_decision_letter(decision), tmp_path).split())
    assert "Attestation de prise en charge" in text
    assert decision.signalement.reference in text
    assert "Prise en charge validée" in text
    assert f"{decision.decided_at:%Y}" in text
    assert "Autorité départementale — Paris (75)" in text
    assert "Droit à l'hébergement" in text and "Droit aux soins" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
def test_the_letter_never_contains_identity_or_account(make_submitted, miprof, world, validator, tmp_path):
    from orientation.services import decisions, triage

    signalement = make_submitted(first_name="Aminata", last_name="Traoré", account="Récit confidentiel")
    signalement = triage.start_triage(signalement=signalement, by=miprof)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    decision = decisions.decide(signalement=signalement, by=validator, kind="validated")
    text = pdf_text(render_decision_letter(decision), tmp_path)
    assert not re.search("Aminata|Traoré|Récit|confidentiel", text)


def test_the_filer_downloads_the_letter_and_the_download_is_logged(world, client_as, decision):
    response = client_as("association_agent").get(letter_link(decision, world.user("association_agent")))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    log = AccessLog.objects.for_object(decision.signalement).get(action="download")
    assert log.view_name == "orientation:decision_letter"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("association_admin", 200),
        ("association_agent_other_org", 404),
        ("miprof_agent", 200),
        ("departmental_validator", 200),
        ("departmental_validator_other_departement", 404),
        ("statistician", 404),
        ("platform_admin", 404),
    ],
)
def test_letter_access_by_persona(world, client_as, decision, persona, status):
    user = world.user("association_agent" if persona == "anonymous" else persona)
    assert client_as(persona).get(letter_link(decision, user)).status_code == status


def test_an_expired_link_is_refused(world, client_as, decision):
    link = letter_link(decision, world.user("association_agent"))
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=2)):
        response = client_as("association_agent").get(link)
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action="download").exists()


def test_a_tampered_token_is_refused(world, decision):
    user = world.user("miprof_agent")
    token = letter_token(decision, user)
    assert letter_from_token(token) == (str(decision.public_id), str(user.public_id))
    assert letter_from_token(token[:-2] + "xx") is None


def test_a_link_opened_by_another_person_than_its_holder_gets_403(world, client_as, decision):
    """Constat 10 : un autre agent de la Miprof ouvre le lien donné à la personne valideuse."""
    link = letter_link(decision, world.user("departmental_validator"))
    response = client_as("miprof_agent").get(link)
    assert response.status_code == 403
    assert "créé pour une autre personne" in response.content.decode()
    assert not AccessLog.objects.filter(action="download").exists()
    assert client_as("departmental_validator").get(link).status_code == 200


def test_the_case_page_links_the_letter(client_as, decision):
    text = (
        client_as("association_agent")
        .get(reverse("orientation:case_detail", args=[decision.signalement.public_id]))
        .text
    )
    assert "Télécharger l&#x27;attestation (PDF)" in text or "Télécharger l'attestation (PDF)" in text
