"""Le débit de l'API par jeton (ou par personne connectée par session) : au-delà, 429 avec l'en-tête `Retry-After`
et un `detail` en français. Le réglage `MNIOP["API_THROTTLE_RATE"]` (`API_THROTTLE_RATE` dans l'environnement) :
« 600/min » par défaut. Les compteurs sont dans le cache Redis, partagés par tous les processus web."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle

from accounts.models import ApiToken


class ApiRateThrottle(UserRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.MNIOP["API_THROTTLE_RATE"]

    def get_cache_key(self, request, view):
        """Un compteur par jeton (sa clé primaire, stable quels que soient ses autres champs), sinon par personne."""
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        return super().get_cache_key(request, view)
