"""Formulaires de « Mes signalements » et de la page d'un signalement : la forme des saisies seulement."""

from django import forms
from dsfr.forms import DsfrBaseForm

from signalements.enums import SignalementStatus
from signalements.services.information_requests import ANSWER_MAX_LENGTH


class SignalementFilterForm(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher",
        help_text="Référence ou pseudonyme, avec ou sans accents.",
        required=False,
        max_length=100,
    )
    status = forms.ChoiceField(
        label="État", choices=[("", "Tous les états"), *SignalementStatus.choices], required=False
    )
    since = forms.DateField(label="Créé depuis le", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Créé jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    urgent = forms.BooleanField(label="Urgents seulement", required=False)
    minor = forms.BooleanField(label="Mineurs seulement", required=False)
    pending_request = forms.BooleanField(label="Avec une demande de complément en attente", required=False)
    mine = forms.BooleanField(label="Créés par moi", required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "La date de fin doit être postérieure à la date de début.")
        return cleaned


class InformationRequestAnswerForm(DsfrBaseForm):
    answer = forms.CharField(
        label="Votre réponse",
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Écrivez votre réponse avant de l'envoyer."},
    )


class ShareForm(DsfrBaseForm):
    colleague = forms.ChoiceField(
        label="Collègue",
        help_text="Un·e agent·e actif·ve de votre structure : il ou elle verra ce signalement dans sa liste.",
        error_messages={
            "required": "Choisissez la personne avec qui partager le signalement.",
            "invalid_choice": "Choisissez une personne de la liste.",
        },
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(user.public_id), str(user)) for user in candidates]
        self.fields["colleague"].choices = [("", "Choisir une personne"), *choices]


class IdentityOpeningForm(DsfrBaseForm):
    """Le motif d'ouverture de l'identité scellée (les règles : `signalements.services.identity.open_identity`)."""

    reason = forms.CharField(
        label="Motif",
        help_text="Pourquoi l'identité de la personne vous est nécessaire. Il est inscrit au journal du dossier.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif qui justifie l'ouverture de l'identité."},
    )
