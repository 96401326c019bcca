"""Qui est prévenu d'un dépôt de signalement, et comment (domaine §11.5). Un seul endroit pour les destinataires.

Tout s'écrit dans la transaction du dépôt : les courriels dans la boîte d'envoi (livrés par Celery après la
validation, repris par la tâche beat si Redis est tombé), les notifications dans l'application. Ni les uns ni les
autres ne contiennent de donnée personnelle : la référence du signalement et un lien vers la plateforme.
"""

from django.urls import reverse

from accounts.models import Membership, User
from mniop.roles import Role
from notifications.services import enqueue_email, notify_users

MIPROF_ROLES = [Role.MIPROF_AGENT, Role.MIPROF_ADMIN]


def miprof_recipients():
    """Les personnes actives qui ont une adhésion active d'agent ou d'administrateur de la Miprof."""
    memberships = Membership.objects.active().filter(role__in=MIPROF_ROLES)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")


def on_call_recipients():
    """La liste d'astreinte : les adhésions Miprof actives marquées « d'astreinte »."""
    memberships = Membership.objects.active().filter(role__in=MIPROF_ROLES, is_on_call=True)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")


def signalement_path(signalement):
    return reverse("signalements:signalement_detail", kwargs={"public_id": signalement.public_id})


def notify_signalement_submitted(signalement):
    """Prévient la Miprof d'un nouveau signalement ; un signalement urgent alerte en plus la liste d'astreinte."""
    path = signalement_path(signalement)
    recipients = list(miprof_recipients())
    for user in recipients:
        enqueue_email(template="signalement_submitted", recipient=user.email, path=path)
    if signalement.urgent:
        for user in on_call_recipients():
            enqueue_email(template="signalement_urgent", recipient=user.email, path=path)
        title = f"Signalement urgent {signalement.reference}"
    else:
        title = f"Nouveau signalement {signalement.reference}"
    notify_users(users=recipients, title=title, path=path)
