"""La configuration pgBackRest de production (deploy/backup/) exercée avec un vrai pgbackrest
(tools/pgbackrest_drill.sh).

Grappe PostgreSQL temporaire (PostgreSQL 15, que connaît le pgBackRest 2.45 de Debian 12), dépôt chiffré dans un
dossier temporaire : la base des tests n'est ni lue ni touchée. Environ 30 s. Sans pgbackrest ou sans PostgreSQL 15,
le test est sauté avec la raison (en CI, .ci/run installe les deux : il n'y est jamais sauté)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DRILL = ROOT / "tools" / "pgbackrest_drill.sh"
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))


@pytest.mark.pgbackrest_drill
def test_production_pgbackrest_config_restores_to_a_point_in_time_and_to_the_latest_wal():
    missing = None
    if shutil.which("pgbackrest") is None:
        missing = "pgbackrest absent : apt-get install pgbackrest (installé par .ci/run en CI)"
    elif not (PGBIN / "initdb").exists():
        missing = f"PostgreSQL 15 absent ({PGBIN}) : apt-get install postgresql-15, ou PGBIN=..."
    if missing and os.environ.get("CI") == "true":
        pytest.fail(missing)  # en CI, jamais sauté
    if missing:
        pytest.skip(missing)

    env = {key: value for key, value in os.environ.items() if not key.startswith(("PG", "DATABASE_URL"))}
    env["PGBIN"] = str(PGBIN)
    result = subprocess.run(
        ["bash", str(DRILL)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=180,
    )

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # Jusqu'à T : lots A (avant la différentielle) et B ; jusqu'au dernier WAL : A, B et C.
    assert report["lignes_t"] == 20000
    assert report["lignes_dernier"] == 30000
    # Rétention repo1-retention-full=4 : après 5 complètes, la première (et sa différentielle) a disparu.
    assert report["completes_gardees"] == 4
    assert "Exercice pgBackRest réussi" in result.stdout
    # planification.sh a préparé le dépôt, vérifié l'archivage et fait la première sauvegarde complète.
    assert "stanza-create command end: completed successfully" in result.stdout
    assert "aucune sauvegarde complète : première sauvegarde complète maintenant" in result.stdout
