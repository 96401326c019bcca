"""Les erreurs de toute l'API `/api/v1/`, au format RFC 9457 (`application/problem+json`), en français.

drf-standardized-errors attrape chaque exception d'une vue DRF (validation de sérialiseur, `ValidationError` de
Django levée par un service, `PermissionDenied`, `Http404`, corps illisible, 401, 405, 406, 415, 429, et toute autre
exception en 500 sans rien révéler) ; `ProblemFormatter` en fait un « problème » :

    {"type": "urn:mniop:probleme:validation", "title": "Requête invalide", "status": 400,
     "detail": "Ce champ est obligatoire.", "instance": "/api/v1/…",
     "errors": [{"field": "languages[0]", "detail": "…", "code": "invalid"}]}

`errors` liste les erreurs par champ (chemin du champ : `a.b`, `a[0]`) ; `field` vaut `null` pour une erreur qui ne
porte sur aucun champ. `api_not_found` sert le même format pour une adresse `/api/…` que Django ne résout pas
(identifiant mal formé dans le chemin, faute de frappe)."""

import json
import logging
import sys

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import page_not_found
from django.views.defaults import server_error as default_server_error
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings

from mniop.encryption import UndecryptableValue

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:mniop:probleme:"

#: Pour chaque statut : le suffixe du `type` et le `title` (le même pour toutes les occurrences du problème).
PROBLEMS = {
    400: ("validation", "Requête invalide"),
    401: ("authentification", "Authentification requise"),
    403: ("acces-refuse", "Accès refusé"),
    404: ("introuvable", "Ressource introuvable"),
    405: ("methode-non-autorisee", "Méthode non autorisée"),
    406: ("format-de-reponse", "Format de réponse non disponible"),
    409: ("conflit", "Conflit"),
    415: ("format-de-requete", "Format de requête non pris en charge"),
    422: ("requete-non-traitable", "Requête impossible à traiter"),
    429: ("trop-de-requetes", "Trop de requêtes"),
    500: ("erreur-serveur", "Erreur interne du serveur"),
    503: ("service-indisponible", "Service momentanément indisponible"),
}
PARSE_ERROR = ("corps-illisible", "Corps de requête illisible")

logger = logging.getLogger(__name__)

NOT_FOUND = "Cette ressource n'existe pas ou n'est pas dans votre périmètre."
PERMISSION_DENIED = "Vous n'avez pas le droit d'effectuer cette action."
SERVER_ERROR = "Une erreur interne est survenue. L'équipe technique en est avertie ; réessayez plus tard."
DATABASE_UNAVAILABLE = (
    "La base de données de la plateforme est momentanément indisponible. Rien n'a été enregistré ; réessayez dans "
    "quelques instants."
)
IDENTITY_UNDECRYPTABLE = (
    "L'identité de ce dossier ne peut pas être déchiffrée : une clé de chiffrement manque à la configuration de la "
    "plateforme. Rien n'a été modifié ; l'équipe technique est avertie."
)
#: Le délai proposé au client avant de réessayer (en-tête Retry-After), en secondes.
RETRY_AFTER_SECONDS = 30
INVALID_JSON = "Le corps de la requête n'est pas un JSON valide"
SEVERAL_ERRORS = "La requête contient {count} erreurs, détaillées dans `errors`."


def problem_type(status_code, parse_error=False):
    slug = PARSE_ERROR[0] if parse_error else PROBLEMS.get(status_code, PROBLEMS[400 if status_code < 500 else 500])[0]
    return f"{TYPE_PREFIX}{slug}"


def problem_title(status_code, parse_error=False):
    if parse_error:
        return PARSE_ERROR[1]
    return PROBLEMS.get(status_code, PROBLEMS[400 if status_code < 500 else 500])[1]


