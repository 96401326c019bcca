"""Choix de l'adhésion courante d'une personne (l'organisation au nom de laquelle elle agit) ; qui valide pour un
territoire."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from accounts.models import Membership
from accounts.time_zones import organisation_time_zone
from mniop.roles import Role


def active_memberships(user):
    """Les adhésions actives d'une personne, avec le fuseau de leur organisation (`organisation_time_zone`)."""
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .annotate(organisation_time_zone=organisation_time_zone())
        .order_by("organisation__name")
    )


def resolve_current_membership(user, membership_id=None):
    """L'adhésion demandée si elle est active, sinon la première adhésion active, sinon None.

    Une seule requête, à chaque requête HTTP (une adhésion désactivée ne sert plus dès la suivante) : les adhésions
    actives avec leur organisation, son fuseau et les identifiants de leurs départements (`departement_ids`, que
    lit `mniop.roles.departement_ids`)."""
    departements = Membership.departements.through.objects.filter(membership_id=OuterRef("pk"))
    memberships = active_memberships(user).annotate(
        departement_ids=ArraySubquery(departements.order_by("territory_id").values("territory_id"))
    )
    if membership_id is not None:
        chosen = next((m for m in memberships if m.pk == membership_id), None)
        if chosen is not None:
            return chosen
    return next(iter(memberships), None)


def validators_for(territory):
    """Les adhésions actives de valideur départemental dont les départements comprennent `territory` (le routage
    des personnes ; celui des fiches de l'annuaire est `directory.routing.referents_for`)."""
    return (
        Membership.objects.active()
        .people()
        .filter(role=Role.DEPARTMENTAL_VALIDATOR, departements=territory, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "pk")
        .distinct()
    )
