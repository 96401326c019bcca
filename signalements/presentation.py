"""Le contenu d'un signalement, groupé comme le formulaire (domaine §4), avec des libellés lisibles.

Lecture seule : les valeurs de référence retirées restent affichées, marquées comme telles."""

from django.db import models
from django.utils import formats
from django.utils.text import capfirst

from referents.models import Territory
from signalements.models import ReferenceValue, Signalement

EMPTY = "Non renseigné"

#: Les groupes du signalement et leurs champs, dans l'ordre du formulaire.
GROUPS = [
    (
        "Signalement",
        ["entry_channel", "identifying_body", "spotted_on", "spotted_place", "departement", "urgent"],
    ),
    (
        "Consentement",
        ["consent_status", "consent_language", "consent_to_data_sharing", "is_anonymous"],
    ),
    (
        "Identité et situation",
        [
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
        ],
    ),
    ("Formes d'exploitation", ["exploitation_forms"]),
    (
        "Lieu et secteur d'exploitation",
        [
            "place_of_exploitation",
            "exploitation_departements",
            "exploitation_countries",
            "place_types",
            "sectors",
            "employment_forms",
        ],
    ),
    ("Recrutement et numérique", ["recruitment_modes", "ict_uses", "online_coercion_factors"]),
    ("Vulnérabilités et indicateurs", ["vulnerability_factors", "indicators"]),
    (
        "Situation et besoins immédiats",
        [
            "in_danger",
            "needs_shelter_tonight",
            "needs_health_care",
            "needs_interpreter",
            "children_count",
            "is_pregnant",
            "complaint_status",
        ],
    ),
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
