"""Les documents joints à un dossier : la page pour en joindre un, le téléchargement d'un document sain. Le dossier
les liste (`templates/orientation/includes/case_documents.html`) ; les règles sont dans
`orientation.services.attachments`, le fichier dans `orientation.attachments`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import log_access
from accounts.models import AccessAction
from orientation import attachments as files
from orientation.forms import AttachmentForm
from orientation.permissions import can_add_attachment, can_read_attachments
from orientation.services import attachments
from orientation.views.cases import visible_signalement
from orientation.views.measures import submit_case_form
from signalements import lifecycle


def _form(*args):
    return AttachmentForm(*args, prefix="document", max_size_label=files.human_size(files.max_bytes()))


def _page(request, signalement, form, status=200):
    refusal = ""
    if not lifecycle.allows(signalement, "attach_document"):
        refusal = lifecycle.refusal(signalement, lifecycle.transition("attach_document").label).messages[0]
    context = {"signalement": signalement, "form": form, "refusal": refusal}
    return render(request, "orientation/attachments/attachment_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def attachment_create(request, public_id):
    """« Joindre un document » : le formulaire a sa page ; le dossier liste les documents et leur analyse."""
    signalement = visible_signalement(request.user, public_id)
    if not can_add_attachment(request.user, signalement):
        raise PermissionDenied
    if request.method == "POST":
        form = _form(request.POST, request.FILES)
        return submit_case_form(
            request,
            signalement,
            form,
            lambda data: attachments.attach_document(
                signalement=signalement, kind=data["kind"], upload=data["file"], by=request.user
            ),
            success="Le document est joint au dossier ; l'antivirus l'analyse avant qu'il soit téléchargeable.",
            on_error=lambda status: _page(request, signalement, form, status=status),
        )
    log_access(request, action=AccessAction.READ, obj=signalement)
    return _page(request, signalement, _form())


@require_GET
def attachment_download(request, public_id, attachment_id):
    """Le fichier d'un document sain, déchiffré, en pièce jointe (jamais affiché dans la page) ; chaque
    téléchargement est journalisé. Hors de la portée : 404 ; en analyse, infecté ou non analysable : 404 aussi (rien
    à télécharger), la page du dossier dit pourquoi."""
    signalement = visible_signalement(request.user, public_id)
    attachment = attachments.visible_attachment(request.user, signalement, attachment_id)
    if attachment is None:
        raise Http404
    if not can_read_attachments(request.user, signalement):
        raise PermissionDenied
    if not attachment.is_downloadable:
        raise Http404("Ce document n'est pas téléchargeable : l'antivirus ne l'a pas déclaré sain.")
    response = files.download_response(attachment)
    log_access(request, action=AccessAction.READ, obj=attachment)
    return response
