"""Configuration de gunicorn en production : `gunicorn -c mniop/gunicorn.conf.py` (voir docs/exploitation.md).

Chaque réglage peut être ajusté par une variable d'environnement, décrite dans `.env.example`.
"""

import os
import shutil
import tempfile

wsgi_app = "mniop.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Processus synchrones : 2 par cœur + 1, au plus 8, sauf si WEB_CONCURRENCY le précise.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5

# L'application (Django, toutes les vues, WeasyPrint) est chargée une fois par le processus maître, avant de créer les
# processus de travail : un processus remplacé (max_requests ci-dessous, délai dépassé) est prêt aussitôt, sans
# réimporter quoi que ce soit, et la mémoire de ces modules est partagée. `mniop/wsgi.py` n'ouvre aucune connexion.
preload_app = True

# Un processus est remplacé après ~1 000 requêtes : une fuite de mémoire éventuelle reste bornée.
max_requests = 1000
max_requests_jitter = 100

# Le battement de cœur des processus sur un disque en mémoire (/dev/shm existe dans les conteneurs Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Le proxy frontal (qui termine TLS) est le seul dont on croit les en-têtes X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Journaux en JSON sur la sortie d'erreur (collectés par docker), avec le formateur de Django
# (mniop/observability/logging.py). Pas de journal d'accès de gunicorn : chaque requête a déjà sa ligne JSON
# `mniop.requests` (vue, statut, durée, identifiant de requête), sans chemin ni chaîne de requête.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "mniop.observability.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": loglevel.upper(), "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": loglevel.upper(), "handlers": [], "propagate": False},
    },
}

# Métriques Prometheus de plusieurs processus (mniop/observability/metrics.py) : chaque processus écrit ses compteurs
# dans ce dossier en mémoire, vidé au démarrage ; la lecture de /metriques/ additionne les fichiers.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
        prefix="mniop-metriques-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None
    )


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """Un processus remplacé (max_requests, délai) : ses jauges « live » ne comptent plus ; ses compteurs restent."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# Pas de socket de contrôle (gunicornc) : l'utilisateur du conteneur n'a pas de dossier personnel inscriptible.
control_socket_disable = True
