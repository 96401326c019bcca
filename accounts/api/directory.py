"""L'annuaire en lecture seule pour les systèmes partenaires et les professionnels : la même portée
(`DirectoryEntry.objects.visible_to`), le même droit (`can_search_directory`), la même recherche
(`referents.search.search_entries`) que la page `/annuaire/recherche/`, et la même ligne au journal d'accès."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView

from accounts.api.fields import CodeField
from accounts.audit import log_access
from accounts.models import AccessAction
from referents.enums import Language, ReferentCategory, Speciality, Theme
from referents.models import DirectoryEntry, Territory
from referents.permissions import can_search_directory
from referents.search import search_entries

PROFESSIONALS_ONLY = "L'annuaire des professionnels est réservé aux personnes membres d'une organisation."


class DirectoryEntrySerializer(serializers.ModelSerializer):
    """Une fiche de l'annuaire, telle que la page d'une fiche la montre aux professionnels."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="Identifiant public de la fiche.")
    organisation = serializers.CharField(source="organisation.name", read_only=True, help_text="L'organisation.")
    category_label = serializers.CharField(source="get_category_display", read_only=True, help_text="Catégorie.")
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


class DirectoryEntryListApiView(GenericAPIView):
    serializer_class = DirectoryEntrySerializer
    queryset = DirectoryEntry.objects.none()  # pour le schéma ; les lectures passent par `visible_to`
    ordering = ("main_territory_code", "title", "id")

    @extend_schema(
        tags=["Annuaire"],
        operation_id="directory_entries_list",
        summary="Rechercher dans l'annuaire",
        description="Les fiches de l'annuaire territorialisé que vous voyez, filtrées comme sur la page de "
        "recherche, triées par territoire principal puis intitulé ; pagination par curseur. Lecture seule.",
        parameters=[DirectorySearchSerializer],
        responses=DirectoryEntrySerializer(many=True),
    )
    def get(self, request):
        if not can_search_directory(request.user):
            raise PermissionDenied(PROFESSIONALS_ONLY)
        criteria = DirectorySearchSerializer(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        entries = (
            search_entries(DirectoryEntry.objects.visible_to(request.user), ranked=False, **criteria.validated_data)
            .select_related("organisation")
            .prefetch_related("territories")
        )
        page = self.paginate_queryset(entries)
        log_access(request, action=AccessAction.SEARCH, model=DirectoryEntry)
        return self.get_paginated_response(DirectoryEntrySerializer(page, many=True).data)
