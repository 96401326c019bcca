from django import forms
from dsfr.forms import DsfrBaseForm

from signalements.enums import ReferenceCategory


class ReferenceCategoryFilterForm(DsfrBaseForm):
    categorie = forms.ChoiceField(
        label="Liste", choices=[("", "Toutes les listes"), *ReferenceCategory.choices], required=False
    )


class ReferenceValueCreateForm(DsfrBaseForm):
    category = forms.ChoiceField(label="Liste", choices=ReferenceCategory.choices)
    label = forms.CharField(label="Libellé", max_length=200)
    code = forms.CharField(
        label="Code (facultatif)",
        max_length=64,
        required=False,
        help_text="Minuscules sans accent, chiffres et « _ ». Déduit du libellé s'il est laissé vide. Il ne change "
        "plus ensuite : les exports statistiques s'y fient.",
    )


class ReferenceValueUpdateForm(DsfrBaseForm):
    label = forms.CharField(label="Libellé", max_length=200)
