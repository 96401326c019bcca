"""Le contrôle axe-core lui-même : il voit une violation connue et n'en invente pas sur une page propre."""

import pytest

from tests.browser.accessibility import assert_no_axe_violations, axe_violations

pytestmark = [pytest.mark.browser]

CLEAN = """<!DOCTYPE html><html lang="fr"><head><title>Propre</title></head>
<body><main><h1>Titre</h1><p>Texte.</p></main></body></html>"""


def test_axe_reports_an_image_without_text_alternative_and_a_content_outside_landmarks(page):
    page.set_content('<!DOCTYPE html><html lang="fr"><head><title>T</title></head><body><img src="x"></body></html>')
    rules = {rule for rule, _, _, _ in axe_violations(page)}
    assert {"image-alt", "region"} <= rules
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)


def test_axe_finds_nothing_on_a_clean_page(page):
    page.set_content(CLEAN)
    assert_no_axe_violations(page)
