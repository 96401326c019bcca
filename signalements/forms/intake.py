"""Le formulaire de signalement en étapes : un formulaire par étape, la forme de la saisie seulement.

Les règles (valeurs retirées, cohérences, complétude) sont dans `signalements.services.drafts`, pour que l'API les
applique aussi ; les vues reportent leurs messages à côté des champs."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.html import format_html_join
from dsfr.forms import DsfrBaseForm

from mniop.forms import NO_SCRIPT_HINT, ComboboxSelect, ComboboxSelectMultiple
from referents.enums import OrganisationKind
from referents.models import Territory
from signalements.duplicates import phone_error
from signalements.enums import (
    CompensationPayer,
    CompensationStatus,
    ComplaintStatus,
    ConsentDecision,
    ConsentForm,
    ConsentPurpose,
    ConsentStatus,
    GuardianStatus,
    InterpreterSex,
    NationalityResidual,
    PlaceOfExploitation,
    Sex,
    SupportLevel,
    Transgender,
)
from signalements.iso_codes import countries, languages
from signalements.models import ReferenceValue
from signalements.permissions import pilot_departements
from signalements.services.consents import NOTICE_LANGUAGES
from signalements.services.drafts import (
    CHECKED,
    DRAFT_MANY_FIELDS,
    DRAFT_REFERENCE_FIELDS,
    REQUIREMENTS_BY_FIELD,
    draft_consent_values,
)

#: La marque d'un champ exigé au dépôt (`signalements.services.drafts.REQUIREMENTS`) : le brouillon s'enregistre
#: sans lui, le dépôt le refuse.
REQUIRED_FOR_SUBMISSION = "requis pour le dépôt"
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _inline_radio(choices):
    return forms.RadioSelect(choices=choices)


def _help(*parts):
    """Une aide de champ : des phrases, et l'aide propre à la liste déroulante de secours (sans JavaScript)."""
    return format_html_join(" ", "{}", ((part,) for part in parts))


class ReferenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} (retirée)" if obj.is_retired else obj.label


class ReferenceMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.label} (retirée)" if obj.is_retired else obj.label


class IntakeStepForm(DsfrBaseForm):
    """Une étape du brouillon. Les listes de référence proposent leurs valeurs actives, plus celles déjà posées sur le
    brouillon même si elles ont été retirées depuis (la personne ne perd pas ce qu'elle a saisi).

    Les champs que le dépôt exige (`REQUIREMENTS` du service) sont marqués « requis pour le dépôt » (et `required`
    pour les technologies d'assistance), jamais « (Optionnel) » ; l'étape s'enregistre pourtant sans eux : c'est le
    service qui refuse le dépôt, et la page le signale à chaque enregistrement."""

    def __init__(self, *args, signalement=None, **kwargs):
        self.signalement = signalement
        initial = kwargs.pop("initial", None) or (self.initial_from(signalement) if signalement else {})
        super().__init__(*args, initial=initial, **kwargs)
        for name, field in self.fields.items():
            category = DRAFT_REFERENCE_FIELDS.get(name) or DRAFT_MANY_FIELDS.get(name)
            if category is not None:
                current = initial.get(name)
                current = [current] if isinstance(current, int) else list(current or [])
                field.queryset = ReferenceValue.objects.in_category(category).filter(
                    Q(retired_at__isnull=True) | Q(pk__in=current)
                )
            if requirement := REQUIREMENTS_BY_FIELD.get(name):
                field.required = True
                # La BoundField (déjà créée par DsfrBaseForm) garde son propre libellé.
                field.label = self[name].label = f"{field.label} ({REQUIRED_FOR_SUBMISSION})"
                if requirement.condition:
                    help_text = " ".join(filter(None, [requirement.condition, field.help_text]))
                    field.help_text = self[name].help_text = help_text

    @property
    def required_for_submission(self):
        return [name for name in self.fields if name in REQUIREMENTS_BY_FIELD]

    def _clean_fields(self):
        # Exigés au dépôt, pas à l'enregistrement : un brouillon incomplet s'enregistre.
        for name in self.required_for_submission:
            self.fields[name].required = False
        try:
            super()._clean_fields()
        finally:
            for name in self.required_for_submission:
                self.fields[name].required = True

    @classmethod
    def initial_from(cls, signalement):
        initial = {}
        for name in cls.base_fields:
            if name in DRAFT_REFERENCE_FIELDS or name == "departement":
                initial[name] = getattr(signalement, f"{name}_id")
            elif name in DRAFT_MANY_FIELDS or name == "exploitation_departements":
                initial[name] = [value.pk for value in getattr(signalement, name).all()]
            else:
                initial[name] = getattr(signalement, name)
        return initial

    def add_submission_errors(self, errors):
        """Affiche à côté de leur champ les erreurs du dépôt (`{champ: message}`) qui concernent cette étape, même sur
        un formulaire non soumis (arrivée depuis le récapitulatif)."""
        if not self.is_bound:
            self._errors = ErrorDict(renderer=self.renderer)
            self.cleaned_data = {}
        for name, message in errors.items():
            if name in self.fields:
                self.add_error(name, message)

    def grouped_choices(self, name):
        """Les cases d'une liste à choix multiples, par regroupement statistique (dans l'ordre d'affichage)."""
        values = {str(value.pk): value for value in self.fields[name].queryset}
        groups = {}
        for subwidget in self[name].subwidgets:
            value = values.get(str(subwidget.data["value"]))
            groups.setdefault(value.statistical_group if value else "", []).append(subwidget)
        ungrouped = groups.pop("", [])
        if ungrouped:
            # Sans regroupement : à la fin, sous « Autres » si la liste a des regroupements.
            groups["Autres" if groups else ""] = ungrouped
        return list(groups.items())


