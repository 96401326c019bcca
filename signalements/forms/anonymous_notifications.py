"""Le court formulaire de la notification statistique anonyme : les catégories des statistiques, aucun champ
d'identité. Les règles sont dans `signalements.services.anonymous_notifications`."""

from django import forms
from dsfr.forms import DsfrBaseForm

from mniop.forms import NO_SCRIPT_HINT, ComboboxSelect, ComboboxSelectMultiple
from referents.models import Territory
from signalements.enums import (
    NationalityResidual,
    NotificationAgeBand,
    NotificationScope,
    PlaceOfExploitation,
    ReferenceCategory,
    Sex,
)
from signalements.forms.intake import ReferenceChoiceField, ReferenceMultipleChoiceField
from signalements.iso_codes import countries
from signalements.models import ReferenceValue


class AnonymousNotificationForm(DsfrBaseForm):
    age_band = forms.ChoiceField(label="Tranche d'âge", choices=NotificationAgeBand.choices)
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, widget=forms.RadioSelect)
    nationalities = forms.MultipleChoiceField(
        label="Nationalités", required=False, widget=ComboboxSelectMultiple(), help_text=NO_SCRIPT_HINT
    )
    nationality_residual = forms.ChoiceField(
        label="Si la nationalité est inconnue : région",
        choices=NationalityResidual.choices,
        required=False,
    )
    exploitation_forms = ReferenceMultipleChoiceField(
        label="Formes d'exploitation", queryset=ReferenceValue.objects.none(), required=False
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Territory.objects.all(),
        widget=ComboboxSelect(),
        empty_label="Choisir",
        help_text="Le département où la personne a été repérée.",
    )
    place_of_exploitation = forms.ChoiceField(
        label="Lieu d'exploitation",
        choices=PlaceOfExploitation.choices,
        widget=forms.RadioSelect,
    )
    exploitation_started_year = forms.IntegerField(
        label="Début de l'exploitation (année)", required=False, help_text="Par exemple : 2024."
    )
    exploitation_ended_year = forms.IntegerField(
        label="Fin de l'exploitation (année)", required=False, help_text="Vide si elle dure encore ou est inconnue."
    )
    identifying_body = ReferenceChoiceField(
        label="Organisme ayant procédé à l'identification",
        queryset=ReferenceValue.objects.none(),
        required=False,
        empty_label="Choisir",
    )
    trafficking_scope = forms.ChoiceField(
        label="Traite interne ou transnationale",
        choices=NotificationScope.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "sex": Sex.UNKNOWN,
                "age_band": NotificationAgeBand.UNKNOWN,
                "place_of_exploitation": PlaceOfExploitation.UNKNOWN,
                "trafficking_scope": NotificationScope.UNKNOWN,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = list(countries().items())
        self.fields["exploitation_forms"].queryset = ReferenceValue.objects.active().in_category(
            ReferenceCategory.EXPLOITATION_FORM
        )
        self.fields["identifying_body"].queryset = ReferenceValue.objects.active().in_category(
            ReferenceCategory.IDENTIFYING_BODY
        )
