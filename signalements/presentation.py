"""Le contenu d'un signalement, groupé comme le formulaire (domaine §4), avec des libellés lisibles.

Lecture seule : les valeurs de référence retirées restent affichées, marquées comme telles."""

from django.db import models
from django.utils import formats
from django.utils.text import capfirst

from referents.models import Territory
from signalements.forms.intake import STEPS
from signalements.models import ReferenceValue, Signalement

EMPTY = "Non renseigné"
ACCOUNT_SLUG = "recit"
#: Les champs posés par le dépôt plutôt que saisis, affichés avec le groupe de leur étape.
EXTRA_FIELDS = {"consentement": ["is_anonymous"]}

#: Les groupes du signalement et leurs champs, dans l'ordre du formulaire en étapes (une étape, un groupe), plus
#: l'indication « anonyme » posée au dépôt ; le récit, d'accès restreint, n'est jamais dans ces groupes.
GROUPS = [
    (step.title, [name for name in step.fields if name != "account"] + EXTRA_FIELDS.get(step.slug, []))
    for step in STEPS
    if step.form_class is not None and step.slug != ACCOUNT_SLUG
]
MANY_FIELDS = [
    field
    for _, fields in GROUPS
    for field in fields
    if isinstance(Signalement._meta.get_field(field), models.ManyToManyField)
]
FOREIGN_KEYS = [
    field
    for _, fields in GROUPS
    for field in fields
    if isinstance(Signalement._meta.get_field(field), models.ForeignKey)
]


def _label(value):
    if isinstance(value, ReferenceValue) and value.is_retired:
        return f"{value.label} (valeur retirée)"
    if isinstance(value, Territory):
        return f"{value.name} ({value.code})"
    return str(value)


def _display(signalement, name):
    field = Signalement._meta.get_field(name)
    value = getattr(signalement, name)
    if isinstance(field, models.ManyToManyField):
        return [_label(item) for item in value.all()]
    if field.choices:
        return [getattr(signalement, f"get_{name}_display")()]
    if isinstance(field, models.BooleanField):
        return ["Oui" if value else "Non"]
    if value in (None, "", []):
        return []
    if isinstance(field, models.ForeignKey):
        return [_label(value)]
    if isinstance(field, models.DateField):
        return [formats.date_format(value, "d/m/Y")]
    if isinstance(value, list):
        return [", ".join(value)]
    return [str(value)]


def signalement_groups(signalement):
    """[(titre du groupe, [(libellé du champ, [valeurs lisibles])])] ; le récit n'y figure jamais."""
    groups = []
    for title, names in GROUPS:
        rows = []
        for name in names:
            values = _display(signalement, name)
            rows.append((capfirst(Signalement._meta.get_field(name).verbose_name), values or [EMPTY]))
        groups.append((title, rows))
    return groups
