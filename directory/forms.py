from django import forms
from dsfr.forms import DsfrBaseForm

from directory.services import ENTRY_FIELDS, OWN_ENTRY_FIELDS
from mniop.forms import NO_SCRIPT_HINT, ComboboxSelect, ComboboxSelectMultiple
from referents.enums import Language, ReferentCategory, Speciality, Theme
from referents.models import DirectoryEntry, Organisation, Territory


def _with_blank(choices, label):
    return [("", label), *choices]


class TerritoryChoiceField(forms.ModelChoiceField):
    widget = ComboboxSelect

    def label_from_instance(self, territory):
        return f"{territory.code} – {territory.name}"


class DirectorySearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=200,
        help_text="Un nom, une organisation, une fonction, un thème : « magistrat exploitation Guyane ».",
    )
    territoire = TerritoryChoiceField(
        label="Territoire", queryset=Territory.objects.order_by("code"), to_field_name="code", required=False
    )
    categorie = forms.ChoiceField(
        label="Catégorie", choices=_with_blank(ReferentCategory.choices, "Toutes"), required=False
    )
    thematique = forms.ChoiceField(label="Thématique", choices=_with_blank(Theme.choices, "Toutes"), required=False)
    specialite = forms.ChoiceField(
        label="Spécialité", choices=_with_blank(Speciality.choices, "Toutes"), required=False
    )
    langue = forms.ChoiceField(label="Langue parlée", choices=_with_blank(Language.choices, "Toutes"), required=False)

    def search_arguments(self):
        data = self.cleaned_data
        return {
            "q": data["q"],
            "territory": data["territoire"],
            "category": data["categorie"],
            "theme": data["thematique"],
            "speciality": data["specialite"],
            "language": data["langue"],
        }


class DirectoryEntryForm(DsfrBaseForm, forms.ModelForm):
    organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.none())
    territories = forms.ModelMultipleChoiceField(
        label="Territoires couverts",
        queryset=Territory.objects.order_by("code"),
        widget=ComboboxSelectMultiple,
        help_text=NO_SCRIPT_HINT,
    )
    themes = forms.MultipleChoiceField(label="Thématiques", choices=Theme.choices, required=False)
    specialities = forms.MultipleChoiceField(label="Spécialités", choices=Speciality.choices, required=False)
    languages = forms.MultipleChoiceField(label="Langues parlées", choices=Language.choices, required=False)

    class Meta:
        model = DirectoryEntry
        fields = [name for name in ENTRY_FIELDS if name not in ("themes", "specialities", "languages")]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            del self.fields["organisation"]
            self.initial["territories"] = list(self.instance.territories.all())
            for name in ("themes", "specialities", "languages"):
                self.initial[name] = getattr(self.instance, name)
        self.fields[
            "public_address"
        ].help_text = "Jamais publiée pour un lieu d'hébergement, même si le contact générique est public."


class OwnEntryForm(DsfrBaseForm, forms.ModelForm):
    """Les coordonnées que le·la titulaire ou suppléant·e corrige ; les règles sont dans `update_own_entry`."""

    class Meta:
        model = DirectoryEntry
        fields = list(OWN_ENTRY_FIELDS)


class ModerationForm(DsfrBaseForm):
    note = forms.CharField(label="Motif (lu par l'organisation)", max_length=500, required=False)


class DirectoryImportForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV (UTF-8, séparateur « ; » ou « , »)",
        help_text="Colonnes : celles de l'export CSV d'une recherche. Un aperçu est montré avant tout import.",
    )


class DirectoryImportConfirmForm(DsfrBaseForm):
    content = forms.CharField(widget=forms.HiddenInput)
