"""Le dialogue de fin de session dans Chromium : il s'ouvre avant la fin, « Rester connecté » prolonge la session
sous la CSP stricte (script servi par la plateforme, nonce), et sans réponse la session finit."""

from urllib.parse import urlparse

import pytest

from accounts.models import UserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(page, live_server, client_as, persona):
    """Le navigateur reprend la session du client de test connecté par `client_as` (second facteur compris)."""
    client = client_as(persona)
    host = urlparse(live_server.url).hostname
    page.context.add_cookies(
        [{"name": name, "value": morsel.value, "domain": host, "path": "/"} for name, morsel in client.cookies.items()]
    )


def test_the_warning_dialog_keeps_the_session_alive_then_lets_it_end(
    page, live_server, world, client_as, settings, screenshot
):
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_WARNING_BEFORE = 8, 6
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    open_as(page, live_server, client_as, "association_agent")
    page.goto(f"{live_server.url}/mon-compte/")
    assert page.get_by_role("heading", name="Mes sessions ouvertes").is_visible()

    dialog = page.locator("#session-timeout")
    dialog.get_by_role("button", name="Rester connecté").wait_for(state="visible", timeout=6_000)
    screenshot(page, "session-avertissement")
    before = UserSession.objects.get().last_activity_at
    with page.expect_response(lambda response: "/session/prolonger/" in response.url) as answer:
        dialog.get_by_role("button", name="Rester connecté").click()
    assert answer.value.status == 204
    dialog.get_by_role("button", name="Rester connecté").wait_for(state="hidden")
    assert UserSession.objects.get().last_activity_at > before
    assert page.url.endswith("/mon-compte/")

    # Sans réponse, la page se recharge à la fin : la session a pris fin, la page de connexion dit pourquoi.
    page.wait_for_url("**/connexion/**", timeout=15_000)
    assert "sans activité" in page.content()
    assert not UserSession.objects.exists()
    assert console_errors == []
