"""Configuration de gunicorn en production : `gunicorn -c mniop/gunicorn.conf.py` (voir docs/exploitation.md).

Chaque réglage peut être ajusté par une variable d'environnement, décrite dans `.env.example`.
"""

import os

wsgi_app = "mniop.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Processus synchrones : 2 par cœur + 1, au plus 8, sauf si WEB_CONCURRENCY le précise.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5

# Un processus est remplacé après ~1 000 requêtes : une fuite de mémoire éventuelle reste bornée.
max_requests = 1000
max_requests_jitter = 100

# Le battement de cœur des processus sur un disque en mémoire (/dev/shm existe dans les conteneurs Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Le proxy frontal (qui termine TLS) est le seul dont on croit les en-têtes X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Journaux sur la sortie standard (collectés par docker). Le journal d'accès ne garde que le chemin, sans la
# chaîne de requête ni le référent, qui peuvent contenir des termes de recherche : pas de donnée personnelle.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Pas de socket de contrôle (gunicornc) : l'utilisateur du conteneur n'a pas de dossier personnel inscriptible.
control_socket_disable = True
