"""Qui prévenir : trouvé par les adhésions actives (l'annuaire des organisations et leurs membres)."""

from django.urls import reverse

from accounts.models import User
from mniop.roles import Role
from notifications.services import enqueue_email, notify_user
from signalements.permissions import SIGNALEMENT_AUTHOR_ROLES


def case_path(signalement):
    return reverse("orientation:case_detail", kwargs={"public_id": signalement.public_id})


def _users(**membership_filters):
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
            memberships__api_token__isnull=True,  # pas les systèmes partenaires (adhésions techniques)
            **{f"memberships__{key}": value for key, value in membership_filters.items()},
        )
        .distinct()
        .order_by("pk")
    )


def validators_of(departement):
    """Les valideur·ses départementaux actifs dont les départements comprennent celui-ci."""
    return _users(role=Role.DEPARTMENTAL_VALIDATOR, departements=departement)


def miprof_team():
    return _users(role__in=[Role.MIPROF_AGENT, Role.MIPROF_ADMIN])


def miprof_admins():
    return _users(role=Role.MIPROF_ADMIN)


def filing_organisation(signalement):
    """L'organisation déclarante : ses administrateurs et la personne qui a déposé."""
    admins = _users(role=Role.ASSOCIATION_ADMIN, organisation=signalement.organisation)
    people = {user.pk: user for user in admins}
    submitter = signalement.submitted_by
    if submitter is not None and submitter.is_active:
        still_member = submitter.memberships.filter(
            is_active=True, organisation=signalement.organisation, role__in=SIGNALEMENT_AUTHOR_ROLES
        ).exists()
        if still_member:
            people[submitter.pk] = submitter
    return [people[pk] for pk in sorted(people)]


def notify(users, *, template, title, signalement):
    """Un courriel (boîte d'envoi) et une notification dans l'application par personne : un lien, jamais de
    donnée personnelle."""
    path = case_path(signalement)
    for user in users:
        enqueue_email(template=template, recipient=user.email, path=path)
        notify_user(user=user, title=title, path=path)


def notify_in_app(users, *, title, signalement):
    for user in users:
        notify_user(user=user, title=title, path=case_path(signalement))
