"""Jauges Prometheus de la boîte d'envoi, calculées à chaque lecture de `/metriques/` (index `status, created_at`)."""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from notifications.models import OutboxMessage, OutboxStatus


def outbox_metrics():
    counts = dict(
        OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
    )
    oldest = OutboxMessage.objects.pending().aggregate(oldest=Min("created_at"))["oldest"]
    age = GaugeMetricFamily(
        "mniop_outbox_oldest_pending_age_seconds",
        "Âge (secondes) du plus ancien message de la boîte d'envoi pas encore envoyé ; 0 s'il n'y en a pas.",
    )
    age.add_metric([], max((timezone.now() - oldest).total_seconds(), 0) if oldest else 0)
    pending = GaugeMetricFamily("mniop_outbox_pending_messages", "Messages de la boîte d'envoi en attente d'envoi.")
    pending.add_metric([], counts.get(OutboxStatus.PENDING, 0))
    failed = GaugeMetricFamily(
        "mniop_outbox_failed_messages", "Courriels en échec définitif dans la boîte d'envoi (depuis toujours)."
    )
    failed.add_metric([], counts.get(OutboxStatus.FAILED, 0))
    return [age, pending, failed]
