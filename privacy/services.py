"""Les droits de la personne, exercés par le ou la délégué·e à la protection des données (administration de la
Miprof) : chaque demande est inscrite avec sa décision et son motif (`RightsRequest`) et au journal du dossier.

- Rectification : le champ est corrigé, l'ancienne valeur reste dans l'historique (django-pghistory) ; les empreintes
  de doublons sont recalculées.
- Opposition accordée : tous les consentements accordés sont retirés, avec leurs effets (orientations en attente
  annulées).
- Effacement accordé : l'identité est anonymisée partout, comme à la fin de la durée de conservation.
- Un refus (la loi ne le permet pas : mission d'intérêt public, obligation légale…) est inscrit avec son motif."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from orientation.services.consents import withdraw_consent
from privacy.anonymisation import anonymise_signalement, is_anonymised
from privacy.enums import RightsDecision, RightsRequestKind
from privacy.models import RightsRequest
from privacy.permissions import can_run_rights_requests
from signalements.duplicates import compute_duplicate_keys, phone_error
from signalements.enums import ConsentDecision, Sex
from signalements.models import Signalement
from signalements.services.events import apply_transition

NOT_DPO = "Seul·e le ou la délégué·e à la protection des données (administration de la Miprof) exerce ces droits."
#: Les champs qu'une rectification peut corriger.
RECTIFIABLE_FIELDS = {
    "pseudonym": "pseudonyme",
    "first_name": "prénom",
    "last_name": "nom",
    "aliases": "autres noms connus",
    "birth_date": "date de naissance",
    "estimated_age": "âge estimé",
    "phone": "téléphone",
    "address": "adresse",
    "sex": "sexe",
}


def _reason(reason):
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Indiquez le motif de la décision (il est inscrit au dossier)."})
    return reason


def _locked(signalement):
    return Signalement.objects.select_for_update(of=("self",)).get(pk=signalement.pk)


def _record(signalement, *, kind, decision, reason, by, field=""):
    request = RightsRequest.objects.create(
        signalement=signalement, kind=kind, decision=decision, reason=reason, field=field, decided_by=by
    )
    data = {"right": kind, "decision": decision, "request": str(request.public_id)}
    if field:
        data["field"] = field
    apply_transition(signalement, "rectify" if field else "record_rights_request", by=by, data=data)
    return request


def _clean_value(field, value):
    if field == "sex" and value not in Sex.values:
        raise ValidationError({"value": "Choisissez une valeur de la liste."})
    if field == "estimated_age" and value is not None and not 0 <= value <= 120:
        raise ValidationError({"value": "L'âge estimé doit être compris entre 0 et 120 ans."})
    if field in ("first_name", "last_name", "pseudonym", "aliases", "phone", "address"):
        value = (value or "").strip()
    if field == "phone" and (error := phone_error(value)):
        raise ValidationError({"value": error})
    return value


@transaction.atomic
def rectify_signalement(*, signalement, by, field, value, reason):
    """Corrige un champ d'identité à la demande de la personne : la correction est inscrite (champ, motif), jamais
    la valeur ; l'ancienne valeur reste dans l'historique des versions du signalement."""
    if not can_run_rights_requests(by):
        raise PermissionDenied(NOT_DPO)
    if field not in RECTIFIABLE_FIELDS:
        raise ValidationError({"field": "Ce champ ne se rectifie pas ici."})
    reason = _reason(reason)
    signalement = _locked(signalement)
    if is_anonymised(signalement):
        raise ValidationError("Ce dossier est anonymisé : il n'y a plus d'identité à rectifier.")
    value = _clean_value(field, value)
    if getattr(signalement, field) == value:
        raise ValidationError({"value": "La nouvelle valeur est identique à l'actuelle."})
    setattr(signalement, field, value)
    signalement.duplicate_keys = compute_duplicate_keys(signalement)
    # La date de naissance est chiffrée : `birth_age` en est la version SQL (files « mineurs », statistiques).
    signalement.refresh_birth_age()
    signalement.save(update_fields=[field, "duplicate_keys", "birth_age", "updated_at"])
    return _record(
        signalement,
        kind=RightsRequestKind.RECTIFICATION,
        decision=RightsDecision.GRANTED,
        reason=reason,
        by=by,
        field=field,
    )


def decide_rights_request(*, signalement, by, kind, decision, reason):
    """Accès, opposition ou effacement : la décision et son motif, et ses effets si elle est accordée."""
    if not can_run_rights_requests(by):
        raise PermissionDenied(NOT_DPO)
    if kind not in (RightsRequestKind.ACCESS, RightsRequestKind.OBJECTION, RightsRequestKind.ERASURE):
        raise ValidationError({"kind": "Choisissez : accès, opposition ou effacement."})
    if decision not in RightsDecision.values:
        raise ValidationError({"decision": "Choisissez : accordée ou refusée."})
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked(signalement)
        request = _record(locked, kind=kind, decision=decision, reason=reason, by=by)
        if decision == RightsDecision.GRANTED and kind == RightsRequestKind.OBJECTION:
            for consent in locked.consents.filter(decision=ConsentDecision.GIVEN):
                withdraw_consent(signalement=locked, purpose=consent.purpose, by=by)
    if decision == RightsDecision.GRANTED and kind == RightsRequestKind.ERASURE:
        anonymise_signalement(signalement=signalement, by=by, cause="erasure")
    return request
