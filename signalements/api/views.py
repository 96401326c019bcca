"""L'API des signalements pour les systèmes partenaires : créer un brouillon, le modifier, le déposer, suivre son
état. Vues minces : la portée vient de `visible_to`, les règles des services, les erreurs de `accounts.api.errors`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.authentication import ApiTokenAuthentication
from accounts.api.errors import api_exception_handler
from accounts.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from accounts.api.idempotency import REPLAYED_HEADER, idempotent
from accounts.audit import log_access
from accounts.models import AccessAction
from signalements.api.serializers import (
    DetailSerializer,
    ErrorsSerializer,
    SignalementInputSerializer,
    SignalementSerializer,
    SignalementSummarySerializer,
    with_codes,
)
from signalements.models import Signalement
from signalements.services.drafts import create_draft, submit_signalement
from signalements.services.drafts import update_draft as update_draft_service

TAG = "Signalements"
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Clé choisie par le partenaire (255 caractères au plus, un UUID par exemple). Une requête rejouée "
    "avec la même clé et le même corps reçoit la réponse déjà donnée, avec l'en-tête "
    f"`{REPLAYED_HEADER}: true`, sans nouvelle écriture. La même clé avec un autre corps : erreur 422.",
)
COMMON_ERRORS = {
    401: OpenApiResponse(DetailSerializer, description="Jeton absent, invalide ou révoqué."),
    403: OpenApiResponse(DetailSerializer, description="Action non permise à l'organisation du jeton."),
}
NOT_FOUND = {404: OpenApiResponse(DetailSerializer, description="Signalement inconnu ou hors de portée du jeton.")}
INVALID = {400: OpenApiResponse(ErrorsSerializer, description="Erreurs de validation, par champ, en français.")}
KEY_REUSED = {
    422: OpenApiResponse(ErrorsSerializer, description="Clé d'idempotence déjà utilisée avec un autre corps.")
}


def visible_signalements(user):
    """Les signalements que le jeton voit, avec tout ce que le détail lit (le nombre de requêtes ne varie pas)."""
    return with_codes(Signalement.objects.visible_to(user))


def signalement_response(request, signalement, status_code=status.HTTP_200_OK):
    """Le signalement relu après une écriture, tel que le détail le montre."""
    signalement = visible_signalements(request.user).get(pk=signalement.pk)
    return Response(SignalementSerializer(signalement).data, status=status_code)


class SignalementCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    invalid_cursor_message = "Curseur de pagination invalide."


class SignalementApiView(GenericAPIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]
    #: Pour le schéma seulement : les lectures passent par `visible_signalements(user)`.
    queryset = Signalement.objects.none()

    def get_exception_handler(self):
        return api_exception_handler

    def get_signalement(self):
        return get_object_or_404(visible_signalements(self.request.user), public_id=self.kwargs["public_id"])


class SignalementListCreateView(SignalementApiView):
    pagination_class = SignalementCursorPagination
    serializer_class = SignalementSummarySerializer

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_lister",
        summary="Lister les signalements",
        description="Les signalements de l'organisation du jeton, du plus récent au plus ancien, par pages "
        "(pagination par curseur : suivre le lien `next`).",
        responses={200: SignalementSummarySerializer(many=True), **COMMON_ERRORS},
    )
    def get(self, request):
        queryset = Signalement.objects.visible_to(request.user)
        page = self.paginate_queryset(queryset)
        log_access(request, action=AccessAction.SEARCH, model=Signalement)
        return self.get_paginated_response(SignalementSummarySerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_creer_brouillon",
        summary="Créer un brouillon de signalement",
        description="Crée un brouillon au nom de l'organisation du jeton. Tous les champs sont facultatifs à ce "
        "stade ; les listes de référence s'indiquent par leur `code`, les départements par leur code INSEE.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=SignalementInputSerializer,
        responses={201: SignalementSerializer, **INVALID, **COMMON_ERRORS, **KEY_REUSED},
    )
    @idempotent
    def post(self, request):
        serializer = SignalementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signalement = create_draft(
            organisation=request.user.membership.organisation, by=request.user, **serializer.validated_data
        )
        log_access(request, action=AccessAction.CREATE, obj=signalement)
        response = signalement_response(request, signalement, status.HTTP_201_CREATED)
        response["Location"] = f"{request.path}{signalement.public_id}/"
        return response


class SignalementDetailView(SignalementApiView):
    serializer_class = SignalementSerializer

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_consulter",
        summary="Consulter un signalement",
        description="L'état, la référence (après le dépôt) et le contenu d'un signalement de l'organisation.",
        responses={200: SignalementSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, public_id):
        signalement = self.get_signalement()
        log_access(request, action=AccessAction.READ, obj=signalement)
        return Response(SignalementSerializer(signalement).data)

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_modifier_brouillon",
        summary="Modifier un brouillon",
        description="Modifie les champs envoyés, et eux seuls. Un signalement déposé ne se modifie plus : erreur 400.",
        request=SignalementInputSerializer,
        responses={200: SignalementSerializer, **INVALID, **COMMON_ERRORS, **NOT_FOUND},
    )
    def patch(self, request, public_id):
        signalement = self.get_signalement()
        serializer = SignalementInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        signalement = update_draft_service(signalement=signalement, by=request.user, **serializer.validated_data)
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return signalement_response(request, signalement)


class SignalementSubmitView(SignalementApiView):
    serializer_class = SignalementSerializer

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_deposer",
        summary="Déposer un signalement",
        description="Dépose le brouillon auprès de la Miprof : mêmes règles de complétude que le formulaire. "
        "Le signalement reçoit sa référence et son contenu est figé.",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=None,
        responses={200: SignalementSerializer, **INVALID, **COMMON_ERRORS, **NOT_FOUND, **KEY_REUSED},
    )
    @idempotent
    def post(self, request, public_id):
        signalement = submit_signalement(signalement=self.get_signalement(), by=request.user)
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return signalement_response(request, signalement)
