"""Routage : qui décide et qui contacter pour un territoire. Le circuit du signalement (orientation) passe par ici.

`referents` n'importe pas `accounts` (docs/architecture.md) : l'adhésion est lue par le registre des modèles, au
moment de l'appel.
"""

from django.apps import apps

from mniop.roles import Role
from referents.models import DirectoryEntry


def validators_for(territory):
    """Les adhésions actives de valideur départemental dont les départements comprennent `territory`."""
    membership_model = apps.get_model("accounts", "Membership")
    return (
        membership_model.objects.active()
        .filter(role=Role.DEPARTMENTAL_VALIDATOR, departements=territory, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "pk")
        .distinct()
    )


def referents_for(territory, category=None):
    """Les fiches actives de l'annuaire qui couvrent `territory` (d'une catégorie si elle est donnée)."""
    entries = (
        DirectoryEntry.objects.active()
        .filter(organisation__is_active=True)
        .covering(territory)
        .select_related("organisation")
        .order_by("category", "title", "pk")
    )
    if category is not None:
        entries = entries.filter(category=category)
    return entries
