"""Banc d'essai HTTP : la plateforme servie par gunicorn (réglages de production, 2 processus synchrones), chargée
par wrk (8 connexions), avec 1 000 000 de signalements en base, comme les exploitants la verront.

    python -m benchmarks.bench_http                 (ou `make bench`, qui prépare la base dédiée)
    BENCH_ROWS=1000000 BENCH_HTTP_DURATION=10 BENCH_HTTP_CONNECTIONS=8 BENCH_HTTP_WORKERS=2

Chaque point d'accès est mesuré entre deux mesures de la vue nue de la plateforme, dans la même série : le rapport de
son débit à la moyenne de ces deux mesures dit ce que coûte le métier, quelle que soit la charge de la machine. La vue
nue d'un projet Django minimal (`benchmarks/minimal/`, les intergiciels de `startproject`) est servie à côté, par un
second gunicorn : le rapport des deux vues nues dit ce que coûtent nos intergiciels.

Pour chaque point d'accès, le banc compte aussi les requêtes SQL (client de test, en processus) et donne le plan
`EXPLAIN (ANALYZE, BUFFERS)` de la plus lente. Résultats : un tableau affiché, `benchmarks/results/http-<date>.json`,
et le tableau de `docs/exploitation.md` (entre les marqueurs `banc-http`). La charge de la machine est notée à chaque
mesure.
"""

import dataclasses
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import bench_directory, bench_intake, bench_queues

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "exploitation.md"
DOC_START, DOC_END = "<!-- banc-http:debut -->", "<!-- banc-http:fin -->"
WRK = Path(__file__).resolve().parent / "wrk"

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
DIRECTORY_ENTRIES = int(os.environ.get("BENCH_DIRECTORY_ENTRIES", "50000"))
DURATION = int(os.environ.get("BENCH_HTTP_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_HTTP_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_HTTP_WORKERS", "2"))
ONLY = [name for name in os.environ.get("BENCH_HTTP_ONLY", "").split(",") if name]

#: Les repères du projet Django/DRF minimal (`shared/research/bench-reference`, mesurés sur la même machine et dans
#: des séries entrelacées avec notre vue nue, le 2026-12-07) : la part du débit de la vue nue qu'il atteint.
REFERENCE_ANCHORS = {"api_list": 0.084, "api_list_cursor": 0.1333, "api_detail": 0.0902, "api_intake": 0.1174}


@dataclasses.dataclass
class Endpoint:
    name: str
    label: str
    paths: list
    headers: dict
    target_ratio: float | None = None
    target_p95_ms: float | None = None
    anchor: str | None = None
    script: str = "report.lua"
    connections: int | None = None
    env: dict = dataclasses.field(default_factory=dict)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load():
    return round(os.getloadavg()[0], 2)


