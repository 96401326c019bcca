import re

from django.urls import reverse

from tests.accounts.factories import PASSWORD
from tests.two_factor import current_totp_code, totp_device


def test_login_with_email_password_and_second_factor(world, client):
    user = world.user("association_agent")
    totp_device(user)
    response = client.post(reverse("accounts:login"), {"username": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"code": current_totp_code(user)})
    assert client.get(reverse("accounts:account_detail")).status_code == 200


def test_wrong_password_shows_a_french_message(world, client):
    user = world.user("association_agent")
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "faux"})
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


def test_logout_is_a_post(world, client_as):
    client = client_as("association_agent")
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:account_detail")).status_code == 302


def test_header_shows_current_organisation_and_role(world, client_as):
    content = client_as("departmental_validator").get(reverse("home")).content.decode()
    assert "Préfecture de Paris" in content
    assert "Valideur·se départemental·e" in content


def test_navigation_depends_on_role(world, client_as):
    admin_page = client_as("miprof_admin").get(reverse("home")).content.decode()
    agent_page = client_as("association_agent").get(reverse("home")).content.decode()
    assert "Journal d&#x27;accès" in admin_page or "Journal d'accès" in admin_page
    assert "Journal d" not in agent_page


def test_csp_header_carries_the_nonce_used_by_dsfr_scripts(db, client):
    response = client.get(reverse("home"))
    header = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", header).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "frame-ancestors 'none'" in header


def test_security_headers_are_set(db, client):
    response = client.get(reverse("home"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_in_french_with_the_marianne_block(db, client):
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="fr"' in content
    assert "République" in content
    assert "Accessibilité : non conforme" in content


def test_sessions_survive_a_secret_key_rotation_with_the_old_key_in_fallbacks(world, client_as, settings):
    kept, ended = client_as("association_agent"), client_as("association_agent")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "nouvelle-cle-apres-rotation-0123456789abcdef0123456789"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert kept.get(reverse("accounts:account_detail")).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    # La session vérifiée avec l'ancienne clé a reçu l'empreinte de la nouvelle ; l'autre, jamais revue, prend fin.
    assert kept.get(reverse("accounts:account_detail")).status_code == 200
    assert ended.get(reverse("accounts:account_detail")).status_code == 302


def test_renewing_the_session_token_still_ends_every_session(world, client_as):
    client = client_as("association_agent")
    user = world.user("association_agent")
    user.session_token = "renouvele"
    user.save(update_fields=["session_token"])
    assert client.get(reverse("accounts:account_detail")).status_code == 302