class SignalementStepForm(IntakeStepForm):
    entry_channel = ReferenceChoiceField(
        label="Canal d'entrée", queryset=ReferenceValue.objects.none(), required=False, empty_label="Choisir"
    )
    identifying_body = ReferenceChoiceField(
        label="Organisme ayant procédé à l'identification",
        queryset=ReferenceValue.objects.none(),
        required=False,
        empty_label="Choisir",
    )
    spotted_on = forms.DateField(label="Date de repérage", required=False, widget=DATE_WIDGET)
    spotted_place = forms.CharField(label="Lieu de repérage (commune)", max_length=200, required=False)
    departement = forms.ModelChoiceField(
        label="Département du signalement",
        queryset=Territory.objects.all(),
        required=False,
        widget=ComboboxSelect(),
        empty_label="Choisir",
        help_text="Il oriente le signalement vers l'autorité départementale compétente.",
    )
    urgent = forms.BooleanField(
        label="Signalement urgent",
        required=False,
        help_text="La personne est en danger ou a besoin d'une mise à l'abri immédiate : la Miprof est alertée.",
    )

    operation_reference = forms.CharField(
        label="Référence de l'opération ou de la procédure",
        max_length=64,
        required=False,
        help_text="Le numéro de procédure ou le nom d'opération de votre service : il n'identifie pas la personne.",
    )
    identifying_service = forms.CharField(
        label="Service ayant procédé à l'identification",
        max_length=200,
        required=False,
        help_text="Par exemple : brigade de protection des familles, OCRTEH, section de recherches, CRIP.",
    )
    joint_investigation_with_opj = forms.BooleanField(
        label="Enquête conjointe avec un·e officier·e de police judiciaire (art. 28 du code de procédure pénale)",
        required=False,
    )
    codaf_or_uracti_involved = forms.BooleanField(
        label="CODAF ou URACTI associé (lutte contre le travail illégal)", required=False
    )

    #: Les champs propres aux acteurs institutionnels, par type d'organisation : une association ne les voit pas.
    INSTITUTION_FIELDS = {
        OrganisationKind.POLICE: ("operation_reference", "identifying_service"),
        OrganisationKind.GENDARMERIE: ("operation_reference", "identifying_service"),
        OrganisationKind.LABOUR_INSPECTION: (
            "operation_reference",
            "identifying_service",
            "joint_investigation_with_opj",
            "codaf_or_uracti_involved",
        ),
        OrganisationKind.DEPARTEMENT_COUNCIL: ("identifying_service",),
        OrganisationKind.TRIBUNAL: ("operation_reference", "identifying_service"),
    }
    ALL_INSTITUTION_FIELDS = (
        "operation_reference",
        "identifying_service",
        "joint_investigation_with_opj",
        "codaf_or_uracti_involved",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if codes := pilot_departements():
            self.fields["departement"].queryset = Territory.objects.filter(code__in=codes)
        organisation = self.signalement.organisation if self.signalement and self.signalement.organisation_id else None
        kept = self.INSTITUTION_FIELDS.get(organisation.kind, ()) if organisation else ()
        for name in self.ALL_INSTITUTION_FIELDS:
            if name not in kept:
                del self.fields[name]


class IdentityStepForm(IntakeStepForm):
    pseudonym = forms.CharField(
        label="Pseudonyme",
        max_length=100,
        required=False,
        help_text="Un nom d'usage qui permet à votre structure de retrouver la personne sans l'identifier.",
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DATE_WIDGET)
    aliases = forms.CharField(
        label="Autres noms connus",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Surnoms, noms d'emprunt, autre graphie : un par ligne. Ils servent à retrouver un signalement déjà "
        "déposé pour la même personne.",
    )
    phone = forms.CharField(
        label="Téléphone",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text="Un numéro français (06 12 34 56 78) ou étranger avec son indicatif (+234 803 123 4567).",
    )
    address = forms.CharField(
        label="Adresse", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Où joindre la personne."
    )
    estimated_age = forms.IntegerField(
        label="Âge estimé (ans)", required=False, help_text="Si la date de naissance est inconnue."
    )
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, widget=_inline_radio(Sex.choices))
    transgender = forms.ChoiceField(
        label="Personne transgenre", choices=Transgender.choices, widget=_inline_radio(Transgender.choices)
    )
    nationalities = forms.MultipleChoiceField(
        label="Nationalités", required=False, widget=ComboboxSelectMultiple(), help_text=_help(NO_SCRIPT_HINT)
    )
    nationality_residual = forms.ChoiceField(
        label="Si la nationalité est inconnue",
        required=False,
        choices=NationalityResidual.choices,
        help_text="Pour les statistiques européennes (Eurostat) : ce que l'on sait malgré tout de la nationalité.",
    )
    languages = forms.MultipleChoiceField(
        label="Langues parlées", required=False, widget=ComboboxSelectMultiple(), help_text=_help(NO_SCRIPT_HINT)
    )
    administrative_situation = ReferenceChoiceField(
        label="Situation administrative", queryset=ReferenceValue.objects.none(), required=False, empty_label="Choisir"
    )
    is_mna = forms.BooleanField(label="Mineur·e non accompagné·e (MNA)", required=False)
    is_minor_presumed = forms.BooleanField(
        label="Âge contesté, présumé·e mineur·e",
        required=False,
        help_text="Évaluation de la minorité en cours ou contestée : la personne suit le parcours des mineurs.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = list(countries().items())
        self.fields["languages"].choices = list(languages().items())

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if error := phone_error(phone):
            raise forms.ValidationError(error)
        return phone


def _consent_choice(purpose):
    return forms.ChoiceField(
        label=ConsentPurpose(purpose).label,
        required=False,
        choices=[
            (ConsentDecision.GIVEN, "Accordé"),
            (ConsentDecision.REFUSED, "Refusé"),
            (ConsentDecision.UNKNOWN, "Non renseigné"),
        ],
        widget=forms.RadioSelect,
    )


class ConsentStepForm(IntakeStepForm):
    """Le consentement : l'état d'ensemble (anonymat), puis une décision par finalité, avec la date, la forme et la
    langue de la notice d'information remise (`signalements.Consent`)."""

    consent_status = forms.ChoiceField(
        label="Consentement de la personne",
        required=False,
        choices=ConsentStatus.choices,
        widget=forms.RadioSelect,
        help_text="Sans consentement d'une personne majeure, le signalement est anonyme : ni nom, ni prénom, ni date "
        "de naissance. Il compte pour les statistiques.",
    )
    consent_language = forms.ChoiceField(label="Langue dans laquelle l'information a été donnée", required=False)
    consent_shelter = _consent_choice(ConsentPurpose.SHELTER)
    consent_police_justice = _consent_choice(ConsentPurpose.POLICE_JUSTICE)
    consent_association = _consent_choice(ConsentPurpose.ASSOCIATION)
    consent_statistics = _consent_choice(ConsentPurpose.STATISTICS)
    consent_given_on = forms.DateField(
        label="Date du recueil du consentement",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consent_form = forms.ChoiceField(
        label="Forme du consentement",
        required=False,
        choices=[("", "Choisir"), (ConsentForm.WRITTEN, "Écrit"), (ConsentForm.ORAL_WITNESSED, "Oral, devant témoin")],
    )
    consent_witness = forms.CharField(
        label="Témoin (fonction)",
        required=False,
        max_length=150,
        help_text="Pour un consentement oral : la fonction du témoin (jamais le nom de la personne signalée).",
    )
    juge_des_enfants_informed = forms.BooleanField(
        label="Juge des enfants informé·e", required=False, help_text="Personnes mineures seulement."
    )
    procureur_informed = forms.BooleanField(
        label="Procureur·e de la République informé·e (art. 40 du code de procédure pénale)",
        required=False,
        help_text="Pour une personne majeure comme pour une personne mineure : le parquet est le destinataire général "
        "des informations de l'article 40.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Les seules langues que le dépôt accepte : celles de la notice d'information.
        self.fields["consent_language"].choices = [
            ("", "Choisir"),
            *sorted(((code, languages()[code]) for code in NOTICE_LANGUAGES), key=lambda choice: choice[1]),
        ]

    @classmethod
    def initial_from(cls, signalement):
        initial = {name: getattr(signalement, name) for name in cls.base_fields if hasattr(signalement, name)}
        return initial | draft_consent_values(signalement)


class ExploitationStepForm(IntakeStepForm):
    exploitation_forms = ReferenceMultipleChoiceField(
        label="Formes d'exploitation", queryset=ReferenceValue.objects.none(), required=False
    )
    place_of_exploitation = forms.ChoiceField(
        label="Lieu d'exploitation",
        choices=PlaceOfExploitation.choices,
        widget=_inline_radio(PlaceOfExploitation.choices),
    )
    exploitation_departements = forms.ModelMultipleChoiceField(
        label="Départements d'exploitation",
        queryset=Territory.objects.all(),
        required=False,
        widget=ComboboxSelectMultiple(),
        help_text=_help("Si l'exploitation a eu lieu en France.", NO_SCRIPT_HINT),
    )
    exploitation_countries = forms.MultipleChoiceField(
        label="Pays d'exploitation",
        required=False,
        widget=ComboboxSelectMultiple(),
        help_text=_help("Si l'exploitation a eu lieu à l'étranger.", NO_SCRIPT_HINT),
    )
    recruitment_country = forms.ChoiceField(label="Pays de recrutement", required=False, widget=ComboboxSelect())
    transit_countries = forms.MultipleChoiceField(
        label="Pays de transit",
        required=False,
        widget=ComboboxSelectMultiple(),
        help_text=_help("Les pays traversés entre le recrutement et l'exploitation.", NO_SCRIPT_HINT),
    )
    place_types = ReferenceMultipleChoiceField(
        label="Types de lieu d'exploitation", queryset=ReferenceValue.objects.none(), required=False
    )
    sectors = ReferenceMultipleChoiceField(
        label="Secteurs d'exploitation", queryset=ReferenceValue.objects.none(), required=False
    )
    employment_forms = ReferenceMultipleChoiceField(
        label="Formes d'emploi ou activités", queryset=ReferenceValue.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exploitation_countries"].choices = [
            (code, label) for code, label in countries().items() if code != "FR"
        ]
        self.fields["transit_countries"].choices = self.fields["exploitation_countries"].choices
        self.fields["recruitment_country"].choices = [("", "Inconnu"), *countries().items()]


class RecruitmentStepForm(IntakeStepForm):
    recruitment_modes = ReferenceMultipleChoiceField(
        label="Modes de recrutement", queryset=ReferenceValue.objects.none(), required=False
    )
    ict_uses = ReferenceMultipleChoiceField(
        label="Usages des technologies numériques par les exploiteurs",
        queryset=ReferenceValue.objects.none(),
        required=False,
    )
    online_coercion_factors = ReferenceMultipleChoiceField(
        label="Facteurs de contrainte en ligne", queryset=ReferenceValue.objects.none(), required=False
    )


class VulnerabilityStepForm(IntakeStepForm):
    vulnerability_factors = ReferenceMultipleChoiceField(
        label="Facteurs de vulnérabilité", queryset=ReferenceValue.objects.none(), required=False
    )
    indicators = ReferenceMultipleChoiceField(
        label="Indicateurs de traite observés", queryset=ReferenceValue.objects.none(), required=False
    )


class SituationStepForm(IntakeStepForm):
    in_danger = forms.BooleanField(label="La personne est en danger là où elle se trouve", required=False)
    needs_shelter_tonight = forms.BooleanField(label="Besoin d'un hébergement ce soir", required=False)
    needs_health_care = forms.BooleanField(label="Besoin de soins", required=False)
    needs_interpreter = forms.BooleanField(
        label="Besoin d'un·e interprète",
        required=False,
        # Une valeur explicite, que `static/js/relevance.js` compare à la règle `RELEVANCE` de la langue et du sexe.
        widget=forms.CheckboxInput(attrs={"value": CHECKED}),
    )
    interpreter_language = forms.ChoiceField(
        label="Langue de l'interprète",
        required=False,
        widget=ComboboxSelect(),
        help_text=_help("Si la personne a besoin d'un·e interprète.", NO_SCRIPT_HINT),
    )
    interpreter_sex = forms.ChoiceField(
        label="Sexe de l'interprète, si la personne le demande",
        choices=InterpreterSex.choices,
        required=False,
        widget=_inline_radio(InterpreterSex.choices),
    )
    children_count = forms.IntegerField(label="Nombre d'enfants qui l'accompagnent", required=False)
    is_pregnant = forms.BooleanField(label="Enceinte", required=False)
    complaint_status = forms.ChoiceField(label="Plainte ou témoignage", choices=ComplaintStatus.choices)
    # Facultatifs : une étape enregistrée sans eux (enregistrement automatique) garde « non renseigné ».
    support_level = forms.TypedChoiceField(
        label="Votre structure",
        required=False,
        empty_value=SupportLevel.UNKNOWN,
        choices=SupportLevel.choices,
        widget=_inline_radio(SupportLevel.choices),
        help_text="A repéré la personne (au moins un contact) ou l'accompagne individuellement.",
    )
    has_guardian = forms.TypedChoiceField(
        label="Tuteur·rice ou administrateur·rice ad hoc désigné·e",
        required=False,
        empty_value=GuardianStatus.UNKNOWN,
        choices=GuardianStatus.choices,
        widget=_inline_radio(GuardianStatus.choices),
        help_text="Personnes mineures seulement.",
    )
    compensation_status = forms.TypedChoiceField(
        label="Indemnisation",
        required=False,
        empty_value=CompensationStatus.UNKNOWN,
        choices=CompensationStatus.choices,
    )
    compensation_payer = forms.ChoiceField(
        label="Indemnisation à la charge de", choices=CompensationPayer.choices, required=False
    )
    return_country = forms.ChoiceField(
        label="Retour volontaire : pays de destination",
        required=False,
        widget=ComboboxSelect(),
        help_text="Seulement si la personne est retournée ou retourne volontairement dans un autre pays.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter_language"].choices = [("", "Choisir"), *languages().items()]
        self.fields["return_country"].choices = [
            ("", "Sans objet"),
            *((code, label) for code, label in countries().items() if code != "FR"),
        ]


class AccountStepForm(IntakeStepForm):
    account = forms.CharField(
        label="Récit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Texte libre, d'accès restreint : seules votre structure et la Miprof le lisent. Il ne figure "
        "jamais sur le récépissé ni dans les courriels.",
    )


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None = None

    @property
    def fields(self):
        return list(self.form_class.base_fields) if self.form_class else []


SUMMARY_SLUG = "recapitulatif"
STEPS = [
    Step("signalement", "Signalement", SignalementStepForm),
    Step("identite", "Identité", IdentityStepForm),
    Step("consentement", "Consentement", ConsentStepForm),
    Step("exploitation", "Exploitation", ExploitationStepForm),
    Step("recrutement-et-numerique", "Recrutement et numérique", RecruitmentStepForm),
    Step("vulnerabilites-et-indicateurs", "Vulnérabilités et indicateurs", VulnerabilityStepForm),
    Step("situation-et-besoins", "Situation et besoins", SituationStepForm),
    Step("recit", "Récit", AccountStepForm),
    Step(SUMMARY_SLUG, "Récapitulatif et dépôt"),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
#: L'étape de chaque champ du signalement, pour relier une erreur du dépôt à l'étape qui la corrige.
STEP_OF_FIELD = {field: step for step in STEPS for field in step.fields}
