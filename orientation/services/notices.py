"""Comment l'orientation prévient : un courriel (boîte d'envoi) et une notification dans l'application, un lien vers
le dossier, jamais de donnée personnelle. À qui : `accounts.recipients`, le seul module qui le dit."""

from django.urls import reverse

from notifications.services import enqueue_email, notify_user


def case_path(signalement):
    return reverse("orientation:case_detail", kwargs={"public_id": signalement.public_id})


def notify(users, *, template, title, signalement=None, path=None):
    """Un courriel et une notification dans l'application par personne, vers le dossier (ou `path`)."""
    path = path or case_path(signalement)
    for user in users:
        enqueue_email(template=template, recipient=user.email, path=path)
        notify_user(user=user, title=title, path=path)


def notify_in_app(users, *, title, signalement):
    for user in users:
        notify_user(user=user, title=title, path=case_path(signalement))
