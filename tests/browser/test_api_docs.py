"""La documentation de l'API s'affiche dans Chromium sous la CSP stricte, avec ses seules ressources locales."""

import re


def test_api_docs_render_under_the_csp_with_local_assets(page, live_server, screenshot):
    blocked, external = [], []
    page.on("console", lambda message: blocked.append(message.text) if "Refused to" in message.text else None)
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else external.append(request.url)
    )
    page.goto("/api/docs/")
    page.get_by_text("Créer un brouillon de signalement").wait_for()
    assert page.title() == "Documentation de l'API du MNIOP"
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("API du MNIOP")
    assert page.get_by_text("Déposer un signalement").is_visible()
    assert not [text for text in blocked if re.search(r"script|connect", text)], blocked
    assert external == []
    screenshot(page, "api-docs")
