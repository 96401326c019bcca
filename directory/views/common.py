"""Outils communs des pages de l'annuaire : accès des professionnels, fiche dans la portée."""

from django.shortcuts import get_object_or_404

from directory.permissions import can_manage_directory, can_search_directory
from mniop.roles import role_required
from referents.models import DirectoryEntry

#: Membre actif d'une organisation (sinon : 403 ; la connexion est exigée par LoginRequiredMiddleware).
professional_required = role_required(can_search_directory)
#: Les pages de tenue de l'annuaire (« mes fiches », création, import) : administrateurs d'organisation.
manager_required = role_required(can_manage_directory)


def visible_entry(request, public_id):
    """La fiche si elle est dans la portée de la personne : 404 sinon."""
    entries = DirectoryEntry.objects.visible_to(request.user).select_related("organisation", "main_territory")
    return get_object_or_404(entries, public_id=public_id)
