"""API de l'orientation : files, dossier et ses actions, mesures du parcours, orientations vers un hébergement, places
d'une structure. Les mêmes lectures (`visible_to`), les mêmes prédicats et les mêmes services que les pages ; les
sérialiseurs d'entrée valident la forme ; chaque lecture et chaque écriture est inscrite au journal d'accès.
Authentification, erreurs (RFC 9457) et pagination : celles de toute l'API (`REST_FRAMEWORK`, `accounts/api/`)."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.api.idempotency import idempotent
from accounts.api.pagination import CursorPagination
from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.roles import current_membership
from orientation import attachments as attachment_files
from orientation import queues
from orientation.api.serializers import (
    ACTION_INPUTS,
    CaseAttachmentInputSerializer,
    CaseAttachmentSerializer,
    DistancingWaiverInputSerializer,
    DistancingWaiverRejectInputSerializer,
    MeasureCreateInputSerializer,
    MeasureSerializer,
    MeasureStatusInputSerializer,
    OrientationCaseSerializer,
    OrientationQueueItemSerializer,
    ProcedureInputSerializer,
    ProcedureSerializer,
    QueueFilterSerializer,
    ReferralAcseRefuseInputSerializer,
    ReferralAnswerInputSerializer,
    ReferralCreateInputSerializer,
    ReferralDepartureInputSerializer,
    ReferralDispatchInputSerializer,
    ReferralRefuseInputSerializer,
    ReferralReturnInputSerializer,
    ReferralSerializer,
    ShelterCapacityInputSerializer,
    ShelterCapacitySerializer,
)
from orientation.case_actions import ACTIONS
from orientation.models import CaseAttachment, Clock, Decision, Measure, Procedure, Referral
from orientation.permissions import (
    can_add_attachment,
    can_edit_procedure,
    can_read_attachments,
    can_record_measure,
    is_miprof,
    is_validator,
)
from orientation.services import attachments, exits, measures, procedures, referrals, shelters
from signalements import lifecycle
from signalements.models import Signalement

TAG = "Instruction et validation"
JOURNEY_TAG = "Parcours : mesures"
JUSTICE_TAG = "Procédures judiciaires"
DOCUMENTS_TAG = "Documents du dossier"
REFERRAL_TAG = "Orientations vers un hébergement"
SHELTER_TAG = "Places d'hébergement"
NOT_YOUR_QUEUE = "Cette file n'est pas la vôtre."
MIPROF_QUEUE_STATUSES = lifecycle.FILED
DEPARTMENTAL_QUEUE_STATUSES = lifecycle.DEPARTMENTAL
ACTION_DENIED = "Cette action ne vous est pas ouverte."


def case_in_scope(user, public_id):
    """Le dossier, s'il est dans la portée de la personne (404 sinon), sans ce que seul son détail lit."""
    return get_object_or_404(Signalement.objects.visible_to(user), public_id=public_id)


def visible_case(user, public_id):
    """Le dossier et ce que son détail montre (délais, décisions, mesures urgentes), en un nombre fixe de requêtes."""
    queryset = (
        Signalement.objects.visible_to(user)
        .select_related("departement", "competent_departement")
        .prefetch_related(
            Prefetch("clocks", queryset=Clock.objects.select_related("territory")),
            Prefetch("decisions", queryset=Decision.objects.select_related("departement", "reason", "redirected_to")),
            "urgent_measures",
        )
    )
    return get_object_or_404(queryset, public_id=public_id)


# --- Files ---------------------------------------------------------------------------------------------------------


class QueuePagination(CursorPagination):
    """La pagination des files : le curseur keyset de `orientation.queues` (urgents d'abord, puis les plus anciens),
    rendu sous la même forme que toutes les listes de l'API (`next`, `previous`, `results`)."""

    def paginate_queue(self, queryset, request):
        self.request = request
        self.page_size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor and queues.decode_cursor(cursor) is None:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        rows, self.next_cursor = queues.page(queryset, cursor=cursor, size=self.page_size)
        return rows

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_previous_link(self):
        return None


