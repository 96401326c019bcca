"""Le signalement : brouillon, mise à jour, dépôt."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from mniop.roles import current_membership
from signalements import lifecycle
from signalements.duplicates import compute_duplicate_keys, phone_error
from signalements.enums import (
    CompensationStatus,
    ConsentDecision,
    ConsentForm,
    ConsentPurpose,
    ConsentStatus,
    GuardianStatus,
    InterpreterSex,
    PlaceOfExploitation,
    ReferenceCategory,
)
from signalements.iso_codes import countries, languages
from signalements.models import Consent, Signalement, age_on
from signalements.notifications import notify_signalement_submitted
from signalements.permissions import (
    can_edit_signalement,
    filing_refusal,
    pilot_departements,
)
from signalements.services.consents import NOTICE_LANGUAGES
from signalements.services.events import apply_transition

#: Les coordonnées et autres noms qu'un signalement anonyme ne peut pas porter, et leur nom dans le message d'erreur.
ANONYMOUS_CONTACT_FIELDS = {"aliases": "les autres noms", "phone": "le téléphone", "address": "l'adresse"}
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
        "pseudonym",
        "first_name",
        "last_name",
        "birth_date",
        "aliases",
        "phone",
        "address",
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
        "operation_reference",
        "identifying_service",
        "joint_investigation_with_opj",
        "codaf_or_uracti_involved",
        "in_danger",
        "needs_shelter_tonight",
        "needs_health_care",
        "needs_interpreter",
        "interpreter_language",
        "interpreter_sex",
        "children_count",
        "is_pregnant",
        "complaint_status",
        "account",
        "nationality_residual",
        "recruitment_country",
        "transit_countries",
        "support_level",
        "has_guardian",
        "compensation_status",
        "compensation_payer",
        "return_country",
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
    "transit_countries": "Les pays de transit s'indiquent par leur code pays à deux lettres (ISO 3166).",
}
#: Les champs d'un seul pays (vides si inconnus).
SINGLE_COUNTRY_FIELDS = {
    "recruitment_country": "Le pays de recrutement s'indique par son code pays à deux lettres (ISO 3166).",
    "return_country": "Le pays de retour s'indique par son code pays à deux lettres (ISO 3166).",
}
#: Le consentement par finalité saisi à l'étape « Consentement » : une décision par finalité, et la date, la forme et
#: le témoin communs au recueil (la langue de la notice est `consent_language`). Écrits dans `signalements.Consent`.
CONSENT_DRAFT_FIELDS = {f"consent_{purpose}": purpose for purpose in ConsentPurpose.values}
CONSENT_DETAIL_FIELDS = frozenset({"consent_given_on", "consent_form", "consent_witness"})
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
RETIRED_VALUE = "« {label} » a été retirée de la liste : choisissez une autre valeur."
ESTIMATED_AGE_RANGE = (0, 120)
CHILDREN_COUNT_RANGE = (0, 20)
#: Le délai de réflexion et les titres de séjour des victimes de traite : personnes de nationalité étrangère seulement.
FOREIGN_NATIONALS_ONLY = frozenset(
    {
        "recepisse_delai_reflexion",
        "carte_sejour_l425_1",
        "carte_resident_l425_3",
        "titre_l425_4",
        "titre_l435_1_humanitaire",
    }
)
FRENCH_NATIONAL = "nationalite_francaise"
#: Écart toléré entre l'âge estimé et l'âge tiré de la date de naissance.
AGE_TOLERANCE_YEARS = 2


def _apply_draft_fields(signalement, fields):
    """Pose les champs du brouillon ; renvoie (champs simples modifiés, listes à choix multiples à poser)."""
    unknown = (
        set(fields)
        - DRAFT_FIELDS
        - set(DRAFT_MANY_FIELDS)
        - {"exploitation_departements"}
        - set(CONSENT_DRAFT_FIELDS)
        - CONSENT_DETAIL_FIELDS
    )
    if unknown:
        raise ValueError(f"Champs inconnus du signalement : {', '.join(sorted(unknown))}")
    errors = {}
    for name, category in DRAFT_REFERENCE_FIELDS.items():
        value = fields.get(name)
        if value is not None and value.category != category:
            errors[name] = "Cette valeur n'appartient pas à la bonne liste de référence."
        elif value is not None and value.is_retired and value.pk != getattr(signalement, f"{name}_id"):
            errors[name] = RETIRED_VALUE.format(label=value.label)
    many = {}
    for name, category in DRAFT_MANY_FIELDS.items():
        if name in fields:
            values = list(fields[name])
            if any(value.category != category for value in values):
                errors[name] = "Une valeur n'appartient pas à la bonne liste de référence."
            elif retired := [value for value in values if value.is_retired]:
                # Une valeur retirée déjà posée sur le brouillon peut y rester ; une nouvelle est refusée.
                kept = set(getattr(signalement, name).values_list("pk", flat=True)) if signalement.pk else set()
                if new_retired := [value for value in retired if value.pk not in kept]:
                    errors[name] = RETIRED_VALUE.format(label=new_retired[0].label)
            many[name] = values
    if "exploitation_departements" in fields:
        many["exploitation_departements"] = list(fields["exploitation_departements"])
    for name, message in COUNTRY_FIELDS.items():
        if name in fields:
            codes = [code.strip().upper() for code in fields[name]]
            if any(code not in countries() for code in codes):
                errors[name] = message
            fields = {**fields, name: sorted(set(codes))}
    for name, message in SINGLE_COUNTRY_FIELDS.items():
        if fields.get(name):
            code = fields[name].strip().upper()
            if code not in countries():
                errors[name] = message
            fields = {**fields, name: code}
    if "languages" in fields:
        codes = [code.strip().lower() for code in fields["languages"]]
        if any(code not in languages() for code in codes):
            errors["languages"] = "Les langues s'indiquent par leur code à deux ou trois lettres (ISO 639)."
        fields = {**fields, "languages": sorted(set(codes))}
    if fields.get("interpreter_language"):
        code = fields["interpreter_language"].strip().lower()
        if code not in languages():
            errors["interpreter_language"] = "La langue de l'interprète s'indique par son code ISO 639."
        fields = {**fields, "interpreter_language": code}
    if fields.get("interpreter_sex") and fields["interpreter_sex"] not in InterpreterSex.values:
        errors["interpreter_sex"] = "Choisissez « Une interprète femme », « Un interprète homme » ou aucune demande."
    for name, (low, high), message in [
        ("estimated_age", ESTIMATED_AGE_RANGE, "L'âge estimé doit être compris entre {low} et {high} ans."),
        ("children_count", CHILDREN_COUNT_RANGE, "Le nombre d'enfants doit être compris entre {low} et {high}."),
    ]:
        value = fields.get(name)
        if value is not None and not low <= value <= high:
            errors[name] = message.format(low=low, high=high)
    if errors:
        raise ValidationError(errors)
    changed = []
    for name in sorted(DRAFT_FIELDS & set(fields)):
        if getattr(signalement, name) != fields[name]:
            setattr(signalement, name, fields[name])
            changed.append(name)
    signalement.refresh_birth_age()
    return changed, many


def draft_consent_values(signalement):
    """Les valeurs de l'étape « Consentement » lues dans les consentements du brouillon."""
    consents = {consent.purpose: consent for consent in signalement.consents.all()} if signalement.pk else {}
    values = {
        name: consents[purpose].decision if purpose in consents else ConsentDecision.UNKNOWN
        for name, purpose in CONSENT_DRAFT_FIELDS.items()
    }
    first = next((consent for consent in consents.values() if consent.decided_on or consent.witness), None)
    values["consent_given_on"] = first.decided_on if first else None
    values["consent_form"] = first.form if first and first.form != ConsentForm.UNKNOWN else ""
    values["consent_witness"] = first.witness if first else ""
    return values


