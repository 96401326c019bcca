"""Pages transverses : accueil (tableau de bord selon le rôle) et pages légales."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def accessibility(request):
    return render(request, "pages/accessibilite.html")


def legal_notices(request):
    return render(request, "pages/mentions_legales.html")


def privacy(request):
    return render(request, "pages/donnees_personnelles.html")
