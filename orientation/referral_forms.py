"""Formulaires de l'hébergement et de l'orientation : la forme des saisies seulement ; les règles sont dans les
services (`orientation.services.shelters`, `referrals`, `break_glass`)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from orientation.enums import PlaceKind
from orientation.forms import ConsentOverrideFields, TerritoryChoiceField, reference_values
from orientation.models import ShelterProfile
from orientation.services.shelters import PROFILE_FIELDS as SHELTER_PROFILE_FIELDS
from referents.enums import Language, OrganisationKind
from referents.models import Organisation, Territory
from signalements.enums import ReferenceCategory

DATE = forms.DateInput(attrs={"type": "date"})


class InterpreterFields(forms.Form):
    """Lever la règle de langue : un·e interprète est organisé·e (langue et service, jamais le nom d'une personne).
    Vides, la règle s'applique."""

    interpreter_language = forms.ChoiceField(
        label="Interprète organisé·e : langue",
        help_text="Seulement si un·e interprète est organisé·e : la règle « aucune langue commune » est alors levée "
        "pour cette orientation, et c'est inscrit au journal du dossier.",
        choices=[("", "Aucun·e interprète organisé·e"), *Language.choices],
        required=False,
    )
    interpreter_service = forms.CharField(
        label="Interprète organisé·e : service d'interprétariat",
        help_text="Le service ou le dispositif (par exemple « interprétariat téléphonique de l'association »), "
        "jamais le nom d'une personne.",
        max_length=200,
        required=False,
    )


class ShelterChoiceField(forms.ModelChoiceField):
    """Un lieu d'hébergement nommé sans homonyme possible : nom, commune, département, organisme gestionnaire."""

    def __init__(self, *, queryset, **kwargs):
        queryset = queryset.select_related("organisation", "departement").order_by(
            "organisation__name", "commune", "departement__code", "pk"
        )
        super().__init__(queryset=queryset, to_field_name="public_id", **kwargs)

    def label_from_instance(self, obj):
        return obj.distinct_label


class ReferralRequestForm(InterpreterFields, ConsentOverrideFields, DsfrBaseForm):
    shelter = ShelterChoiceField(
        label="Structure",
        help_text="Le bouton « Choisir ce lieu » d'une suggestion ci-dessus remplit ce champ.",
        queryset=ShelterProfile.objects.all(),
        required=False,
    )
    place_kind = forms.ChoiceField(
        label="Type de place", choices=[("", "Le mieux adapté"), *PlaceKind.choices], required=False
    )
    via_acse = forms.BooleanField(label="Adresser à la coordination Ac.Sé", required=False)
    safety_notes = forms.CharField(
        label="Consignes de sécurité pour la structure",
        help_text="Sans récit ni identité : ce que la structure doit savoir pour la sécurité de la personne.",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DispatchForm(InterpreterFields, DsfrBaseForm):
    shelter = ShelterChoiceField(
        label="Structure partenaire", queryset=ShelterProfile.objects.filter(is_acse_partner=True)
    )


#: Les mêmes messages que les services : un champ obligatoire est marqué tel, et son erreur dit quoi faire.
REFUSAL_REASON_REQUIRED = "Choisissez un motif de refus dans la liste."
REASON_REQUIRED = "Expliquez le motif : il est inscrit au dossier et lu par la personne qui a orienté."


def _refusal_reason_field():
    return forms.ModelChoiceField(
        label="Motif du refus",
        queryset=reference_values(ReferenceCategory.REFERRAL_REFUSAL_REASON),
        error_messages={"required": REFUSAL_REASON_REQUIRED},
    )


def _reason_text(label, help_text, *, required=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=required,
        error_messages={"required": REASON_REQUIRED},
    )


class RefusalForm(DsfrBaseForm):
    """Le refus d'une structure : le motif de la liste, une précision si elle le veut."""

    reason = _refusal_reason_field()
    comment = _reason_text("Précision", "Sans récit ni identité : lue par la personne qui a orienté.", required=False)


class AcseRefusalForm(DsfrBaseForm):
    """Le refus de la coordination Ac.Sé : le motif de la même liste, et une précision obligatoire."""

    reason = _refusal_reason_field()
    comment = _reason_text("Précision", "Pourquoi aucune partenaire ne peut accueillir la personne.")


class ReturnForm(DsfrBaseForm):
    reason = _reason_text(
        "Motif du renvoi",
        "Ce qui manque ou la voie à prendre (par exemple une orientation directe), sans récit ni identité.",
    )


class DistancingWaiverForm(DsfrBaseForm):
    shelter = ShelterChoiceField(
        label="Structure partenaire",
        queryset=ShelterProfile.objects.filter(is_acse_partner=True, organisation__is_active=True),
        error_messages={"required": "Choisissez la structure partenaire."},
    )
    place_kind = forms.ChoiceField(
        label="Type de place", choices=[("", "Le mieux adapté"), *PlaceKind.choices], required=False
    )
    reason = _reason_text(
        "Motif du placement hors règle d'éloignement",
        "Pourquoi cette structure, malgré sa proximité d'un lieu de danger (aucune autre place, "
        "besoin médical, choix de la personne…), sans récit ni identité.",
    )


class WaiverRejectionForm(DsfrBaseForm):
    reason = _reason_text("Motif du rejet", "Lu par la personne qui a demandé le placement.")


class ConfirmForm(DsfrBaseForm):
    """Une confirmation sans saisie : le bouton dit la conséquence."""


class DepartureForm(DsfrBaseForm):
    reason = forms.ModelChoiceField(
        label="Motif du départ", queryset=reference_values(ReferenceCategory.DEPARTURE_REASON), required=False
    )


class CapacityForm(DsfrBaseForm):
    place_kind = forms.ChoiceField(label="Type de places", choices=PlaceKind.choices)
    declared = forms.IntegerField(label="Places déclarées", min_value=0, max_value=999)
    occupied = forms.IntegerField(
        label="Places occupées",
        min_value=0,
        max_value=999,
        required=False,
        help_text="Laissez vide pour garder le nombre tenu par la plateforme.",
    )


class BreakGlassForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de l'urgence",
        help_text="Obligatoire : l'accès est limité dans le temps, inscrit au journal et signalé à la Miprof.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class MinorProtectionForm(ConsentOverrideFields, DsfrBaseForm):
    crip = forms.ModelChoiceField(
        label="ASE / CRIP du département",
        queryset=Organisation.objects.filter(kind=OrganisationKind.DEPARTEMENT_COUNCIL, is_active=True),
        to_field_name="public_id",
        required=False,
    )
    referred_to_ase_on = forms.DateField(label="Orienté vers l'ASE le", widget=DATE, required=False)
    juge_des_enfants_informed_on = forms.DateField(label="Juge des enfants informé·e le", widget=DATE, required=False)
    procureur_informed_on = forms.DateField(label="Procureur·e informé·e le", widget=DATE, required=False)
    ad_hoc_administrator = forms.CharField(
        label="Administrateur·rice ad hoc (mineur non accompagné)", max_length=200, required=False
    )
    ad_hoc_appointed_on = forms.DateField(label="Désigné·e le", widget=DATE, required=False)


def _place_field_name(kind):
    return f"places_{kind}"


def _coordinate_field(label, example):
    return forms.DecimalField(
        label=label,
        help_text=f"En degrés décimaux, par exemple {example}.",
        max_digits=8,
        decimal_places=5,
        required=False,
    )


class ShelterProfileForm(DsfrBaseForm):
    """Le profil que la structure tient elle-même ; les règles sont dans `update_shelter_profile`."""

    women_only = forms.BooleanField(label="Femmes uniquement", required=False)
    accepts_children = forms.BooleanField(label="Accueil avec enfants", required=False)
    accepts_minors = forms.BooleanField(label="Accueil de mineurs", required=False)
    accepts_pregnancy = forms.BooleanField(label="Accueil de femmes enceintes", required=False)
    is_accessible = forms.BooleanField(label="Accessible aux personnes à mobilité réduite", required=False)
    languages = forms.MultipleChoiceField(
        label="Langues parlées", choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    exploitation_forms = forms.ModelMultipleChoiceField(
        label="Formes d'exploitation accueillies",
        help_text="Aucune cochée : toutes.",
        queryset=reference_values(ReferenceCategory.EXPLOITATION_FORM),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commune = forms.CharField(
        label="Commune",
        help_text="La commune seulement : elle distingue votre lieu des homonymes. L'adresse reste scellée.",
        max_length=100,
        required=False,
    )
    operator_name = forms.CharField(label="Organisme gestionnaire", max_length=200, required=False)
    latitude = _coordinate_field("Latitude", "48.85341")
    longitude = _coordinate_field("Longitude", "2.34880")
    sealed_address = forms.CharField(
        label="Adresse du lieu d'hébergement (scellée)",
        help_text="Visible seulement de votre structure et de la coordination Ac.Sé.",
        max_length=300,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in PlaceKind.choices:
            self.fields[_place_field_name(kind)] = forms.IntegerField(
                label=f"Places proposées : {label.lower()}",
                help_text="Vide ou 0 : ce type de places n'est pas proposé.",
                min_value=0,
                max_value=999,
                required=False,
            )

    @staticmethod
    def initial_for(profile):
        initial = {name: getattr(profile, name) for name in SHELTER_PROFILE_FIELDS}
        initial["exploitation_forms"] = list(profile.exploitation_forms.all())
        for capacity in profile.capacities.all():
            initial[_place_field_name(capacity.place_kind)] = capacity.declared
        return initial

    def service_fields(self):
        data = dict(self.cleaned_data)
        data["places"] = {kind: data.pop(_place_field_name(kind)) or 0 for kind in PlaceKind.values}
        return data


class ShelterCreateForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label="Structure d'hébergement",
        help_text="Les structures d'hébergement de l'annuaire qui n'ont pas encore de profil.",
        queryset=Organisation.objects.filter(kind=OrganisationKind.SHELTER, shelter_profile__isnull=True).order_by(
            "name"
        ),
        to_field_name="public_id",
    )
    departement = TerritoryChoiceField(label="Département du lieu d'hébergement", queryset=Territory.objects.all())
    is_acse_partner = forms.BooleanField(label="Partenaire du dispositif Ac.Sé", required=False)