def _save_draft_consents(signalement, fields, by):
    """Écrit les consentements saisis dans le brouillon ; renvoie les noms des champs modifiés (pour l'événement)."""
    names = (set(CONSENT_DRAFT_FIELDS) | CONSENT_DETAIL_FIELDS) & set(fields)
    if not names:
        return []
    before = draft_consent_values(signalement)
    after = before | {name: fields[name] for name in names if fields[name] is not None or name == "consent_given_on"}
    for name in CONSENT_DRAFT_FIELDS:
        after[name] = after[name] or ConsentDecision.UNKNOWN
    after["consent_form"] = after["consent_form"] or ""
    after["consent_witness"] = (after["consent_witness"] or "").strip()
    if after["consent_given_on"] is not None and after["consent_given_on"] > timezone.localdate():
        raise ValidationError({"consent_given_on": "La date du recueil ne peut pas être dans le futur."})
    changed = sorted(name for name in names if after[name] != before[name])
    if not changed:
        return []
    for name, purpose in CONSENT_DRAFT_FIELDS.items():
        Consent.objects.update_or_create(
            signalement=signalement,
            purpose=purpose,
            defaults={
                "decision": after[name],
                "decided_on": after["consent_given_on"],
                "form": after["consent_form"] or ConsentForm.UNKNOWN,
                "witness": after["consent_witness"],
                "notice_language": signalement.consent_language,
                "recorded_by": by,
                "recorded_at": timezone.now(),
            },
        )
    return changed


