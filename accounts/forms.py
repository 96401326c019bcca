from datetime import datetime, time

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils import timezone
from django.utils.html import format_html
from dsfr.forms import DsfrBaseForm

from accounts.models import ApiTokenScope
from mniop.forms import NO_SCRIPT_HINT, ComboboxSelectMultiple
from mniop.roles import Role
from referents.enums import HabilitationKind, OrganisationKind
from referents.models import Territory


class LoginForm(AuthenticationForm, DsfrBaseForm):
    username = forms.EmailField(label="Adresse électronique", widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie.",
        "inactive": "Ce compte est désactivé. Contactez l'administrateur de votre organisation.",
    }


class MniopPasswordResetForm(PasswordResetForm, DsfrBaseForm):
    """La saisie seulement : la vue note la demande (accounts.services.request_password_reset), un worker envoie."""

    email = forms.EmailField(label="Adresse électronique", max_length=254)


class MniopSetPasswordForm(SetPasswordForm, DsfrBaseForm):
    pass


class MembershipSwitchForm(DsfrBaseForm):
    membership = forms.UUIDField(widget=forms.HiddenInput)


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse électronique professionnelle")
    role = forms.ChoiceField(label="Rôle")
    departements = forms.ModelMultipleChoiceField(
        label="Départements de compétence",
        help_text=format_html("Uniquement pour un valideur départemental. {}", NO_SCRIPT_HINT),
        queryset=Territory.objects.all(),
        required=False,
        widget=ComboboxSelectMultiple,
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        if Role.DEPARTMENTAL_VALIDATOR not in roles:
            del self.fields["departements"]


class InvitationAcceptForm(DsfrBaseForm):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput,
        help_text="Au moins 12 caractères, ni trop courant ni entièrement numérique.",
    )
    password2 = forms.CharField(label="Confirmation du mot de passe", strip=False, widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        return cleaned


class AccessLogFilterForm(DsfrBaseForm):
    email = forms.CharField(label="Personne (adresse électronique)", required=False)
    object_id = forms.CharField(label="Identifiant de l'objet", required=False)
    object_type = forms.CharField(label="Type d'objet", required=False)
    request_id = forms.CharField(
        label="Référence de l'incident ou de la requête",
        required=False,
        max_length=64,
        help_text="Celle qu'affiche une page d'erreur (en-tête X-Request-ID, journaux).",
    )
    since = forms.DateField(label="Depuis le", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "La date de fin doit suivre la date de début.")
        return cleaned


class OrganisationSearchForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher une organisation", required=False)


class ApiTokenForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du système partenaire",
        max_length=100,
        help_text="Par exemple le nom du logiciel de suivi de l'association.",
    )
    scopes = forms.MultipleChoiceField(
        label="Portées",
        choices=ApiTokenScope.choices,
        initial=[ApiTokenScope.SIGNALEMENTS_READ, ApiTokenScope.SIGNALEMENTS_WRITE],
        widget=forms.CheckboxSelectMultiple,
        help_text="Ce que le logiciel partenaire peut lire ou écrire ; rien de plus que ce dont il a besoin.",
        error_messages={"required": "Choisissez au moins une portée pour le jeton."},
    )
    expires_on = forms.DateField(
        label="Expire le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Au plus un an après la création ; vide : dans un an.",
    )
    allowed_networks = forms.CharField(
        label="Adresses sources autorisées (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une adresse IP ou un réseau CIDR par ligne (203.0.113.0/24) ; vide : toute adresse.",
    )

    def service_arguments(self):
        """Les arguments de `create_api_token` : la date d'expiration en fin de journée, heure de Paris."""
        data = self.cleaned_data
        expires_on = data.get("expires_on")
        expires_at = None
        if expires_on is not None:
            expires_at = timezone.make_aware(datetime.combine(expires_on, time(23, 59, 59)))
        return {
            "name": data["name"],
            "scopes": data["scopes"],
            "expires_at": expires_at,
            "allowed_networks": data.get("allowed_networks", "").split(),
        }


class SecondFactorCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Affiché par votre application d'authentification ; il change toutes les 30 secondes.",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SecondFactorVerifyForm(SecondFactorCodeForm):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de secours.",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class ReauthenticationForm(DsfrBaseForm):
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = forms.CharField(
        label="Code de vérification",
        help_text="Le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de secours.",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationCreateForm(DsfrBaseForm):
    name = forms.CharField(label="Nom de l'organisation", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=OrganisationKind.choices)
    territories = forms.ModelMultipleChoiceField(
        label="Territoires couverts",
        help_text=format_html("Départements et collectivités où l'organisation intervient. {}", NO_SCRIPT_HINT),
        queryset=Territory.objects.all(),
        required=False,
        widget=ComboboxSelectMultiple,
    )
    is_national = forms.BooleanField(label="Compétence nationale", required=False)
    email = forms.EmailField(label="Adresse électronique générique", required=False)
    phone = forms.CharField(label="Téléphone générique", max_length=32, required=False)
    siret = forms.CharField(label="SIRET", max_length=14, required=False)


class HabilitationKindForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Type d'habilitation ou d'agrément", choices=HabilitationKind.choices)
    territory = forms.ModelChoiceField(
        label="Département",
        help_text="Seulement pour un agrément départemental (PSP).",
        queryset=Territory.objects.all(),
        required=False,
    )


class HabilitationGrantForm(HabilitationKindForm):
    starts_on = forms.DateField(label="Début de validité", widget=DateInput)
    ends_on = forms.DateField(label="Fin de validité", required=False, widget=DateInput, help_text="Vide : sans fin.")
    reference = forms.CharField(
        label="Référence de l'acte", max_length=100, help_text="Arrêté ou décision : numéro et date."
    )


class HabilitationDecisionForm(DsfrBaseForm):
    """Accorder une demande : les dates et l'acte ; le type et le département sont ceux de la demande."""

    starts_on = forms.DateField(label="Début de validité", widget=DateInput)
    ends_on = forms.DateField(label="Fin de validité", required=False, widget=DateInput, help_text="Vide : sans fin.")
    reference = forms.CharField(
        label="Référence de l'acte", max_length=100, help_text="Arrêté ou décision : numéro et date."
    )


class HabilitationRenewForm(DsfrBaseForm):
    ends_on = forms.DateField(
        label="Nouvelle fin de validité", required=False, widget=DateInput, help_text="Vide : sans fin."
    )
    reference = forms.CharField(label="Référence de l'acte de renouvellement", max_length=100)


class HabilitationEndForm(DsfrBaseForm):
    ends_on = forms.DateField(label="Dernier jour de validité", widget=DateInput)
    reason = forms.CharField(label="Motif", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class HabilitationRequestForm(HabilitationKindForm):
    motivation = forms.CharField(
        label="Motivation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui fonde la demande (missions, public accompagné). Aucune donnée sur une personne.",
    )


class HabilitationRefusalForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="L'organisation le lira.",
    )
