"""Partage d'un signalement avec un·e collègue de l'organisation déclarante (django-guardian)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from mniop.roles import Role
from signalements.models import Signalement, SignalementUserObjectPermission
from signalements.permissions import can_share_signalement
from signalements.services.events import apply_transition

VIEW_PERMISSION = "view_signalement"
NOT_A_CANDIDATE = "Choisissez un·e agent·e actif·ve de votre structure qui n'a pas encore accès au signalement."


def shared_with(signalement):
    """Les personnes avec qui le signalement est partagé."""
    shares = SignalementUserObjectPermission.objects.filter(
        content_object=signalement, permission__codename=VIEW_PERMISSION
    ).values("user_id")
    return User.objects.filter(pk__in=shares)


def share_candidates(signalement):
    """Les agents actifs de l'organisation déclarante qui ne voient pas encore le signalement."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=signalement.organisation_id,
            memberships__is_active=True,
            memberships__role=Role.ASSOCIATION_AGENT,
        )
        .exclude(pk=signalement.created_by_id)
        .exclude(pk__in=shared_with(signalement).values("pk"))
        .distinct()
    )


def _lock_and_check(signalement, by):
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if not can_share_signalement(by, signalement):
        raise PermissionDenied("Seuls l'auteur du signalement et l'administrateur de la structure gèrent son partage.")
    return signalement


@transaction.atomic
def share_signalement(*, signalement, colleague, by):
    signalement = _lock_and_check(signalement, by)
    if not share_candidates(signalement).filter(pk=colleague.pk).exists():
        raise ValidationError({"colleague": NOT_A_CANDIDATE})
    assign_perm(VIEW_PERMISSION, colleague, signalement)
    apply_transition(signalement, "share", by=by, data={"user": str(colleague.public_id)})
    return signalement


@transaction.atomic
def unshare_signalement(*, signalement, colleague, by):
    signalement = _lock_and_check(signalement, by)
    if not shared_with(signalement).filter(pk=colleague.pk).exists():
        raise ValidationError("Ce signalement n'est pas partagé avec cette personne.")
    remove_perm(VIEW_PERMISSION, colleague, signalement)
    apply_transition(signalement, "unshare", by=by, data={"user": str(colleague.public_id)})
    return signalement
