"""`python -m benchmarks` : la base dédiée aux bancs d'essai, puis chaque `benchmarks/bench_*.py` à tour de rôle.

La base est celle de DATABASE_URL dont le nom est remplacé par BENCH_DATABASE_NAME (`mniop_bench` par défaut) : les
données de développement ne sont jamais touchées. Elle est créée au besoin et gardée d'une fois sur l'autre (les
scénarios ne font que compléter leurs données)."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg

ROOT = Path(__file__).resolve().parent.parent


def bench_database_url(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url, name):
    config = environ.Env.db_url_config(url)
    options = {
        **config.get("OPTIONS", {}),  # ?host=/chemin/de/la/socket : le PostgreSQL embarqué de tools/devenv.py
        "host": config.get("HOST") or config.get("OPTIONS", {}).get("host") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in options.items() if v}) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Base {name} créée.")


def main():
    source = os.environ.get("DATABASE_URL")
    if not source:
        sys.exit("DATABASE_URL manque : lancez `make bench`, qui la fournit.")
    name = os.environ.get("BENCH_DATABASE_NAME", "mniop_bench")
    url = bench_database_url(source, name)
    ensure_database(url, name)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mniop.settings.bench"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    scenarios = sorted(path.stem for path in (ROOT / "benchmarks").glob("bench_*.py"))
    only = sys.argv[1:]
    failed = []
    for scenario in scenarios:
        if only and scenario not in only:
            continue
        print(f"\n=== {scenario} ===", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", f"benchmarks.{scenario}"], cwd=ROOT, env=env, check=False)
        print(f"--- {scenario} : {time.monotonic() - started:.0f} s, code {result.returncode}", flush=True)
        if result.returncode:
            failed.append(scenario)
    if failed:
        sys.exit(f"Scénarios en échec : {', '.join(failed)}")


if __name__ == "__main__":
    main()
