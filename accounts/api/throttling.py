"""Le débit de l'API par personne ou par jeton (adhésion technique) : au-delà, 429 avec l'en-tête `Retry-After`.
Le réglage `MNIOP["API_THROTTLE_RATE"]` (`API_THROTTLE_RATE` dans l'environnement) : « 600/min » par défaut."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class ApiRateThrottle(UserRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.MNIOP["API_THROTTLE_RATE"]
