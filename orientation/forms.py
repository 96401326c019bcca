"""Formulaires de l'instruction et de la validation : la forme des saisies seulement ; les règles sont dans les
services."""

from django import forms
from dsfr.forms import DsfrBaseForm

from accounts.models import User
from mniop.forms import CachedModelChoiceField, ComboboxSelect
from mniop.roles import NATIONAL_CASE_ROLES
from orientation.enums import (
    AttachmentKind,
    ChildProtectionAnswerKind,
    DecisionKind,
    MeasureKind,
    MeasureStatus,
    NonCooperationReason,
    ProcedureStage,
    RedirectTarget,
    ServiceAddressKind,
    UrgentMeasureKind,
)
from orientation.models import ClockSettings, NotificationPreference
from orientation.services import closure as closure_services
from orientation.services import triage as triage_services
from orientation.services.clocks import CLOCK_SETTING_FIELDS
from orientation.services.measures import measure_operators
from orientation.services.procedures import procedure_authorities
from referents.enums import Language, OrganisationKind
from referents.models import DirectoryEntry, Organisation, Territory
from signalements.enums import CompensationPayer, CompensationStatus, ConsentOverrideGround, ReferenceCategory
from signalements.models import ReferenceValue, Signalement


def miprof_people():
    return User.objects.filter(
        is_active=True, memberships__is_active=True, memberships__role__in=NATIONAL_CASE_ROLES
    ).distinct()


def reference_values(category):
    return ReferenceValue.objects.active().in_category(category)


class TerritoryChoiceField(forms.ModelChoiceField):
    """Un territoire désigné par son code INSEE (« 75 », « 971 ») : le même dans les pages et dans l'API. Une
    centaine de territoires : une liste à saisie assistée (`mniop.forms.ComboboxSelect`)."""

    widget = ComboboxSelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class CachedTerritoryChoiceField(CachedModelChoiceField, TerritoryChoiceField):
    """Les territoires d'un filtre de file, choix gardés une minute par processus (`mniop.forms`)."""


class QueueFilterForm(DsfrBaseForm):
    reference = forms.CharField(label="Référence", required=False, max_length=20)
    statut = forms.ChoiceField(label="État", required=False)
    departement = CachedTerritoryChoiceField(label="Département", queryset=Territory.objects.all(), required=False)
    forme = CachedModelChoiceField(
        label="Forme d'exploitation",
        queryset=reference_values(ReferenceCategory.EXPLOITATION_FORM),
        required=False,
        to_field_name="code",
    )
    mineur = forms.ChoiceField(
        label="Mineur", required=False, choices=[("", "Tous"), ("oui", "Mineurs"), ("non", "Majeurs ou âge inconnu")]
    )
    canal = CachedModelChoiceField(
        label="Canal d'entrée",
        queryset=reference_values(ReferenceCategory.ENTRY_CHANNEL),
        required=False,
        to_field_name="code",
    )
    agent = CachedModelChoiceField(
        label="Agent·e en charge",
        queryset=miprof_people(),
        required=False,
        to_field_name="public_id",
        widget=ComboboxSelect(),
    )
    en_retard = forms.BooleanField(label="Échéance dépassée seulement", required=False)

    def __init__(self, *args, statuses, departements=None, with_agent=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", "États en cours")] + [
            (status.value, status.label) for status in statuses
        ]
        self.fields["forme"].queryset = reference_values(ReferenceCategory.EXPLOITATION_FORM)
        self.fields["canal"].queryset = reference_values(ReferenceCategory.ENTRY_CHANNEL)
        self.fields["agent"].queryset = miprof_people()
        if departements is not None:
            self.fields["departement"].queryset = departements
        else:
            # File nationale : le code saisi (une liste de plus de cent territoires coûte cher à chaque affichage).
            self.fields["departement"].widget = forms.TextInput(attrs={"size": 4})
            self.fields["departement"].help_text = "Code INSEE : 75, 2A, 971…"
        if not with_agent:
            del self.fields["agent"]