def field_errors(detail, path=None):
    """Aplatit les erreurs d'un sérialiseur (`{"languages": {0: [...]}}`, `{"a": {"b": [...]}}`) en une liste
    `[{"field": "languages[0]", "detail": ..., "code": ...}]`, dans l'ordre des champs."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS):
                child = path
            elif isinstance(key, int) or str(key).isdigit():
                child = f"{path or ''}[{key}]"
            else:
                child = f"{path}.{key}" if path else str(key)
            errors += field_errors(value, child)
        return errors
    if isinstance(detail, list):
        errors = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                errors += field_errors(item, f"{path or ''}[{index}]")
            else:
                errors += field_errors(item, path)
        return errors
    return [{"field": path, "detail": str(detail), "code": getattr(detail, "code", None) or "invalid"}]


def parse_error_detail(exc):
    """Le message d'un corps illisible, en français, avec la position de l'erreur JSON quand elle est connue."""
    if getattr(exc, "is_body_shape_error", False):
        return str(exc.detail)
    cause = exc.__context__
    if isinstance(cause, json.JSONDecodeError):
        return f"{INVALID_JSON} (ligne {cause.lineno}, colonne {cause.colno})."
    return f"{INVALID_JSON}."


class ProblemExceptionHandler(ExceptionHandler):
    """Convertit les exceptions de Django (services, `get_object_or_404`) avant la mise en forme."""

    def convert_known_exceptions(self, exc):
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(get_error_detail(exc))
        if isinstance(exc, Http404):
            return exceptions.NotFound(NOT_FOUND)
        if isinstance(exc, PermissionDenied):
            return exceptions.PermissionDenied(str(exc) if exc.args and str(exc) else PERMISSION_DENIED)
        if isinstance(exc, exceptions.ParseError):
            parse_error = exceptions.ParseError(parse_error_detail(exc))
            parse_error.is_parse_error = True
            return parse_error
        if isinstance(exc, (OperationalError, InterfaceError)):
            return DatabaseUnavailable()
        if isinstance(exc, UndecryptableValue):
            # Le message ne nomme que des identifiants de clés, jamais une valeur : il peut aller au journal.
            logger.error("Identité indéchiffrable : %s", exc)
            return IdentityUndecryptable()
        if isinstance(exc, exceptions.APIException) and exc.status_code >= 500 and exc.status_code != 503:
            return exceptions.APIException(SERVER_ERROR)
        return exc

    def convert_unhandled_exceptions(self, exc):
        if not isinstance(exc, exceptions.APIException):
            return exceptions.APIException(SERVER_ERROR)
        return exc

    def get_response(self, exc, data):
        headers = self.get_headers(exc)
        if exc.status_code == 503:
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return Response(data, status=exc.status_code, headers=headers, content_type=CONTENT_TYPE)


class ProblemFormatter(ExceptionFormatter):
    def run(self):
        request = self.context.get("request")
        return problem(
            self.exc.status_code,
            self.exc.detail,
            instance=request.path if request is not None else None,
            parse_error=getattr(self.exc, "is_parse_error", False),
        )


def problem(status_code, detail, *, instance=None, parse_error=False):
    """Le corps d'un problème RFC 9457 ; `detail` est un message, une liste ou un dictionnaire d'erreurs DRF."""
    body = {
        "type": problem_type(status_code, parse_error),
        "title": problem_title(status_code, parse_error),
        "status": status_code,
    }
    if status_code in (400, 422) and not parse_error:
        errors = field_errors(detail)
        if len(errors) == 1:
            body["detail"] = errors[0]["detail"]
        else:
            body["detail"] = SEVERAL_ERRORS.format(count=len(errors))
        body["errors"] = errors
    else:
        body["detail"] = str(detail)
        if status_code == 400:
            body["errors"] = []
    if instance:
        body["instance"] = instance
    return body


def api_not_found(request, exception=None):
    """Une adresse de l'API que Django ne résout pas : le même problème 404 que les vues de l'API."""
    return JsonResponse(problem(404, NOT_FOUND, instance=request.path), status=404, content_type=CONTENT_TYPE)


class DatabaseUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = DATABASE_UNAVAILABLE
    default_code = "database_unavailable"


class IdentityUndecryptable(exceptions.APIException):
    status_code = 503
    default_detail = IDENTITY_UNDECRYPTABLE
    default_code = "identity_undecryptable"


class UnprocessableEntity(exceptions.APIException):
    status_code = 422
    default_detail = "La requête ne peut pas être traitée."
    default_code = "unprocessable"


# --- Le schéma OpenAPI des problèmes (composants réutilisés par toutes les opérations) ----------------------------


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="Chemin du champ en erreur (`nationalities[1]`, `places.declared`) ; `null` pour une erreur qui "
        "porte sur l'ensemble de la requête.",
    )
    detail = serializers.CharField(help_text="Le message, en français.")
    code = serializers.CharField(help_text="Code de l'erreur (`required`, `invalid`, `does_not_exist`…).")


class ProblemSerializer(serializers.Serializer):
    """Un problème RFC 9457 (`application/problem+json`)."""

    type = serializers.CharField(help_text="URI du type de problème (`urn:mniop:probleme:<nature>`).")
    title = serializers.CharField(help_text="Intitulé du type de problème, en français.")
    status = serializers.IntegerField(help_text="Code de statut HTTP.")
    detail = serializers.CharField(help_text="Explication de cette occurrence, en français.")
    instance = serializers.CharField(required=False, help_text="Chemin de la requête en cause.")


class ValidationProblemSerializer(ProblemSerializer):
    """Un problème de validation : la liste des erreurs, champ par champ."""

    errors = FieldErrorSerializer(many=True, help_text="Les erreurs, une par message (vide : corps illisible).")


def not_found(request, exception=None):
    """`handler404` du projet : un problème JSON sous `/api/`, la page 404 du site ailleurs."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return page_not_found(request, exception)


def server_error(request):
    """`handler500` du projet. Une panne de PostgreSQL (connexion refusée ou perdue) n'est pas une erreur du code :
    503 avec `Retry-After`, en français (page, ou problème JSON sous `/api/`). Une valeur chiffrée qu'aucune clé
    configurée n'ouvre (clé maîtresse ou clé de données retirée trop tôt, `mniop.encryption.UndecryptableValue`) non
    plus : 503, avec son explication. Le reste : la page 500 du site, ou un problème 500 sous `/api/`."""
    error = sys.exc_info()[1]
    undecryptable = isinstance(error, UndecryptableValue)
    unavailable = undecryptable or isinstance(error, (OperationalError, InterfaceError))
    message = IDENTITY_UNDECRYPTABLE if undecryptable else DATABASE_UNAVAILABLE
    if request.path.startswith("/api/"):
        status, detail = (503, message) if unavailable else (500, SERVER_ERROR)
        response = JsonResponse(
            problem(status, detail, instance=request.path), status=status, content_type=CONTENT_TYPE
        )
    elif unavailable:
        response = HttpResponse(render_to_string("503.html", {"message": message if undecryptable else ""}))
        response.status_code = 503
    else:
        return default_server_error(request)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
