"""Métriques Prometheus (prometheus-client), servies sur `/metriques/` au seul réseau interne ou avec un jeton.

- Par requête (`RequestObservationMiddleware`) : `mniop_http_requests_total` et
  `mniop_http_request_duration_seconds` par vue, méthode et statut.
- À chaque lecture (scrape), jamais en tâche de fond : la file Celery (longueur de la liste Redis, par kombu) et les
  jauges tirées de la base par les collecteurs des applications (réglage `METRICS_COLLECTORS`), chacun par des
  requêtes courtes sur index.

Plusieurs processus gunicorn : chaque processus compte ses requêtes ; en mode multiprocessus de prometheus-client
(`PROMETHEUS_MULTIPROC_DIR`, posé par `mniop/gunicorn.conf.py`), ils écrivent dans des fichiers en mémoire partagée
que la lecture additionne, quel que soit le processus qui la sert. Sans cette variable (runserver, tests, Celery),
le registre du processus suffit.
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "mniop_http_requests", "Requêtes HTTP servies, par vue, méthode et statut.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "mniop_http_request_duration_seconds",
    "Durée des requêtes HTTP (secondes), par vue et méthode.",
    ["view", "method"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def observe_request(*, view, method, status, duration):
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view, method=method).observe(duration)


def probed(up_name, up_help, produce):
    """Les familles que rend `produce()`, précédées de la jauge `up_name` : 1 s'il a réussi, 0 s'il a échoué (les
    familles manquent alors). Une source en panne ne fait jamais échouer la lecture des autres métriques."""
    up = GaugeMetricFamily(up_name, up_help)
    try:
        families = list(produce())
    except Exception:  # noqa: BLE001 - voir la docstring
        logger.warning("Métriques : %s vaut 0", up_name, exc_info=True)
        up.add_metric([], 0)
        return [up]
    up.add_metric([], 1)
    return [up, *families]


class CeleryQueueCollector:
    """Messages en attente dans chaque file Celery : `queue_declare(passive=True)` de kombu (la longueur des listes
    Redis, files de priorité comprises). Courtier injoignable : `mniop_celery_broker_up` vaut 0."""

    def collect(self):
        return probed(
            "mniop_celery_broker_up", "1 si le courtier Celery (Redis) a répondu à la lecture.", self.queue_lengths
        )

    def queue_lengths(self):
        from mniop.celery import app

        queues = [app.conf.task_default_queue, *getattr(settings, "METRICS_CELERY_QUEUES", [])]
        length = GaugeMetricFamily(
            "mniop_celery_queue_length", "Messages en attente dans la file Celery.", labels=["queue"]
        )
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            for queue in dict.fromkeys(queues):
                length.add_metric([queue], queue_length(conn.default_channel, queue))
        return [length]


def queue_length(channel, queue):
    from kombu.exceptions import ChannelError

    try:
        return channel.queue_declare(queue=queue, passive=True).message_count
    except ChannelError:  # file vide : Redis n'a pas de liste
        return 0


class DatabaseCollectors:
    """Les collecteurs des applications (`METRICS_COLLECTORS`), quelques requêtes sur index chacun. Base
    injoignable : `mniop_database_up` vaut 0 et les jauges de la base manquent (l'alerte porte sur leur absence)."""

    def collect(self):
        return probed("mniop_database_up", "1 si la base a répondu aux jauges de la lecture.", self.gauges)

    def gauges(self):
        return [family for path in settings.METRICS_COLLECTORS for family in import_string(path)()]


def scrape_registry():
    """Le registre d'une lecture : les compteurs de requêtes (de tous les processus en mode multiprocessus), la file
    Celery et les jauges de la base."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(CeleryQueueCollector())
    registry.register(DatabaseCollectors())
    return registry


def is_allowed(request):
    """Jeton `Authorization: Bearer <METRICS_TOKEN>`, ou adresse dans `METRICS_ALLOWED_NETWORKS` sans en-tête
    X-Forwarded-For : une requête passée par le proxy frontal vient d'Internet, même si son adresse directe est
    celle du proxy."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())
    if "X-Forwarded-For" in request.headers or not settings.METRICS_ALLOWED_NETWORKS:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_NETWORKS)


@login_not_required  # ni session ni connexion : le jeton ou le réseau interne (is_allowed)
@never_cache
@transaction.non_atomic_requests
def metrics_view(request):
    """404 pour qui n'a ni le jeton ni une adresse du réseau interne, quelle que soit la méthode : on ne révèle pas
    l'existence de la page."""
    if not is_allowed(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
