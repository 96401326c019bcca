"""API de l'instruction et de la validation : les mêmes lectures (`visible_to`), les mêmes services et les mêmes
formulaires de saisie que les pages ; 404 hors de portée, 403 sans le rôle, 400 avec les erreurs en français."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.forms import add_service_errors
from mniop.roles import current_membership
from orientation import queues
from orientation.api.serializers import (
    INPUT_SERIALIZERS,
    OrientationCaseSerializer,
    OrientationQueuePageSerializer,
)
from orientation.forms import QueueFilterForm
from orientation.models import Clock, Decision
from orientation.permissions import is_miprof
from orientation.views.cases import ACTIONS
from orientation.views.queues import is_validator
from signalements.enums import SignalementStatus
from signalements.models import DEPARTMENTAL_STATUSES, Signalement

QUEUE_PARAMETERS = [
    OpenApiParameter("reference", OpenApiTypes.STR, description="Recherche par référence exacte."),
    OpenApiParameter("statut", OpenApiTypes.STR, description="État (par défaut : les états en cours de la file)."),
    OpenApiParameter("departement", OpenApiTypes.STR, description="Code INSEE du département."),
    OpenApiParameter("forme", OpenApiTypes.STR, description="Code de la forme d'exploitation."),
    OpenApiParameter("mineur", OpenApiTypes.STR, enum=["oui", "non"], description="Mineurs ou majeurs."),
    OpenApiParameter("canal", OpenApiTypes.STR, description="Code du canal d'entrée."),
    OpenApiParameter("agent", OpenApiTypes.UUID, description="Agent·e de la Miprof en charge (file Miprof)."),
    OpenApiParameter("en_retard", OpenApiTypes.BOOL, description="Échéance dépassée seulement."),
    OpenApiParameter("apres", OpenApiTypes.STR, description="Curseur rendu par la page précédente (`next`)."),
]


def form_errors(form):
    return {
        "errors": {
            "non_field_errors" if field == "__all__" else field: list(messages)
            for field, messages in form.errors.items()
        }
    }


class _QueueView(APIView):
    queue = "miprof"

    def allowed(self, user):
        return is_miprof(user)

    def get(self, request):
        if not self.allowed(request.user):
            raise PermissionDenied("Cette file n'est pas la vôtre.")
        if self.queue == "miprof":
            statuses = [status_ for status_ in SignalementStatus if status_ != SignalementStatus.DRAFT]
            defaults, departements = queues.MIPROF_DEFAULT_STATUSES, None
        else:
            statuses = [SignalementStatus(status_) for status_ in DEPARTMENTAL_STATUSES]
            defaults = queues.DEPARTMENTAL_DEFAULT_STATUSES
            departements = current_membership(request.user).departements.all()
        form = QueueFilterForm(
            request.query_params, statuses=statuses, departements=departements, with_agent=self.queue == "miprof"
        )
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        base = Signalement.objects.visible_to(request.user)
        rows, cursor = queues.page(
            queues.filter_queue(base, form.cleaned_data, defaults), cursor=request.query_params.get("apres")
        )
        log_access(request, action=AccessAction.SEARCH, model=Signalement)
        return Response(OrientationQueuePageSerializer({"results": rows, "next": cursor}).data)


TAG = "Instruction et validation"


class MiprofQueueApiView(_QueueView):
    @extend_schema(
        tags=[TAG],
        summary="File de la Miprof",
        description="Urgents d'abord, puis les plus anciens ; pagination par curseur.",
        parameters=QUEUE_PARAMETERS,
        responses=OrientationQueuePageSerializer,
    )
    def get(self, request):
        return super().get(request)


class DepartementQueueApiView(_QueueView):
    queue = "departement"

    def allowed(self, user):
        return is_validator(user)

    @extend_schema(
        tags=[TAG],
        summary="File du département",
        description="Les signalements transmis aux départements de la personne valideuse.",
        parameters=QUEUE_PARAMETERS,
        responses=OrientationQueuePageSerializer,
    )
    def get(self, request):
        return super().get(request)


def visible_case(user, public_id):
    queryset = (
        Signalement.objects.visible_to(user)
        .select_related("departement", "competent_departement")
        .prefetch_related(
            Prefetch("clocks", queryset=Clock.objects.select_related("territory")),
            Prefetch("decisions", queryset=Decision.objects.select_related("departement", "reason", "redirected_to")),
            "urgent_measures",
        )
    )
    signalement = queryset.filter(public_id=public_id).first()
    if signalement is None:
        raise Http404
    return signalement


class CaseApiView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Dossier : état, délais, décisions, mesures urgentes",
        description="Le dossier vu par la Miprof ou l'autorité départementale ; hors de votre périmètre : 404.",
        responses=OrientationCaseSerializer,
    )
    def get(self, request, public_id):
        signalement = visible_case(request.user, public_id)
        log_access(request, action=AccessAction.READ, obj=signalement)
        return Response(OrientationCaseSerializer(signalement).data)


def make_action_view(slug):
    action = ACTIONS[slug]

    class CaseActionApiView(APIView):
        @extend_schema(
            tags=[TAG],
            summary=action.title,
            description=f"{action.title} : mêmes règles que sur la page du dossier. Transition refusée : 400 avec "
            "le motif en français ; action non ouverte à votre rôle : 403 ; dossier hors de votre périmètre : 404.",
            request=INPUT_SERIALIZERS[slug],
            responses={200: OrientationCaseSerializer},
            operation_id=f"orientation_{slug.replace('-', '_')}",
        )
        def post(self, request, public_id):
            signalement = visible_case(request.user, public_id)
            if not action.allowed(request.user, signalement):
                raise PermissionDenied("Cette action ne vous est pas ouverte.")
            form = action.form(data=request.data)
            if form.is_valid():
                try:
                    action.run(signalement, form.cleaned_data, request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                except DjangoPermissionDenied as error:
                    raise PermissionDenied(str(error)) from error
            if form.errors:
                return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
            log_access(request, action=AccessAction.UPDATE, obj=signalement)
            return Response(OrientationCaseSerializer(visible_case(request.user, public_id)).data)

    CaseActionApiView.__name__ = f"CaseAction{slug.title().replace('-', '')}ApiView"
    return CaseActionApiView.as_view()