class SavedFilterForm(DsfrBaseForm):
    name = forms.CharField(label="Nom du filtre", max_length=80)


class AssignForm(DsfrBaseForm):
    assigned_to = forms.ModelChoiceField(label="Attribuer à", queryset=miprof_people(), to_field_name="public_id")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = miprof_people()


class QualifyForm(DsfrBaseForm):
    exploitation_forms = forms.ModelMultipleChoiceField(
        label="Formes d'exploitation",
        queryset=reference_values(ReferenceCategory.EXPLOITATION_FORM),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        to_field_name="code",
    )
    is_minor_presumed = forms.BooleanField(label="Présumé mineur", required=False)
    competent_departement = TerritoryChoiceField(
        label="Département compétent",
        queryset=Territory.objects.all(),
        required=False,
        help_text="Suggéré depuis le lieu de repérage ; modifiable.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exploitation_forms"].queryset = reference_values(ReferenceCategory.EXPLOITATION_FORM)


class InformationRequestForm(DsfrBaseForm):
    question = forms.CharField(
        label="Question à l'organisation déclarante",
        widget=forms.Textarea,
        error_messages={"required": triage_services.QUESTION_REQUIRED},
    )


class DuplicateForm(DsfrBaseForm):
    original_reference = forms.CharField(label="Référence du signalement original", max_length=20, required=False)


