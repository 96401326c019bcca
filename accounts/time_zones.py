"""Le fuseau horaire d'une personne : celui de l'organisation au nom de laquelle elle agit.

Le fuseau d'une organisation est celui du premier territoire qu'elle couvre (par code INSEE) ; une organisation sans
territoire, ou une requête sans adhésion, a le fuseau de la plateforme (`TIME_ZONE`). Les pages l'activent par
`accounts.middleware.OrganisationTimeZoneMiddleware`, les courriels envoyés par Celery par `time_zone_for_email`.
"""

from django.conf import settings
from django.db.models import OuterRef, Subquery

from accounts.models import Membership
from referents.models import Territory


def organisation_time_zone(organisation_ref="organisation"):
    """La sous-requête du fuseau d'une organisation, pour `annotate` (aucune requête de plus)."""
    territories = Territory.objects.filter(organisations=OuterRef(organisation_ref)).order_by("code")
    return Subquery(territories.values("time_zone")[:1])


def membership_time_zone(membership):
    """Le fuseau IANA d'une adhésion (annoté par `accounts.membership.active_memberships` quand il l'est)."""
    if membership is None:
        return settings.TIME_ZONE
    if not hasattr(membership, "organisation_time_zone"):
        territory = membership.organisation.territories.order_by("code").first()
        membership.organisation_time_zone = territory.time_zone if territory else None
    return membership.organisation_time_zone or settings.TIME_ZONE


def time_zone_for_email(email):
    """Le fuseau d'une personne destinataire d'un courriel : sa première adhésion active (par nom d'organisation),
    celui de la plateforme si l'adresse n'est pas celle d'une personne active (invitation, adresse générique)."""
    zone = (
        Membership.objects.active()
        .filter(user__email__iexact=email, user__is_active=True)
        .order_by("organisation__name", "pk")
        .annotate(zone=organisation_time_zone())
        .values_list("zone", flat=True)
        .first()
    )
    return zone or settings.TIME_ZONE
