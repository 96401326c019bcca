"""Banc d'essai de la restauration : l'exercice de `tools/restore_drill.py` à 1 000 000 de signalements (et trois
lignes du journal d'accès pour chacun), puis un million de consultations journalisées après la sauvegarde de base,
pour mesurer le temps de restauration (RTO) face à l'objectif d'une heure.

    python -m benchmarks.bench_restore                 (ou `make bench BENCH_ARGS=bench_restore`)
    BENCH_RESTORE_SIGNALEMENTS=200000 python -m benchmarks.bench_restore

Contrairement aux autres scénarios, il n'utilise pas la base de DATABASE_URL : l'exercice crée ses propres grappes
PostgreSQL (production, sauvegarde, restaurations) dans `.local/restore-drill`, puis les efface. Il faut environ
6 Go de disque libre à 1 000 000 de signalements.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIGNALEMENTS = int(os.environ.get("BENCH_RESTORE_SIGNALEMENTS", "1000000"))
#: Après la sauvegarde de base, une journée très chargée à l'échelle européenne : 1 million de consultations
#: journalisées (300 millions par an au plus, docs/passage-a-l-echelle.md). C'est ce que la restauration rejoue.
ACCESS_LOG_AFTER_BACKUP = int(os.environ.get("BENCH_RESTORE_ACCESS_LOG", "1000000"))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "compte-rendu.json"
        command = [sys.executable, str(ROOT / "tools" / "restore_drill.py"), "--signalements", str(SIGNALEMENTS)]
        command += ["--access-log-after-backup", str(ACCESS_LOG_AFTER_BACKUP)]
        result = subprocess.run([*command, "--report", str(report_path)], cwd=ROOT, check=False)
        if result.returncode != 0:
            sys.exit(f"Exercice de restauration en échec (code {result.returncode}).")
        report = json.loads(report_path.read_text(encoding="utf-8"))
    latest = report["restauration_dernier_wal"]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nMachine : {os.cpu_count()} cœurs, charge moyenne (1, 5, 15 min) {load} à la fin de la mesure.")
    print(f"Base : {report['taille_base'] / 2**30:.2f} Gio, {report['lignes']} lignes dans {report['tables']} tables.")
    print(
        f"Sauvegarde de base : {report['sauvegarde_secondes']} s ; "
        f"{report['sauvegarde_taille'] / 2**30:.2f} Gio ; WAL à rejouer : {report['wal_archives']} segments, "
        f"{report['wal_archives_taille'] / 2**30:.2f} Gio."
    )
    print(
        f"Restauration (RTO mesuré, jusqu'au dernier WAL) : {latest['total_secondes']} s "
        f"(copie {latest['copie_secondes']} s, rejeu des WAL et promotion {latest['rejeu_wal_secondes']} s)."
    )
    print(f"Restauration jusqu'à un instant T : {report['restauration_instant_t']['total_secondes']} s.")


if __name__ == "__main__":
    main()
