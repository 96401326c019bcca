"""Les documents joints à un dossier : les joindre (type reconnu par le contenu, taille, chiffrement), les faire
analyser par l'antivirus après la validation, et les supprimer (conservation, anonymisation).

Le dépôt est rapide : le fichier est chiffré et rangé, la ligne est « analyse en cours », l'analyse part au worker
après la validation (`orientation.tasks.scan_attachment` ; avec CELERY_TASK_ALWAYS_EAGER elle se fait aussitôt).
Antivirus ou courtier indisponible : le document reste « analyse en cours » et la tâche beat
`scan_pending_attachments` le reprend ; rien ne se perd. Infecté : le fichier est effacé, le document est refusé,
le journal du dossier le dit et l'administration de la Miprof est prévenue (la référence du dossier, rien d'autre)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from mniop import antivirus
from mniop.roles import current_membership
from orientation import attachments as files
from orientation.enums import AttachmentKind, AttachmentScanStatus
from orientation.models import CaseAttachment
from orientation.permissions import can_add_attachment
from orientation.services.common import lock, require
from orientation.services.notices import notify_in_app
from signalements import lifecycle
from signalements.services.events import apply_transition

logger = logging.getLogger(__name__)


def attachment_errors(*, kind, upload):
    """Les refus d'un fichier, en français : {champ: [messages]}, vide s'il est acceptable. Renvoie aussi le contenu
    lu (None si le fichier est refusé avant la lecture)."""
    if kind not in AttachmentKind.values:
        return {"kind": ["Choisissez le type de document."]}, None
    if upload is None:
        return {"file": ["Choisissez le fichier à joindre."]}, None
    limit = files.max_bytes()
    if upload.size > limit:
        return {
            "file": [
                f"Le fichier est trop volumineux ({files.human_size(upload.size)}) : "
                f"{files.human_size(limit)} au plus."
            ]
        }, None
    if upload.size == 0:
        return {"file": ["Le fichier est vide."]}, None
    data = upload.read()
    content_type = files.sniff(data)
    if content_type not in files.ALLOWED_TYPES:
        return {
            "file": [
                f"Ce fichier n'est pas un document accepté : seuls les fichiers {files.ALLOWED_LABELS} sont acceptés, "
                "reconnus par leur contenu et non par leur extension."
            ]
        }, None
    return {}, data


@transaction.atomic
def attach_document(*, signalement, kind, upload, by):
    """Joint un document au dossier. `upload` : un fichier téléversé (`UploadedFile`). Lève ValidationError (type,
    taille, fichier vide) ou PermissionDenied."""
    signalement = lock(signalement)
    require(can_add_attachment(by, signalement), "Vous ne pouvez pas joindre de document à ce dossier.")
    lifecycle.check(signalement, "attach_document")
    errors, data = attachment_errors(kind=kind, upload=upload)
    if errors:
        raise ValidationError(errors)
    membership = current_membership(by)
    attachment = CaseAttachment(
        signalement=signalement,
        kind=kind,
        original_name=(getattr(upload, "name", "") or "")[:255],
        size=len(data),
        content_type=files.sniff(data),
        sha256=files.sha256(data),
        uploaded_by=by,
        uploaded_by_organisation_id=membership.organisation_id if membership else None,
    )
    attachment.storage_name = files.store(f"{signalement.public_id}/{attachment.public_id}", data)
    try:
        attachment.save()
        # Au journal : l'identifiant et le type du document, jamais son nom ni son contenu.
        apply_transition(
            signalement, "attach_document", by=by, data={"attachment": str(attachment.public_id), "kind": kind}
        )
    except BaseException:
        files.delete(attachment.storage_name)
        raise
    transaction.on_commit(lambda: schedule_scan(attachment.pk))
    return attachment


def schedule_scan(attachment_id):
    """Confie l'analyse au worker. Courtier indisponible : le document reste « analyse en cours » (jamais d'erreur
    500 pour qui le dépose) et la tâche beat `scan_pending_attachments` le reprend."""
    from orientation.tasks import scan_attachment  # noqa: PLC0415 - la tâche importe ce module

    try:
        scan_attachment.delay(attachment_id)
    except Exception:  # noqa: BLE001 - le courtier est indisponible : la tâche beat reprendra l'analyse
        logger.warning("Courtier indisponible : analyse du document %s laissée en attente", attachment_id)


def scan_attachment(*, attachment_id):
    """Analyse un document « analyse en cours » par clamd et enregistre le verdict. Rejouable : un document déjà
    analysé est laissé tel quel. Antivirus indisponible : le document reste en attente (la tentative est comptée).
    Renvoie le statut du document."""
    with transaction.atomic():
        attachment = (
            CaseAttachment.objects.select_for_update(of=("self",))
            .select_related("signalement", "uploaded_by")
            .filter(pk=attachment_id)
            .first()
        )
        if attachment is None or attachment.scan_status != AttachmentScanStatus.PENDING:
            return attachment.scan_status if attachment else None
        attachment.scan_attempts += 1
        try:
            verdict = antivirus.scan_bytes(files.read(attachment.storage_name))
        except antivirus.ScannerUnavailable as error:
            logger.warning("Antivirus indisponible : document %s laissé en attente (%s)", attachment.public_id, error)
            attachment.save(update_fields=["scan_attempts"])
            return attachment.scan_status
        attachment.scanned_at = timezone.now()
        attachment.scan_detail = verdict.signature[:200]
        if verdict.is_clean:
            attachment.scan_status = AttachmentScanStatus.CLEAN
            attachment.save(update_fields=["scan_status", "scan_detail", "scan_attempts", "scanned_at"])
            return attachment.scan_status
        infected = verdict.is_infected
        attachment.scan_status = AttachmentScanStatus.INFECTED if infected else AttachmentScanStatus.ERROR
        name = attachment.storage_name
        if infected:
            attachment.storage_name = ""
        attachment.save(update_fields=["scan_status", "scan_detail", "scan_attempts", "scanned_at", "storage_name"])
        signalement = attachment.signalement
        # L'auteur inscrit au journal pour un acte automatique : la personne qui a déposé le document.
        apply_transition(
            signalement,
            "refuse_infected_document" if infected else "record_document_scan_failure",
            by=attachment.uploaded_by,
            data={"attachment": str(attachment.public_id), "kind": attachment.kind, "automatic": True},
            show_organisation=False,
        )
        notify_in_app(
            recipients.miprof_admins(),
            action="document refusé par l'antivirus" if infected else "document que l'antivirus n'a pas pu analyser",
            signalement=signalement,
        )
        if infected:
            transaction.on_commit(lambda: files.delete(name))
        return attachment.scan_status


def scan_pending_attachments(now=None):
    """Tâche beat : reconfie au worker les documents restés « analyse en cours » (antivirus ou courtier indisponible
    au moment du dépôt). Renvoie leur nombre."""
    minutes = settings.MNIOP["ATTACHMENT_RESCAN_AFTER_MINUTES"]
    cutoff = (now or timezone.now()) - timedelta(minutes=minutes)
    pending = list(CaseAttachment.objects.pending().filter(uploaded_at__lt=cutoff).values_list("pk", flat=True))
    for attachment_id in pending:
        schedule_scan(attachment_id)
    return len(pending)


def delete_case_attachments(*, signalement, by, cause):
    """Supprime les documents d'un dossier, fichiers et lignes, dans la transaction de l'appelant (verrou du dossier
    posé par lui) ; les fichiers sont effacés après la validation. Une ligne au journal dit combien, jamais quoi.
    Renvoie le nombre de documents supprimés."""
    rows = list(CaseAttachment.objects.filter(signalement=signalement).values_list("pk", "storage_name"))
    if not rows:
        return 0
    CaseAttachment.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    apply_transition(
        signalement, "delete_documents", by=by, data={"count": len(rows), "cause": cause, "automatic": True}
    )
    names = [name for _, name in rows if name]
    transaction.on_commit(lambda: [files.delete(name) for name in names])
    return len(rows)


def case_attachments(user, signalement):
    """Les documents du dossier que la personne lit (`visible_to`), du plus ancien au plus récent."""
    return list(
        CaseAttachment.objects.visible_to(user)
        .filter(signalement=signalement)
        .select_related("uploaded_by_organisation")
    )


def visible_attachment(user, signalement, public_id):
    return CaseAttachment.objects.visible_to(user).filter(signalement=signalement, public_id=public_id).first()
