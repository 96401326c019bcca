"""La notification n'est jamais perdue, vérifié pour de vrai : un redis-server dédié sur un port libre, un vrai worker
Celery en sous-processus sur la base de test, et le dépôt d'un signalement par le vrai service.

Le worker reçoit la base (DATABASE_URL), le courtier (REDIS_URL) et un dossier de courriels (MAIL_FILE_PATH) par
l'environnement (voir mniop/settings/test.py). Chaque processus lancé est arrêté à la fin, même en cas d'échec.
"""

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from mniop.celery import app
from mniop.observability.context import bind_request_id, unbind_request_id
from notifications.models import OutboxMessage, OutboxStatus
from notifications.tasks import deliver_pending_messages
from tests.signalements.factories import submitted_signalement
from tools.devenv import free_port, redis_answers

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
WAIT_SECONDS = 90  # attente active : rend la main dès que c’est prêt ; large pour une machine chargée


def wait_for(predicate, what, timeout=WAIT_SECONDS, on_timeout=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"Délai dépassé : {what}. {on_timeout()}")


def stop(process):
    """Arrête un processus lancé par le test et tout son groupe ; SIGKILL s'il traîne."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


class RedisServer:
    """Un redis-server sans persistance, sur un port fixé : on peut l'arrêter et le relancer au même endroit."""

    def __init__(self, port, directory):
        self.port = port
        self.directory = directory
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server introuvable")
        argv = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*argv, "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: redis_answers(self.port), "démarrage de redis-server")

    def stop(self):
        if self.process is not None:
            stop(self.process)
        wait_for(lambda: not redis_answers(self.port), "arrêt de redis-server")


def database_url():
    """L'URL de la base de test telle que le worker la lira : hôte TCP, ou socket Unix (PostgreSQL embarqué, dont
    HOST est un dossier) passée en paramètre `host`, comme le fait tools/devenv.py."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or db.get("OPTIONS", {}).get("host") or "127.0.0.1"
    if host.startswith("/"):
        return f"postgres://{db['USER']}{password}@/{db['NAME']}?host={quote(host, safe='/')}"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, redis, mail_dir, log_path):
        self.redis = redis
        self.mail_dir = mail_dir
        self.log_path = log_path
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mniop.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.redis.url,
            "MAIL_FILE_PATH": str(self.mail_dir),
            "CONN_MAX_AGE": "0",
        }
        argv = [sys.executable, "-m", "celery", "-A", "mniop", "worker", "--pool=solo", "--loglevel=INFO"]
        argv += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", "integration@%h"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                argv, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for(lambda: " ready." in self.log(), "démarrage du worker Celery", on_timeout=self.log)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process is not None:
            stop(self.process)


@contextlib.contextmanager
def publishing_to(url):
    """Le processus de test publie ses tâches vers ce courtier (et retrouve le sien ensuite)."""
    previous = app.conf.broker_url

    def reset_pools():
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    app.conf.broker_url = url
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset_pools()


@pytest.fixture
def services(tmp_path):
    redis = RedisServer(free_port(), tmp_path)
    worker = Worker(redis, tmp_path / "courriels", tmp_path / "worker.log")
    try:
        redis.start()
        worker.start()
        with publishing_to(redis.url):
            yield redis, worker
    finally:
        worker.stop()
        redis.stop()


def sent_emails(mail_dir):
    return "".join(path.read_text(errors="replace") for path in sorted(mail_dir.glob("*.log")))


def all_sent():
    return not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


def test_a_submitted_signalement_is_emailed_by_the_real_worker(world, services):
    redis, worker = services
    signalement = submitted_signalement(world)
    messages = OutboxMessage.objects.filter(template="signalement_submitted")
    assert messages.count() == 2
    wait_for(lambda: all_sent(), "livraison par le worker", on_timeout=worker.log)
    assert all(message.sent_at is not None and message.attempts == 1 for message in messages)
    emails = sent_emails(worker.mail_dir)
    assert f"/dossiers/{signalement.public_id}/" in emails
    for persona in ("miprof_agent", "miprof_admin"):
        assert f"To: {world.user(persona).email}" in emails


def test_the_worker_logs_json_lines_naming_the_task_and_the_request_that_asked_for_it(world, services):
    redis, worker = services
    token = bind_request_id("requete-de-depot-0123456789")
    try:
        submitted_signalement(world)
    finally:
        unbind_request_id(token)
    wait_for(lambda: all_sent(), "livraison par le worker", on_timeout=worker.log)
    wait_for(lambda: "succeeded" in worker.log(), "ligne de fin de tâche", on_timeout=worker.log)

    # Seule la bannière de démarrage de Celery (print, pas un journal) n'est pas du JSON.
    records = [json.loads(line) for line in worker.log().splitlines() if line.startswith("{")]
    done = [r for r in records if r["logger"] == "celery.app.trace" and "succeeded" in r["message"]]
    assert len(done) == 2
    for record in done:
        assert record["task_name"] == "notifications.tasks.deliver_message"
        assert record["task_id"] in record["message"]
        assert record["request_id"] == "requete-de-depot-0123456789"
        assert record["message"].endswith(": [filtré]")  # la valeur rendue par la tâche n'est pas écrite
    assert any(r["message"].endswith(" ready.") for r in records)


def test_submit_succeeds_with_redis_down_and_the_beat_job_delivers_after_restart(world, services, caplog):
    redis, worker = services
    redis.stop()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        signalement = submitted_signalement(world)
    submit_seconds = time.monotonic() - started
    assert signalement.reference
    assert submit_seconds < 15
    assert [record.getMessage().startswith("Courtier indisponible") for record in caplog.records] == [True, True]
    messages = OutboxMessage.objects.filter(template="signalement_submitted")
    assert messages.count() == 2
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.PENDING}

    redis.start()
    deliver_pending_messages.delay()  # ce que fait la tâche beat chaque minute
    wait_for(lambda: all_sent(), "livraison après le retour de Redis", on_timeout=worker.log)
    assert f"/dossiers/{signalement.public_id}/" in sent_emails(worker.mail_dir)
    assert set(messages.values_list("attempts", flat=True)) == {1}
