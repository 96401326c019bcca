"""Téléchargement de l'attestation de décision par un lien signé qui expire ; chaque téléchargement est journalisé."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from accounts.audit import log_access
from accounts.models import AccessAction
from orientation.documents import letter_from_token, render_decision_letter
from orientation.permissions import can_download_decision_letter
from orientation.services.decisions import visible_decision

OTHER_PERSON = (
    "Ce lien de téléchargement a été créé pour une autre personne : ouvrez vous-même le dossier pour obtenir le vôtre."
)


def decision_letter(request, token):
    letter = letter_from_token(token)
    if letter is None:
        raise Http404("Ce lien de téléchargement est invalide ou a expiré : rouvrez le dossier pour en obtenir un.")
    public_id, user_id = letter
    if user_id != str(request.user.public_id):
        raise PermissionDenied(OTHER_PERSON)
    decision = visible_decision(request.user, public_id)
    if decision is None:
        raise Http404
    if not can_download_decision_letter(request.user, decision.signalement):
        raise PermissionDenied
    pdf = render_decision_letter(decision)
    log_access(request, action=AccessAction.DOWNLOAD, obj=decision.signalement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{decision.signalement.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
