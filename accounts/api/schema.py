"""Le schéma OpenAPI de toute l'API : chaque opération documente les problèmes qu'elle peut rendre, au format
`application/problem+json`, par les deux composants de `accounts.api.errors` (drf-standardized-errors décide quels
statuts une opération peut rendre : 400 si elle lit un corps, 404 si son chemin a un identifiant, etc.)."""

from drf_spectacular.utils import OpenApiResponse
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema

from accounts.api import idempotency
from accounts.api.errors import CONTENT_TYPE, ValidationProblemSerializer

DESCRIPTIONS = {
    "400": "Requête invalide : erreurs par champ dans `errors`, ou corps JSON illisible.",
    "401": "Authentification absente ou invalide (jeton d'API ou session).",
    "403": "Action non permise à votre rôle ou à l'organisation du jeton.",
    "404": "Ressource inconnue ou hors de votre périmètre.",
    "405": "Méthode HTTP non autorisée sur cette adresse.",
    "406": "Le format demandé par l'en-tête `Accept` n'est pas disponible (seulement `application/json`).",
    "415": "Le corps doit être envoyé en `application/json`.",
    "422": "Clé d'idempotence déjà utilisée pour une autre requête.",
    "429": "Trop de requêtes : réessayez après le délai de l'en-tête `Retry-After`.",
    "500": "Erreur interne : rien n'a été enregistré.",
}


class AutoSchema(StandardizedErrorsAutoSchema):
    """Chaque POST accepte l'en-tête `Idempotency-Key` (`accounts.api.idempotency`) et peut rendre 422."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            parameters = [*parameters, idempotency.PARAMETER]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction == "response" and self.method == "POST" and "422" not in responses:
            responses["422"] = self._get_response_for_code(ValidationProblemSerializer, "422")
        return responses

    def _should_add_http401_error_response(self):
        return bool(self.view.get_authenticators())

    def _should_add_http403_error_response(self):
        # Toute opération authentifiée peut refuser (rôle, jeton CSRF d'une session).
        return bool(self.view.get_authenticators())

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if str(status_code).isdigit() and int(status_code) >= 400:
            media_types = [CONTENT_TYPE]
            if not isinstance(serializer, OpenApiResponse):
                serializer = OpenApiResponse(serializer, description=DESCRIPTIONS.get(str(status_code), ""))
        return super()._get_response_for_code(serializer, status_code, media_types, direction)
