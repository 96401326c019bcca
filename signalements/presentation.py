"""Le présentateur d'un signalement : le seul endroit qui transforme un dossier en valeurs lisibles (libellés des
listes de référence, pays et langues en français, âge, état et marqueurs). Toutes les pages qui montrent un dossier
le lisent : la page du signalement, le récapitulatif avant dépôt, la page du dossier d'orientation.

Lecture seule : les valeurs de référence retirées restent affichées, marquées comme telles. Le récit, d'accès
restreint, n'est jamais dans les groupes ; le récapitulatif n'en donne que la longueur.

L'identité (noms, autres noms, date de naissance, téléphone, adresse) n'en sort que par `identity_access` : ouverte
pour l'organisation déclarante et
la Miprof, scellée pour le valideur départemental (et pour la Miprof si la personne est mineure) tant qu'aucun motif
n'a été donné. Pages, PDF, API : tous lisent `IdentityAccess.is_open` avant de montrer un champ de
`IDENTITY_FIELDS`."""

from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils import formats
from django.utils.text import capfirst

from referents.models import Territory
from signalements import lifecycle
from signalements.enums import ConsentDecision, ConsentForm, ConsentPurpose
from signalements.forms.intake import STEPS, SignalementStepForm
from signalements.iso_codes import countries, languages
from signalements.models import ReferenceValue, Signalement
from signalements.permissions import (
    IDENTITY_OPEN,
    IDENTITY_WITH_REASON,
    active_identity_opening,
    identity_rule,
)
from signalements.services.drafts import CONSENT_DRAFT_FIELDS, draft_consent_values

