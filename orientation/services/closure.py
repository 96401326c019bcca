"""Clore un dossier suivi (motif de la liste « Motif de clôture du dossier ») et le rouvrir (motif en clair) :
domaine §11.3. Les clôtures de l'instruction (doublon, hors champ) sont dans `orientation.services.triage`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orientation.models import CaseClosure
from orientation.permissions import JOURNEY_STATUSES, can_close_case
from orientation.services import recipients
from orientation.services.common import lock, require, require_status
from signalements.enums import ReferenceCategory, SignalementEventKind, SignalementStatus
from signalements.services.events import record_event

CASE_CLOSURE_REASON_REQUIRED = "Choisissez un motif de la liste des motifs de clôture du dossier."
REOPEN_REASON_REQUIRED = "Expliquez pourquoi le dossier est rouvert."


def _followers(signalement):
    departement = signalement.competent_departement or signalement.departement
    return recipients.filing_organisation(signalement) + recipients.validators_of(departement)


@transaction.atomic
def close_case(*, signalement, by, reason, comment=""):
    """Clôt le parcours : le dossier passe à l'état « Clos », le motif est gardé, les mesures restent lisibles."""
    signalement = lock(signalement)
    require(can_close_case(by, signalement), "Vous ne pouvez pas clore ce dossier.")
    require_status(signalement, JOURNEY_STATUSES, "clore le dossier")
    if reason is None or reason.category != ReferenceCategory.CASE_CLOSURE_REASON or reason.is_retired:
        raise ValidationError({"reason": CASE_CLOSURE_REASON_REQUIRED})
    closure = CaseClosure.objects.create(
        signalement=signalement, reason=reason, comment=(comment or "").strip(), closed_by=by
    )
    signalement.status = SignalementStatus.CLOSED
    signalement.closure_reason = reason
    signalement.save(update_fields=["status", "closure_reason", "updated_at"])
    record_event(signalement=signalement, kind=SignalementEventKind.CLOSED, by=by, data={"reason": reason.code})
    recipients.notify_in_app(
        _followers(signalement), title="Un dossier que vous suivez a été clos", signalement=signalement
    )
    return closure


@transaction.atomic
def reopen_case(*, signalement, by, reason):
    """Rouvre un dossier clos : il revient « en suivi » ; le motif de réouverture est obligatoire."""
    signalement = lock(signalement)
    require(can_close_case(by, signalement), "Vous ne pouvez pas rouvrir ce dossier.")
    require_status(signalement, {SignalementStatus.CLOSED}, "rouvrir le dossier")
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
    signalement.status = SignalementStatus.FOLLOW_UP
    signalement.closure_reason = None
    signalement.save(update_fields=["status", "closure_reason", "updated_at"])
    record_event(signalement=signalement, kind=SignalementEventKind.REOPENED, by=by)
    recipients.notify_in_app(
        _followers(signalement), title="Un dossier que vous suivez a été rouvert", signalement=signalement
    )
    return closure
