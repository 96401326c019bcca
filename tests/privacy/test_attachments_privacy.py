"""Les documents joints et les données personnelles (issue 13) : la conservation et l'anonymisation suppriment le
fichier et la ligne ; l'export d'accès liste les documents (jamais leur contenu)."""

import datetime
import json
import subprocess

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from orientation.models import CaseAttachment
from orientation.services import attachments
from orientation.services.closure import close_case
from privacy import anonymisation, retention
from signalements.enums import SignalementEventKind

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TWO_YEARS = datetime.timedelta(days=2 * 365)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = str(tmp_path / "pieces-jointes")
    return tmp_path / "pieces-jointes"


def attach(signalement, by):
    upload = SimpleUploadedFile("certificat.pdf", PDF, content_type="application/pdf")
    return attachments.attach_document(signalement=signalement, kind="medical_certificate", upload=upload, by=by)


@pytest.fixture
def closed_with_document(make_validated, validator, filer, closure_reason, private_root):
    signalement = make_validated()
    attachment = attach(signalement, filer)
    close_case(signalement=signalement, by=validator, reason=closure_reason, comment="")
    return signalement, attachment, private_root / attachment.storage_name


@pytest.fixture
def t0(db):
    return timezone.now() + datetime.timedelta(minutes=1)


def test_anonymising_a_case_deletes_its_documents_file_and_row(
    closed_with_document, world, django_capture_on_commit_callbacks
):
    signalement, attachment, path = closed_with_document
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        anonymisation.anonymise_signalement(signalement=signalement, by=world.acting("miprof_admin"), cause="erasure")

    assert not CaseAttachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
    event = signalement.events.get(kind=SignalementEventKind.ATTACHMENTS_DELETED)
    assert event.data == {"count": 1, "cause": "erasure", "automatic": True}


def test_the_documents_of_a_closed_case_are_deleted_after_their_retention_period(
    closed_with_document, world, t0, django_capture_on_commit_callbacks
):
    signalement, attachment, path = closed_with_document
    retention.approve_retention(by=world.acting("miprof_admin"), now=t0)

    with time_machine.travel(t0 + TWO_YEARS - datetime.timedelta(days=1), tick=False):
        assert retention.apply()["attachments"] == 0
    assert path.exists()

    with (
        time_machine.travel(t0 + TWO_YEARS + datetime.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = retention.apply()

    assert done["attachments"] == 1
    assert done["closed_cases"] == 0  # l'identité reste jusqu'à sa propre durée
    assert not CaseAttachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()


def test_the_dry_run_counts_the_cases_whose_documents_will_be_deleted(closed_with_document, t0):
    with time_machine.travel(t0 + TWO_YEARS + datetime.timedelta(days=1), tick=False):
        assert retention.dry_run_counts()["attachments"] == 1


def test_the_access_export_lists_the_documents_not_their_content(validated, filer, client_as, tmp_path):
    attach(validated, filer)
    export_url = reverse("privacy:dpo_export", kwargs={"public_id": validated.public_id, "fmt": "json"})

    export = json.loads(client_as("miprof_admin").get(export_url).content)

    assert export["documents"] == [
        {
            "kind": "Certificat médical",
            "uploaded_at": export["documents"][0]["uploaded_at"],
            "organisation": validated.organisation.name,
            "content_type": "application/pdf",
            "size": len(PDF),
            "scan": "Analyse en cours",
        }
    ]
    pdf = client_as("miprof_admin").get(export_url.replace("json", "pdf")).content
    path = tmp_path / "export.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "Documents joints à votre dossier" in text
    assert "Certificat médical" in text
