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
from orientation.models.triage import VERIFICATION_ALPHABET, new_verification_code
from orientation.services import decisions


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
    assert "Autorité départementale de Paris (75)" in text
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


# L'autorité qui émet, le code et la page publique de vérification


def verify_url(code):
    return reverse("orientation:attestation_verify", args=[code])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
def test_the_letter_names_the_function_of_who_decided_never_the_name(decision, validator, tmp_path):
    text = " ".join(pdf_text(render_decision_letter(decision), tmp_path).split())
    assert decision.decided_by_role == "departmental_validator"
    assert f"Décision prise par : Valideur·se départemental·e, {decision.decided_by_organisation.name}" in text
    assert validator.last_name not in text and validator.email not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
def test_the_letter_carries_the_verification_code_and_its_address(decision, tmp_path, settings):
    text = " ".join(pdf_text(render_decision_letter(decision), tmp_path).split())
    assert f"Code de vérification : {decision.verification_code}" in text
    assert re.search(r"verifier-une-\s?attestation/" + re.escape(decision.verification_code), text)


def test_the_qr_code_resolves_to_the_public_verification_page():
    from orientation.documents import verification_qr_code

    uri = verification_qr_code("http://exemple.test/verifier-une-attestation/ABCD-EFGH-JKMN-PQRS/")
    assert uri.startswith("data:image/svg+xml")


def test_verification_codes_are_random_and_unguessable():
    codes = {new_verification_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code) for code in codes)
    assert len(VERIFICATION_ALPHABET) ** 16 > 2**78  # plus de 78 bits de hasard


def test_anyone_verifies_a_valid_attestation_without_logging_in(client, decision):
    response = client.get(verify_url(decision.verification_code))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Attestation valide" in page
    assert f"{decision.decided_at:%Y}" in page
    # Jamais le dossier : ni la référence, ni la décision, ni le département, ni l'organisation.
    assert decision.signalement.reference not in page
    assert "Prise en charge validée" not in page and "Paris" not in page
    log = AccessLog.objects.get(view_name="orientation:attestation_verify")
    assert (log.user, log.object_type, log.object_id) == (None, "orientation.decision", str(decision.public_id))
    assert decision.signalement.reference not in log.path


def test_a_code_typed_in_lower_case_without_dashes_is_found(client, decision):
    typed = decision.verification_code.replace("-", " ").lower()
    response = client.get(reverse("orientation:attestation_verify_form"), {"code": typed})
    assert "Attestation valide" in response.content.decode()


def test_a_replaced_decision_shows_as_revoked(client, not_validated, filer, validator):
    first = Decision.objects.get(signalement=not_validated)
    decisions.request_reconsideration(signalement=not_validated, by=filer, motive="Nouveaux éléments recueillis.")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=3)):
        decisions.decide(signalement=not_validated, by=validator, kind="validated")
    page = client.get(verify_url(first.verification_code)).content.decode()
    assert "Attestation révoquée" in page and "Attestation valide" not in page


def test_an_unknown_or_enumerated_code_reveals_nothing(client, decision):
    """Énumération : des codes voisins du vrai (un signe changé) et des codes mal formés sont tous « inconnus »."""
    code = decision.verification_code
    neighbours = [code[:i] + ("B" if code[i] == "A" else "A") + code[i + 1 :] for i in (0, 5, 18)]
    for guess in [*neighbours, "AAAA-AAAA-AAAA-AAAA", "1", "' OR 1=1 --", code[:-1]]:
        response = client.get(reverse("orientation:attestation_verify_form"), {"code": guess})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Code inconnu" in page and "Attestation valide" not in page
    assert AccessLog.objects.filter(view_name="orientation:attestation_verify_form", object_id="").count() == 7


def test_verification_is_rate_limited_per_address(client, decision, settings):
    settings.MNIOP = {**settings.MNIOP, "ATTESTATION_VERIFY_PER_ADDRESS": "3/m"}
    for _ in range(3):
        assert client.get(verify_url(decision.verification_code), REMOTE_ADDR="10.6.6.6").status_code == 200
    response = client.get(verify_url(decision.verification_code), REMOTE_ADDR="10.6.6.6")
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_the_verification_form_page_is_public_and_in_french(db, client):
    response = client.get(reverse("orientation:attestation_verify_form"))
    assert response.status_code == 200
    assert "Vérifier une attestation" in response.content.decode()
    assert not AccessLog.objects.exists()
