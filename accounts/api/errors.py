"""Les erreurs de l'API, en français : `{"erreurs": {champ: [messages]}}` pour ce que le partenaire peut corriger
(400), `{"detail": message}` pour le reste (401, 403, 404)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

#: La clé des erreurs qui ne portent pas sur un champ.
NON_FIELD = "non_field_errors"


def service_errors(error):
    """Les messages d'une `ValidationError` de service, par champ."""
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {NON_FIELD: list(error.messages)}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        return Response({"erreurs": service_errors(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        detail = exc.detail if isinstance(exc.detail, dict) else {NON_FIELD: exc.detail}
        return Response({"erreurs": detail}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(str(exc))
    return exception_handler(exc, context)
