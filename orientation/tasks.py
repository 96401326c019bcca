"""Tâches beat des délais : minces, rejouables (les services vérifient ce qui a déjà été fait)."""

from celery import shared_task

from orientation.services import alerts, attachments, clocks, measures, referrals, reminders


@shared_task
def sync_clocks():
    return clocks.sync_clocks()


@shared_task
def send_deadline_reminders():
    return reminders.send_deadline_reminders()


@shared_task
def send_daily_digests():
    return reminders.send_daily_digests()


@shared_task
def expire_referral_holds():
    return referrals.expire_holds()


@shared_task
def send_measure_reminders():
    return measures.send_measure_reminders()


@shared_task
def alert_inactive_cases():
    """Tâche beat quotidienne : les dossiers suivis sans activité depuis N jours ouvrés, signalés à la Miprof."""
    return alerts.alert_inactive_cases()


@shared_task
def scan_attachment(attachment_id):
    """Analyse antivirus d'un document joint (programmée après la validation du dépôt)."""
    return attachments.scan_attachment(attachment_id=attachment_id)


@shared_task
def scan_pending_attachments():
    """Tâche beat : reprend les documents restés « analyse en cours »."""
    return attachments.scan_pending_attachments()
