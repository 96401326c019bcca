"""Comment l'orientation prévient : un courriel (boîte d'envoi) et une notification dans l'application, titrés
« [URGENT] <référence> : <action> » (`signalements.notifications.case_title`), vers la place exacte où la personne
agit (une action du dossier, `case_path(signalement, "decider")`, une orientation, une demande de complément), jamais
de donnée personnelle. À qui : `accounts.recipients`, le seul module qui le dit."""

from django.urls import reverse

from signalements.notifications import notify_case


def case_path(signalement, action=None):
    """La page du dossier ; `action` : la page de cette action du dossier (`orientation.case_actions`, son
    formulaire et, pour une action irréversible, sa conséquence)."""
    if action:
        return reverse("orientation:case_action", kwargs={"public_id": signalement.public_id, "action": action})
    return reverse("orientation:case_detail", kwargs={"public_id": signalement.public_id})


def notify(users, *, template, action, signalement, path=None):
    """Un courriel et une notification dans l'application par personne, vers le dossier (ou `path`)."""
    notify_case(users, signalement=signalement, action=action, path=path or case_path(signalement), template=template)


def notify_in_app(users, *, action, signalement, path=None):
    notify_case(users, signalement=signalement, action=action, path=path or case_path(signalement))
