"""Le document joint de démonstration (`demo.documents`) : joint par le vrai service, analysé par le vrai antivirus,
sans donnée d'identité."""

from demo.documents import DOCUMENT_CASE, seed_demo_documents
from demo.triage import pseudonym
from orientation.enums import AttachmentKind, AttachmentScanStatus
from orientation.models import CaseAttachment
from orientation.services.attachments import scan_attachment
from signalements.enums import SignalementEventKind
from signalements.models import SignalementEvent


def test_the_demo_attaches_one_complaint_receipt_through_the_service(demo, db):
    assert demo.documents == 1
    attachment = CaseAttachment.objects.select_related("signalement").get()
    assert attachment.signalement.pseudonym == pseudonym(DOCUMENT_CASE)
    assert (attachment.kind, attachment.content_type) == (AttachmentKind.COMPLAINT_RECEIPT, "application/pdf")
    # Le journal du dossier le dit, par l'identifiant du document et son type, jamais son nom.
    event = SignalementEvent.objects.get(
        signalement=attachment.signalement, kind=SignalementEventKind.ATTACHMENT_ADDED
    )
    assert event.data == {"attachment": str(attachment.public_id), "kind": AttachmentKind.COMPLAINT_RECEIPT}
    assert seed_demo_documents() == 0


def test_the_demo_document_is_clean_because_the_antivirus_says_so(demo, db, clamd):
    attachment = CaseAttachment.objects.get()
    if attachment.scan_status == AttachmentScanStatus.PENDING:  # seedé sans clamd joignable : l'analyse le reprend
        assert scan_attachment(attachment_id=attachment.pk) == AttachmentScanStatus.CLEAN
    attachment.refresh_from_db()
    assert attachment.scan_status == AttachmentScanStatus.CLEAN and attachment.scanned_at is not None
