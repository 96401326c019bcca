"""Tests dans un vrai navigateur : Chromium de Debian (jamais `playwright install`) piloté par Playwright (API
synchrone), contre le `live_server` de pytest-django.

- `page` : un onglet neuf par test, dans un contexte neuf (cookies vides), en français ; une capture est
  enregistrée dans `test-artifacts/echecs/` quand le test échoue.
- `screenshot(page, "nom")` : enregistre `test-artifacts/nom.png` (dossier ignoré par git).
- Tous les tests de ce dossier portent la marque `browser` (`pytest -m "not browser"` les écarte).
- Chromium absent : hors CI, les tests sont ignorés avec une raison claire et une ligne dans le résumé final ;
  avec CI=true, ils échouent. CHROMIUM_PATH désigne un autre binaire que /usr/bin/chromium.

`live_server` impose l'accès transactionnel à la base (pytest-django le demande lui-même) : les données créées par le
test sont visibles du serveur, et toutes les tables sont vidées après chaque test. ATOMIC_REQUESTS s'applique
normalement aux requêtes du navigateur.
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser.accessibility import AxeSweep

# Playwright (API synchrone) fait tourner une boucle asyncio dans le fil du test : l'ORM y serait refusé sans ceci.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000


def chromium_path():
    return Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def missing_chromium_reason():
    return (
        f"Chromium introuvable ({chromium_path()}) : tests navigateur ignorés. "
        "Pour les lancer : sudo apt-get install --no-install-recommends chromium"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "Chromium introuvable" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} test(s) navigateur ignoré(s)", yellow=True, bold=True)
        terminalreporter.write_line(missing_chromium_reason(), yellow=True)


def save_screenshot(page, name, folder=ARTIFACTS):
    """Enregistre une capture pleine page sous test-artifacts/<name>.png et renvoie son chemin."""
    safe_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "capture"
    path = folder / f"{safe_name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def screenshot():
    """`screenshot(page, "accueil")` enregistre test-artifacts/accueil.png."""
    return save_screenshot


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        if in_ci():
            pytest.fail(f"Chromium introuvable ({executable}) alors que CI=true : apt-get install chromium")
        pytest.skip(missing_chromium_reason())

    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server, request):
    """Un onglet neuf ; à la fin d'un test réussi, chaque page HTML qu'il a obtenue est repassée à axe-core
    (`tests/browser/accessibility.py`) : une violation, de tout impact, fait échouer le test."""
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    sweep = AxeSweep(page)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_screenshot(page, request.node.name, folder=ARTIFACTS / "echecs")
    failures = sweep.failures() if report is not None and report.passed else ""
    context.close()
    if failures:
        pytest.fail(f"axe-core : violations sur les pages visitées par le test\n{failures}", pytrace=False)
