"""Jauges Prometheus de l'orientation, calculées à chaque lecture de `/metriques/` sur des index partiels : places
retenues (`referral_hold_expiry`) et délais en cours (`clock_running_due`)."""

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from orientation.enums import ClockStep, ReferralStatus
from orientation.models import Clock, Referral


def orientation_metrics():
    now = timezone.now()
    overdue_holds = GaugeMetricFamily(
        "mniop_referral_holds_overdue",
        "Places retenues dont l'échéance est passée sans que la tâche beat les ait libérées (devrait rester à 0).",
    )
    overdue_holds.add_metric(
        [], Referral.objects.filter(status=ReferralStatus.PENDING, hold_expires_at__lt=now).count()
    )
    expired_holds = GaugeMetricFamily(
        "mniop_referral_holds_expired", "Orientations dont la place retenue a expiré sans réponse (depuis toujours)."
    )
    expired_holds.add_metric([], Referral.objects.filter(status=ReferralStatus.EXPIRED).count())
    overdue = dict(Clock.objects.overdue(now).values_list("step").annotate(n=Count("id")))
    clocks = GaugeMetricFamily(
        "mniop_clocks_overdue",
        "Délais en cours (non suspendus) dont l'échéance est dépassée, par étape.",
        labels=["step"],
    )
    for step in ClockStep.values:
        clocks.add_metric([step], overdue.get(step, 0))
    return [overdue_holds, expired_holds, clocks]
