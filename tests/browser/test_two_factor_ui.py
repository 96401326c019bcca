"""Le second facteur dans Chromium : première connexion (QR code dans la page, premier code, codes de secours),
puis connexion suivante avec un code ; la CSP stricte n'est jamais enfreinte."""

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken

from tests.accounts.factories import PASSWORD
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(page):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


def test_first_login_enrols_the_authenticator_app_then_shows_the_recovery_codes(page, world, screenshot):
    violations = watch_csp(page)
    user = world.user("association_agent")
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/second-facteur/activer/**")
    assert page.locator(".mniop-qr-code svg").is_visible()
    screenshot(page, "second-facteur-enrolement")

    secret = page.locator(".mniop-totp-secret").inner_text().replace(" ", "")
    code = TOTP(base64.b32decode(secret)).token()
    page.get_by_label("Code à 6 chiffres").fill(f"{code:06d}")
    page.get_by_role("button", name="Activer").click()

    assert "Vos codes de secours" in page.content()
    shown = page.locator(".mniop-recovery-codes code").all_inner_texts()
    assert sorted(shown) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    screenshot(page, "second-facteur-codes-de-secours")
    page.get_by_role("link", name="J'ai conservé mes codes, continuer").click()
    assert "Vous agissez au nom de Association Accueil Paris" in page.locator(".mniop-current-org").inner_text()
    assert violations == []


def test_next_login_asks_for_the_code(page, world, screenshot):
    violations = watch_csp(page)
    log_in(page, world.user("miprof_agent").email)
    assert "Vous agissez au nom de Miprof" in page.locator(".mniop-current-org").inner_text()
    page.goto("/mon-compte/")
    assert "Application d'authentification" in page.content()
    screenshot(page, "second-facteur-mon-compte")
    assert violations == []
