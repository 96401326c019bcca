"""Choix de l'adhésion courante d'une personne (l'organisation au nom de laquelle elle agit)."""

from accounts.models import Membership


def active_memberships(user):
    return Membership.objects.active().filter(user=user).select_related("organisation").order_by("organisation__name")


def resolve_current_membership(user, membership_id=None):
    """L'adhésion demandée si elle est active, sinon la première adhésion active, sinon None."""
    memberships = active_memberships(user).prefetch_related("departements")
    if membership_id is not None:
        chosen = next((m for m in memberships if m.pk == membership_id), None)
        if chosen is not None:
            return chosen
    return next(iter(memberships), None)
