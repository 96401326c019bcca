from django.conf import settings

from mniop.time_zones import current_zone_name


def site_config(request):
    """Configuration d'affichage du DSFR, en code plutôt qu'en base (pas de requête SQL par page)."""
    return {
        "SITE_CONFIG": {
            "site_title": "MNIOP",
            "site_tagline": "Identification, orientation et protection des victimes de traite des êtres humains",
            "header_brand_html": "République<br>française",
            "footer_brand_html": "République<br>française",
            "mourning": False,
            "beta_tag": settings.MNIOP.get("BETA", True),
        },
        "PLATFORM_ENVIRONMENT": settings.MNIOP.get("ENVIRONMENT_LABEL", ""),
    }


def time_zone(request):
    """`time_zone_name` : le nom français du fuseau actif (« heure de Mayotte »), pour dire en quelle heure la page
    affiche les dates."""
    return {"time_zone_name": current_zone_name()}


def session_timeout(request):
    """Les durées du dialogue d'avertissement de fin de session (templates/includes/session_timeout.html)."""
    return {
        "session_timeout": {
            "idle_seconds": settings.SESSION_IDLE_TIMEOUT,
            "warning_seconds": settings.SESSION_WARNING_BEFORE,
            "warning_minutes": max(1, settings.SESSION_WARNING_BEFORE // 60),
            "idle_minutes": max(1, settings.SESSION_IDLE_TIMEOUT // 60),
            "absolute_hours": max(1, settings.SESSION_ABSOLUTE_TIMEOUT // 3600),
        }
    }