EMPTY = "Non renseigné"
#: Les champs de l'identité scellée (le récit, d'accès encore plus restreint, suit `can_read_account`).
IDENTITY_FIELDS = ("first_name", "last_name", "birth_date", "aliases", "phone", "address")
SEALED = "Scellé"
ACCOUNT_SLUG = "recit"
ACCOUNT_FIELD = "account"
#: Les champs posés par le dépôt plutôt que saisis, affichés avec le groupe de leur étape.
EXTRA_FIELDS = {"consentement": ["is_anonymous"]}
#: Les champs qui rangent des codes ISO, et la table de leurs libellés français.
CODE_LABELS = {
    "nationalities": countries,
    "exploitation_countries": countries,
    "transit_countries": countries,
    "recruitment_country": countries,
    "return_country": countries,
    "languages": languages,
    "consent_language": languages,
    "interpreter_language": languages,
}
#: Les groupes du signalement et leurs champs, dans l'ordre du formulaire en étapes (une étape, un groupe), plus
#: l'indication « anonyme » posée au dépôt ; le récit, d'accès restreint, n'est jamais dans ces groupes.
#: Les champs d'une étape qui ne sont pas des colonnes du signalement (le consentement par finalité, rangé dans
#: `signalements.Consent`) : affichés par `consent_rows`.
_MODEL_FIELDS = {field.name for field in Signalement._meta.get_fields()}
CONSENT_SLUG = "consentement"
GROUPS = [
    (
        step.title,
        [name for name in step.fields if name != ACCOUNT_FIELD and name in _MODEL_FIELDS]
        + EXTRA_FIELDS.get(step.slug, []),
    )
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


def status_badge(status):
    """La classe DSFR du badge d'un état."""
    return lifecycle.badge(status)


def _label(value):
    if isinstance(value, ReferenceValue) and value.is_retired:
        return f"{value.label} (valeur retirée)"
    if isinstance(value, Territory):
        return f"{value.name} ({value.code})"
    return str(getattr(value, "label", None) or value)


def display_values(signalement, name):
    """Les valeurs lisibles d'un champ du signalement, une par ligne ; [] s'il n'est pas renseigné."""
    field = Signalement._meta.get_field(name)
    value = getattr(signalement, name)
    if name == ACCOUNT_FIELD:
        return [f"{len(value)} caractères (texte d'accès restreint, non repris ici)"] if value else []
    if name in CODE_LABELS:
        codes = value if isinstance(value, list) else [value] if value else []
        labels = CODE_LABELS[name]()
        return [", ".join(labels.get(code, code) for code in codes)] if codes else []
    if isinstance(field, models.ManyToManyField):
        return [_label(item) for item in value.all()]
    if field.choices:
        label = getattr(signalement, f"get_{name}_display")()
        return [str(label)] if label else []
    if isinstance(field, models.BooleanField):
        return ["Oui" if value else "Non"]
    if value in (None, "", []):
        return []
    if isinstance(field, models.ForeignKey):
        return [_label(value)]
    if isinstance(field, models.DateField):
        return [formats.date_format(value, "d/m/Y")]
    if isinstance(value, list):
        return [", ".join(str(item) for item in value)]
    return [str(value)]


def _consent_display(signalement, name):
    """Un champ de l'étape « Consentement » qui n'est pas une colonne du signalement (décision par finalité, date,
    forme, témoin), lu dans ses consentements."""
    value = draft_consent_values(signalement).get(name)
    if name in CONSENT_DRAFT_FIELDS:
        return ConsentDecision(value).label
    if name == "consent_given_on":
        return formats.date_format(value, "d/m/Y") if value else EMPTY
    if name == "consent_form":
        return ConsentForm(value).label if value else EMPTY
    return value or EMPTY


def display(signalement, name):
    """Un champ du signalement en une ligne lisible, « Non renseigné » s'il est vide."""
    if name not in _MODEL_FIELDS:
        return _consent_display(signalement, name)
    return ", ".join(display_values(signalement, name)) or EMPTY


def consent_line(consent):
    """Un consentement en une ligne : « Accordé le 02/12/2026, écrit, notice en anglais »."""
    parts = [str(consent.get_decision_display())]
    if consent.decided_on:
        parts[0] += f" le {formats.date_format(consent.decided_on, 'd/m/Y')}"
    if consent.withdrawn_on:
        parts.append(f"retiré le {formats.date_format(consent.withdrawn_on, 'd/m/Y')}")
    if consent.form != ConsentForm.UNKNOWN:
        parts.append(str(consent.get_form_display()).lower())
    if consent.witness:
        parts.append(f"témoin : {consent.witness}")
    if consent.notice_language:
        parts.append(f"notice en {languages().get(consent.notice_language, consent.notice_language).lower()}")
    return ", ".join(parts)


def consent_rows(signalement):
    """Une ligne par finalité : [(finalité, [décision lisible])]."""
    consents = {consent.purpose: consent for consent in signalement.consents.all()}
    return [
        (purpose.label, [consent_line(consents[purpose])] if purpose in consents else [EMPTY])
        for purpose in ConsentPurpose
    ]


@dataclass(frozen=True)
class IdentityAccess:
    """Ce que cette personne lit de l'identité d'un signalement : la règle, et l'ouverture en cours s'il le faut."""

    rule: str
    opening: object = None

    @property
    def is_open(self):
        return self.rule == IDENTITY_OPEN or self.opening is not None

    @property
    def needs_reason(self):
        return self.rule == IDENTITY_WITH_REASON and self.opening is None


def identity_access(user, signalement):
    rule = identity_rule(user, signalement)
    opening = active_identity_opening(user, signalement) if rule == IDENTITY_WITH_REASON else None
    return IdentityAccess(rule, opening)


#: Pour les pages qui ne montrent que la vue pseudonymisée.
SEALED_IDENTITY = IdentityAccess(rule="sealed")


def signalement_groups(signalement, identity=SEALED_IDENTITY):
    """[(titre du groupe, [(libellé du champ, [valeurs lisibles])])] ; le récit n'y figure jamais, l'identité
    seulement si `identity` (`identity_access`) est ouverte, « Scellé » sinon."""
    groups = []
    for (title, names), step in zip(
        GROUPS, [s for s in STEPS if s.form_class and s.slug != ACCOUNT_SLUG], strict=True
    ):
        rows = []
        for name in names:
            if name in SignalementStepForm.ALL_INSTITUTION_FIELDS and not getattr(signalement, name):
                continue  # Les champs des acteurs institutionnels, seulement s'ils sont remplis.
            sealed = name in IDENTITY_FIELDS and not identity.is_open
            values = [SEALED] if sealed else display_values(signalement, name)
            rows.append((capfirst(Signalement._meta.get_field(name).verbose_name), values or [EMPTY]))
        if step.slug == CONSENT_SLUG:
            rows += consent_rows(signalement)
        groups.append((title, rows))
    return groups


class CasePresenter:
    """Un dossier tel que toute page le montre : en-tête (référence, état, marqueurs) et faits principaux.

    `has_pending_request` : True/False si l'appelant le sait déjà (évite une requête), None pour le demander."""

    def __init__(self, signalement, *, has_pending_request=None, identity=SEALED_IDENTITY):
        self.signalement = signalement
        self._has_pending_request = has_pending_request
        self.identity = identity

    @property
    def identity_facts(self):
        """[(libellé, valeur lisible)] de l'identité, si elle est ouverte à cette personne ; [] sinon."""
        if not self.identity.is_open:
            return []
        return [
            (capfirst(Signalement._meta.get_field(name).verbose_name), display(self.signalement, name))
            for name in IDENTITY_FIELDS
        ]

    @property
    def title(self):
        reference = self.signalement.reference
        return f"Signalement {reference}" if reference else "Brouillon de signalement"

    @property
    def status_label(self):
        return self.signalement.get_status_display()

    @property
    def badge(self):
        return status_badge(self.signalement.status)

    @cached_property
    def has_pending_request(self):
        if self._has_pending_request is not None:
            return self._has_pending_request
        return self.signalement.information_requests.pending().exists()

    @property
    def markers(self):
        """[(libellé, classe DSFR)] : urgent, hébergement ce soir, mineur·e, moins de 15 ans, complément attendu."""
        markers = []
        if self.signalement.urgent:
            markers.append(("Urgent", "fr-badge--error"))
        if self.signalement.needs_shelter_tonight:
            markers.append(("Hébergement ce soir", "fr-badge--error"))
        if self.signalement.is_minor:
            markers.append(("Mineur", "fr-badge--purple-glycine"))
        if self.signalement.is_under_15:
            # Arts. 225-12-2 et 222-23-1 du code pénal : le seuil des 15 ans compte pour la qualification.
            markers.append(("Moins de 15 ans", "fr-badge--purple-glycine"))
        if self.has_pending_request:
            markers.append(("Complément attendu", "fr-badge--warning"))
        return markers

    @property
    def age(self):
        """« 17 ans au repérage », « 16 ans (âge estimé) », ou « Non renseigné »."""
        signalement = self.signalement
        if signalement.birth_date is not None:
            return f"{signalement.age} ans {'au repérage' if signalement.spotted_on else 'aujourd’hui'}"
        if signalement.estimated_age is not None:
            return f"{signalement.estimated_age} ans (âge estimé)"
        return EMPTY

    @property
    def nationalities(self):
        """« France, Maroc » (noms français des pays), « Non renseigné » sinon."""
        return display(self.signalement, "nationalities")

    @property
    def languages(self):
        """« Arabe, Français » (noms français des langues), « Non renseigné » sinon."""
        return display(self.signalement, "languages")

    @property
    def facts(self):
        """[(libellé, valeur lisible)] : ce que l'en-tête d'un dossier montre sur toutes les pages."""
        signalement = self.signalement
        return [
            ("Pseudonyme", signalement.pseudonym or EMPTY),
            ("Âge", self.age),
            ("Nationalités", self.nationalities),
            ("Langues parlées", self.languages),
            ("Organisation déclarante", signalement.organisation.name),
            ("Département du signalement", display(signalement, "departement")),
        ]
