"""Clore un dossier suivi (motif de la liste « Motif de clôture du dossier ») et le rouvrir (motif en clair) :
domaine §11.3. Les clôtures de l'instruction (doublon, hors champ) sont dans `orientation.services.triage`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import recipients
from orientation.enums import ReferralCancelReason
from orientation.models import CaseClosure
from orientation.permissions import can_close_case
from orientation.services import exits, notices
from orientation.services.common import lock, require
from signalements import lifecycle
from signalements.enums import ReferenceCategory
from signalements.services.events import apply_transition

CASE_CLOSURE_REASON_REQUIRED = "Choisissez un motif de la liste des motifs de clôture du dossier."
REOPEN_REASON_REQUIRED = "Expliquez pourquoi le dossier est rouvert."


def _followers(signalement):
    return recipients.unique(
        recipients.filing_organisation(signalement), recipients.validators_of(signalement.responsible_departement)
    )


@transaction.atomic
def close_case(*, signalement, by, reason, comment=""):
    """Clôt le parcours : le dossier passe à l'état « Clos », le motif est gardé, les mesures restent lisibles ; les
    orientations en attente sont annulées et leurs places retenues libérées, dans la même transaction."""
    signalement = lock(signalement)
    require(can_close_case(by, signalement), "Vous ne pouvez pas clore ce dossier.")
    lifecycle.check(signalement, "close_case")
    if reason is None or reason.category != ReferenceCategory.CASE_CLOSURE_REASON or reason.is_retired:
        raise ValidationError({"reason": CASE_CLOSURE_REASON_REQUIRED})
    closure = CaseClosure.objects.create(
        signalement=signalement, reason=reason, comment=(comment or "").strip(), closed_by=by
    )
    signalement.closure_reason = reason
    apply_transition(signalement, "close_case", by=by, data={"reason": reason.code}, fields=["closure_reason"])
    exits.cancel_open_referrals(signalement=signalement, by=by, reason=ReferralCancelReason.CASE_CLOSED)
    notices.notify_in_app(_followers(signalement), action="dossier clos", signalement=signalement)
    return closure


@transaction.atomic
def reopen_case(*, signalement, by, reason):
    """Rouvre un dossier clos : il revient « en suivi » ; le motif de réouverture est obligatoire."""
    signalement = lock(signalement)
    require(can_close_case(by, signalement), "Vous ne pouvez pas rouvrir ce dossier.")
    lifecycle.check(signalement, "reopen_case")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REOPEN_REASON_REQUIRED})
    closure = CaseClosure.objects.select_for_update().filter(signalement=signalement, reopened_at__isnull=True).first()
    if closure is None:
        raise ValidationError("Ce dossier n'a pas été clos depuis son suivi : il ne peut pas être rouvert ici.")
    closure.reopen_reason = reason
    closure.reopened_by = by
    closure.reopened_at = timezone.now()
    closure.save(update_fields=["reopen_reason", "reopened_by", "reopened_at"])
    signalement.closure_reason = None
    apply_transition(signalement, "reopen_case", by=by, fields=["closure_reason"])
    notices.notify_in_app(_followers(signalement), action="dossier rouvert", signalement=signalement)
    return closure
