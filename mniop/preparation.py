"""Préparer la plateforme avant de la servir (`manage.py prepare_platform`, lancé par `make run`), sans refaire ce qui
est déjà fait : chaque étape (données de référence, données de démonstration, fichiers statiques) est faite une fois
par version de ses sources, retenue en base dans `SetupStamp`.

L'empreinte d'une étape de chargement couvre les migrations appliquées, les fichiers des commandes, chaque module du
projet qu'elles importent (de proche en proche) et les fichiers de données rangés à côté de ces modules (`*.csv`,
dossier `data/`). Celle des fichiers statiques couvre le contenu de chaque fichier que trouvent les « finders » de
Django, le moteur de stockage et STATIC_ROOT. Les commandes de chargement restent idempotentes : une empreinte
changée les relance toutes, sans doublon.

N'importe aucune application du MNIOP : les commandes sont appelées par leur nom (`call_command`).
"""

import ast
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import get_commands
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from mniop.models import SetupStamp

ROOT = Path(settings.BASE_DIR).resolve()


def _module_file(name):
    """Le fichier du module `name` s'il fait partie du projet (a.b.c : a/b/c.py ou a/b/c/__init__.py), sinon None."""
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(path):
    """Les modules qu'importe un fichier, avec leurs paquets parents (`from a.b import c` : a, a.b, a.b.c)."""
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            yield from (".".join(parts[: i + 1]) for i in range(len(parts)))


def command_file(name):
    """Le fichier d'une commande de gestion du projet (None pour celles de Django ou d'un paquet installé)."""
    app = get_commands().get(name)
    if app is None:
        raise KeyError(f"Commande de gestion inconnue : {name}")
    path = ROOT.joinpath(*app.split("."), "management", "commands", f"{name}.py")
    return path if path.is_file() else None


def source_files(command_names):
    """Les fichiers dont dépend le résultat des commandes : elles, les modules du projet qu'elles importent de
    proche en proche, et les fichiers de données de leurs dossiers (hors code Python) et de leurs dossiers `data/`."""
    pending = [path for path in map(command_file, command_names) if path is not None]
    modules = set()
    while pending:
        path = pending.pop()
        if path in modules:
            continue
        modules.add(path)
        pending.extend(file for file in map(_module_file, set(_imported_modules(path))) if file is not None)
    data = {
        file
        for folder in {path.parent for path in modules}
        for file in [*folder.iterdir(), *(folder / "data").glob("**/*")]
        if file.is_file() and file.suffix not in (".py", ".pyc")
    }
    return sorted(modules | data)


def _digest(parts: Iterable[bytes]):
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def loading_fingerprint(command_names):
    """L'empreinte d'une étape de chargement : migrations appliquées, puis chemin et contenu de chaque source."""
    applied = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
    files = source_files(command_names)
    return _digest(
        [" ".join(command_names).encode(), "\n".join(applied).encode()]
        + [part for file in files for part in (file.relative_to(ROOT).as_posix().encode(), file.read_bytes())]
    )


def static_fingerprint():
    """L'empreinte des fichiers statiques : chaque fichier trouvé (nom public et contenu), stockage et destination."""
    found = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            name = f"{getattr(storage, 'prefix', None) or ''}/{path}".lstrip("/")
            found.setdefault(name, storage.path(path))  # le premier trouvé est celui que sert collectstatic
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    return _digest(
        [backend.encode(), str(settings.STATIC_ROOT).encode()]
        + [part for name in sorted(found) for part in (name.encode(), Path(found[name]).read_bytes())]
    )


def is_done(step, fingerprint):
    return SetupStamp.objects.filter(step=step, fingerprint=fingerprint).exists()


def mark_done(step, fingerprint):
    SetupStamp.objects.update_or_create(
        step=step, defaults={"fingerprint": fingerprint, "completed_at": timezone.now()}
    )