class Server:
    """Un gunicorn lancé pour le banc, arrêté à la sortie."""

    def __init__(self, name, wsgi_app, settings_module, config=None):
        self.name, self.port = name, free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "WEB_CONCURRENCY": str(WORKERS),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "LOG_LEVEL": "warning",
        }
        command = [sys.executable, "-m", "gunicorn", wsgi_app, "--bind", f"127.0.0.1:{self.port}"]
        command += ["-c", str(config)] if config else ["--workers", str(WORKERS), "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def wait(self, path, timeout=60):
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({self.name}) s'est arrêté au démarrage (code {self.process.returncode}).")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn ({self.name}) ne répond pas après {timeout} s.")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def run_wrk(server, endpoint, duration=DURATION, quiet=False):
    """Une mesure wrk ; renvoie le rapport JSON de `benchmarks/wrk/*.lua`, le débit et la charge de la machine."""
    connections = endpoint.connections or CONNECTIONS
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        str(WRK / endpoint.script),
    ]
    for name, value in endpoint.headers.items():
        command += ["-H", f"{name}: {value}"]
    first = endpoint.paths[0] if endpoint.paths else "/"
    command.append(server.base + first)
    env = {**os.environ, "BENCH_PATHS": " ".join(endpoint.paths), **endpoint.env}
    settle(server, "/banc-d-essai/vue-nue/")
    load_before = load()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    output = completed.stdout
    if completed.stderr.strip():
        print(completed.stderr.strip(), flush=True)
    line = next((line for line in output.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk n'a rien rapporté pour {endpoint.name} :\n{output}")
    report = json.loads(line.removeprefix("BENCH_JSON "))
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    report["load_before"], report["load_after"] = load_before, load()
    report["connections"] = connections
    if not quiet:
        print(
            f"    {endpoint.name:<20} {report['rps']:8.1f} req/s  p95 {report['p95_us'] / 1000:7.1f} ms  "
            f"erreurs {report['socket_errors']}  non 2xx {report['non_2xx_3xx']}  charge {report['load_after']}",
            flush=True,
        )
    return report


def settle(server, path, timeout=60):
    """Attend que le serveur ait fini les requêtes laissées en vol par la mesure précédente : une requête de la vue
    nue servie en moins de 50 ms (wrk arrête d'envoyer, mais gunicorn finit ce qu'il a reçu)."""
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(server.base + path, timeout=timeout) as response:
                response.read()
        except OSError:
            time.sleep(0.5)
            continue
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(0.2)


def count_queries(client, path, headers):
    """Requêtes SQL d'un appel (le second, à chaud), et le plan EXPLAIN (ANALYZE, BUFFERS) de la plus lente."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"{path} répond {response.status_code} en processus : le banc est mal préparé.")
    captured = [query for query in queries.captured_queries if query["sql"].lstrip().upper().startswith("SELECT")]
    plan = ""
    if captured:
        slowest = max(captured, key=lambda query: float(query["time"]))
        try:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
        except Exception as error:  # noqa: BLE001 : un plan manquant ne doit pas arrêter le banc
            plan = f"(plan indisponible : {error})"
        plan = f"-- {float(slowest['time']) * 1000:.1f} ms\n{slowest['sql'][:2000]}\n{plan}"
    return len(queries.captured_queries), plan


def session_cookie(user):
    """Le cookie de session d'une personne connectée avec son second facteur, pour wrk et pour le client."""
    from django.conf import settings
    from django.test import Client

    client = bench_queues.verified_client(Client(HTTP_HOST="127.0.0.1"), user)  # second facteur vérifié
    return client, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def prepare():
    """Les données (idempotent), les personnes, leurs cookies et le jeton ; renvoie les points d'accès à mesurer."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Membership
    from mniop.roles import Role
    from referents.enums import HabilitationKind
    from referents.models import Habilitation
    from referents.reference_data import load_reference_data
    from signalements.models import Signalement

    load_reference_data()
    bench_intake.reference_data()
    miprof, validator, agent, association = bench_queues.ensure_people()
    bench_queues.ensure_rows(association, miprof, rows=ROWS)
    bench_directory.ensure_entries(DIRECTORY_ENTRIES)
    Habilitation.objects.get_or_create(
        organisation=association, kind=HabilitationKind.MNIOP, defaults={"starts_on": datetime.date(2024, 1, 1)}
    )
    admin = bench_intake.bench_user(association, Role.ASSOCIATION_ADMIN, "banc-admin@bench.mniop.example")
    Membership.objects.filter(user=admin, organisation=association).update(role=Role.ASSOCIATION_ADMIN)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    rng = random.Random(2026)
    own = Signalement.objects.filter(organisation=association, reference__startswith="BENCH-")
    sample = list(
        own.filter(status__in=["in_triage", "validated", "forwarded"]).values_list("public_id", flat=True)[:400]
    )
    case_ids = rng.sample(sample, min(50, len(sample)))
    api_ids = rng.sample(sample, min(200, len(sample)))
    receipt_id = own.filter(status="validated").values_list("public_id", flat=True).first()

    miprof_client, miprof_cookie = session_cookie(miprof)
    validator_client, validator_cookie = session_cookie(validator)
    agent_client, agent_cookie = session_cookie(agent)
    admin_client, admin_cookie = session_cookie(admin)  # l'administratrice voit tous les dossiers de l'association
    token = {"Authorization": f"Token {bench_intake.api_token(association, admin)}"}
    api_client = Client(HTTP_HOST="127.0.0.1")

    miprof_queue = reverse("orientation:miprof_queue")
    first_page = miprof_client.get(miprof_queue).content.decode()
    match = re.search(r'href="[^"]*[?&](?:amp;)?apres=([^"&]+)', first_page)
    next_page = f"{miprof_queue}?apres={match.group(1)}" if match else miprof_queue
    api_list = reverse("signalements_api:signalement_list")
    directory = reverse("directory:directory_search")
    queries = ["q=exploit%C3%A9e", "q=prefecture+sejour", "q=traite+guyane", "category=association&territory=75"]

    page_target = {"target_ratio": 0.10, "target_p95_ms": 100}
    endpoints = [
        Endpoint(
            "miprof_queue", "File Miprof, première page", [miprof_queue], {"Cookie": miprof_cookie}, **page_target
        ),
        Endpoint(
            "miprof_queue_next", "File Miprof, page suivante", [next_page], {"Cookie": miprof_cookie}, **page_target
        ),
        Endpoint(
            "departement_queue",
            "File départementale",
            [reverse("orientation:departement_queue")],
            {"Cookie": validator_cookie},
            **page_target,
        ),
        Endpoint(
            "case_page",
            "Page d'un dossier (Miprof)",
            [reverse("orientation:case_detail", args=[public_id]) for public_id in case_ids],
            {"Cookie": miprof_cookie},
            **page_target,
        ),
        Endpoint(
            "directory_search",
            f"Recherche dans l'annuaire ({DIRECTORY_ENTRIES} fiches)",
            [f"{directory}?{query}" for query in queries],
            {"Cookie": agent_cookie},
            **page_target,
        ),
        Endpoint(
            "api_list",
            f"API, liste d'une organisation de {own.count()} dossiers",
            [api_list],
            token,
            target_ratio=0.10,
            anchor="api_list_cursor",
        ),
        Endpoint(
            "api_detail",
            "API, détail",
            [reverse("signalements_api:signalement_detail", args=[public_id]) for public_id in api_ids],
            token,
            target_ratio=0.10,
            anchor="api_detail",
        ),
        Endpoint(
            "api_intake",
            "API, dépôt (création + dépôt)",
            [api_list],
            token,
            target_ratio=0.08,
            anchor="api_intake",
            script="intake.lua",
            env={"BENCH_BODY": bench_intake.intake_payload(0)},
        ),
    ]
    if receipt_id:
        endpoints.append(
            Endpoint(
                "receipt_pdf",
                "Récépissé PDF (une page, une connexion)",
                [reverse("signalements:signalement_receipt", args=[receipt_id])],
                {"Cookie": admin_cookie},
                target_p95_ms=200,
                connections=1,
            )
        )
    clients = {
        miprof_cookie: miprof_client,
        validator_cookie: validator_client,
        agent_cookie: agent_client,
        admin_cookie: admin_client,
    }
    for endpoint in endpoints:
        if endpoint.script != "report.lua":
            endpoint.queries, endpoint.plan = None, ""
            continue
        cookie = endpoint.headers.get("Cookie")
        client = clients.get(cookie, api_client)
        headers = {} if cookie else endpoint.headers
        endpoint.queries, endpoint.plan = count_queries(client, endpoint.paths[0], headers)
    if ONLY:
        endpoints = [endpoint for endpoint in endpoints if endpoint.name in ONLY]
    return endpoints, {"signalements": Signalement.objects.count(), "organisation_rows": own.count()}


def measure(endpoints):
    """La série : vue nue minimale, puis pour chaque point d'accès vue nue / point d'accès / vue nue."""
    bare_path = "/banc-d-essai/vue-nue/"
    platform = Server(
        "plateforme", "mniop.wsgi:application", "mniop.settings.bench", ROOT / "mniop" / "gunicorn.conf.py"
    )
    minimal = Server("minimal", "benchmarks.minimal.wsgi:application", "benchmarks.minimal.settings")
    try:
        platform.wait(bare_path)
        minimal.wait(bare_path)
        bare = Endpoint("bare", "Vue nue (intergiciels de la plateforme)", [bare_path], {})
        for endpoint in [bare, *endpoints]:  # échauffement : chaque processus a servi chaque point d'accès
            run_wrk(platform, endpoint, duration=2, quiet=True)
        minimal_before = run_wrk(minimal, bare)
        series = [("bare", run_wrk(platform, bare))]
        for endpoint in endpoints:
            series.append((endpoint.name, run_wrk(platform, endpoint)))
            series.append(("bare", run_wrk(platform, bare)))
        minimal_after = run_wrk(minimal, bare)
    finally:
        platform.stop()
        minimal.stop()
    return series, (minimal_before, minimal_after)


def summarise(endpoints, series, minimal_runs, data):
    by_name = {endpoint.name: endpoint for endpoint in endpoints}
    rows = []
    bare_runs = [report for name, report in series if name == "bare"]
    bare_mean = sum(report["rps"] for report in bare_runs) / len(bare_runs)
    minimal_mean = sum(report["rps"] for report in minimal_runs) / len(minimal_runs)
    rows.append(
        {
            "name": "bare",
            "label": "Vue nue (intergiciels de la plateforme)",
            **bare_runs[0],
            "rps": bare_mean,
            "ratio": bare_mean / minimal_mean,
            "ratio_to": "vue nue du projet Django minimal",
            "target_ratio": 0.80,
            "queries": 0,
        }
    )
    for index, (name, report) in enumerate(series):
        if name == "bare":
            continue
        endpoint = by_name[name]
        around = (series[index - 1][1]["rps"] + series[index + 1][1]["rps"]) / 2
        row = {
            "name": name,
            "label": endpoint.label,
            **report,
            "bare_rps": around,
            "ratio": report["rps"] / around,
            "ratio_to": "vue nue de la plateforme, mesurée juste avant et juste après",
            "target_ratio": endpoint.target_ratio,
            "target_p95_ms": endpoint.target_p95_ms,
            "anchor": REFERENCE_ANCHORS.get(endpoint.anchor),
            "queries": endpoint.queries,
            "plan": endpoint.plan,
        }
        if endpoint.script == "intake.lua":
            row["intakes_per_second"] = report["submitted"] / (report["duration_us"] / 1e6)
        rows.append(row)
    for row in rows:
        checks = []
        if row.get("target_ratio") is not None:
            checks.append(row["ratio"] >= row["target_ratio"])
        if row.get("target_p95_ms") is not None:
            checks.append(row["p95_us"] / 1000 <= row["target_p95_ms"])
        row["met"] = all(checks) if checks else None
    return {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_start": series[0][1]["load_before"], "load_end": load()},
        "settings": {"workers": WORKERS, "connections": CONNECTIONS, "duration_s": DURATION, "wrk_threads": 1},
        "data": data,
        "minimal_bare_rps": [report["rps"] for report in minimal_runs],
        "rows": rows,
    }


def percent(value):
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def number(value, decimals=1):
    """Un nombre à la française : espace fine insécable pour les milliers, virgule décimale."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def table(result):
    lines = [
        "| point d'accès | SQL/req | req/s | p50 / p95 / p99 ms | rapport à la vue nue | objectif | repère minimal "
        "| charge | atteint |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        latencies = " / ".join(number(row[key] / 1000) for key in ("p50_us", "p95_us", "p99_us"))
        target = percent(row.get("target_ratio")) if row.get("target_ratio") else ""
        if row.get("target_p95_ms"):
            target = f"{target}, p95 ≤ {row['target_p95_ms']:.0f} ms".lstrip(", ")
        met = {True: "oui", False: "**non**", None: ""}[row["met"]]
        queries = "" if row.get("queries") is None else str(row["queries"])
        lines.append(
            f"| {row['label']} | {queries} | {number(row['rps'])} | {latencies} | {percent(row['ratio'])} | {target} "
            f"| {percent(row.get('anchor'))} | {number(row['load_before'])} → {number(row['load_after'])} | {met} |"
        )
    settings = result["settings"]
    lines += [
        "",
        f"Mesuré le {result['measured_at']} : {number(result['data']['signalements'], 0)} signalements, gunicorn "
        f"{settings['workers']} processus synchrones (`mniop/gunicorn.conf.py`), wrk -t1 -c{settings['connections']} "
        f"-d{settings['duration_s']}s, machine à {result['machine']['cpus']} cœurs (charge sur 1 min notée avant → "
        f"après chaque mesure). La vue nue de la plateforme est rapportée à celle d'un projet Django minimal servi à "
        f"côté ({' et '.join(number(rps, 0) for rps in result['minimal_bare_rps'])} req/s).",
    ]
    return "\n".join(lines)


def write(result):
    RESULTS.mkdir(exist_ok=True)
    stamp = result["measured_at"].replace(":", "").replace("+0000", "Z")
    path = RESULTS / f"http-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    text = DOC.read_text()
    if DOC_START in text and DOC_END in text and not ONLY:
        before, rest = text.split(DOC_START, 1)
        _, after = rest.split(DOC_END, 1)
        DOC.write_text(f"{before}{DOC_START}\n{table(result)}\n{DOC_END}{after}")
    return path


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk manque : `apt-get install wrk` (paquet Debian), puis relancez `make bench`.")
    bench_queues.setup_django()
    print(f"Préparation : {ROWS} signalements, {DIRECTORY_ENTRIES} fiches d'annuaire (idempotent)…", flush=True)
    endpoints, data = prepare()
    print(f"Mesures HTTP ({DURATION} s chacune, {CONNECTIONS} connexions, {WORKERS} processus gunicorn)…", flush=True)
    series, minimal_runs = measure(endpoints)
    result = summarise(endpoints, series, minimal_runs, data)
    print()
    print(table(result))
    for row in result["rows"]:
        if row.get("plan"):
            print(f"\nPlan de la requête la plus lente — {row['label']} :\n{row['plan'][:3000]}")
    print(f"\nRésultats : {write(result).relative_to(ROOT)}")
    refused = [row["label"] for row in result["rows"] if row["non_2xx_3xx"] or row["socket_errors"]]
    if refused:
        print(f"Réponses en erreur pendant la mesure (chiffres faux) : {', '.join(refused)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
