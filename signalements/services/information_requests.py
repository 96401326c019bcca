"""Demandes de complément : la réponse de l'organisation déclarante."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from signalements import lifecycle
from signalements.models import InformationRequest, Signalement
from signalements.notifications import information_request_path, notify_case
from signalements.permissions import can_answer_information_request
from signalements.services.events import apply_transition

ANSWER_MAX_LENGTH = 10_000


@transaction.atomic
def answer_information_request(*, information_request, answer, by):
    """Écrit la réponse, l'inscrit au journal, remet le signalement en traitement quand plus aucune demande
    n'attend, et prévient la personne de la Miprof qui a posé la question (un lien seulement)."""
    signalement = Signalement.objects.select_for_update().get(pk=information_request.signalement_id)
    information_request = (
        InformationRequest.objects.select_for_update().select_related("requested_by").get(pk=information_request.pk)
    )
    if not information_request.is_pending:
        raise ValidationError("Cette demande de complément n'attend plus de réponse.")
    if not can_answer_information_request(by, information_request):
        raise PermissionDenied("Vous ne pouvez pas répondre à cette demande de complément.")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Écrivez votre réponse avant de l'envoyer."})
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError({"answer": f"La réponse ne doit pas dépasser {ANSWER_MAX_LENGTH} caractères."})
    information_request.answer = answer
    information_request.answered_by = by
    information_request.answered_at = timezone.now()
    information_request.save(update_fields=["answer", "answered_by", "answered_at"])
    data = {"information_request": str(information_request.public_id)}
    name = "provide_information"
    if lifecycle.allows(signalement, "resume_triage") and not signalement.information_requests.pending().exists():
        name = "resume_triage"
        data["status"] = lifecycle.transition(name).target.value
    apply_transition(signalement, name, by=by, data=data)
    notify_case(
        recipients.person(information_request.requested_by),
        signalement=signalement,
        action="complément apporté, instruction à reprendre",
        path=information_request_path(information_request),
        template="information_provided",
    )
    return information_request
