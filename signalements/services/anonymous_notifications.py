"""La notification statistique anonyme : une personne majeure refuse son consentement, l'acteur de première ligne la
fait compter dans les statistiques sans l'identifier. Elle ne passe jamais par l'instruction : ni file de la Miprof,
ni espace de travail, ni notification ; l'observatoire la lit (`observatoire.services`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mniop.roles import current_membership
from signalements.enums import ReferenceCategory
from signalements.iso_codes import countries
from signalements.models import AnonymousNotification
from signalements.permissions import filing_refusal

#: Les seuls champs qu'une notification accepte : ceux des statistiques, jamais un élément d'identité.
NOTIFICATION_FIELDS = (
    "age_band",
    "sex",
    "nationalities",
    "nationality_residual",
    "exploitation_forms",
    "departement",
    "place_of_exploitation",
    "exploitation_started_year",
    "exploitation_ended_year",
    "identifying_body",
    "trafficking_scope",
)
EARLIEST_YEAR = 1950


def notification_errors(fields):
    """Les erreurs de saisie d'une notification ({champ: message en français}), vides si elle est complète."""
    errors = {}
    if fields.get("departement") is None:
        errors["departement"] = "Indiquez le département de la notification."
    unknown = sorted(set(fields.get("nationalities") or []) - set(countries()))
    if unknown:
        errors["nationalities"] = f"Code pays inconnu : {', '.join(unknown)}."
    if fields.get("nationalities") and fields.get("nationality_residual"):
        errors["nationality_residual"] = (
            "La région de nationalité ne s'indique que si aucune nationalité n'est connue."
        )
    this_year = timezone.localdate().year
    for name in ("exploitation_started_year", "exploitation_ended_year"):
        year = fields.get(name)
        if year is not None and not EARLIEST_YEAR <= year <= this_year:
            errors[name] = f"Indiquez une année entre {EARLIEST_YEAR} et {this_year}."
    started, ended = fields.get("exploitation_started_year"), fields.get("exploitation_ended_year")
    if started and ended and ended < started and "exploitation_ended_year" not in errors:
        errors["exploitation_ended_year"] = "La fin de l'exploitation ne peut pas précéder son début."
    forms = fields.get("exploitation_forms") or []
    if any(form.category != ReferenceCategory.EXPLOITATION_FORM or form.is_retired for form in forms):
        errors["exploitation_forms"] = "Choisissez des formes d'exploitation de la liste en vigueur."
    body = fields.get("identifying_body")
    if body is not None and (body.category != ReferenceCategory.IDENTIFYING_BODY or body.is_retired):
        errors["identifying_body"] = "Choisissez un organisme de la liste en vigueur."
    return errors


@transaction.atomic
def file_anonymous_notification(*, by, **fields):
    """Enregistre la notification au nom de l'organisation courante de `by` (mêmes conditions que pour déposer un
    signalement : habilitation MNIOP). Un champ hors de `NOTIFICATION_FIELDS` (un nom, une date de naissance…) est
    refusé. Rien n'est envoyé à personne : la notification n'est pas un dossier."""
    refusal = filing_refusal(by)
    if refusal is not None:
        raise PermissionDenied(refusal)
    unknown = sorted(set(fields) - set(NOTIFICATION_FIELDS))
    if unknown:
        raise ValidationError(
            {name: "Une notification anonyme ne contient aucune donnée d'identité ni ce champ." for name in unknown}
        )
    errors = notification_errors(fields)
    if errors:
        raise ValidationError(errors)
    forms = fields.pop("exploitation_forms", None) or []
    values = {name: value for name, value in fields.items() if value is not None}
    notification = AnonymousNotification.objects.create(
        organisation=current_membership(by).organisation, created_by=by, **values
    )
    notification.exploitation_forms.set(forms)
    return notification
