from django.conf import settings


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
