"""L'accusé de réception PDF d'un signalement déposé : à toute personne qui voit le signalement, journalisé."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from accounts.audit import log_access
from accounts.models import AccessAction
from signalements.enums import SignalementStatus
from signalements.models import Signalement


def signalement_receipt(request, public_id):
    signalements = Signalement.objects.visible_to(request.user).exclude(status=SignalementStatus.DRAFT)
    signalement = get_object_or_404(
        signalements.select_related("organisation", "submitted_by", "departement"), public_id=public_id
    )
    log_access(request, action=AccessAction.DOWNLOAD, obj=signalement)
    # Importé ici : charger WeasyPrint prend plusieurs secondes, que le démarrage du site n'a pas à payer.
    from signalements.receipts import render_receipt_pdf

    response = HttpResponse(render_receipt_pdf(signalement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="accuse-de-reception-{signalement.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