def given_consents(signalement):
    """Les consentements accordés d'un signalement qui n'est pas anonyme (aucun s'il l'est)."""
    if signalement.consent_status == ConsentStatus.REFUSED_ANONYMOUS:
        return []
    return [consent for consent in signalement.consents.all() if consent.decision == ConsentDecision.GIVEN]


@dataclass(frozen=True)
class Requirement:
    """Un champ exigé au dépôt. `is_missing(signalement)` dit s'il manque ; `condition` (en français) dit quand il est
    exigé, vide s'il l'est toujours. Les étapes du formulaire lisent cette table pour marquer leurs champs."""

    field: str
    message: str
    is_missing: Callable[[Signalement], bool]
    condition: str = ""


IF_CONSENT_GIVEN = "Si la personne accorde au moins un partage."
#: Les champs exigés au dépôt, dans l'ordre du formulaire : la seule source des champs « requis pour le dépôt ».
REQUIREMENTS = (
    Requirement(
        "departement", "Indiquez le département du signalement.", lambda signalement: not signalement.departement_id
    ),
    Requirement("spotted_on", "Indiquez la date de repérage.", lambda signalement: signalement.spotted_on is None),
    Requirement(
        "consent_status",
        "Indiquez si le consentement de la personne a été recueilli.",
        lambda signalement: not signalement.consent_status,
    ),
    Requirement(
        "consent_language",
        "La notice d'information existe en français, anglais, espagnol, chinois, ukrainien, roumain et portugais : "
        "indiquez laquelle a été remise à la personne.",
        lambda signalement: bool(given_consents(signalement)) and signalement.consent_language not in NOTICE_LANGUAGES,
        IF_CONSENT_GIVEN,
    ),
    Requirement(
        "consent_given_on",
        "Indiquez la date à laquelle la personne a donné son consentement.",
        lambda signalement: any(consent.decided_on is None for consent in given_consents(signalement)),
        IF_CONSENT_GIVEN,
    ),
    Requirement(
        "consent_form",
        "Indiquez la forme du consentement : écrit, ou oral devant témoin.",
        lambda signalement: any(consent.form == ConsentForm.UNKNOWN for consent in given_consents(signalement)),
        IF_CONSENT_GIVEN,
    ),
    Requirement(
        "consent_witness",
        "Un consentement oral se recueille devant témoin : indiquez sa fonction.",
        lambda signalement: any(
            consent.form == ConsentForm.ORAL_WITNESSED and not consent.witness
            for consent in given_consents(signalement)
        ),
        "Pour un consentement oral.",
    ),
    Requirement(
        "exploitation_forms",
        "Indiquez au moins une forme d'exploitation.",
        lambda signalement: not signalement.exploitation_forms.exists(),
    ),
)
REQUIREMENTS_BY_FIELD = {requirement.field: requirement for requirement in REQUIREMENTS}


