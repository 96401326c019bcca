"""Comment la Miprof est prévenue d'un dépôt de signalement (domaine §11.5) ; à qui : `accounts.recipients`.

Tout s'écrit dans la transaction du dépôt : les courriels dans la boîte d'envoi (livrés par Celery après la
validation, repris par la tâche beat si Redis est tombé), les notifications dans l'application. Ni les uns ni les
autres ne contiennent de donnée personnelle : la référence du signalement et un lien vers la plateforme.
"""

from django.urls import reverse

from accounts import recipients as who
from notifications.services import enqueue_email, notify_users


def signalement_path(signalement):
    return reverse("signalements:signalement_detail", kwargs={"public_id": signalement.public_id})


def notify_signalement_submitted(signalement):
    """Prévient la Miprof d'un nouveau signalement ; un signalement urgent alerte en plus la liste d'astreinte, ou,
    si personne n'est d'astreinte, l'administration de la Miprof."""
    path = signalement_path(signalement)
    recipients = who.miprof_team()
    for user in recipients:
        enqueue_email(template="signalement_submitted", recipient=user.email, path=path)
    if signalement.urgent:
        for user in who.urgent_alert_recipients():
            enqueue_email(template="signalement_urgent", recipient=user.email, path=path)
        title = f"Signalement urgent {signalement.reference}"
    else:
        title = f"Nouveau signalement {signalement.reference}"
    notify_users(users=recipients, title=title, path=path)
