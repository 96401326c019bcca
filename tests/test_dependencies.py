"""Le sens des dépendances entre applications (docs/architecture.md) : `accounts -> referents`,
`directory -> accounts, referents`, `signalements -> accounts, referents`, `orientation -> signalements, referents,
accounts`, jamais l'inverse ; `demo` est tout en haut (rien ne l'importe) ; `mniop` n'importe aucune application.
Vérifié sur le code (imports, y compris à l'intérieur des fonctions, et `apps.get_model`)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Ce que chaque application n'a pas le droit d'importer.
FORBIDDEN = {
    "mniop": {"notifications", "referents", "accounts", "directory", "signalements", "orientation", "demo"},
    "notifications": {"referents", "accounts", "directory", "signalements", "orientation", "demo"},
    "referents": {"accounts", "directory", "signalements", "orientation", "demo"},
    "accounts": {"directory", "signalements", "orientation", "demo"},
    "directory": {"signalements", "orientation", "demo"},
    "signalements": {"orientation", "demo"},
    "orientation": {"demo"},
}
#: Le point d'entrée des URL (mniop/urls.py) et la configuration Celery assemblent les applications.
ASSEMBLY = {"mniop/urls.py", "mniop/celery.py"}


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield first.value.split(".")[0]


def modules_of(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative and relative not in ASSEMBLY:
            yield relative, path


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_no_app_imports_a_layer_above_it(app):
    offending = sorted(
        f"{relative} importe {imported}"
        for relative, path in modules_of(app)
        for imported in set(imported_apps(path))
        if imported in FORBIDDEN[app]
    )
    assert offending == []
