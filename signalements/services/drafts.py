"""Le signalement : brouillon, mise à jour, dépôt."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from mniop.roles import current_membership
from referents.enums import HabilitationKind
from signalements.duplicates import compute_duplicate_keys
from signalements.enums import ConsentStatus, ReferenceCategory, SignalementEventKind, SignalementStatus
from signalements.models import Signalement
from signalements.notifications import notify_signalement_submitted
from signalements.permissions import can_create_signalement, can_edit_signalement
from signalements.services.events import record_event

#: Les champs qu'un brouillon accepte, hors listes de référence à choix multiples.
DRAFT_FIELDS = frozenset(
    {
        "departement",
        "spotted_on",
        "spotted_place",
        "urgent",
        "is_anonymous",
        "consent_status",
        "consent_language",
        "consent_to_data_sharing",
        "pseudonym",
        "first_name",
        "last_name",
        "birth_date",
        "estimated_age",
        "is_minor_presumed",
        "is_mna",
        "sex",
        "transgender",
        "nationalities",
        "languages",
        "administrative_situation",
        "juge_des_enfants_informed",
        "procureur_informed",
        "exploitation_countries",
        "place_of_exploitation",
        "entry_channel",
        "identifying_body",
        "in_danger",
        "needs_shelter_tonight",
        "needs_health_care",
        "needs_interpreter",
        "children_count",
        "is_pregnant",
        "complaint_status",
        "account",
    }
)
#: Les listes de référence à choix multiples, avec la liste dont leurs valeurs doivent venir.
DRAFT_MANY_FIELDS = {
    "exploitation_forms": ReferenceCategory.EXPLOITATION_FORM,
    "vulnerability_factors": ReferenceCategory.VULNERABILITY_FACTOR,
    "indicators": ReferenceCategory.TRAFFICKING_INDICATOR,
    "sectors": ReferenceCategory.SECTOR,
    "place_types": ReferenceCategory.PLACE_TYPE,
    "employment_forms": ReferenceCategory.EMPLOYMENT_FORM,
    "recruitment_modes": ReferenceCategory.RECRUITMENT_MODE,
    "ict_uses": ReferenceCategory.ICT_USE,
    "online_coercion_factors": ReferenceCategory.ONLINE_COERCION,
}
DRAFT_REFERENCE_FIELDS = {
    "entry_channel": ReferenceCategory.ENTRY_CHANNEL,
    "identifying_body": ReferenceCategory.IDENTIFYING_BODY,
    "administrative_situation": ReferenceCategory.ADMINISTRATIVE_SITUATION,
}
COUNTRY_FIELDS = {
    "nationalities": "Les nationalités s'indiquent par leur code pays à deux lettres (ISO 3166).",
    "exploitation_countries": "Les pays d'exploitation s'indiquent par leur code pays à deux lettres (ISO 3166).",
}
NO_HABILITATION = "Votre organisation n'a pas d'habilitation MNIOP valide : le dépôt est impossible."
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def _apply_draft_fields(signalement, fields):
    """Pose les champs du brouillon ; renvoie (champs simples modifiés, listes à choix multiples à poser)."""
    unknown = set(fields) - DRAFT_FIELDS - set(DRAFT_MANY_FIELDS) - {"exploitation_departements"}
    if unknown:
        raise ValueError(f"Champs inconnus du signalement : {', '.join(sorted(unknown))}")
    errors = {}
    for name, category in DRAFT_REFERENCE_FIELDS.items():
        value = fields.get(name)
        if value is not None and value.category != category:
            errors[name] = "Cette valeur n'appartient pas à la bonne liste de référence."
    many = {}
    for name, category in DRAFT_MANY_FIELDS.items():
        if name in fields:
            values = list(fields[name])
            if any(value.category != category for value in values):
                errors[name] = "Une valeur n'appartient pas à la bonne liste de référence."
            many[name] = values
    if "exploitation_departements" in fields:
        many["exploitation_departements"] = list(fields["exploitation_departements"])
    for name, message in COUNTRY_FIELDS.items():
        if name in fields:
            codes = [code.strip().upper() for code in fields[name]]
            if any(len(code) != 2 or not code.isalpha() or not code.isascii() for code in codes):
                errors[name] = message
            fields = {**fields, name: sorted(set(codes))}
    if "languages" in fields:
        codes = [code.strip().lower() for code in fields["languages"]]
        if any(len(code) not in (2, 3) or not code.isalpha() or not code.isascii() for code in codes):
            errors["languages"] = "Les langues s'indiquent par leur code à deux ou trois lettres (ISO 639)."
        fields = {**fields, "languages": sorted(set(codes))}
    if errors:
        raise ValidationError(errors)
    changed = []
    for name in sorted(DRAFT_FIELDS & set(fields)):
        if getattr(signalement, name) != fields[name]:
            setattr(signalement, name, fields[name])
            changed.append(name)
    return changed, many


def _set_many(signalement, many):
    changed = []
    for name, values in sorted(many.items()):
        manager = getattr(signalement, name)
        if set(manager.values_list("pk", flat=True)) != {value.pk for value in values}:
            manager.set(values)
            changed.append(name)
    return changed


@transaction.atomic
def create_draft(*, organisation, by, **fields):
    membership = current_membership(by)
    if not can_create_signalement(by) or membership.organisation_id != organisation.pk:
        raise PermissionDenied("Vous ne pouvez pas rédiger de signalement pour cette organisation.")
    signalement = Signalement(organisation=organisation, created_by=by)
    changed, many = _apply_draft_fields(signalement, fields)
    signalement.save()
    changed += _set_many(signalement, many)
    record_event(signalement=signalement, kind=SignalementEventKind.CREATED, by=by, data={"fields": sorted(changed)})
    return signalement


@transaction.atomic
def update_draft(*, signalement, by, **fields):
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if signalement.status != SignalementStatus.DRAFT:
        raise ValidationError("Ce signalement a été déposé : son contenu ne peut plus être modifié.")
    if not can_edit_signalement(by, signalement):
        raise PermissionDenied("Vous ne pouvez pas modifier ce brouillon.")
    changed, many = _apply_draft_fields(signalement, fields)
    if changed:
        signalement.save()
    changed = sorted(changed + _set_many(signalement, many))
    if changed:
        record_event(signalement=signalement, kind=SignalementEventKind.DRAFT_SAVED, by=by, data={"fields": changed})
    return signalement


def _check_complete(signalement):
    """Les règles du dépôt (domaine §4 et §11.4). Peut rendre `is_minor_presumed` cohérent avec `is_mna`."""
    today = timezone.localdate()
    errors = {}
    if signalement.departement_id is None:
        errors["departement"] = "Indiquez le département du signalement."
    if signalement.spotted_on is None:
        errors["spotted_on"] = "Indiquez la date de repérage."
    elif signalement.spotted_on > today:
        errors["spotted_on"] = "La date de repérage ne peut pas être dans le futur."
    if not signalement.exploitation_forms.exists():
        errors["exploitation_forms"] = "Indiquez au moins une forme d'exploitation."
    if signalement.birth_date is not None:
        if signalement.birth_date > today:
            errors["birth_date"] = "La date de naissance ne peut pas être dans le futur."
        elif signalement.birth_date < EARLIEST_BIRTH_DATE:
            errors["birth_date"] = "La date de naissance ne peut pas être antérieure à 1900."
    age = signalement.age if "birth_date" not in errors and "spotted_on" not in errors else None
    if signalement.is_mna:
        if age is not None and age >= 18:
            errors["is_mna"] = "Un mineur non accompagné a moins de 18 ans : vérifiez l'âge ou la case MNA."
        else:
            signalement.is_minor_presumed = True
    if not signalement.consent_status:
        errors["consent_status"] = "Indiquez si le consentement de la personne a été recueilli."
    elif signalement.consent_status == ConsentStatus.REFUSED_ANONYMOUS:
        if signalement.first_name:
            errors["first_name"] = "Sans consentement, le signalement est anonyme : retirez le prénom."
        if signalement.last_name:
            errors["last_name"] = "Sans consentement, le signalement est anonyme : retirez le nom."
        if signalement.birth_date is not None and "birth_date" not in errors:
            errors["birth_date"] = "Sans consentement, le signalement est anonyme : retirez la date de naissance."
        signalement.is_anonymous = True
    elif signalement.consent_status == ConsentStatus.NOT_REQUIRED_MINOR and not signalement.is_minor:
        errors["consent_status"] = "Le consentement ne peut être omis que pour une personne mineure."
    if errors:
        raise ValidationError(errors)


def _next_reference(on):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('signalements_reference_seq')")
        (number,) = cursor.fetchone()
    return f"MNIOP-{on.year}-{number:06d}"


@transaction.atomic
def submit_signalement(*, signalement, by):
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if signalement.status != SignalementStatus.DRAFT:
        raise ValidationError("Ce signalement a déjà été déposé.")
    if not can_edit_signalement(by, signalement):
        raise PermissionDenied("Vous ne pouvez pas déposer ce signalement.")
    if not signalement.organisation.has_valid_habilitation(HabilitationKind.MNIOP):
        raise PermissionDenied(NO_HABILITATION)
    _check_complete(signalement)
    now = timezone.now()
    signalement.reference = _next_reference(timezone.localdate(now))
    signalement.status = SignalementStatus.SUBMITTED
    signalement.submitted_at = now
    signalement.submitted_by = by
    signalement.duplicate_keys = compute_duplicate_keys(signalement)
    signalement.save()
    record_event(
        signalement=signalement,
        kind=SignalementEventKind.SUBMITTED,
        by=by,
        data={"reference": signalement.reference, "urgent": signalement.urgent},
    )
    notify_signalement_submitted(signalement)
    return signalement