@dataclass(frozen=True)
class Relevance:
    """Un champ qui ne vaut que pour certaines réponses (`values`) d'au moins un autre champ de la même étape
    (`controllers`) ; "" : sans réponse. Les règles du dépôt ci-dessous lisent les mêmes valeurs ; l'étape du
    formulaire les donne à `static/js/relevance.js`, qui masque le champ tant qu'il ne vaut pas (le serveur décide
    toujours)."""

    controllers: tuple
    values: frozenset


_IN_FRANCE = frozenset({PlaceOfExploitation.FRANCE_ONLY, PlaceOfExploitation.FRANCE_AND_ABROAD})
_ABROAD = frozenset({PlaceOfExploitation.ABROAD_ONLY, PlaceOfExploitation.FRANCE_AND_ABROAD})
_CONSENT_GIVEN = Relevance(tuple(CONSENT_DRAFT_FIELDS), frozenset({ConsentDecision.GIVEN}))
#: La valeur qu'envoie une case cochée qui commande d'autres champs (son widget la donne, `forms.intake`).
CHECKED = "true"
_NEEDS_INTERPRETER = Relevance(("needs_interpreter",), frozenset({CHECKED}))
RELEVANCE = {
    **{
        name: Relevance(("consent_status",), frozenset({"", ConsentStatus.GIVEN, ConsentStatus.NOT_REQUIRED_MINOR}))
        for name in CONSENT_DRAFT_FIELDS
    },
    "consent_given_on": _CONSENT_GIVEN,
    "consent_form": _CONSENT_GIVEN,
    "consent_witness": Relevance(("consent_form",), frozenset({ConsentForm.ORAL_WITNESSED})),
    "exploitation_departements": Relevance(("place_of_exploitation",), _IN_FRANCE),
    "exploitation_countries": Relevance(("place_of_exploitation",), _ABROAD),
    "compensation_payer": Relevance(("compensation_status",), frozenset({CompensationStatus.GRANTED})),
    "interpreter_language": _NEEDS_INTERPRETER,
    "interpreter_sex": _NEEDS_INTERPRETER,
}


def missing_requirements(signalement):
    """{champ: message} des champs exigés au dépôt qui manquent encore."""
    return {
        requirement.field: requirement.message for requirement in REQUIREMENTS if requirement.is_missing(signalement)
    }


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
    refusal = filing_refusal(by)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if current_membership(by).organisation_id != organisation.pk:
        raise PermissionDenied("Vous ne pouvez pas rédiger de signalement pour cette organisation.")
    signalement = Signalement(organisation=organisation, created_by=by)
    changed, many = _apply_draft_fields(signalement, fields)
    signalement.save()
    changed += _set_many(signalement, many) + _save_draft_consents(signalement, fields, by)
    apply_transition(signalement, "create_draft", by=by, data={"fields": sorted(changed)})
    return signalement


@transaction.atomic
def update_draft(*, signalement, by, **fields):
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if not lifecycle.allows(signalement, "save_draft"):
        raise ValidationError("Ce signalement a été déposé : son contenu ne peut plus être modifié.")
    if not can_edit_signalement(by, signalement):
        raise PermissionDenied("Vous ne pouvez pas modifier ce brouillon.")
    changed, many = _apply_draft_fields(signalement, fields)
    if changed:
        signalement.save()
    changed = sorted(changed + _set_many(signalement, many) + _save_draft_consents(signalement, fields, by))
    if changed:
        apply_transition(signalement, "save_draft", by=by, data={"fields": changed})
    return signalement


