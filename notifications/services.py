"""Écrire une notification : toujours dans la transaction de l'appelant, jamais d'envoi direct."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from mniop.time_zones import zone_name
from notifications.models import Notification, OutboxMessage, OutboxStatus

#: Les gabarits connus : (objet du courriel, gabarit du corps). Ni l'un ni l'autre ne contient de donnée personnelle.
EMAIL_TEMPLATES = {
    "invitation": "Invitation sur la plateforme MNIOP",
    "password_reset": "Réinitialisation de votre mot de passe MNIOP",
    "account_locked": "Connexions à votre compte MNIOP suspendues",
    "second_factor_reset": "Votre second facteur MNIOP a été réinitialisé",
    "signalement_submitted": "Nouveau signalement sur le MNIOP",
    "information_provided": "Complément apporté à un signalement sur le MNIOP",
    "signalement_urgent": "Signalement urgent sur le MNIOP : astreinte",
    "signalement_urgent_departement": "Signalement urgent sur le MNIOP pour votre département",
    "case_inactive": "MNIOP : des dossiers suivis sans activité",
    "directory_coverage_gaps": "Annuaire MNIOP : catégories obligatoires manquantes",
    "orientation_information_requested": "Complément demandé sur un signalement MNIOP",
    "orientation_closed": "Signalement MNIOP clos",
    "orientation_forwarded": "Signalement MNIOP transmis à votre département",
    "orientation_decision": "Décision départementale sur un signalement MNIOP",
    "orientation_reconsideration": "Réexamen demandé sur un signalement MNIOP",
    "orientation_reminder": "Échéance proche sur un signalement MNIOP",
    "orientation_escalation": "Échéance dépassée sur un signalement MNIOP",
    "orientation_digest": "Résumé quotidien des échéances MNIOP",
    "referral_requested": "Orientation vers un hébergement sur le MNIOP",
    "referral_urgent": "URGENT : orientation vers un hébergement à traiter dans les heures qui viennent (MNIOP)",
    "referral_answered": "Suite d'une orientation vers un hébergement sur le MNIOP",
    "break_glass": "Accès d'urgence à un lieu d'hébergement sur le MNIOP",
    "orientation_measure_deadline": "Échéance d'une mesure du parcours sur le MNIOP",
    "acse_on_the_spot": "Activation Ac.Sé demandée sur place par les forces de l'ordre (MNIOP)",
    "minors_track": "Un dossier MNIOP confié au circuit des mineurs de votre département",
    "child_protection_answered": "Réponse de la protection de l'enfance sur un dossier MNIOP",
    "directory_entry_reminder": "Annuaire MNIOP : des fiches de votre organisation sont à vérifier",
    "access_log_alert": "Lectures inhabituelles au journal d'accès du MNIOP",
    "api_token_created_by_miprof": "Un jeton d'API a été créé pour votre organisation sur le MNIOP",
    "referral_cancelled": "Orientation vers un hébergement annulée sur le MNIOP",
    "retention_notice": "MNIOP : un dossier de votre organisation sera bientôt anonymisé",
    "account_inactivity_warning": "MNIOP : votre compte sera désactivé faute de connexion",
    "habilitation_changed": "MNIOP : une habilitation de votre organisation a changé",
    "habilitation_requested": "MNIOP : une demande d'habilitation attend votre décision",
    "habilitation_request_refused": "MNIOP : une demande d'habilitation de votre organisation a été refusée",
    "habilitation_ending": "MNIOP : une habilitation arrive bientôt à son terme",
    "habilitation_request_pending": "MNIOP : une demande d'habilitation attend toujours votre décision",
    "role_grant_pending": "MNIOP : une attribution de rôle attend un second administrateur",
}
MAX_ATTEMPTS = 8


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def enqueue_email(*, template, recipient, path="", context=None):
    """Écrit l'intention d'envoi dans la boîte d'envoi et programme sa livraison après la validation de la
    transaction. Si Redis est indisponible, le message reste en attente : la tâche beat le livrera. `context` : des
    valeurs sans donnée personnelle (une liste de territoires et de catégories), données au gabarit du corps."""
    if template not in EMAIL_TEMPLATES:
        raise ValueError(f"Gabarit de courriel inconnu : {template}")
    message = OutboxMessage.objects.create(
        template=template, recipient=recipient, link=absolute_url(path) if path else "", context=context or {}
    )
    transaction.on_commit(lambda: schedule_delivery(message.pk))
    return message


def notify_user(*, user, title, path="", is_urgent=False):
    return Notification.objects.create(user=user, title=title, link=path, is_urgent=is_urgent)


def notify_users(*, users, title, path="", is_urgent=False):
    """La même notification pour plusieurs personnes, en une requête."""
    return Notification.objects.bulk_create(
        [Notification(user=user, title=title, link=path, is_urgent=is_urgent) for user in users]
    )


def mark_notification_read(*, notification, by):
    """Marque comme lue une notification de la personne. Sans effet si elle l'est déjà."""
    if notification.user_id != by.pk:
        raise PermissionDenied("Cette notification ne vous est pas destinée.")
    return Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_notifications_read(*, by):
    return Notification.objects.for_user(by).unread().update(read_at=timezone.now())


def schedule_delivery(message_id):
    from notifications.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:  # noqa: BLE001 - le courtier est indisponible : la tâche beat reprendra le message
        import logging

        logging.getLogger(__name__).warning("Courtier indisponible : message %s laissé en attente", message_id)


def recipient_time_zone(email):
    """Le fuseau IANA de la personne destinataire (`MNIOP["RECIPIENT_TIME_ZONE"]`), sinon celui de la plateforme."""
    resolver = settings.MNIOP.get("RECIPIENT_TIME_ZONE")
    return (import_string(resolver)(email) if resolver else None) or settings.TIME_ZONE


def render_email_body(message):
    """Le corps du courriel, rendu dans le fuseau de la personne destinataire : toute date y est à son heure locale,
    nommée en français (`time_zone_name`)."""
    zone = recipient_time_zone(message.recipient)
    with timezone.override(zone):
        return render_to_string(
            f"emails/notifications/{message.template}.txt",
            message.context | {"link": message.link, "time_zone_name": zone_name(zone)},
        )


def deliver(*, message_id):
    """Envoie un message en attente. Idempotent : un message déjà envoyé n'est pas renvoyé."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None or message.status != OutboxStatus.PENDING:
            return False
        subject = EMAIL_TEMPLATES[message.template]
        body = render_email_body(message)
        message.attempts += 1
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
        except Exception as error:  # noqa: BLE001 - toute erreur SMTP est retentée plus tard
            message.last_error = type(error).__name__
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            return False
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True


def pending_message_ids(limit=500):
    return list(OutboxMessage.objects.pending().order_by("created_at").values_list("pk", flat=True)[:limit])
