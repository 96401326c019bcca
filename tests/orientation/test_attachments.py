"""Les documents joints à un dossier (issues 16 et 13) : type reconnu par le contenu, taille, chiffrement au repos,
analyse par le vrai clamd (EICAR refusé), téléchargement d'un document sain seulement, par qui lit le dossier, avec
une ligne au journal d'accès ; antivirus indisponible : rien ne se perd."""

import hashlib

import pytest
from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AccessLog
from notifications.models import Notification
from orientation import attachments as files
from orientation.enums import AttachmentKind, AttachmentScanStatus
from orientation.models import CaseAttachment
from orientation.services import attachments
from signalements.enums import ComplaintStatus, SignalementEventKind
from tests.antivirus import EICAR
from tests.personas import EVERYONE

#: Un PDF minimal (les octets magiques « %PDF- » suffisent à le reconnaître).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\0" * 32
#: Un exécutable Windows (en-tête « MZ ») renommé en .pdf.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\0" * 64
    + b"This program cannot be run in DOS mode"
)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = str(tmp_path / "pieces-jointes")
    return tmp_path / "pieces-jointes"


@pytest.fixture
def case(make_validated):
    """Un dossier validé de Paris avec une plainte : le parquet de Paris le voit."""
    return make_validated(complaint_status=ComplaintStatus.FILED)