def submission_errors(signalement):
    """Les règles du dépôt (domaine §4 et §11.4) : {champ: message en français}, vide si le brouillon peut être
    déposé. Ne modifie rien : le récapitulatif du formulaire les affiche avant le dépôt."""
    today = timezone.localdate()
    errors = missing_requirements(signalement)
    departements = pilot_departements()
    if signalement.departement_id and departements and signalement.departement.code not in departements:
        errors["departement"] = (
            "Pendant l'expérimentation, seuls les départements pilotes peuvent être signalés : "
            f"{', '.join(sorted(departements))}."
        )
    if error := phone_error(signalement.phone):
        errors["phone"] = error
    if signalement.spotted_on is not None and signalement.spotted_on > today:
        errors["spotted_on"] = "La date de repérage ne peut pas être dans le futur."
    if signalement.birth_date is not None:
        if signalement.birth_date > today:
            errors["birth_date"] = "La date de naissance ne peut pas être dans le futur."
        elif signalement.birth_date < EARLIEST_BIRTH_DATE:
            errors["birth_date"] = "La date de naissance ne peut pas être antérieure à 1900."
        elif signalement.estimated_age is not None:
            birth_age = age_on(signalement.birth_date, signalement.spotted_on or today)
            if abs(birth_age - signalement.estimated_age) > AGE_TOLERANCE_YEARS:
                errors["estimated_age"] = (
                    f"L'âge estimé ({signalement.estimated_age} ans) contredit la date de naissance ({birth_age} ans) "
                    f"de plus de {AGE_TOLERANCE_YEARS} ans : corrigez l'un des deux ou laissez l'âge estimé vide."
                )
    dates_ok = "birth_date" not in errors and "spotted_on" not in errors
    age = signalement.age if dates_ok else None
    if signalement.is_mna and age is not None and age >= 18:
        errors["is_mna"] = "Un mineur non accompagné a moins de 18 ans : vérifiez l'âge ou la case MNA."
    is_minor = signalement.is_minor if dates_ok else signalement.is_mna or signalement.is_minor_presumed
    situation = signalement.administrative_situation
    if situation is not None:
        if situation.code in FOREIGN_NATIONALS_ONLY and "FR" in signalement.nationalities:
            errors["administrative_situation"] = (
                "Le délai de réflexion et les titres de séjour des victimes de traite ne concernent que les personnes "
                "de nationalité étrangère, pas une personne française même binationale : vérifiez la situation "
                "administrative ou les nationalités."
            )
        elif situation.code == FRENCH_NATIONAL and "FR" not in signalement.nationalities:
            errors["administrative_situation"] = (
                "« De nationalité française » : ajoutez la France aux nationalités, ou choisissez une autre situation."
            )
    if not is_minor:
        if signalement.juge_des_enfants_informed:
            errors["juge_des_enfants_informed"] = "Le juge des enfants n'est saisi que pour une personne mineure."
    place = signalement.place_of_exploitation
    in_france = place in RELEVANCE["exploitation_departements"].values
    abroad = place in RELEVANCE["exploitation_countries"].values
    if not in_france and signalement.exploitation_departements.exists():
        errors["exploitation_departements"] = (
            "Des départements d'exploitation supposent un lieu d'exploitation en France : corrigez le lieu ou retirez "
            "les départements."
        )
    if not abroad and signalement.exploitation_countries:
        errors["exploitation_countries"] = (
            "Des pays d'exploitation supposent un lieu d'exploitation à l'étranger : corrigez le lieu ou retirez les "
            "pays."
        )
    errors.update(statistical_field_errors(signalement, is_minor=is_minor))
    if signalement.consent_status == ConsentStatus.REFUSED_ANONYMOUS:
        if signalement.first_name:
            errors["first_name"] = "Sans consentement, le signalement est anonyme : retirez le prénom."
        if signalement.last_name:
            errors["last_name"] = "Sans consentement, le signalement est anonyme : retirez le nom."
        if signalement.birth_date is not None and "birth_date" not in errors:
            errors["birth_date"] = "Sans consentement, le signalement est anonyme : retirez la date de naissance."
        for name, what in ANONYMOUS_CONTACT_FIELDS.items():
            if getattr(signalement, name):
                errors[name] = f"Sans consentement, le signalement est anonyme : retirez {what}."
        if any(consent.decision == ConsentDecision.GIVEN for consent in signalement.consents.all()):
            errors["consent_shelter"] = "Le signalement est anonyme : aucun partage ne peut être accordé."
    elif signalement.consent_status == ConsentStatus.NOT_REQUIRED_MINOR and not is_minor:
        errors["consent_status"] = "Le consentement ne peut être omis que pour une personne mineure."
    return errors