class _QueueView(GenericAPIView):
    queue = "miprof"
    pagination_class = QueuePagination
    serializer_class = OrientationQueueItemSerializer
    queryset = Signalement.objects.none()  # pour le schéma ; les lectures passent par `visible_to`

    def allowed(self, user):
        return is_miprof(user)

    def get(self, request):
        if not self.allowed(request.user):
            raise PermissionDenied(NOT_YOUR_QUEUE)
        if self.queue == "miprof":
            statuses, defaults, departements = MIPROF_QUEUE_STATUSES, lifecycle.OPEN, None
        else:
            statuses, defaults = DEPARTMENTAL_QUEUE_STATUSES, lifecycle.DEPARTMENTAL_QUEUE_DEFAULT
            departements = current_membership(request.user).departements.all()
        filters = QueueFilterSerializer(
            data=request.query_params, statuses=statuses, departements=departements, with_agent=self.queue == "miprof"
        )
        filters.is_valid(raise_exception=True)
        base = queues.filter_queue(Signalement.objects.visible_to(request.user), filters.queue_filters(), defaults)
        rows = self.paginator.paginate_queue(base, request)
        log_access(request, action=AccessAction.SEARCH, model=Signalement)
        return self.get_paginated_response(OrientationQueueItemSerializer(rows, many=True).data)


class MiprofQueueApiView(_QueueView):
    @extend_schema(
        tags=[TAG],
        operation_id="queues_miprof_list",
        summary="File de la Miprof",
        description="Les signalements déposés, urgents d'abord, puis les plus anciens ; pagination par curseur.",
        parameters=[QueueFilterSerializer(statuses=MIPROF_QUEUE_STATUSES, with_agent=True)],
        responses=OrientationQueueItemSerializer(many=True),
    )
    def get(self, request):
        return super().get(request)


class DepartementQueueApiView(_QueueView):
    queue = "departement"

    def allowed(self, user):
        return is_validator(user)

    @extend_schema(
        tags=[TAG],
        operation_id="queues_departement_list",
        summary="File du département",
        description="Les signalements transmis aux départements de la personne valideuse ; pagination par curseur.",
        parameters=[QueueFilterSerializer(statuses=DEPARTMENTAL_QUEUE_STATUSES, with_agent=False)],
        responses=OrientationQueueItemSerializer(many=True),
    )
    def get(self, request):
        return super().get(request)


# --- Dossier et actions ------------------------------------------------------------------------------------------


class CaseApiView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="cases_retrieve",
        summary="Dossier : état, délais, décisions, mesures urgentes",
        description="Le dossier vu par la Miprof, l'autorité départementale ou l'organisation déclarante ; hors de "
        "votre périmètre : 404.",
        responses=OrientationCaseSerializer,
    )
    def get(self, request, public_id):
        signalement = visible_case(request.user, public_id)
        log_access(request, action=AccessAction.READ, obj=signalement)
        return Response(OrientationCaseSerializer(signalement).data)


def make_action_view(slug):
    action = ACTIONS[slug]
    input_serializer, verb = ACTION_INPUTS[slug]

    class CaseActionApiView(APIView):
        @extend_schema(
            tags=[TAG],
            operation_id=f"cases_{verb}",
            summary=action.title,
            description=f"{action.title} : mêmes règles que sur la page du dossier. Transition refusée : 400 avec "
            "le motif en français ; action non ouverte à votre rôle : 403 ; dossier hors de votre périmètre : 404.",
            request=input_serializer,
            responses={200: OrientationCaseSerializer},
        )
        @idempotent
        def post(self, request, public_id):
            signalement = visible_case(request.user, public_id)
            if not action.allowed(request.user, signalement):
                raise PermissionDenied(ACTION_DENIED)
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            action.run(signalement, serializer.validated_data, request.user)
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            return Response(OrientationCaseSerializer(visible_case(request.user, public_id)).data)

    CaseActionApiView.__name__ = f"Case{verb.title().replace('_', '')}ApiView"
    return CaseActionApiView.as_view()


