"""Attribuer un rôle depuis l'administration technique : toujours deux personnes (constat 1 de l'exercice d'attaque).

L'administration technique de la plateforme ne lit jamais le contenu d'un dossier. Sans ce garde-fou, elle pourrait se
donner (ou donner à un complice) une adhésion d'administrateur de structure dans l'administration Django, puis lire les
dossiers de la structure. Une attribution y est donc une demande (`request_role_grant`), appliquée seulement quand un
autre administrateur de la plateforme l'approuve (`approve_role_grant`) ; la personne qui reçoit le rôle ne peut pas
l'approuver elle-même. Dans l'interface, les administrateurs d'organisation invitent leurs membres comme avant.
"""

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from accounts.models import Membership, RoleGrant, RoleGrantStatus
from accounts.permissions import MIPROF_ONLY_ROLES
from mniop.roles import DEPARTEMENT_SCOPED_ROLES
from notifications.services import enqueue_email, notify_users
from referents.enums import OrganisationKind
from referents.working_days import NATIONAL_CALENDAR, working_days_between

NOT_PLATFORM_ADMIN = "Seul un administrateur de la plateforme attribue un rôle depuis l'administration technique."


def check_role_grant(*, organisation, role, departements):
    """Le rôle convient-il à l'organisation ? Erreurs en français, par champ."""
    is_miprof = organisation.kind == OrganisationKind.MIPROF
    if role in MIPROF_ONLY_ROLES and not is_miprof:
        raise ValidationError({"role": "Ce rôle est réservé aux membres de la Miprof."})
    if role not in MIPROF_ONLY_ROLES and is_miprof:
        raise ValidationError({"role": "Ce rôle n'existe pas à la Miprof."})
    if role in DEPARTEMENT_SCOPED_ROLES and not departements:
        raise ValidationError({"departements": "Indiquez au moins un département de compétence."})


@transaction.atomic
def request_role_grant(*, user, organisation, role, by, departements=()):
    if not by.is_staff:
        raise PermissionDenied(NOT_PLATFORM_ADMIN)
    check_role_grant(organisation=organisation, role=role, departements=departements)
    grant = RoleGrant.objects.create(user=user, organisation=organisation, role=role, requested_by=by)
    grant.departements.set(departements)
    _tell_deciders(grant, title="Attribution de rôle à approuver ou refuser (administration technique)")
    return grant


def _deciders(grant):
    """Les autres administrateur·rices de la plateforme : ni l'auteur de la demande, ni la personne qui reçoit le
    rôle."""
    return [user for user in recipients.platform_admins() if user.pk not in (grant.requested_by_id, grant.user_id)]


def _tell_deciders(grant, *, title):
    """Notification et courriel, sans nom : un lien vers l'administration technique des attributions en attente."""
    people = _deciders(grant)
    path = f"{reverse('admin:accounts_rolegrant_changelist')}?status__exact={RoleGrantStatus.PENDING}"
    notify_users(users=people, title=title, path=path)
    for user in people:
        enqueue_email(template="role_grant_pending", recipient=user.email, path=path)


def send_role_grant_reminders(*, today=None):
    """Tâche quotidienne : une attribution qui attend un second administrateur depuis
    `ROLE_GRANT_REMINDER_WORKING_DAYS` jours ouvrés est rappelée une fois aux autres administrateur·rices de la
    plateforme (`reminded_at`). Renvoie le nombre d'attributions rappelées."""
    today = today or timezone.localdate()
    reminded = 0
    with transaction.atomic():
        pending = RoleGrant.objects.filter(status=RoleGrantStatus.PENDING, reminded_at__isnull=True)
        for grant in pending.select_for_update(skip_locked=True).order_by("requested_at", "pk"):
            requested_on = timezone.localtime(grant.requested_at).date()
            if (
                working_days_between(NATIONAL_CALENDAR, requested_on, today)
                < settings.ROLE_GRANT_REMINDER_WORKING_DAYS
            ):
                continue
            grant.reminded_at = timezone.now()
            grant.save(update_fields=["reminded_at"])
            _tell_deciders(grant, title="Une attribution de rôle attend toujours un second administrateur")
            reminded += 1
    return reminded


@transaction.atomic
def approve_role_grant(*, grant, by):
    """Applique l'attribution : crée ou modifie l'adhésion (réactivée si besoin)."""
    grant = RoleGrant.objects.select_for_update().select_related("user", "organisation").get(pk=grant.pk)
    _check_decider(grant, by)
    with pghistory.context(by=str(by.public_id), role_grant=grant.pk, requested_by=grant.requested_by_id):
        membership, _ = Membership.objects.update_or_create(
            user=grant.user,
            organisation=grant.organisation,
            defaults={"role": grant.role, "is_active": True, "deactivated_at": None, "deactivated_by": None},
            create_defaults={"role": grant.role, "invited_by": grant.requested_by},
        )
        membership.departements.set(grant.departements.all())
    _decide(grant, RoleGrantStatus.APPROVED, by)
    return membership


@transaction.atomic
def refuse_role_grant(*, grant, by):
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    if not by.is_staff:
        raise PermissionDenied(NOT_PLATFORM_ADMIN)
    if grant.status != RoleGrantStatus.PENDING:
        raise ValidationError("Cette attribution a déjà été décidée.")
    _decide(grant, RoleGrantStatus.REFUSED, by)
    return grant


def _check_decider(grant, by):
    if not by.is_staff:
        raise PermissionDenied(NOT_PLATFORM_ADMIN)
    if grant.status != RoleGrantStatus.PENDING:
        raise ValidationError("Cette attribution a déjà été décidée.")
    if by.pk == grant.requested_by_id:
        raise PermissionDenied("Une attribution de rôle est approuvée par un autre administrateur que son auteur.")
    if by.pk == grant.user_id:
        raise PermissionDenied("Vous ne pouvez pas approuver une attribution de rôle à vous-même.")


def _decide(grant, status, by):
    grant.status = status
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