class OutOfScopeForm(DsfrBaseForm):
    reason = forms.ModelChoiceField(
        label="Motif",
        queryset=reference_values(ReferenceCategory.OUT_OF_SCOPE_REASON),
        to_field_name="code",
        error_messages={"required": triage_services.OUT_OF_SCOPE_REASON_REQUIRED},
    )
    comment = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea,
        error_messages={"required": triage_services.CLOSURE_COMMENT_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reference_values(ReferenceCategory.OUT_OF_SCOPE_REASON)


class ConsentOverrideFields(forms.Form):
    """Partager sans le consentement de la finalité, là où la loi le permet : le fondement et le motif (facultatifs ;
    le service les exige seulement si le consentement manque)."""

    override_ground = forms.ChoiceField(
        label="Sans consentement de la personne : fondement légal",
        choices=[("", "Aucun (le consentement a été recueilli)"), *ConsentOverrideGround.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label="Motif du partage sans consentement",
        help_text="Inscrit au journal du dossier. Sans nom ni récit.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ForwardForm(ConsentOverrideFields, DsfrBaseForm):
    departement = TerritoryChoiceField(label="Département compétent", queryset=Territory.objects.all(), required=False)


class DecisionForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Décision", choices=DecisionKind.choices, widget=forms.RadioSelect, required=False)
    reason = forms.ModelChoiceField(
        label="Motif de non-validation",
        queryset=reference_values(ReferenceCategory.NON_VALIDATION_REASON),
        required=False,
        to_field_name="code",
    )
    comment = forms.CharField(label="Commentaire", widget=forms.Textarea, required=False)
    redirect_target = forms.ChoiceField(
        label="Réorienté vers", choices=[("", "—"), *RedirectTarget.choices], required=False
    )
    redirected_to = TerritoryChoiceField(
        label="Département de réorientation", queryset=Territory.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reference_values(ReferenceCategory.NON_VALIDATION_REASON)


class ReconsiderationForm(DsfrBaseForm):
    motive = forms.CharField(label="Motifs de la demande de réexamen", widget=forms.Textarea, required=False)


class UrgentMeasureForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Mesure", choices=UrgentMeasureKind.choices)
    started_on = forms.DateField(label="Date de la mesure", widget=forms.DateInput(attrs={"type": "date"}))
    requested_by_police = forms.BooleanField(label="À la demande des forces de l'ordre", required=False)


class AcseOnTheSpotForm(DsfrBaseForm):
    """La police ou la gendarmerie active Ac.Sé sur place : la date suffit."""

    started_on = forms.DateField(
        label="Date de l'activation",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Indiquez la date de l'activation."},
    )


class ClockSettingsForm(forms.ModelForm, DsfrBaseForm):
    """La forme de la saisie seulement : l'enregistrement passe par `clocks.update_clock_settings` (historisé)."""

    class Meta:
        model = ClockSettings
        fields = list(CLOCK_SETTING_FIELDS)


class NotificationPreferenceForm(forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = NotificationPreference
        fields = ["reminders_by_email", "daily_digest"]


class EmptyForm(DsfrBaseForm):
    """Une action sans saisie (commencer l'instruction)."""


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class MeasureForm(ConsentOverrideFields, DsfrBaseForm):
    """Une mesure du parcours : les conditions légales déclarées par la personne qui l'enregistre (le service les
    vérifie, domaine §11.4)."""

    kind = forms.ChoiceField(
        label="Mesure",
        choices=[("", "—"), *MeasureKind.choices],
        error_messages={"required": "Choisissez une mesure."},
    )
    status = forms.ChoiceField(
        label="État", choices=[(MeasureStatus.PROPOSED, "Proposée"), (MeasureStatus.REQUESTED, "Demandée")]
    )
    requested_on = date_field("Date de la demande", required=False, help_text="Par défaut : aujourd'hui.")
    operator = forms.ModelChoiceField(
        label="Organisation qui la met en œuvre",
        queryset=Organisation.objects.active(),
        required=False,
        to_field_name="public_id",
    )
    proposed_by = forms.ModelChoiceField(
        label="Association qui propose (parcours de sortie de la prostitution)",
        queryset=Organisation.objects.active().filter(kind=OrganisationKind.ASSOCIATION),
        required=False,
        to_field_name="public_id",
        help_text="Par défaut : votre association.",
    )
    links_with_exploiters_broken = forms.BooleanField(label="Tout lien avec les exploiteurs est rompu", required=False)
    has_final_conviction = forms.BooleanField(label="L'auteur a été définitivement condamné", required=False)
    proceedings_ongoing = forms.BooleanField(label="La procédure pénale est en cours", required=False)
    non_cooperation_reason = forms.ChoiceField(
        label="Motif de non-coopération (art. L435-1)",
        choices=[("", "—"), *NonCooperationReason.choices],
        required=False,
    )
    service_address_kind = forms.ChoiceField(
        label="Élection de domicile : auprès de qui",
        choices=[("", "—"), *ServiceAddressKind.choices],
        required=False,
    )
    service_address = forms.CharField(
        label="Élection de domicile : adresse (scellée)",
        max_length=300,
        required=False,
        help_text="Seuls l'organisation auprès de qui le domicile est élu et le parquet du dossier la liront ; "
        "jamais au journal, dans un PDF ni dans un courriel.",
    )
    interpreter_language = forms.ChoiceField(
        label="Interprétariat : langue", choices=[("", "—"), *Language.choices], required=False
    )
    interpreter_service = forms.CharField(
        label="Interprétariat : service d'interprètes",
        max_length=200,
        required=False,
        help_text="Un organisme (fiche « Interprétariat » de l'annuaire), jamais le nom de l'interprète.",
    )
    comment = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, signalement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if signalement is not None:
            self.fields["operator"].queryset = measure_operators(signalement)


class MeasureUpdateForm(DsfrBaseForm):
    action = forms.ChoiceField(label="Nouvel état")
    on = date_field("Date", required=False, help_text="Par défaut : aujourd'hui.")
    ends_on = date_field(
        "Fin", required=False, help_text="Calculée selon la durée légale pour le délai de réflexion et les titres."
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(actions)


class ChildProtectionAnswerForm(DsfrBaseForm):
    """La réponse de l'ASE / CRIP ou du parquet à un dossier du circuit des mineurs."""

    kind = forms.ChoiceField(
        label="Réponse",
        choices=ChildProtectionAnswerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse."},
    )
    decided_on = date_field("Date de la décision", required=False, help_text="Par défaut : aujourd'hui.")
    comment = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CaseCloseForm(DsfrBaseForm):
    reason = forms.ModelChoiceField(
        label="Motif de clôture",
        queryset=reference_values(ReferenceCategory.CASE_CLOSURE_REASON),
        to_field_name="code",
        error_messages={"required": closure_services.CASE_CLOSURE_REASON_REQUIRED},
    )
    comment = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reference_values(ReferenceCategory.CASE_CLOSURE_REASON)


class CaseReopenForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de réouverture",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": closure_services.REOPEN_REASON_REQUIRED},
    )


class ProcedureForm(DsfrBaseForm):
    """Une procédure judiciaire du dossier : la forme des saisies ; les règles sont dans
    `orientation.services.procedures`."""

    authority_entry = forms.ModelChoiceField(
        label="Service enquêteur ou juridiction (annuaire)",
        queryset=DirectoryEntry.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=ComboboxSelect,
    )
    authority_name = forms.CharField(
        label="Ou son nom, s'il n'est pas dans l'annuaire", max_length=200, required=False
    )
    reference = forms.CharField(
        label="Référence de la procédure", max_length=100, required=False, help_text="Numéro de parquet ou de PV."
    )
    is_civil_party = forms.BooleanField(label="La victime est partie civile", required=False)
    civil_party_on = date_field("Date de la constitution de partie civile", required=False)
    stage = forms.ChoiceField(label="Stade", choices=ProcedureStage.choices)
    stage_on = date_field(
        "Date du stade", required=False, help_text="Exigée pour une condamnation, une relaxe ou un classement."
    )
    compensation_status = forms.ChoiceField(
        label="Indemnisation", choices=CompensationStatus.choices, initial=CompensationStatus.UNKNOWN
    )
    compensation_payer = forms.ChoiceField(
        label="Indemnisation à la charge de", choices=CompensationPayer.choices, required=False
    )
    compensation_requested_amount = forms.DecimalField(
        label="Montant demandé (euros)", required=False, max_digits=12, decimal_places=2, min_value=0
    )
    compensation_granted_amount = forms.DecimalField(
        label="Montant accordé (euros)", required=False, max_digits=12, decimal_places=2, min_value=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority_entry"].queryset = procedure_authorities()
        self.fields["authority_entry"].label_from_instance = lambda entry: f"{entry.title} — {entry.organisation.name}"


class AttachmentForm(DsfrBaseForm):
    """Joindre un document : son type et le fichier ; le type du fichier, sa taille et l'antivirus sont vérifiés par
    `orientation.services.attachments`."""

    kind = forms.ChoiceField(label="Type de document", choices=[("", "Choisir"), *AttachmentKind.choices])
    file = forms.FileField(
        label="Fichier",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, max_size_label="10 Mo", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"PDF, JPEG ou PNG, {max_size_label} au plus. Le document est analysé par l'antivirus avant d'être "
            "téléchargeable."
        )


class LinkConfirmForm(DsfrBaseForm):
    """Confirmer un rapprochement : le signalement rejoint l'un de ses doublons possibles."""

    original = forms.ModelChoiceField(
        label="Le signalement qu'il rejoint",
        queryset=Signalement.objects.none(),
        to_field_name="public_id",
        empty_label="Choisir",
        error_messages={"required": "Choisissez le signalement qu'il rejoint."},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = candidates
        self.fields["original"].label_from_instance = lambda signalement: (
            f"{signalement.reference} (déposé le {signalement.submitted_at:%d/%m/%Y})"
        )


class LinkDismissForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="La structure qui a demandé le rapprochement le lira : n'y mettez aucune donnée d'un autre dossier.",
        error_messages={"required": "Indiquez pourquoi le rapprochement est écarté."},
    )