# --- Mesures du parcours -------------------------------------------------------------------------------------------


class MeasureListCreateApiView(GenericAPIView):
    serializer_class = MeasureSerializer
    queryset = Measure.objects.none()  # pour le schéma ; les lectures partent du dossier visible
    ordering = ("-recorded_at", "-id")

    @extend_schema(
        tags=[JOURNEY_TAG],
        operation_id="measures_list",
        summary="Mesures d'un dossier",
        description="Les mesures du parcours de la victime, de la plus récente à la plus ancienne.",
        responses=MeasureSerializer(many=True),
    )
    def get(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        page = self.paginate_queryset(
            signalement.measures.select_related("operator", "proposed_by", "signalement__organisation")
        )
        log_access(request, action=AccessAction.READ, obj=signalement)
        return self.get_paginated_response(MeasureSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=[JOURNEY_TAG],
        operation_id="measures_create",
        summary="Proposer ou demander une mesure",
        description="Mêmes règles de droit que sur la page du dossier (domaine §11.4), messages en français par "
        "champ ; dossier validé ou en suivi ; l'organisation déclarante, la Miprof et l'autorité du département.",
        request=MeasureCreateInputSerializer,
        responses={201: MeasureSerializer},
    )
    @idempotent
    def post(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        if not can_record_measure(request.user, signalement):
            raise PermissionDenied(ACTION_DENIED)
        serializer = MeasureCreateInputSerializer(data=request.data, signalement=signalement)
        serializer.is_valid(raise_exception=True)
        measure = measures.record_measure(signalement=signalement, by=request.user, **serializer.validated_data)
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return Response(MeasureSerializer(measure, context={"request": request}).data, status=status.HTTP_201_CREATED)


class MeasureStatusApiView(APIView):
    @extend_schema(
        tags=[JOURNEY_TAG],
        operation_id="measures_change_status",
        summary="Faire évoluer une mesure",
        description="Proposée → demandée → accordée / refusée / sans suite → en cours → terminée ; règles de droit "
        "revérifiées à l'octroi, dates légales calculées.",
        request=MeasureStatusInputSerializer,
        responses={200: MeasureSerializer},
    )
    @idempotent
    def post(self, request, public_id, measure_id):
        signalement = case_in_scope(request.user, public_id)
        measure = measures.visible_measure(signalement, measure_id)
        if measure is None:
            raise Http404
        if not can_record_measure(request.user, signalement):
            raise PermissionDenied(ACTION_DENIED)
        serializer = MeasureStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measure = measures.change_measure_status(measure=measure, by=request.user, **serializer.service_arguments())
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return Response(MeasureSerializer(measure, context={"request": request}).data)


# --- Procédures judiciaires ----------------------------------------------------------------------------------------


class ProcedureListCreateApiView(GenericAPIView):
    serializer_class = ProcedureSerializer
    queryset = Procedure.objects.none()  # pour le schéma ; les lectures partent du dossier visible
    ordering = ("-recorded_at", "-id")

    @extend_schema(
        tags=[JUSTICE_TAG],
        operation_id="procedures_list",
        summary="Procédures judiciaires d'un dossier",
        description="Service enquêteur ou juridiction, référence, partie civile, stade, indemnisation ; pour qui "
        "voit le dossier.",
        responses=ProcedureSerializer(many=True),
    )
    def get(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        page = self.paginate_queryset(signalement.procedures.select_related("authority_entry__organisation"))
        log_access(request, action=AccessAction.READ, obj=signalement)
        return self.get_paginated_response(ProcedureSerializer(page, many=True).data)

    @extend_schema(
        tags=[JUSTICE_TAG],
        operation_id="procedures_create",
        summary="Enregistrer une procédure judiciaire",
        description="Mêmes règles que sur la page du dossier, messages en français par champ ; l'organisation "
        "déclarante, la Miprof et le parquet qui voit le dossier. L'indemnisation met à jour le suivi statistique.",
        request=ProcedureInputSerializer,
        responses={201: ProcedureSerializer},
    )
    @idempotent
    def post(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        if not can_edit_procedure(request.user, signalement):
            raise PermissionDenied(ACTION_DENIED)
        serializer = ProcedureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        procedure = procedures.record_procedure(signalement=signalement, by=request.user, **serializer.validated_data)
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return Response(ProcedureSerializer(procedure).data, status=status.HTTP_201_CREATED)


class CaseAttachmentListCreateApiView(GenericAPIView):
    serializer_class = CaseAttachmentSerializer
    queryset = CaseAttachment.objects.none()  # pour le schéma ; les lectures partent du dossier visible
    ordering = ("-uploaded_at", "-id")
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[DOCUMENTS_TAG],
        operation_id="documents_list",
        summary="Documents joints à un dossier",
        description="Type, empreinte et analyse antivirus de chaque document, sans son contenu ; pour l'organisation "
        "déclarante, la Miprof, le parquet qui voit le dossier et l'autorité départementale qui en décide.",
        responses=CaseAttachmentSerializer(many=True),
    )
    def get(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        if not can_read_attachments(request.user, signalement):
            raise PermissionDenied(ACTION_DENIED)
        queryset = CaseAttachment.objects.visible_to(request.user).filter(signalement=signalement)
        page = self.paginate_queryset(queryset.select_related("uploaded_by_organisation"))
        log_access(request, action=AccessAction.READ, obj=signalement)
        return self.get_paginated_response(CaseAttachmentSerializer(page, many=True).data)

    @extend_schema(
        tags=[DOCUMENTS_TAG],
        operation_id="documents_create",
        summary="Joindre un document au dossier",
        description="multipart/form-data : `kind` et `file`. PDF, JPEG ou PNG reconnus par leur contenu, taille "
        "limitée ; le document est « analyse en cours » jusqu'au verdict de l'antivirus. L'organisation déclarante, "
        "la Miprof et le parquet qui voit le dossier.",
        request={"multipart/form-data": CaseAttachmentInputSerializer},
        responses={201: CaseAttachmentSerializer},
    )
    def post(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        if not can_add_attachment(request.user, signalement):
            raise PermissionDenied(ACTION_DENIED)
        serializer = CaseAttachmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = attachments.attach_document(
            signalement=signalement,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            by=request.user,
        )
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return Response(CaseAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class CaseAttachmentContentApiView(APIView):
    @extend_schema(
        tags=[DOCUMENTS_TAG],
        operation_id="documents_content",
        summary="Contenu d'un document sain",
        description="Le fichier, en pièce jointe (`Content-Disposition: attachment`, `X-Content-Type-Options: "
        "nosniff`) ; 404 hors de portée, ou tant que l'antivirus ne l'a pas déclaré sain. Chaque téléchargement est "
        "inscrit au journal d'accès.",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, public_id, attachment_id):
        signalement = case_in_scope(request.user, public_id)
        attachment = attachments.visible_attachment(request.user, signalement, attachment_id)
        if attachment is None:
            raise Http404
        if not can_read_attachments(request.user, signalement):
            raise PermissionDenied(ACTION_DENIED)
        if not attachment.is_downloadable:
            raise Http404
        response = attachment_files.download_response(attachment)
        log_access(request, action=AccessAction.READ, obj=attachment)
        return response


class ProcedureApiView(APIView):
    def _procedure(self, request, public_id, procedure_id):
        signalement = case_in_scope(request.user, public_id)
        procedure = procedures.visible_procedure(signalement, procedure_id)
        if procedure is None:
            raise Http404
        return signalement, procedure

    @extend_schema(
        tags=[JUSTICE_TAG],
        operation_id="procedures_retrieve",
        summary="Une procédure judiciaire",
        description="La procédure, pour qui voit le dossier ; 404 hors de portée.",
        responses=ProcedureSerializer,
    )
    def get(self, request, public_id, procedure_id):
        signalement, procedure = self._procedure(request, public_id, procedure_id)
        log_access(request, action=AccessAction.READ, obj=signalement)
        return Response(ProcedureSerializer(procedure).data)

    @extend_schema(
        tags=[JUSTICE_TAG],
        operation_id="procedures_partial_update",
        summary="Mettre à jour une procédure judiciaire",
        description="Seuls les champs donnés changent (stade, partie civile, indemnisation…) ; mêmes règles que sur "
        "la page.",
        request=ProcedureInputSerializer,
        responses=ProcedureSerializer,
    )
    def patch(self, request, public_id, procedure_id):
        signalement, procedure = self._procedure(request, public_id, procedure_id)
        if not can_edit_procedure(request.user, signalement):
            raise PermissionDenied(ACTION_DENIED)
        serializer = ProcedureInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        procedure = procedures.update_procedure(procedure=procedure, by=request.user, **serializer.validated_data)
        log_access(request, action=AccessAction.UPDATE, obj=signalement)
        return Response(ProcedureSerializer(procedure).data)


# --- Orientations vers un hébergement ----------------------------------------------------------------------------


def visible_referrals(user):
    return Referral.objects.visible_to(user).select_related(
        "signalement", "shelter__organisation", "refusal_reason", "departure_reason"
    )


def referral_response(request, referral, status_code=status.HTTP_200_OK):
    referral = visible_referrals(request.user).get(pk=referral.pk)
    return Response(ReferralSerializer(referral, context={"request": request}).data, status=status_code)


class CaseReferralListCreateApiView(GenericAPIView):
    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()  # pour le schéma ; les lectures passent par `visible_to`
    ordering = ("-requested_at", "-id")

    @extend_schema(
        tags=[REFERRAL_TAG],
        operation_id="referrals_list",
        summary="Orientations d'un dossier",
        description="Les orientations du dossier que vous voyez ; le lieu reste scellé sauf pour la structure qui "
        "accueille et la coordination Ac.Sé.",
        responses=ReferralSerializer(many=True),
    )
    def get(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        page = self.paginate_queryset(visible_referrals(request.user).filter(signalement=signalement))
        log_access(request, action=AccessAction.READ, obj=signalement)
        return self.get_paginated_response(ReferralSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=[REFERRAL_TAG],
        operation_id="referrals_create",
        summary="Orienter vers un hébergement",
        description="À une structure (une place est retenue jusqu'à sa réponse) ou à la coordination Ac.Sé "
        "(`via_acse`) ; la Miprof et l'autorité du département compétent.",
        request=ReferralCreateInputSerializer,
        responses={201: ReferralSerializer},
    )
    @idempotent
    def post(self, request, public_id):
        signalement = case_in_scope(request.user, public_id)
        serializer = ReferralCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = referrals.request_referral(signalement=signalement, by=request.user, **serializer.validated_data)
        log_access(request, action=AccessAction.CREATE, obj=referral)
        return referral_response(request, referral, status.HTTP_201_CREATED)


class ReferralApiView(APIView):
    @extend_schema(
        tags=[REFERRAL_TAG],
        operation_id="referrals_retrieve",
        summary="Une orientation",
        description="L'état d'une orientation ; le lieu pour la structure qui accueille et la coordination Ac.Sé.",
        responses=ReferralSerializer,
    )
    def get(self, request, public_id):
        referral = get_object_or_404(visible_referrals(request.user), public_id=public_id)
        log_access(request, action=AccessAction.READ, obj=referral)
        return Response(ReferralSerializer(referral, context={"request": request}).data)


#: Les réponses à une orientation : segment d'URL -> (verbe de l'operationId, titre, sérialiseur, service).
REFERRAL_ACTIONS = {
    "accepter": ("accept", "Accepter l'orientation", ReferralAnswerInputSerializer, referrals.accept_referral),
    "refuser": ("refuse", "Refuser l'orientation", ReferralRefuseInputSerializer, referrals.refuse_referral),
    "arrivee": ("confirm_arrival", "Confirmer l'arrivée", ReferralAnswerInputSerializer, referrals.confirm_arrival),
    "depart": (
        "record_departure",
        "Enregistrer le départ",
        ReferralDepartureInputSerializer,
        referrals.record_departure,
    ),
    "confier": (
        "dispatch",
        "Confier à une structure partenaire",
        ReferralDispatchInputSerializer,
        referrals.dispatch_referral,
    ),
    # Les sorties de la coordination Ac.Sé (orientation.services.exits), les mêmes que sur les pages.
    "renvoyer": (
        "return",
        "Renvoyer la demande Ac.Sé à l'émetteur",
        ReferralReturnInputSerializer,
        exits.return_referral,
    ),
    "refuser-acse": (
        "refuse_acse",
        "Refuser la demande Ac.Sé",
        ReferralAcseRefuseInputSerializer,
        exits.refuse_acse_referral,
    ),
    "hors-eloignement": (
        "request_distancing_waiver",
        "Demander un placement hors règle d'éloignement",
        DistancingWaiverInputSerializer,
        exits.request_distancing_waiver,
    ),
    "approuver-hors-eloignement": (
        "approve_distancing_waiver",
        "Approuver le placement hors règle d'éloignement (seconde approbation)",
        ReferralAnswerInputSerializer,
        exits.approve_distancing_waiver,
    ),
    "rejeter-hors-eloignement": (
        "reject_distancing_waiver",
        "Rejeter le placement hors règle d'éloignement",
        DistancingWaiverRejectInputSerializer,
        exits.reject_distancing_waiver,
    ),
}


def make_referral_action_view(slug):
    verb, title, input_serializer, service = REFERRAL_ACTIONS[slug]

    class ReferralActionApiView(APIView):
        @extend_schema(
            tags=[REFERRAL_TAG],
            operation_id=f"referrals_{verb}",
            summary=title,
            description=f"{title} : mêmes règles que sur la page de l'orientation (la structure sollicitée répond ; "
            "la coordination Ac.Sé confie, renvoie, refuse ou demande un placement hors règle d'éloignement, qu'une "
            "autre personne de la coordination ou l'administration de la Miprof approuve). État incompatible : 400 "
            "en français ; rôle : 403 ; hors périmètre : 404.",
            request=input_serializer,
            responses={200: ReferralSerializer},
        )
        @idempotent
        def post(self, request, public_id):
            referral = get_object_or_404(visible_referrals(request.user), public_id=public_id)
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            service(referral=referral, by=request.user, **serializer.validated_data)
            log_access(request, action=AccessAction.UPDATE, obj=referral)
            return referral_response(request, referral)

    ReferralActionApiView.__name__ = f"Referral{verb.title().replace('_', '')}ApiView"
    return ReferralActionApiView.as_view()


# --- Places de la structure d'hébergement ---------------------------------------------------------------------------


def capacities_response(request, profile):
    rows = list(profile.capacities.order_by("place_kind"))
    return Response(ShelterCapacitySerializer(rows, many=True).data)


class ShelterCapacityApiView(APIView):
    @extend_schema(
        tags=[SHELTER_TAG],
        operation_id="shelter_places_list",
        summary="Les places de ma structure",
        description="Places déclarées, occupées, retenues et libres de votre structure d'hébergement, par type ; "
        "les membres de la structure seulement.",
        responses=ShelterCapacitySerializer(many=True),
    )
    def get(self, request):
        profile = shelters.own_shelter(request.user)
        log_access(request, action=AccessAction.READ, obj=profile)
        return capacities_response(request, profile)

    @extend_schema(
        tags=[SHELTER_TAG],
        operation_id="shelter_places_declare",
        summary="Déclarer les places d'un type",
        description="Jamais moins que les places occupées et retenues (erreur 400 en français) ; chaque changement "
        "est inscrit au registre des mouvements.",
        request=ShelterCapacityInputSerializer,
        responses=ShelterCapacitySerializer(many=True),
    )
    @idempotent
    def post(self, request):
        profile = shelters.own_shelter(request.user)
        serializer = ShelterCapacityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shelters.declare_places(shelter=profile, by=request.user, **serializer.validated_data)
        log_access(request, action=AccessAction.UPDATE, obj=profile)
        return capacities_response(request, profile)
