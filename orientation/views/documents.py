"""Téléchargement de l'attestation de décision par un lien signé qui expire ; chaque téléchargement est journalisé.
Vérification publique d'une attestation par son code : état et date seulement, journalisée sans donnée personnelle."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.ratelimits import limit
from orientation.documents import attestation_status, letter_from_token, render_decision_letter
from orientation.models import Decision
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


@login_not_required
@limit(("attestation-verify", "ATTESTATION_VERIFY_PER_ADDRESS", "ip", ()))
def attestation_verify(request, code=""):
    """Page publique (sans connexion, débit limité par adresse) : le code imprimé sur l'attestation, ou saisi, dit
    si elle est valide, révoquée ou inconnue, et sa date ; jamais la référence, la décision ni rien du dossier.
    Chaque vérification est journalisée : la décision vérifiée (identifiant public), ni le code ni le dossier."""
    code = (code or request.GET.get("code", "")).strip()[:64]
    result = attestation_status(code) if code else None
    if result is not None:
        log_access(request, action=AccessAction.READ, model=Decision, object_id=result.decision_public_id)
    return render(request, "orientation/attestation_verify.html", {"code": code, "result": result})
