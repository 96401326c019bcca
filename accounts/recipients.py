"""Qui est prévenu : le seul module qui dit à qui va une notification (courriel ou notification dans l'application).

Toujours des personnes : utilisateur actif, adhésion active, organisation active, et jamais une adhésion technique de
jeton d'API (`MembershipQuerySet.people`). Chaque liste est triée par identifiant, sans doublon. Le « comment »
(gabarit, lien, titre) reste au service qui prévient ; le « à qui » est ici."""

from accounts.models import User
from mniop.roles import NATIONAL_CASE_ROLES, SIGNALEMENT_AUTHOR_ROLES, Role


def people(*, user=None, **membership_filters):
    """Les personnes qui ont une adhésion active (de personne, pas de jeton) satisfaisant toutes ces conditions à la
    fois (une même adhésion) ; `user` : seulement cette personne."""
    users = User.objects.filter(pk=user.pk) if user is not None else User.objects.all()
    return list(
        users.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
            memberships__api_token__isnull=True,
            **{f"memberships__{key}": value for key, value in membership_filters.items()},
        )
        .distinct()
        .order_by("pk")
    )


def unique(*groups):
    """Réunit des listes de personnes : chaque personne active une fois, triées par identifiant."""
    found = {user.pk: user for group in groups for user in group if user is not None and user.is_active}
    return [found[pk] for pk in sorted(found)]


def miprof_team():
    """Les agents et administrateur·rices de la Miprof."""
    return people(role__in=NATIONAL_CASE_ROLES)


def miprof_admins():
    return people(role=Role.MIPROF_ADMIN)


def platform_admins():
    """Les administrateur·rices de la plateforme (administration technique : `is_staff`)."""
    return [user for user in people(role=Role.PLATFORM_ADMIN) if user.is_staff]


def miprof_on_call():
    """La liste d'astreinte : les adhésions Miprof marquées « d'astreinte »."""
    return people(role__in=NATIONAL_CASE_ROLES, is_on_call=True)


def urgent_alert_recipients():
    """Les destinataires de l'alerte d'un signalement urgent : la liste d'astreinte, et si elle est vide tous les
    administrateur·rices de la Miprof (constat 9 : une alerte urgente a toujours quelqu'un pour la recevoir)."""
    return miprof_on_call() or miprof_admins()


def on_call_list_is_empty():
    return not miprof_on_call()


def validators_of(departement):
    """Les valideur·ses départementaux dont les départements comprennent celui-ci."""
    if departement is None:
        return []
    return people(role=Role.DEPARTMENTAL_VALIDATOR, departements=departement)


def deciders_of(departement):
    """Qui décide pour ce département : ses valideur·ses, à défaut (repli documenté, `docs/exploitation.md`)
    l'administration de la Miprof, décideuse nationale. Une transmission n'est donc jamais refusée faute de
    valideur·se."""
    return validators_of(departement) or miprof_admins()


def child_protection_of(departement):
    """L'ASE / CRIP du conseil départemental de ce département."""
    if departement is None:
        return []
    return people(role=Role.CHILD_PROTECTION_AGENT, organisation__territories=departement)


def parquet_of(departement):
    """Les magistrat·es référent·es TEH du parquet dont le ressort comprend ce département."""
    if departement is None:
        return []
    return people(role=Role.PARQUET_MAGISTRATE, organisation__territories=departement)


def organisation_admins(organisation):
    """L'administration d'une organisation (administrateur·rices de structure)."""
    return people(role=Role.ASSOCIATION_ADMIN, organisation=organisation)


def members_of(*, organisation=None, organisation_kind=None):
    """Les membres d'une organisation, ou de toutes les organisations d'une sorte (la coordination Ac.Sé)."""
    filters = {}
    if organisation is not None:
        filters["organisation"] = organisation
    if organisation_kind is not None:
        filters["organisation__kind"] = organisation_kind
    return people(**filters)


def filing_organisation(signalement):
    """L'organisation déclarante : ses administrateur·rices, et la personne qui a déposé si elle en est encore
    membre (agent ou administrateur·rice)."""
    admins = people(role=Role.ASSOCIATION_ADMIN, organisation=signalement.organisation_id)
    submitter = signalement.submitted_by
    if submitter is None:
        return admins
    return unique(
        admins, people(user=submitter, organisation=signalement.organisation_id, role__in=SIGNALEMENT_AUTHOR_ROLES)
    )


def person(user):
    """Une personne nommée (l'auteur d'une demande, l'agent·e en charge) : elle-même si elle est active."""
    return unique([user])
