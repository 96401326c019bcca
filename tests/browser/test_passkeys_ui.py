"""Les clés d'accès dans Chromium : l'authentificateur virtuel du protocole DevTools (`WebAuthn.enable`,
`WebAuthn.addVirtualAuthenticator`) joue la clé de sécurité. On l'ajoute depuis « Mon compte », puis la connexion
suivante se valide avec elle au lieu du code ; les scripts de django-otp-webauthn tournent sous la CSP stricte."""

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from tests.accounts.factories import PASSWORD
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page):
    """Une clé de sécurité FIDO2 virtuelle (CTAP2, résidente, vérification de l'utilisateur), qui répond seule."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    created = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, created["authenticatorId"]


def watch_csp(page):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


def test_a_passkey_is_added_from_my_account_then_validates_the_next_login(
    page, world, live_server, settings, screenshot
):
    # Le serveur de test écoute sur un port choisi au lancement : c'est l'origine que la clé d'accès signe.
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    violations = watch_csp(page)
    user = world.user("miprof_agent")
    session, authenticator = virtual_authenticator(page)

    log_in(page, user.email)
    page.goto("/mon-compte/")
    page.get_by_role("button", name="Ajouter une clé d'accès").click()
    page.wait_for_function("() => document.querySelector('#passkey-register-status-message')?.textContent.trim()")
    page.wait_for_load_state("networkidle")
    credential = WebAuthnCredential.objects.get(user=user)
    stored = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1 and stored[0]["rpId"] == "localhost"
    page.goto("/mon-compte/")
    # Une clé sans nom (l'authentificateur n'en donne pas) reste désignée : « clé n° 1 (ajoutée le …) ».
    keys = page.locator("li", has_text="Clés d'accès (passkeys)").inner_text()
    assert re.search(r"clé n° 1\s+\(ajoutée le \d{2}/\d{2}/\d{4}\)", keys), keys
    screenshot(page, "cle-d-acces-ajoutee")

    page.context.clear_cookies()
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/second-facteur/verifier/"))
    screenshot(page, "cle-d-acces-verification")
    page.get_by_role("button", name="Utiliser ma clé d'accès").click()
    page.wait_for_url(lambda url: "/second-facteur/" not in url)

    assert "Vous agissez au nom de Miprof" in page.locator(".mniop-current-org").inner_text()
    page.goto("/mon-compte/")
    assert page.url.endswith("/mon-compte/")  # une page qui exige le second facteur s'ouvre
    credential.refresh_from_db()
    assert credential.sign_count >= 1 or credential.last_used_at is not None
    assert violations == []
