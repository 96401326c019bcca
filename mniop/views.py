"""Pages transverses : accueil (tableau de bord selon le rôle) et pages légales, publiques."""

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
    return render(request, "pages/donnees_personnelles.html")
