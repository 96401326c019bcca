"""Le consentement par finalité : l'enregistrer, le retirer, et la seule vérification que font les services qui
partagent des données (`require_consent`).

Une finalité sans consentement accordé bloque le partage, avec un message en français. Là où la loi le permet
(personne mineure, danger pour la vie), le partage peut se faire malgré tout, avec un fondement et un motif écrit :
`ConsentOverride` et l'événement `consent_overridden` du journal. Les effets d'un retrait sur les orientations en
cours (annulation, structure prévenue) sont appliqués par `orientation.services.consents.withdraw_consent`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from signalements.enums import ConsentDecision, ConsentForm, ConsentOverrideGround, ConsentPurpose
from signalements.models import Consent, ConsentOverride, Signalement
from signalements.permissions import can_record_consent
from signalements.services.events import apply_transition

#: Les langues de la notice d'information : celles de la fiche des droits de l'OCRTEH (domaine §10.2).
NOTICE_LANGUAGES = ("fr", "en", "es", "zh", "uk", "ro", "pt")

#: Pourquoi un partage est refusé, par finalité.
REFUSALS = {
    ConsentPurpose.SHELTER: "La personne n'a pas donné son consentement au partage de ses données pour sa prise en "
    "charge (autorité départementale, structure d'hébergement, Ac.Sé) : le partage est impossible.",
    ConsentPurpose.POLICE_JUSTICE: "La personne n'a pas donné son consentement à la transmission de ses données à la "
    "police, à la gendarmerie ou au parquet : la transmission est impossible.",
    ConsentPurpose.ASSOCIATION: "La personne n'a pas donné son consentement au partage de ses données avec une autre "
    "association : le partage est impossible.",
    ConsentPurpose.STATISTICS: "La personne n'a pas donné son consentement à l'utilisation de ses données dans les "
    "statistiques.",
}
OVERRIDE_HINT = (
    " Si la personne est mineure ou si sa vie est en danger, vous pouvez partager malgré tout en indiquant le "
    "fondement et le motif."
)


def consents_of(signalement):
    """Les consentements d'un signalement, une entrée par finalité (jamais renseignée : « non renseigné »)."""
    rows = {consent.purpose: consent for consent in signalement.consents.all()}
    return [rows.get(purpose) or Consent(signalement=signalement, purpose=purpose) for purpose in ConsentPurpose]


def has_consent(signalement, purpose):
    return Consent.objects.filter(signalement=signalement, purpose=purpose, decision=ConsentDecision.GIVEN).exists()


def _check_consent(*, decision, decided_on, form, witness, notice_language):
    errors = {}
    if decision not in (ConsentDecision.GIVEN, ConsentDecision.REFUSED, ConsentDecision.UNKNOWN):
        errors["decision"] = "Choisissez : accordé, refusé ou non renseigné."
    if decided_on is not None and decided_on > timezone.localdate():
        errors["decided_on"] = "La date du recueil ne peut pas être dans le futur."
    if decision == ConsentDecision.GIVEN:
        if decided_on is None:
            errors["decided_on"] = "Indiquez la date à laquelle la personne a donné son consentement."
        if form not in (ConsentForm.WRITTEN, ConsentForm.ORAL_WITNESSED):
            errors["form"] = "Indiquez la forme du consentement : écrit, ou oral devant témoin."
        elif form == ConsentForm.ORAL_WITNESSED and not witness:
            errors["witness"] = "Un consentement oral se recueille devant témoin : indiquez sa fonction."
        if notice_language not in NOTICE_LANGUAGES:
            errors["notice_language"] = "Indiquez la langue de la notice d'information remise à la personne."
    if errors:
        raise ValidationError(errors)


def record_consent(
    *, signalement, purpose, decision, by, decided_on=None, form=ConsentForm.UNKNOWN, witness="", notice_language=""
):
    """Enregistre la décision de la personne pour une finalité (dans la transaction et sous le verrou de
    l'appelant). Le retrait passe par `orientation.services.consents.withdraw_consent`."""
    if not can_record_consent(by, signalement):
        raise PermissionDenied("Seules l'organisation déclarante et la Miprof enregistrent le consentement.")
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": "Cette finalité n'existe pas."})
    witness = (witness or "").strip()
    _check_consent(
        decision=decision, decided_on=decided_on, form=form, witness=witness, notice_language=notice_language
    )
    consent, _ = Consent.objects.update_or_create(
        signalement=signalement,
        purpose=purpose,
        defaults={
            "decision": decision,
            "decided_on": decided_on,
            "form": form if decision == ConsentDecision.GIVEN else ConsentForm.UNKNOWN,
            "witness": witness if form == ConsentForm.ORAL_WITNESSED else "",
            "notice_language": notice_language,
            "withdrawn_on": None,
            "note": "",
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    apply_transition(signalement, "record_consent", by=by, data={"purpose": purpose, "decision": decision})
    return consent


def mark_withdrawn(*, signalement, purpose, by, withdrawn_on=None):
    """Inscrit le retrait d'un consentement accordé (dans la transaction et sous le verrou de l'appelant)."""
    if not can_record_consent(by, signalement):
        raise PermissionDenied(
            "Seules l'organisation déclarante et la Miprof enregistrent le retrait du consentement."
        )
    withdrawn_on = withdrawn_on or timezone.localdate()
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": "La date du retrait ne peut pas être dans le futur."})
    consent = Consent.objects.filter(signalement=signalement, purpose=purpose).first()
    if consent is None or consent.decision != ConsentDecision.GIVEN:
        raise ValidationError("Seul un consentement accordé peut être retiré.")
    consent.decision = ConsentDecision.WITHDRAWN
    consent.withdrawn_on = withdrawn_on
    consent.recorded_by = by
    consent.recorded_at = timezone.now()
    consent.save(update_fields=["decision", "withdrawn_on", "recorded_by", "recorded_at"])
    apply_transition(signalement, "withdraw_consent", by=by, data={"purpose": purpose})
    return consent


def require_consent(*, signalement, purpose, by, override_ground="", override_reason=""):
    """La vérification de tout service qui partage des données : le consentement de la finalité est accordé, ou la
    loi permet de s'en passer (fondement et motif, inscrits au journal). Sinon `ValidationError` en français.
    Renvoie le `ConsentOverride` écrit, ou None. Appelée dans la transaction du partage."""
    if has_consent(signalement, purpose):
        return None
    if not override_ground:
        raise ValidationError(REFUSALS[purpose] + OVERRIDE_HINT)
    if override_ground not in ConsentOverrideGround.values:
        raise ValidationError("Ce fondement ne permet pas de partager sans consentement.")
    if override_ground == ConsentOverrideGround.MINOR and not signalement.is_minor:
        raise ValidationError(
            "Le fondement « personne mineure » ne vaut que pour une personne mineure ou présumée mineure."
        )
    reason = (override_reason or "").strip()
    if len(reason) < 10:
        raise ValidationError("Expliquez en quelques mots pourquoi le partage ne peut pas attendre le consentement.")
    override = ConsentOverride.objects.create(
        signalement=signalement, purpose=purpose, ground=override_ground, reason=reason, decided_by=by
    )
    apply_transition(
        signalement,
        "override_consent",
        by=by,
        data={"purpose": purpose, "ground": override_ground, "override": str(override.public_id)},
    )
    return override


def locked(signalement):
    return Signalement.objects.select_for_update(of=("self",)).get(pk=signalement.pk)
