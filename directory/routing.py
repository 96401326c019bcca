"""Routage : qui contacter pour un territoire, d'après l'annuaire. Qui décide (les valideurs départementaux, des
adhésions) est dans `accounts.membership.validators_for` : `referents` n'importe pas `accounts`.
"""

from referents.models import DirectoryEntry


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
