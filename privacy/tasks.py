"""Tâche beat de la conservation : mince, rejouable (chaque règle choisit ce qui reste à faire)."""

from celery import shared_task

from privacy import retention


@shared_task
def apply_retention():
    return retention.run().counts
