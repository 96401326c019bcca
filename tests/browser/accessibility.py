"""Accessibilité (RGAA 4.1) dans le navigateur : axe-core, tel que le paquet PyPI `axe-playwright-python` le
fournit (`axe.min.js`, jamais téléchargé au moment du test).

- `assert_no_axe_violations(page)` : aucune violation, quel que soit son impact, sur la page affichée.
- `AxeSweep` : le fixture `page` de `conftest.py` note chaque page HTML obtenue par GET pendant le test, puis les
  repasse toutes à axe à la fin du test ; une violation fait échouer le test qui a visité la page.
"""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

#: Les règles d'axe-core du WCAG 2.1 A et AA (le RGAA 4.1 s'y adosse) et ses bonnes pratiques (`region`…).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}

_axe = Axe()


def axe_violations(page):
    """Les violations d'axe-core sur la page affichée : liste de (règle, impact, cibles, aide)."""
    response = _axe.run(page, options=AXE_OPTIONS).response
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]], violation["help"])
        for violation in response["violations"]
    ]


def describe(violations):
    return "\n".join(f"- {rule} ({impact}) : {help} ; {targets[:5]}" for rule, impact, targets, help in violations)


def assert_no_axe_violations(page):
    """Échoue avec la liste des violations (règle, impact, éléments) s'il y en a, de tout impact."""
    violations = axe_violations(page)
    assert not violations, f"axe-core, {page.url} :\n{describe(violations)}"


class AxeSweep:
    """Les pages HTML obtenues par GET (200) dans le cadre principal pendant un test, une fois chacune."""

    def __init__(self, page):
        self.page = page
        self.paths = []
        page.on("response", self._record)

    def _record(self, response):
        request = response.request
        if (
            request.method == "GET"
            and request.resource_type == "document"
            and request.frame == self.page.main_frame
            and response.status == 200
            and response.headers.get("content-type", "").startswith("text/html")
        ):
            parts = urlsplit(response.url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in self.paths:
                self.paths.append(path)

    def failures(self):
        """Repasse chaque page notée à axe-core ; renvoie le texte des violations trouvées (vide si aucune)."""
        self.page.remove_listener("response", self._record)
        found = []
        for path in self.paths:
            response = self.page.goto(path)
            if response is None or response.status != 200:
                continue
            violations = axe_violations(self.page)
            if violations:
                found.append(f"{path} :\n{describe(violations)}")
        return "\n".join(found)
