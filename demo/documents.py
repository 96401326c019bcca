"""Un document joint de démonstration : « Démo-0010 » (prise en charge validée à Paris, plainte déposée,
`demo.procedures`) reçoit un récépissé de plainte fictif, joint par le vrai service
(`orientation.services.attachments.attach_document`) puis analysé par le vrai antivirus (`scan_attachment`, le clamd
que `make run` démarre) : il est « sain » parce que clamd l'a dit. Sans clamd, il reste honnêtement « analyse en
cours », comme tout document, jusqu'à ce qu'un antivirus réponde (tâche beat `scan_pending_attachments`).

Idempotent : un dossier qui a déjà un document n'en reçoit pas d'autre."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from weasyprint import HTML

from demo.actors import MIPROF_AGENT, acting
from demo.triage import pseudonym
from orientation.enums import AttachmentKind
from orientation.services.attachments import attach_document, scan_attachment
from signalements.models import Signalement

#: Le numéro du signalement de démonstration qui reçoit le document (scénario de `demo.triage`).
DOCUMENT_CASE = 10
DOCUMENT_NAME = "recepisse-plainte-demonstration.pdf"
#: Aucune donnée d'identité : un document fictif, marqué comme tel.
DOCUMENT_HTML = """<!doctype html><html lang="fr">
<head><meta charset="utf-8"><title>Récépissé de plainte</title></head>
<body><h1>Récépissé de dépôt de plainte</h1>
<p>Document fictif de démonstration de la plateforme MNIOP : il ne concerne aucune personne réelle.</p>
<p>Procédure PARQUET-75-DEMO-000123.</p></body></html>"""


def demo_document_pdf():
    return HTML(string=DOCUMENT_HTML).write_pdf()


def seed_demo_documents():
    """Joint le document de démonstration et le fait analyser ; renvoie le nombre de documents joints (0 s'il existe
    déjà ou si la démonstration n'a ni ce dossier ni agent·e de la Miprof)."""
    miprof = acting(MIPROF_AGENT)
    signalement = Signalement.objects.filter(pseudonym=pseudonym(DOCUMENT_CASE)).first()
    if miprof is None or signalement is None or signalement.attachments.exists():
        return 0
    upload = SimpleUploadedFile(DOCUMENT_NAME, demo_document_pdf(), content_type="application/pdf")
    with transaction.atomic():
        attachment = attach_document(
            signalement=signalement, kind=AttachmentKind.COMPLAINT_RECEIPT, upload=upload, by=miprof
        )
    scan_attachment(attachment_id=attachment.pk)
    return 1
