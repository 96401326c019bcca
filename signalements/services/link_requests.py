"""Chercher avant de créer (issue 16) : la structure prévenue qu'un signalement existe probablement pour cette
personne demande à la Miprof de les rapprocher. Elle n'apprend jamais lequel ni par qui ; la Miprof confirme ou écarte
(`orientation.services.link_requests`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mniop.roles import SIGNALEMENT_AUTHOR_ROLES, current_membership
from signalements.duplicates import probably_filed_already
from signalements.enums import SignalementStatus
from signalements.models import LinkRequest, Signalement
from signalements.notifications import notify_link_requested
from signalements.services.events import apply_transition

NOTHING_TO_LINK = "Aucun signalement déposé ne semble concerner cette personne : il n'y a rien à rapprocher."
ALREADY_REQUESTED = "Un rapprochement est déjà demandé pour ce signalement : la Miprof y répondra."
NOT_YOURS = "Seule la structure qui a rédigé ce signalement peut demander un rapprochement."


def can_request_link(user, signalement):
    """La structure qui rédige ou a déposé le signalement (une personne qui le voit), jamais une autre."""
    membership = current_membership(user)
    if membership is None or membership.role not in SIGNALEMENT_AUTHOR_ROLES:
        return False
    if membership.organisation_id != signalement.organisation_id:
        return False
    return Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()


@transaction.atomic
def request_link(*, signalement, by):
    """Enregistre la demande avec le signalement (brouillon ou déposé) et l'inscrit à son journal. Déposé, la Miprof
    est prévenue aussitôt ; pour un brouillon, elle l'est à son dépôt (`notify_signalement_submitted`)."""
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if not can_request_link(by, signalement):
        raise PermissionDenied(NOT_YOURS)
    if not probably_filed_already(signalement):
        raise ValidationError(NOTHING_TO_LINK)
    if signalement.link_requests.pending().exists():
        raise ValidationError(ALREADY_REQUESTED)
    try:
        with transaction.atomic():
            link_request = LinkRequest.objects.create(signalement=signalement, requested_by=by)
    except IntegrityError as error:
        raise ValidationError(ALREADY_REQUESTED) from error
    apply_transition(signalement, "request_link", by=by, data={"link_request": str(link_request.public_id)})
    if signalement.status != SignalementStatus.DRAFT:
        notify_link_requested(signalement)
    return link_request