def upload(data=PDF, name="certificat-medical-fatou.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def attach(case, by, data=PDF, kind=AttachmentKind.MEDICAL_CERTIFICATE, **kwargs):
    return attachments.attach_document(signalement=case, kind=kind, upload=upload(data, **kwargs), by=by)


def stored_bytes(private_root, attachment):
    return (private_root / attachment.storage_name).read_bytes()


# --- Dépôt ---------------------------------------------------------------------------------------------------------


def test_a_pdf_is_stored_encrypted_pending_and_journaled_without_its_name(
    case, filer, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        attachment = attach(case, filer)

    assert attachment.scan_status == AttachmentScanStatus.PENDING
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.uploaded_by_organisation == case.organisation
    assert attachment.storage_name == f"{case.public_id}/{attachment.public_id}"
    on_disk = stored_bytes(private_root, attachment)
    assert b"%PDF" not in on_disk and b"Catalog" not in on_disk  # chiffré au repos
    assert files.read(attachment.storage_name) == PDF
    event = case.events.get(kind=SignalementEventKind.ATTACHMENT_ADDED)
    assert event.data == {"attachment": str(attachment.public_id), "kind": "medical_certificate"}
    assert "fatou" not in str(event.data).lower()
    assert len(callbacks) == 1  # l'analyse est confiée au worker après la validation


def test_the_original_file_name_is_encrypted_in_the_database(case, filer):
    from django.db import connection

    attachment = attach(case, filer)

    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name FROM orientation_caseattachment WHERE id = %s", [attachment.pk])
        (stored,) = cursor.fetchone()
    assert "fatou" not in stored.lower()
    assert CaseAttachment.objects.get(pk=attachment.pk).original_name == "certificat-medical-fatou.pdf"


def test_a_png_is_accepted(case, filer):
    assert attach(case, filer, PNG, name="recu.png", content_type="image/png").content_type == "image/png"


def test_an_exe_renamed_pdf_is_refused_by_its_content(case, filer, private_root):
    with pytest.raises(ValidationError) as refusal:
        attach(case, filer, EXE, name="recepisse.pdf")

    assert "seuls les fichiers PDF, JPEG ou PNG sont acceptés" in str(refusal.value)
    assert not CaseAttachment.objects.exists()
    assert not private_root.exists() or not any(private_root.rglob("*.*"))


def test_a_file_over_the_size_limit_is_refused(case, filer, settings):
    settings.MNIOP = {**settings.MNIOP, "ATTACHMENT_MAX_BYTES": 1024}

    with pytest.raises(ValidationError, match=r"trop volumineux \(2 ko\) : 1 ko au plus"):
        attach(case, filer, PDF + b"\0" * 2048)

    assert not CaseAttachment.objects.exists()


def test_an_empty_file_is_refused(case, filer):
    with pytest.raises(ValidationError, match="Le fichier est vide"):
        attach(case, filer, b"")


def test_the_departmental_validator_cannot_attach(case, validator):
    with pytest.raises(PermissionDenied):
        attach(case, validator)


# --- Analyse antivirus (le vrai clamd) -------------------------------------------------------------------------------


def test_a_clean_pdf_is_declared_clean_by_clamd(case, filer, clamd):
    attachment = attach(case, filer)

    assert attachments.scan_attachment(attachment_id=attachment.pk) == AttachmentScanStatus.CLEAN

    attachment.refresh_from_db()
    assert attachment.is_downloadable
    assert attachment.scanned_at is not None


def test_the_eicar_file_is_refused_deleted_journaled_and_the_miprof_admin_told(
    case, filer, clamd, private_root, world, django_capture_on_commit_callbacks
):
    # Le fichier EICAR dans un PDF : le type est accepté, c'est l'antivirus qui refuse.
    attachment = attach(case, filer, PDF + EICAR)
    path = private_root / attachment.storage_name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        status = attachments.scan_attachment(attachment_id=attachment.pk)

    assert status == AttachmentScanStatus.INFECTED
    attachment.refresh_from_db()
    assert attachment.scan_detail.startswith("MNIOP.Test.EICAR") or "Eicar" in attachment.scan_detail
    assert attachment.storage_name == "" and not path.exists()
    assert not attachment.is_downloadable
    event = case.events.get(kind=SignalementEventKind.ATTACHMENT_INFECTED)
    assert event.data["attachment"] == str(attachment.public_id)
    title = f"{case.reference} : document refusé par l'antivirus"
    assert Notification.objects.filter(user=world.user("miprof_admin"), title=title).exists()


def test_the_raw_eicar_file_is_refused_by_its_type_before_any_scan(case, filer):
    with pytest.raises(ValidationError, match="PDF, JPEG ou PNG"):
        attach(case, filer, EICAR, name="eicar.pdf")


def test_an_unreachable_scanner_leaves_the_document_pending_then_the_beat_task_scans_it(
    case, filer, settings, clamd, time_machine
):
    settings.CLAMD_ADDRESS = "/nulle-part/clamd.sock"
    attachment = attach(case, filer)

    assert attachments.scan_attachment(attachment_id=attachment.pk) == AttachmentScanStatus.PENDING
    attachment.refresh_from_db()
    assert attachment.scan_attempts == 1 and attachment.storage_name

    settings.CLAMD_ADDRESS = clamd
    time_machine.move_to(timezone.now() + timezone.timedelta(minutes=5))
    current_app.conf.task_always_eager = True  # le chemin synchrone (CELERY_TASK_ALWAYS_EAGER)
    try:
        assert attachments.scan_pending_attachments() == 1
    finally:
        current_app.conf.task_always_eager = False

    attachment.refresh_from_db()
    assert attachment.scan_status == AttachmentScanStatus.CLEAN
    assert attachment.scan_attempts == 2


def test_scanning_twice_changes_nothing(case, filer, clamd):
    attachment = attach(case, filer)
    attachments.scan_attachment(attachment_id=attachment.pk)

    assert attachments.scan_attachment(attachment_id=attachment.pk) == AttachmentScanStatus.CLEAN
    assert CaseAttachment.objects.get(pk=attachment.pk).scan_attempts == 1


# --- Pages -----------------------------------------------------------------------------------------------------------


def download_url(case, attachment):
    return f"/dossiers/{case.public_id}/documents/{attachment.public_id}/telecharger/"


def declared_clean(attachment):
    """Le verdict de l'antivirus posé directement : ces tests disent qui télécharge, pas comment on analyse."""
    CaseAttachment.objects.filter(pk=attachment.pk).update(scan_status=AttachmentScanStatus.CLEAN)
    return attachment


def test_the_upload_page_attaches_a_document_and_logs_the_access(case, client_as):
    client = client_as("association_agent")

    response = client.post(
        f"/dossiers/{case.public_id}/documents/ajouter/",
        {"document-kind": "complaint_receipt", "document-file": upload(name="plainte.pdf")},
    )

    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()
    assert attachment.kind == "complaint_receipt"
    assert AccessLog.objects.filter(object_id=str(case.public_id), action="update").exists()


def test_the_upload_page_explains_a_refused_type_in_french(case, client_as):
    response = client_as("association_agent").post(
        f"/dossiers/{case.public_id}/documents/ajouter/",
        {"document-kind": "decision", "document-file": upload(EXE, name="decision.pdf")},
    )

    assert response.status_code == 400
    assert "seuls les fichiers PDF, JPEG ou PNG sont acceptés" in response.content.decode()
    assert not CaseAttachment.objects.exists()


def test_the_upload_page_asks_for_a_file(case, client_as):
    response = client_as("association_agent").post(
        f"/dossiers/{case.public_id}/documents/ajouter/", {"document-kind": "decision"}
    )

    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()


#: Qui télécharge un document sain (GET) : 404 hors de portée, 403 dans la portée sans droit de lire les documents.
DOWNLOAD_MATRIX = {
    "anonymous": 302,
    "association_agent": 200,
    "association_admin": 200,
    "association_agent_other_org": 404,
    "association_admin_other_org": 404,
    "miprof_agent": 200,
    "miprof_admin": 200,
    "departmental_validator": 200,
    "departmental_validator_other_departement": 404,
    "territorial_referent": 404,
    "statistician": 404,
    "platform_admin": 404,
    "police_officer": 404,
    "police_officer_other_unit": 404,
    "gendarme": 404,
    "labour_inspector": 404,
    "child_protection_agent": 404,
    "parquet_magistrate": 200,
}


@pytest.mark.parametrize("persona", EVERYONE)
def test_download_access_matrix(case, filer, client_as, persona):
    attachment = declared_clean(attach(case, filer))

    response = client_as(persona).get(download_url(case, attachment))

    assert response.status_code == DOWNLOAD_MATRIX[persona]


def test_a_download_is_an_attachment_never_sniffed_and_logged(case, filer, client_as):
    attachment = declared_clean(attach(case, filer))

    response = client_as("departmental_validator").get(download_url(case, attachment))

    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="medical-certificate-')
    assert "fatou" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    log = AccessLog.objects.get(object_id=str(attachment.public_id))
    assert log.action == "read" and log.object_type == "orientation.caseattachment"


def test_a_pending_document_cannot_be_downloaded(case, filer, client_as):
    attachment = attach(case, filer)

    assert client_as("association_agent").get(download_url(case, attachment)).status_code == 404
    assert not AccessLog.objects.filter(object_id=str(attachment.public_id)).exists()


def test_a_document_of_another_case_is_not_found_through_this_case(case, make_validated, filer, client_as):
    other = make_validated()
    attachment = declared_clean(attach(other, filer))

    assert client_as("association_agent").get(download_url(case, attachment)).status_code == 404


def test_the_workspace_lists_the_documents_and_offers_the_upload_to_the_filer(case, filer, client_as):
    attach(case, filer)

    page = client_as("association_agent").get(f"/dossiers/{case.public_id}/").content.decode()

    assert "Certificat médical" in page
    assert "Analyse en cours" in page
    assert "Joindre un document" in page
    assert "attachments_refresh.js" in page


def test_the_validator_reads_the_documents_without_the_upload_button(case, filer, client_as):
    declared_clean(attach(case, filer))

    page = client_as("departmental_validator").get(f"/dossiers/{case.public_id}/").content.decode()

    assert "Certificat médical" in page and "Sain" in page
    assert "Joindre un document" not in page
    assert client_as("departmental_validator").get(f"/dossiers/{case.public_id}/documents/ajouter/").status_code == 403


def test_the_workspace_query_count_does_not_grow_with_documents(case, filer, client_as, django_assert_max_num_queries):
    client = client_as("association_agent")
    attach(case, filer)
    client.get(f"/dossiers/{case.public_id}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(f"/dossiers/{case.public_id}/")
    for _ in range(4):
        attach(case, filer)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/dossiers/{case.public_id}/")


# --- API -------------------------------------------------------------------------------------------------------------


def api_url(case, suffix=""):
    return f"/api/v1/orientation/dossiers/{case.public_id}/documents/{suffix}"


@pytest.fixture
def api(world):
    from django.test import Client

    from tests.api_tokens import issue_token

    _, secret = issue_token(world.association)
    return Client(headers={"Authorization": f"Token {secret}"})


def test_the_api_uploads_a_document_and_lists_it_without_its_name(case, api):
    response = api.post(api_url(case), {"kind": "decision", "file": upload(name="decision-fatou.pdf")})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "decision" and body["scan_status"] == "pending" and body["is_downloadable"] is False
    listed = api.get(api_url(case)).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert "fatou" not in str(listed)


def test_the_api_refuses_a_renamed_exe_in_french(case, api):
    response = api.post(api_url(case), {"kind": "decision", "file": upload(EXE, name="decision.pdf")})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "PDF, JPEG ou PNG" in response.content.decode()


def test_the_api_downloads_a_clean_document_and_logs_it(case, filer, api):
    attachment = declared_clean(attach(case, filer))

    response = api.get(api_url(case, f"{attachment.public_id}/contenu/"))

    assert response.status_code == 200
    assert response.content == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.filter(object_id=str(attachment.public_id), action="read").exists()


def test_the_api_of_another_organisation_gets_404(case, filer, world):
    from django.test import Client

    from tests.api_tokens import issue_token

    attachment = declared_clean(attach(case, filer))
    _, secret = issue_token(world.other_association)
    other = Client(headers={"Authorization": f"Token {secret}"})

    assert other.get(api_url(case)).status_code == 404
    assert other.get(api_url(case, f"{attachment.public_id}/contenu/")).status_code == 404


# --- Rotation des clés -----------------------------------------------------------------------------------------------


def test_key_rotation_reencrypts_the_files_under_the_new_data_key(case, filer, private_root):
    import io

    from django.core.management import call_command

    from mniop.encryption import encrypted_bytes_key_id, keyring, rotate_data_key

    attachment = attach(case, filer)
    old = keyring().primary_id
    assert encrypted_bytes_key_id(stored_bytes(private_root, attachment)) == old

    new = rotate_data_key()
    out = io.StringIO()
    call_command("rotate_attachment_keys", stdout=out)

    assert new != old
    assert "1 fichier(s) rechiffré(s)" in out.getvalue()
    assert "Total : 0 fichier(s) restant(s)" in out.getvalue()
    assert encrypted_bytes_key_id(stored_bytes(private_root, attachment)) == new
    assert files.read(attachment.storage_name) == PDF


#: Qui ouvre la page « Joindre un document » (GET) : ceux qui tiennent le dossier ; l'autorité départementale lit
#: les documents sans en joindre (403).
UPLOAD_PAGE_MATRIX = DOWNLOAD_MATRIX | {"departmental_validator": 403}


@pytest.mark.parametrize("persona", EVERYONE)
def test_upload_page_access_matrix(case, client_as, persona):
    response = client_as(persona).get(f"/dossiers/{case.public_id}/documents/ajouter/")

    assert response.status_code == UPLOAD_PAGE_MATRIX[persona]
