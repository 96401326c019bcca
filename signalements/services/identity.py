"""Ouvrir l'identité scellée d'un signalement avec un motif (domaine §10).

Le valideur départemental décide sur une vue pseudonymisée (référence, âge, sexe, nationalités, formes
d'exploitation, indicateurs) ; la Miprof lit l'identité d'une personne majeure sans motif, celle d'une personne mineure
avec un motif. L'ouverture vaut pour une durée (`IDENTITY_OPENING_MINUTES`, 2 h par défaut), est inscrite au journal
du dossier (`IDENTITY_OPENED`, motif lisible dans la frise) et, par la vue, au journal d'accès."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mniop.roles import current_membership
from signalements.models import IdentityOpening, Signalement
from signalements.permissions import active_identity_opening, can_open_identity
from signalements.services.events import apply_transition

MIN_REASON_LENGTH = 20
MAX_REASON_LENGTH = 1000
REASON_TOO_SHORT = (
    f"Le motif est trop court : expliquez pourquoi l’identité de la personne vous est nécessaire (au moins "
    f"{MIN_REASON_LENGTH} caractères)."
)
REASON_TOO_LONG = f"Le motif tient en {MAX_REASON_LENGTH} caractères au plus."


def identity_opening_minutes():
    return getattr(settings, "IDENTITY_OPENING_MINUTES", 120)


@transaction.atomic
def open_identity(*, signalement, by, reason):
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if not can_open_identity(by, signalement):
        raise PermissionDenied("Vous ne pouvez pas ouvrir l'identité de ce signalement avec un motif.")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": REASON_TOO_SHORT})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG})
    current = active_identity_opening(by, signalement)
    if current is not None:
        return current
    now = timezone.now()
    opening = IdentityOpening.objects.create(
        signalement=signalement,
        user=by,
        organisation_id=current_membership(by).organisation_id,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(minutes=identity_opening_minutes()),
    )
    apply_transition(
        signalement,
        "open_identity",
        by=by,
        data={"opening": str(opening.public_id), "expires_at": opening.expires_at.isoformat()},
    )
    return opening
