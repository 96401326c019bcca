"""L'annuaire en lecture seule pour les systèmes partenaires et les professionnels : la même portée
(`DirectoryEntry.objects.visible_to`), le même droit (`can_search_directory`), la même recherche
(`directory.search.search_entries`) que la page `/annuaire/recherche/`, et la même ligne au journal d'accès."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView

from accounts.audit import log_access
from accounts.models import AccessAction
from directory.api.serializers import DirectoryEntrySerializer, DirectorySearchSerializer
from directory.permissions import can_search_directory
from directory.search import search_entries
from referents.models import DirectoryEntry

PROFESSIONALS_ONLY = "L'annuaire des professionnels est réservé aux personnes membres d'une organisation."


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
