"""Demandes de complément : la réponse de l'organisation déclarante."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.services import enqueue_email, notify_user
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import InformationRequest, Signalement
from signalements.notifications import signalement_path
from signalements.permissions import can_answer_information_request
from signalements.services.events import record_event

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
    if (
        signalement.status == SignalementStatus.INFORMATION_REQUESTED
        and not signalement.information_requests.pending().exists()
    ):
        signalement.status = SignalementStatus.IN_TRIAGE
        signalement.save(update_fields=["status", "updated_at"])
        data["status"] = SignalementStatus.IN_TRIAGE.value
    record_event(signalement=signalement, kind=SignalementEventKind.INFORMATION_PROVIDED, by=by, data=data)
    path = signalement_path(signalement)
    requester = information_request.requested_by
    if requester.is_active:
        enqueue_email(template="information_provided", recipient=requester.email, path=path)
        notify_user(user=requester, title="Un complément a été apporté à un signalement", path=path)
    return information_request
