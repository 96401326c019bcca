"""La réponse de la Miprof à une demande de rapprochement (chercher avant de créer, issue 16) : confirmer (le
signalement est clos comme doublon de celui qu'il rejoint, par `triage.close_as_duplicate`) ou écarter avec un motif.
La structure qui a demandé est prévenue de l'issue, jamais de la référence ni de l'organisation de l'autre dossier."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from orientation.permissions import can_triage_signalement
from orientation.services import notices, triage
from orientation.services.common import require
from signalements import lifecycle
from signalements.duplicates import possible_duplicates
from signalements.enums import LinkRequestStatus, SignalementStatus
from signalements.models import LinkRequest
from signalements.services.events import apply_transition

NOT_MIPROF = "Seule la Miprof répond à une demande de rapprochement."
NOT_PENDING = "Cette demande de rapprochement a déjà reçu une réponse."
REASON_REQUIRED = "Indiquez pourquoi le rapprochement est écarté : la structure qui l'a demandé le lira."
REASON_MAX_LENGTH = 1000


def _pending(link_request):
    link_request = (
        LinkRequest.objects.select_for_update(of=("self",)).select_related("signalement").get(pk=link_request.pk)
    )
    if link_request.status != LinkRequestStatus.PENDING:
        raise ValidationError(NOT_PENDING)
    if link_request.signalement.status == SignalementStatus.DRAFT:
        raise ValidationError("Le signalement n'est pas encore déposé : la Miprof répondra après son dépôt.")
    return link_request


def _decided(link_request, *, by, status, **fields):
    link_request.status = status
    link_request.decided_by = by
    link_request.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(link_request, name, value)
    link_request.save(update_fields=["status", "decided_by", "decided_at", *fields])
    notices.notify_in_app(
        recipients.person(link_request.requested_by),
        action=f"rapprochement {'confirmé' if status == LinkRequestStatus.CONFIRMED else 'écarté'} par la Miprof",
        signalement=link_request.signalement,
        path=notices.case_path(link_request.signalement) + "#rapprochement",
    )
    return link_request


@transaction.atomic
def confirm_link(*, link_request, original, by):
    """Le même personne : le signalement de la demande est clos comme doublon de `original`, l'un des doublons
    possibles que la Miprof voit (mêmes empreintes)."""
    require(can_triage_signalement(by), NOT_MIPROF)
    link_request = _pending(link_request)
    signalement = link_request.signalement
    candidates = possible_duplicates(signalement, user=by)
    if original is None or not candidates.filter(pk=original.pk).exists():
        raise ValidationError({"original": "Choisissez l'un des doublons possibles de ce signalement."})
    if not lifecycle.allows(signalement, "close_as_duplicate"):
        raise ValidationError(
            "Ce signalement n'est pas en instruction : commencez l'instruction pour le clore comme doublon, ou "
            "écartez le rapprochement avec un motif."
        )
    triage.close_as_duplicate(signalement=signalement, original=original, by=by)
    return _decided(link_request, by=by, status=LinkRequestStatus.CONFIRMED, linked_to=original)


@transaction.atomic
def dismiss_link(*, link_request, reason, by):
    require(can_triage_signalement(by), NOT_MIPROF)
    link_request = _pending(link_request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Le motif ne doit pas dépasser {REASON_MAX_LENGTH} caractères."})
    apply_transition(
        link_request.signalement, "dismiss_link", by=by, data={"link_request": str(link_request.public_id)}
    )
    return _decided(link_request, by=by, status=LinkRequestStatus.DISMISSED, dismissal_reason=reason)
