"""Instructions par requête de la vue nue, mesure indépendante de la charge de la machine (docs/exploitation.md).

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \
        python -m benchmarks.callgrind_bare 200
    callgrind_annotate /tmp/cg.out | head -40      # total, puis le coût par fonction

La vue nue est appelée `WARMUP` fois sans instrumentation (démarrage de Django, premiers appels), puis la mesure est
allumée (`callgrind_control -i on`) pour le nombre demandé de requêtes, par le gestionnaire WSGI de Django (sans
client de test) : le total de callgrind divisé par ce nombre donne les instructions d'une requête.
`BARE_SETTINGS=benchmarks.minimal.settings` pour le projet minimal de référence.
"""

import io
import os
import subprocess
import sys

WARMUP = 20


def environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main(count):
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BARE_SETTINGS", "mniop.settings.bench")
    import django
    from django.core.handlers.wsgi import WSGIHandler

    django.setup()
    handler = WSGIHandler()
    path = "/banc-d-essai/vue-nue/"

    def start_response(status, headers):
        if not status.startswith("200"):
            raise SystemExit(f"{path} : {status}")

    def request():
        response = handler(environ(path), start_response)
        b"".join(response)
        response.close()

    for _ in range(WARMUP):
        request()
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=False, capture_output=True)
    for _ in range(count):
        request()
    sys.stdout.flush()
    os._exit(0)  # sans la fin de l'interpréteur, qui doublerait le total mesuré


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
