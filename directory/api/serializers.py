"""Sérialiseurs de l'API de l'annuaire (lecture seule) : une fiche telle que la page la montre aux professionnels,
et les critères de la recherche de la page."""

from rest_framework import serializers

from accounts.api.fields import CodeField, LabelField
from referents.enums import Language, ReferentCategory, Speciality, Theme
from referents.models import DirectoryEntry, Territory


class DirectoryEntrySerializer(serializers.ModelSerializer):
    """Une fiche de l'annuaire, telle que la page d'une fiche la montre aux professionnels."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public de la fiche.")
    organisation = serializers.CharField(source="organisation.name", read_only=True, help_text="L'organisation.")
    category_label = LabelField(
        labels=dict(ReferentCategory.choices), source="category", read_only=True, help_text="Catégorie."
    )
    main_territory = serializers.CharField(
        source="main_territory_code", read_only=True, help_text="Code INSEE du territoire principal."
    )
    territories = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes INSEE des territoires couverts."
    )

    class Meta:
        model = DirectoryEntry
        fields = [
            "id",
            "organisation",
            "category",
            "category_label",
            "title",
            "description",
            "themes",
            "specialities",
            "languages",
            "main_territory",
            "territories",
            "public_email",
            "public_phone",
            "public_address",
            "public_hours",
            "restricted_email",
            "restricted_phone",
            "holder_name",
            "holder_email",
            "holder_phone",
            "deputy_name",
            "deputy_email",
            "deputy_phone",
            "on_call_phone",
            "last_verified_on",
        ]


class DirectorySearchSerializer(serializers.Serializer):
    """Les critères de recherche (paramètres de la requête), ceux du formulaire de la page."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Texte libre : nom, organisation, fonction, thème."
    )
    territory = CodeField(
        queryset=Territory.objects.all(),
        required=False,
        unknown_message="Le code INSEE « {value} » ne désigne aucun département ni collectivité d'outre-mer.",
        help_text="Code INSEE d'un territoire couvert (75, 2A, 971…).",
    )
    category = serializers.ChoiceField(choices=ReferentCategory.choices, required=False, help_text="Catégorie.")
    theme = serializers.ChoiceField(choices=Theme.choices, required=False, help_text="Thématique.")
    speciality = serializers.ChoiceField(choices=Speciality.choices, required=False, help_text="Spécialité.")
    language = serializers.ChoiceField(choices=Language.choices, required=False, help_text="Langue parlée.")
