"""`docs/architecture.md` est la carte du code : chaque chemin de fichier ou de dossier qu'il nomme existe."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
#: Un chemin entre accents graves : des segments séparés par « / », sans espace ; `*` est un motif de fichiers.
PATH = re.compile(r"`([A-Za-z0-9_.*-]+(?:/[A-Za-z0-9_.*-]+)+/?)`")


def named_paths():
    return sorted({match.group(1) for match in PATH.finditer(DOC.read_text())})


def exists(path):
    if "*" in path:
        return any(ROOT.glob(path))
    return (ROOT / path).exists()


def test_the_architecture_document_names_paths():
    paths = named_paths()
    assert len(paths) > 50
    assert "directory/services.py" in paths


def test_every_path_named_in_the_architecture_document_exists():
    assert [path for path in named_paths() if not exists(path)] == []
