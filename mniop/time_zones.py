"""Le nom français d'un fuseau horaire, pour les personnes : « heure de Mayotte », jamais `Indian/Mayotte`.

Une seule table, pour les fuseaux des territoires de la plateforme (`referents/data/territories.csv`) ; un autre
fuseau reçoit le nom de sa ville ou de son territoire selon les données CLDR en français (Babel).
"""

from babel.dates import get_timezone_location
from django.conf import settings
from django.utils import timezone

#: Fuseau IANA -> nom français du fuseau.
ZONE_NAMES = {
    "Europe/Paris": "heure de Paris",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
    "America/Miquelon": "heure de Saint-Pierre-et-Miquelon",
    "America/St_Barthelemy": "heure de Saint-Barthélemy",
    "America/Marigot": "heure de Saint-Martin",
    "Pacific/Wallis": "heure de Wallis-et-Futuna",
    "Pacific/Tahiti": "heure de Tahiti",
    "Pacific/Noumea": "heure de la Nouvelle-Calédonie",
}


def zone_name(key):
    """« heure de Mayotte » pour `Indian/Mayotte` ; le fuseau de la plateforme si `key` est vide."""
    key = str(key or settings.TIME_ZONE)
    if key in ZONE_NAMES:
        return ZONE_NAMES[key]
    try:
        return f"heure de {get_timezone_location(key, locale='fr', return_city=True)}"
    except LookupError:
        return key


def current_zone_name():
    """Le nom français du fuseau actif (celui de l'organisation de la personne, posé par le middleware)."""
    return zone_name(timezone.get_current_timezone_name())
