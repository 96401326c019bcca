"""Comment on prévient à propos d'un dossier (domaine §11.5) ; à qui : `accounts.recipients`.

Toute notification d'un dossier nomme sa référence et l'action attendue (« [URGENT] MNIOP-2026-000123 : demande de
complément à traiter », `case_title`) et mène à la place exacte où la personne agit (la question et son formulaire de
réponse, `information_request_path` ; les autres places sont données par le service qui prévient). Un dossier urgent
porte « [URGENT] » en tête du titre et le badge « Urgent » dans la liste des notifications.

Tout s'écrit dans la transaction de l'appelant : les courriels dans la boîte d'envoi (livrés par Celery après la
validation, repris par la tâche beat si Redis est tombé), les notifications dans l'application. Ni les uns ni les
autres ne contiennent de donnée personnelle : la référence du signalement et un lien vers la plateforme.
"""

from django.urls import reverse

from accounts import recipients as who
from notifications.services import enqueue_email, notify_users

URGENT_PREFIX = "[URGENT] "


def signalement_path(signalement):
    """L'espace de travail du dossier, la seule page d'un dossier pour tous les rôles ; résolu par son nom d'URL
    (`signalements` n'importe pas `orientation`)."""
    return reverse("orientation:case_detail", kwargs={"public_id": signalement.public_id})


def information_request_path(information_request):
    """La question et son formulaire de réponse, dans la section « Signalement » de l'espace de travail (ancre de
    la demande)."""
    return f"{signalement_path(information_request.signalement)}#complement-{information_request.public_id}"


def case_title(signalement, action):
    """« [URGENT] <référence> : <action> » : la référence et l'action, jamais de donnée personnelle."""
    prefix = URGENT_PREFIX if signalement.urgent else ""
    return f"{prefix}{signalement.reference} : {action}"[:200]


def notify_case(users, *, signalement, action, path, template=None):
    """Prévient ces personnes d'une action à mener sur un dossier : une notification dans l'application (titre
    `case_title`, lien `path`, marquée urgente si le dossier l'est) et, si `template`, un courriel chacune."""
    users = list(users)
    if template:
        for user in users:
            enqueue_email(template=template, recipient=user.email, path=path)
    notify_users(users=users, title=case_title(signalement, action), path=path, is_urgent=signalement.urgent)


def notify_link_requested(signalement):
    """Prévient la Miprof qu'un rapprochement est demandé : à la demande pour un signalement déposé, au dépôt pour
    une demande faite sur le brouillon (`signalements.services.link_requests.request_link`)."""
    notify_case(
        who.miprof_team(),
        signalement=signalement,
        action="rapprochement de signalements demandé par la structure",
        path=signalement_path(signalement) + "#rapprochement",
    )


def notify_signalement_submitted(signalement):
    """Prévient la Miprof d'un nouveau signalement, et du rapprochement demandé sur son brouillon s'il y en a un ; un
    signalement urgent alerte en plus la liste d'astreinte, ou, si personne n'est d'astreinte, l'administration de la
    Miprof."""
    path = signalement_path(signalement)
    notify_case(
        who.miprof_team(),
        signalement=signalement,
        action="nouveau signalement à instruire",
        path=path,
        template="signalement_submitted",
    )
    if signalement.link_requests.pending().exists():
        notify_link_requested(signalement)  # demandé sur le brouillon : la Miprof l'apprend au dépôt
    if signalement.urgent:
        for user in who.urgent_alert_recipients():
            enqueue_email(template="signalement_urgent", recipient=user.email, path=path)
        alert_departement_of_urgent_signalement(signalement)


def alert_departement_of_urgent_signalement(signalement):
    """Un signalement urgent alerte aussitôt qui décide pour son département (issue 16) : ses valideur·ses, vers la
    file départementale (le dossier leur sera ouvert à la transmission), à défaut l'administration de la Miprof,
    décideuse nationale (`accounts.recipients.deciders_of`), vers le signalement."""
    validators = who.validators_of(signalement.departement)
    if validators:
        users, path = validators, reverse("orientation:departement_queue")
    else:
        users, path = who.deciders_of(signalement.departement), signalement_path(signalement)
    notify_case(
        users,
        signalement=signalement,
        action="signalement urgent déposé pour votre département, en instruction à la Miprof",
        path=path,
        template="signalement_urgent_departement",
    )
