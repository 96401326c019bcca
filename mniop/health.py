"""Sonde de santé `/sante/` pour la supervision et les contrôles de santé de docker compose.

Sans authentification et sans aucune donnée personnelle : l'état de la base de données et du courtier Celery (Redis),
en JSON, avec 200 si tout répond et 503 sinon. Jamais mise en cache.

`python -m mniop.health [URL]` interroge la sonde et sort en erreur si elle ne répond pas 200 : c'est la commande du
contrôle de santé du conteneur web (voir docker-compose.yml).
"""

import logging
import os
import sys
import urllib.error
import urllib.request

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections, transaction
from django.http import JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "indisponible"
TIMEOUT_SECONDS = 1


def database_status():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Sonde de santé : base de données indisponible", exc_info=True)
        return DOWN
    return OK


def broker_status():
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        logger.warning("Sonde de santé : courtier (Redis) indisponible", exc_info=True)
        return DOWN
    finally:
        client.close()
    return OK


@login_not_required
@require_safe
@transaction.non_atomic_requests  # une base en panne doit donner 503, pas l'erreur 500 d'ATOMIC_REQUESTS
def health(request):
    checks = {"base_de_donnees": database_status(), "courtier": broker_status()}
    healthy = all(status == OK for status in checks.values())
    response = JsonResponse({"statut": OK if healthy else DOWN, **checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def probe(url):
    """Code de sortie 0 si la sonde répond 200. L'en-tête Host est le premier de ALLOWED_HOSTS, et
    X-Forwarded-Proto vaut https pour que la redirection HTTPS de la production ne s'applique pas."""
    hosts = [host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    host = next((h.lstrip(".") for h in hosts if h != "*"), "localhost")
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as error:
        print(f"{error.code} {error.read().decode()}", file=sys.stderr)
    except OSError as error:
        print(f"sonde injoignable : {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(probe(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/sante/"))
