"""Outils communs des pages de l'annuaire : accès des professionnels, fiche dans la portée."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from directory.permissions import can_search_directory
from referents.models import DirectoryEntry


def professional_required(view):
    """Connecté (sinon : page de connexion) et membre actif d'une organisation (sinon : 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_search_directory(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def visible_entry(request, public_id):
    """La fiche si elle est dans la portée de la personne : 404 sinon."""
    entries = DirectoryEntry.objects.visible_to(request.user).select_related("organisation", "main_territory")
    return get_object_or_404(entries, public_id=public_id)
