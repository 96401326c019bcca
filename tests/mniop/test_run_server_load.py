"""Constat 6 de l'exercice d'attaque, sous le vrai serveur : la plateforme lancée comme `make run` la lance (gunicorn,
`mniop/gunicorn.conf.py`, la ligne de commande de `tools/devenv.py`, les réglages `mniop.settings.local` sans
l'empreinte des fichiers statiques : tests/mniop/run_server_settings.py) tient 8 puis 32 clients
simultanés sur une page de dossiers d'une personne connectée et sur la sonde de santé : aucune erreur 500, jamais
« too many clients already », et le nombre de connexions PostgreSQL du serveur reste borné par ses processus."""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.accounts.factories import PASSWORD
from tests.mniop.run_server_settings import APPLICATION_NAME
from tests.notifications.test_celery_integration import database_url
from tests.two_factor import current_totp_code, totp_device
from tools.devenv import WEB_SERVERS, free_port

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 2  # comme `make run` (WEB_CONCURRENCY par défaut de tools/devenv.py)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
#: Ce que la mesure relève (affiché à la fin du test avec -s ; repris dans docs/exploitation.md).
FIGURES = {}


@pytest.fixture
def server(tmp_path):
    """gunicorn tel que `make run` le lance, sur la base de test ; arrêté à la fin du test."""
    port = free_port()
    argv = WEB_SERVERS["gunicorn"](port)
    argv[0] = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or argv[0]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.mniop.run_server_settings",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "WEB_CONCURRENCY": str(WORKERS),
        "WEB_PORT": str(port),
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            argv, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                if requests.get(f"{base}/sante/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "gunicorn ne répond pas après 60 s\n" + log.read_text(errors="replace")
            time.sleep(0.2)
        yield base, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(base, user):
    """La vraie connexion : formulaire (jeton CSRF), puis le code de l'application d'authentification."""
    browser = requests.Session()
    page = browser.get(f"{base}/connexion/", timeout=10)
    response = browser.post(
        f"{base}/connexion/",
        data={"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": CSRF.search(page.text)[1]},
        timeout=10,
    )
    assert "/second-facteur/verifier/" in response.url, response.status_code
    response = browser.post(
        response.url,
        data={"code": current_totp_code(user), "csrfmiddlewaretoken": CSRF.search(response.text)[1]},
        timeout=10,
    )
    assert "/second-facteur/" not in response.url
    return browser.cookies


class ConnectionSampler(threading.Thread):
    """Compte, toutes les 20 ms, les connexions du serveur à la base de test (toutes sauf celles de ce test)."""

    def __init__(self, excluded_pids):
        super().__init__(daemon=True)
        self.excluded = set(excluded_pids)
        self.samples = []
        self.stopping = threading.Event()

    def run(self):
        with psycopg.connect(database_url().replace("postgres://", "postgresql://"), autocommit=True) as db:
            self.excluded.add(db.info.backend_pid)
            while not self.stopping.is_set():
                row = db.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND NOT pid = ANY(%s) "
                    "AND application_name = %s",
                    [list(self.excluded), APPLICATION_NAME],
                ).fetchone()
                self.samples.append(row[0])
                time.sleep(0.02)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.join(timeout=5)


def fire(url, clients, cookies=None):
    """`clients` clients à la fois, chacun sa connexion HTTP : (statut, corps) de chacun."""
    barrier = threading.Barrier(clients)

    def one(_):
        with requests.Session() as session:
            if cookies is not None:
                session.cookies.update(cookies)
            barrier.wait(timeout=30)
            response = session.get(url, timeout=60, allow_redirects=False)
            return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, range(clients)))


def test_the_run_server_holds_8_then_32_concurrent_clients_without_exhausting_postgresql(world, server):
    base, log = server
    user = world.user("miprof_agent")
    totp_device(user)
    # Les tests hachent en MD5 (rapide) ; le serveur de `make run` ne connaît que les hacheurs de la production.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    cookies = log_in(base, user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        test_pid = cursor.fetchone()[0]

    started = time.monotonic()
    with ConnectionSampler([test_pid]) as sampler:
        for clients in (8, 32):
            for name, path, jar in (("file", "/miprof/file/", cookies), ("sante", "/sante/", None)):
                results = fire(f"{base}{path}", clients, jar)
                statuses = sorted({status for status, _ in results})
                FIGURES[f"{name} × {clients}"] = statuses
                assert statuses == [200], (path, clients, statuses, log.read_text(errors="replace")[-3000:])
                assert not any("too many clients" in body for _, body in results)
    elapsed = time.monotonic() - started

    server_log = log.read_text(errors="replace")
    assert "too many clients" not in server_log
    assert '"status": 500' not in server_log
    FIGURES["connexions PostgreSQL du serveur (max)"] = max(sampler.samples)
    FIGURES["secondes pour les 80 requêtes"] = round(elapsed, 1)
    # Un processus gunicorn synchrone garde une connexion (CONN_MAX_AGE) : jamais plus que ses processus.
    assert 1 <= max(sampler.samples) <= WORKERS
    print(f"\nServeur de make run sous charge : {FIGURES}")
