"""En-têtes de sécurité (constat 7) : aucune mise en cache d'une réponse authentifiée, `Permissions-Policy`,
`Cross-Origin-Opener-Policy`, et `check --deploy` sans avertissement avec les réglages de production."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from accounts.services_api_tokens import create_api_token

ROOT = Path(__file__).resolve().parents[2]
#: Une clé Fernet de test (32 octets en base64) : la production exige une clé de chiffrement de l'identité.
IDENTITY_KEY = "dGVzdC1jbGUtZGUtY2hpZmZyZW1lbnQtMzItb2N0ZXQ="


def assert_not_cached(response):
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]


def test_a_case_page_is_never_cached(client_as, submitted):
    assert_not_cached(client_as("miprof_agent").get(reverse("orientation:case_detail", args=[submitted.public_id])))


def test_the_api_json_is_never_cached(world, client, submitted):
    _, secret = create_api_token(organisation=world.association, name="Suivi", by=world.acting("association_admin"))
    response = client.get("/api/v1/signalements/", headers={"Authorization": f"Token {secret}"})
    assert_not_cached(response)


def test_a_csv_export_is_never_cached(client_as):
    assert_not_cached(client_as("association_admin").get(reverse("directory:directory_search_export")))


def test_every_response_has_a_permissions_policy_and_an_opener_policy(db, client):
    response = client.get(reverse("accounts:login"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]


def test_check_deploy_with_the_production_settings_has_no_warning():
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "mniop.settings.prod",
        "SECRET_KEY": "k" * 30 + "Z9!x" + "q" * 30,
        "ALLOWED_HOSTS": "mniop.example.gouv.fr",
        "SITE_URL": "https://mniop.example.gouv.fr",
        "DUPLICATE_HMAC_KEY": "cle-de-test",
        "IDENTITY_ENCRYPTION_KEYS": IDENTITY_KEY,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Seul axes.W006 est tu, volontairement (mniop/settings/base.py : verrouiller par compte, pas par adresse).
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_production_cookies_are_host_prefixed():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mniop.settings.prod", "SECRET_KEY": "x", "ALLOWED_HOSTS": "a"}
    env |= {"SITE_URL": "https://a", "DUPLICATE_HMAC_KEY": "x", "IDENTITY_ENCRYPTION_KEYS": IDENTITY_KEY}
    code = "from django.conf import settings as s; "
    code += "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SECURE_HSTS_PRELOAD)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True"]
