"""L'API des signalements pour les systèmes partenaires : créer un brouillon, le modifier, le déposer, suivre son
état. Vues minces : la portée vient de `visible_to`, les règles des services ; authentification, erreurs (RFC 9457) et
pagination sont celles de toute l'API (`REST_FRAMEWORK`, `accounts/api/`)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.api.idempotency import idempotent
from accounts.audit import log_access
from accounts.models import AccessAction
from signalements.api.serializers import (
    AnonymousNotificationInputSerializer,
    AnonymousNotificationSerializer,
    SignalementInputSerializer,
    SignalementSerializer,
    SignalementSummarySerializer,
    carry_read_data,
    codes_from_values,
    with_codes,
)
from signalements.models import AnonymousNotification, Signalement
from signalements.permissions import in_scope
from signalements.services.anonymous_notifications import file_anonymous_notification
from signalements.services.drafts import create_draft, submit_signalement
from signalements.services.drafts import update_draft as update_draft_service

TAG = "Signalements"


def visible_signalements(user):
    """Les signalements que le jeton voit, avec tout ce que le détail lit (le nombre de requêtes ne varie pas)."""
    return with_codes(Signalement.objects.visible_to(user))


def signalement_response(request, signalement, status_code=status.HTTP_200_OK):
    """Le signalement relu après une écriture, tel que le détail le montre."""
    signalement = in_scope(visible_signalements(request.user).get(pk=signalement.pk), request.user)
    return Response(SignalementSerializer(signalement, context={"request": request}).data, status=status_code)


def written_response(request, signalement, status_code=status.HTTP_200_OK):
    """Le signalement que le service vient d'écrire pour la personne (donc dans sa portée), sérialisé sans le relire :
    ses codes et ses lignes liées ont été posés par `codes_from_values` ou `carry_read_data`."""
    signalement = in_scope(signalement, request.user)
    return Response(SignalementSerializer(signalement, context={"request": request}).data, status=status_code)


class SignalementApiView(GenericAPIView):
    #: Pour le schéma seulement : les lectures passent par `visible_signalements(user)`.
    queryset = Signalement.objects.none()

    def get_signalement(self):
        user = self.request.user
        return in_scope(get_object_or_404(visible_signalements(user), public_id=self.kwargs["public_id"]), user)


class SignalementListCreateView(SignalementApiView):
    serializer_class = SignalementSummarySerializer

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_list",
        summary="Lister les signalements",
        description="Les signalements de l'organisation du jeton, du plus récent au plus ancien, par pages "
        "(pagination par curseur : suivre le lien `next`).",
        responses={200: SignalementSummarySerializer(many=True)},
    )
    def get(self, request):
        queryset = Signalement.objects.visible_to(request.user)
        page = self.paginate_queryset(queryset)
        log_access(request, action=AccessAction.SEARCH, model=Signalement)
        return self.get_paginated_response(SignalementSummarySerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_create",
        summary="Créer un brouillon de signalement",
        description="Crée un brouillon au nom de l'organisation du jeton. Tous les champs sont facultatifs à ce "
        "stade ; les listes de référence s'indiquent par leur `code`, les départements par leur code INSEE.",
        request=SignalementInputSerializer,
        responses={201: SignalementSerializer},
    )
    @idempotent
    def post(self, request):
        serializer = SignalementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signalement = create_draft(
            organisation=request.user.membership.organisation, by=request.user, **serializer.validated_data
        )
        log_access(request, action=AccessAction.CREATE, obj=signalement)
        codes_from_values(signalement, serializer.validated_data)
        response = written_response(request, signalement, status.HTTP_201_CREATED)
        response["Location"] = f"{request.path}{signalement.public_id}/"
        return response


class SignalementDetailView(SignalementApiView):
    serializer_class = SignalementSerializer

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_retrieve",
        summary="Consulter un signalement",
        description="L'état, la référence (après le dépôt) et le contenu d'un signalement de l'organisation.",
        responses={200: SignalementSerializer},
    )
    def get(self, request, public_id):
        signalement = self.get_signalement()
        log_access(request, action=AccessAction.READ, obj=signalement)
        return Response(SignalementSerializer(signalement, context={"request": request}).data)

    @extend_schema(
        tags=[TAG],
        operation_id="signalements_partial_update",
        summary="Modifier un brouillon",
        description="Modifie les champs envoyés, et eux seuls. Un signalement déposé ne se modifie plus : erreur 400.",
        request=SignalementInputSerializer,
        responses={200: SignalementSerializer},
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
        operation_id="signalements_submit",
        summary="Déposer un signalement",
        description="Dépose le brouillon auprès de la Miprof : mêmes règles de complétude que le formulaire. "
        "Le signalement reçoit sa référence et son contenu est figé.",
        request=None,
        responses={200: SignalementSerializer},
    )
    @idempotent
    def post(self, request, public_id):
        read = self.get_signalement()
        signalement = submit_signalement(signalement=read, by=request.user)
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return written_response(request, carry_read_data(signalement, read))


NOTIFICATION_TAG = "Notifications statistiques anonymes"


class AnonymousNotificationListCreateView(GenericAPIView):
    serializer_class = AnonymousNotificationSerializer
    #: Pour le schéma seulement : les lectures passent par `AnonymousNotification.objects.visible_to(user)`.
    queryset = AnonymousNotification.objects.none()

    @extend_schema(
        tags=[NOTIFICATION_TAG],
        operation_id="anonymous_notifications_list",
        summary="Lister les notifications statistiques anonymes",
        description="Les notifications de l'organisation du jeton, de la plus récente à la plus ancienne.",
        responses={200: AnonymousNotificationSerializer(many=True)},
    )
    def get(self, request):
        queryset = (
            AnonymousNotification.objects.visible_to(request.user)
            .select_related("departement", "identifying_body")
            .prefetch_related("exploitation_forms")
        )
        page = self.paginate_queryset(queryset)
        log_access(request, action=AccessAction.SEARCH, model=AnonymousNotification)
        return self.get_paginated_response(AnonymousNotificationSerializer(page, many=True).data)

    @extend_schema(
        tags=[NOTIFICATION_TAG],
        operation_id="anonymous_notifications_create",
        summary="Faire une notification statistique anonyme",
        description="Quand une personne majeure refuse son consentement : la compte dans les statistiques sans "
        "l'identifier. Aucun champ d'identité n'est accepté ; la notification n'est jamais instruite.",
        request=AnonymousNotificationInputSerializer,
        responses={201: AnonymousNotificationSerializer},
    )
    @idempotent
    def post(self, request):
        serializer = AnonymousNotificationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notification = file_anonymous_notification(by=request.user, **serializer.validated_data)
        log_access(request, action=AccessAction.CREATE, obj=notification)
        response = Response(AnonymousNotificationSerializer(notification).data, status=status.HTTP_201_CREATED)
        response["Location"] = f"{request.path}{notification.public_id}/"
        return response


class AnonymousNotificationDetailView(GenericAPIView):
    serializer_class = AnonymousNotificationSerializer
    queryset = AnonymousNotification.objects.none()

    @extend_schema(
        tags=[NOTIFICATION_TAG],
        operation_id="anonymous_notifications_retrieve",
        summary="Consulter une notification statistique anonyme",
        description="Une notification de l'organisation du jeton (la Miprof les lit toutes) : des catégories, "
        "jamais d'identité.",
        responses={200: AnonymousNotificationSerializer},
    )
    def get(self, request, public_id):
        notification = get_object_or_404(
            AnonymousNotification.objects.visible_to(request.user)
            .select_related("departement", "identifying_body")
            .prefetch_related("exploitation_forms"),
            public_id=public_id,
        )
        log_access(request, action=AccessAction.READ, obj=notification)
        return Response(AnonymousNotificationSerializer(notification).data)
