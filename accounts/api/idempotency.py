"""L'en-tête `Idempotency-Key` des requêtes POST de l'API.

La première requête qui porte une clé insère une ligne `IdempotencyRecord` (unique par organisation et clé) dans la
transaction de la requête, puis y range la réponse. Une requête concurrente avec la même clé attend, sur l'index
unique, que la première transaction se termine : si elle a réussi, la seconde rejoue la réponse rangée ; si elle a
échoué (transaction annulée), la seconde s'exécute à son tour. Deux requêtes ne créent donc jamais deux objets.
"""

import functools
import hashlib

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.errors import UnprocessableEntity
from accounts.models import IdempotencyRecord
from mniop.roles import current_membership

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
KEY_REUSED = (
    "Cette clé d'idempotence a déjà servi pour une autre requête. Utilisez une nouvelle clé pour une nouvelle requête."
)
KEY_TOO_LONG = f"La clé d'idempotence ne doit pas dépasser {MAX_KEY_LENGTH} caractères."
#: L'en-tête dans le schéma OpenAPI : `accounts.api.schema.AutoSchema` l'ajoute à chaque POST, avec la réponse 422.
PARAMETER = OpenApiParameter(
    HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=f"Clé choisie par le partenaire ({MAX_KEY_LENGTH} caractères au plus, un UUID par exemple). Une "
    "requête rejouée avec la même clé et le même corps reçoit la réponse déjà donnée, avec l'en-tête "
    f"`{REPLAYED_HEADER}: true`, sans nouvelle écriture. La même clé avec un autre corps : erreur 422.",
)


def request_fingerprint(request):
    """Méthode, chemin et corps exact de la requête : la même clé avec un autre corps est une erreur."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def idempotent(handler):
    """Décore la méthode `post` d'une vue de l'API (jeton ou session : l'organisation vient de l'adhésion courante)."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationError({HEADER: [KEY_TOO_LONG]})
        membership = current_membership(request.user)
        if membership is None:  # sans adhésion courante, la vue refusera : rien à rejouer
            return handler(view, request, *args, **kwargs)
        organisation_id = membership.organisation_id
        fingerprint = request_fingerprint(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    organisation_id=organisation_id, key=key, request_fingerprint=fingerprint
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(organisation_id=organisation_id, key=key)
            if record.request_fingerprint != fingerprint or record.response_status is None:
                raise UnprocessableEntity({HEADER: [KEY_REUSED]}) from None
            return Response(record.response_body, status=record.response_status, headers={REPLAYED_HEADER: "true"})
        response = handler(view, request, *args, **kwargs)
        if status.is_success(response.status_code):
            record.response_status = response.status_code
            record.response_body = response.data
            record.save(update_fields=["response_status", "response_body"])
        else:
            record.delete()
        return response

    return wrapper
