"""/metriques/ : réservé au réseau interne ou au jeton (404 sinon) ; compteurs de requêtes par vue, file Celery et
jauges de la base lues à chaque lecture ; plusieurs processus gunicorn additionnés (mode multiprocessus)."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.test import Client
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from mniop.celery import app as celery_app

pytestmark = pytest.mark.django_db

TOKEN = "jeton-de-supervision-0123456789"
TEST_QUEUE = "mniop-test-metriques"


@pytest.fixture(autouse=True)
def metrics_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32", "10.0.0.0/8"]
    settings.METRICS_CELERY_QUEUES = [TEST_QUEUE]
    return settings


def samples(response):
    assert response.status_code == 200, response.status_code
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def scrape(**extra):
    return Client(**extra).get(reverse("metrics"), headers={"Authorization": f"Bearer {TOKEN}"})


@pytest.mark.parametrize(
    ("remote_addr", "headers", "expected"),
    [
        ("203.0.113.9", {}, 404),  # Internet, sans jeton
        ("203.0.113.9", {"Authorization": "Bearer mauvais-jeton"}, 404),
        ("203.0.113.9", {"Authorization": f"Bearer {TOKEN}"}, 200),
        ("10.1.2.3", {}, 200),  # réseau interne (Prometheus dans le même réseau docker)
        ("127.0.0.1", {}, 200),
        ("10.1.2.3", {"X-Forwarded-For": "203.0.113.9"}, 404),  # venu d'Internet par le proxy frontal
        ("10.1.2.3", {"Authorization": "Bearer mauvais-jeton"}, 404),  # un mauvais jeton ne se rattrape pas
    ],
)
def test_only_the_internal_network_or_the_token_reaches_the_metrics(remote_addr, headers, expected):
    response = Client(REMOTE_ADDR=remote_addr).get(reverse("metrics"), headers=headers)
    assert response.status_code == expected
    if expected == 404:
        assert "mniop_" not in response.text


def test_a_post_from_outside_gets_404_not_405():
    assert Client(REMOTE_ADDR="203.0.113.9").post(reverse("metrics")).status_code == 404
    assert Client().post(reverse("metrics")).status_code == 405


def test_without_token_nor_network_nobody_reaches_the_metrics(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert Client().get(reverse("metrics"), headers={"Authorization": "Bearer "}).status_code == 404


def test_requests_are_counted_and_timed_per_view(client):
    before = samples(scrape())
    key = ("mniop_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "home")))
    client.get(reverse("home"))
    client.get(reverse("home"))
    client.get("/adresse-inconnue/")

    after = samples(scrape())
    assert after[key] - before.get(key, 0) == 2
    unmatched = ("mniop_http_requests_total", (("method", "GET"), ("status", "404"), ("view", "<aucune route>")))
    assert after[unmatched] - before.get(unmatched, 0) == 1
    count = ("mniop_http_request_duration_seconds_count", (("method", "GET"), ("view", "home")))
    assert after[count] - before.get(count, 0) == 2
    assert (
        "mniop_http_request_duration_seconds_bucket",
        (("le", "0.5"), ("method", "GET"), ("view", "home")),
    ) in after


def test_the_database_gauges_are_read_at_scrape_time():
    values = samples(scrape())
    assert values[("mniop_database_up", ())] == 1
    for name in (
        "mniop_outbox_oldest_pending_age_seconds",
        "mniop_outbox_pending_messages",
        "mniop_outbox_failed_messages",
        "mniop_referral_holds_overdue",
        "mniop_referral_holds_expired",
    ):
        assert values[(name, ())] == 0
    assert values[("mniop_clocks_overdue", (("step", "triage"),))] == 0


def test_the_celery_queue_length_is_read_from_the_broker():
    with celery_app.connection_for_write() as connection:
        for _ in range(3):
            celery_app.send_task(
                "notifications.tasks.deliver_pending_messages", queue=TEST_QUEUE, connection=connection
            )
    try:
        values = samples(scrape())
    finally:
        with celery_app.connection_for_write() as connection:
            connection.default_channel.queue_purge(TEST_QUEUE)
    assert values[("mniop_celery_broker_up", ())] == 1
    assert values[("mniop_celery_queue_length", (("queue", TEST_QUEUE),))] == 3
    assert ("mniop_celery_queue_length", (("queue", "celery"),)) in values


def test_a_broker_down_does_not_break_the_other_metrics(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    values = samples(scrape())
    assert values[("mniop_celery_broker_up", ())] == 0
    assert values[("mniop_database_up", ())] == 1


def test_the_scrape_costs_a_fixed_number_of_queries(django_assert_num_queries):
    with django_assert_num_queries(5):  # boîte d'envoi : 2, orientation : 3
        scrape()


WORKER = textwrap.dedent(
    """
    import django, os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "mniop.settings.test"
    django.setup()
    from mniop.observability import metrics
    for _ in range(int(sys.argv[1])):
        metrics.observe_request(view="home", method="GET", status=200, duration=0.01)
    if sys.argv[2] == "scrape":
        from prometheus_client import generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector
        from prometheus_client import CollectorRegistry
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        sys.stdout.write(generate_latest(registry).decode())
    """
)


def test_gunicorn_workers_are_added_up_in_multiprocess_mode(tmp_path):
    """Deux processus « gunicorn » comptent chacun leurs requêtes ; un troisième, qui sert la lecture, voit la
    somme : c'est le mode multiprocessus de prometheus-client (PROMETHEUS_MULTIPROC_DIR)."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count in (3, 4):
        subprocess.run([sys.executable, "-c", WORKER, str(count), "-"], env=env, check=True, timeout=60)
    result = subprocess.run(
        [sys.executable, "-c", WORKER, "0", "scrape"], env=env, check=True, timeout=60, capture_output=True, text=True
    )
    values = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(result.stdout)
        for s in family.samples
    }
    assert values[("mniop_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "home")))] == 7
