"""Formulaires de l'hébergement et de l'orientation : la forme des saisies seulement ; les règles sont dans les
services (`orientation.services.shelters`, `referrals`, `break_glass`)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from orientation.enums import PlaceKind
from orientation.forms import reference_values
from orientation.models import ShelterProfile
from referents.enums import OrganisationKind
from referents.models import Organisation
from signalements.enums import ReferenceCategory

DATE = forms.DateInput(attrs={"type": "date"})


class ReferralRequestForm(DsfrBaseForm):
    shelter = forms.ModelChoiceField(
        label="Structure",
        queryset=ShelterProfile.objects.select_related("organisation"),
        to_field_name="public_id",
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


class DispatchForm(DsfrBaseForm):
    shelter = forms.ModelChoiceField(
        label="Structure partenaire",
        queryset=ShelterProfile.objects.filter(is_acse_partner=True).select_related("organisation"),
        to_field_name="public_id",
    )


class RefusalForm(DsfrBaseForm):
    reason = forms.ModelChoiceField(
        label="Motif du refus", queryset=reference_values(ReferenceCategory.REFERRAL_REFUSAL_REASON), required=False
    )


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


class MinorProtectionForm(DsfrBaseForm):
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
