from celery import shared_task

from notifications import services


@shared_task(acks_late=True)
def deliver_message(message_id):
    return services.deliver(message_id=message_id)


@shared_task
def deliver_pending_messages():
    """Tâche beat : livre ce qui est resté en attente (courtier tombé au moment de l'écriture, erreur SMTP)."""
    return sum(services.deliver(message_id=message_id) for message_id in services.pending_message_ids())
