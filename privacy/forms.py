"""Formulaires des données personnelles : la forme des saisies seulement ; les règles sont dans les services."""

from django import forms
from dsfr.forms import DsfrBaseForm

from orientation.rights_sheet import LANGUAGES
from privacy.enums import RightsDecision, RightsRequestKind
from privacy.services import RECTIFIABLE_FIELDS
from signalements.enums import ConsentDecision, ConsentForm, ConsentPurpose

DATE = forms.DateInput(attrs={"type": "date"})


class ConsentRecordForm(DsfrBaseForm):
    purpose = forms.ChoiceField(label="Finalité", choices=ConsentPurpose.choices)
    decision = forms.ChoiceField(
        label="Décision de la personne",
        choices=[(value, label) for value, label in ConsentDecision.choices if value != ConsentDecision.WITHDRAWN],
    )
    decided_on = forms.DateField(label="Date du recueil", widget=DATE, required=False)
    form = forms.ChoiceField(label="Forme", choices=ConsentForm.choices, required=False)
    witness = forms.CharField(label="Témoin (fonction), pour un consentement oral", max_length=150, required=False)
    notice_language = forms.ChoiceField(
        label="Langue de la notice d'information remise", choices=[("", "Choisir"), *LANGUAGES], required=False
    )


class WithdrawalForm(DsfrBaseForm):
    purpose = forms.ChoiceField(label="Finalité", choices=ConsentPurpose.choices)
    withdrawn_on = forms.DateField(label="Date du retrait", widget=DATE, required=False)


class ReferenceSearchForm(DsfrBaseForm):
    reference = forms.CharField(label="Référence du dossier", max_length=20, help_text="MNIOP-<année>-<numéro>")


class RectificationForm(DsfrBaseForm):
    field = forms.ChoiceField(label="Champ à rectifier", choices=list(RECTIFIABLE_FIELDS.items()))
    value = forms.CharField(label="Valeur exacte", max_length=150, required=False)
    reason = forms.CharField(
        label="Motif (demande de la personne, pièce fournie…)", widget=forms.Textarea({"rows": 2})
    )


class RightsRequestForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label="Droit exercé",
        choices=[(k, label) for k, label in RightsRequestKind.choices if k != RightsRequestKind.RECTIFICATION],
    )
    decision = forms.ChoiceField(label="Décision", choices=RightsDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Motif de la décision", widget=forms.Textarea({"rows": 3}))
