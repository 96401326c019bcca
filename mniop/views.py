"""Pages transverses : accueil (tableau de bord selon le rôle), pages légales, publiques ; refus CSRF."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def home(request):
    return render(request, "home.html")


@login_not_required
def accessibility(request):
    return render(request, "pages/accessibilite.html")


@login_not_required
def legal_notices(request):
    return render(request, "pages/mentions_legales.html")


@login_not_required
def privacy(request):
    """Ce que la plateforme fait des données, tiré des réglages qu'elle applique (durées, responsable, DPD)."""
    retention = settings.MNIOP["RETENTION"]
    return render(
        request,
        "pages/donnees_personnelles.html",
        {
            "data_controller": settings.MNIOP["DATA_CONTROLLER"],
            "dpo_contact": settings.MNIOP["DPO_CONTACT"],
            "retention": retention,
            "closed_case_years": round(retention["CLOSED_CASE_DAYS"] / 365),
            "access_log_years": round(retention["ACCESS_LOG_DAYS"] / 365),
        },
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW : la page française du DSFR, avec l'en-tête de la personne connectée (la vue de Django rend
    son gabarit sans la requête)."""
    return render(request, "403_csrf.html", status=403)
