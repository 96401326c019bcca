"""Le sens des dépendances entre applications (docs/architecture.md) : `accounts -> referents`,
`directory -> accounts, referents`, `signalements -> accounts, referents`, `orientation -> signalements, referents,
accounts`, `privacy -> orientation, signalements, accounts, notifications`, jamais l'inverse ; `observatoire`
(les statistiques) lit tout et rien ne l'importe, sauf `demo` qui calcule les statistiques de démonstration ;
`demo` est tout en haut (rien ne l'importe) ; `mniop` n'importe aucune application.
Vérifié sur le code (imports, y compris à l'intérieur des fonctions, et `apps.get_model`)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Ce que chaque application n'a pas le droit d'importer.
FORBIDDEN = {
    "mniop": {
        "notifications",
        "referents",
        "accounts",
        "directory",
        "signalements",
        "orientation",
        "privacy",
        "observatoire",
        "demo",
    },
    "notifications": {
        "referents",
        "accounts",
        "directory",
        "signalements",
        "orientation",
        "privacy",
        "observatoire",
        "demo",
    },
    "referents": {"accounts", "directory", "signalements", "orientation", "privacy", "observatoire", "demo"},
    "accounts": {"directory", "signalements", "orientation", "privacy", "observatoire", "demo"},
    "directory": {"signalements", "orientation", "privacy", "observatoire", "demo"},
    "signalements": {"orientation", "privacy", "observatoire", "demo"},
    "orientation": {"privacy", "observatoire", "demo"},
    "privacy": {"directory", "observatoire", "demo"},
    "observatoire": {"demo"},
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


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def is_page_view(module):
    """`orientation.views.cases` en est un ; `orientation.api.views` et `rest_framework.views` non."""
    parts = module.split(".")
    return parts[0] in FORBIDDEN and "views" in parts[1:] and "api" not in parts[1:]


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_the_api_imports_no_page_view(app):
    """L'API et les pages appellent les mêmes services et lisent les mêmes tables (cycle de vie, actions,
    permissions) ; une vue de page n'est jamais la source d'une règle de l'API."""
    offending = sorted(
        f"{relative} importe {module}"
        for relative, path in modules_of(app)
        if "/api/" in relative
        for module in set(imported_modules(path))
        if is_page_view(module)
    )
    assert offending == []