def statistical_field_errors(signalement, *, is_minor):
    """Les cohérences des champs statistiques (nationalité résiduelle, tuteur, indemnisation), au dépôt comme lors de
    leur mise à jour pendant le parcours (`signalements.services.statistics.update_statistical_fields`)."""
    errors = {}
    if signalement.nationality_residual and signalement.nationalities:
        errors["nationality_residual"] = (
            "Une nationalité inconnue ne se précise que si aucune nationalité n'est indiquée : retirez l'une ou "
            "l'autre."
        )
    if signalement.has_guardian != GuardianStatus.UNKNOWN and not is_minor:
        errors["has_guardian"] = "Un·e tuteur·rice ou administrateur·rice ad hoc ne concerne qu'une personne mineure."
    granted = signalement.compensation_status in RELEVANCE["compensation_payer"].values
    if signalement.compensation_payer and not granted:
        errors["compensation_payer"] = "Indiquez qui paie l'indemnisation seulement si elle a été accordée."
    if signalement.return_country == "FR":
        errors["return_country"] = "Un retour volontaire se fait vers un autre pays que la France."
    return errors


def _check_complete(signalement):
    """Lève `ValidationError` si le brouillon ne peut pas être déposé ; sinon rend `is_minor_presumed` cohérent avec
    `is_mna` et `is_anonymous` avec le refus de consentement."""
    errors = submission_errors(signalement)
    if errors:
        raise ValidationError(errors)
    if signalement.is_mna:
        signalement.is_minor_presumed = True
    if signalement.consent_status == ConsentStatus.REFUSED_ANONYMOUS:
        signalement.is_anonymous = True
    signalement.consents.filter(decision=ConsentDecision.GIVEN).update(notice_language=signalement.consent_language)


def _next_reference(on):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('signalements_reference_seq')")
        (number,) = cursor.fetchone()
    return f"MNIOP-{on.year}-{number:06d}"


@transaction.atomic
def submit_signalement(*, signalement, by):
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if not lifecycle.allows(signalement, "submit"):
        raise ValidationError("Ce signalement a déjà été déposé.")
    if not can_edit_signalement(by, signalement):
        raise PermissionDenied("Vous ne pouvez pas déposer ce signalement.")
    refusal = filing_refusal(by)
    if refusal is not None:
        raise PermissionDenied(refusal)
    _check_complete(signalement)
    now = timezone.now()
    signalement.reference = _next_reference(timezone.localdate(now))
    signalement.submitted_at = now
    signalement.submitted_by = by
    signalement.duplicate_keys = compute_duplicate_keys(signalement)
    signalement.refresh_birth_age()
    # Une personne sans abri ce soir est un cas urgent : files, délais, alertes et orientations le suivent.
    signalement.urgent = signalement.urgent or signalement.needs_shelter_tonight
    apply_transition(
        signalement,
        "submit",
        by=by,
        data={"reference": signalement.reference, "urgent": signalement.urgent},
        fields=[
            "reference",
            "submitted_at",
            "submitted_by",
            "duplicate_keys",
            "birth_age",
            "is_minor_presumed",
            "is_anonymous",
            "urgent",
        ],
    )
    notify_signalement_submitted(signalement)
    return signalement
