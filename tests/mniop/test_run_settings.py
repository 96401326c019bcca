"""`make run` sert la plateforme comme en production (mniop.settings.local) : DEBUG désactivé, pages d'erreur
françaises dans la mise en page du DSFR, fichiers statiques empreints servis par WhiteNoise avec un long cache, et
tous les liens absolus (courriels, PDF) à l'adresse réellement servie, http://127.0.0.1:WEB_PORT."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.views.defaults import bad_request, server_error

from notifications.models import OutboxMessage
from notifications.services import deliver
from signalements.receipts import render_receipt_pdf
from tests.signalements.factories import submitted_signalement
from tests.signalements.test_receipts import pdf_text

ROOT = Path(__file__).resolve().parent.parent.parent
HASHED_CSS = re.compile(r'href="(/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]{12}\.css)"')
ONE_YEAR_OR_MORE_IMMUTABLE = re.compile(r"max-age=(\d+).*immutable")


def run_settings(**environ):
    """Les réglages de `make run`, évalués dans un processus neuf avec cet environnement (sans SITE_URL)."""
    env = {key: value for key, value in os.environ.items() if key not in ("SITE_URL", "WEB_PORT", "DEBUG")}
    script = (
        "import json; from mniop.settings import local as s; "
        "print(json.dumps({'DEBUG': s.DEBUG, 'SITE_URL': s.SITE_URL, 'STORAGES': s.STORAGES}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env | environ, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def local_settings():
    return run_settings()


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory, local_settings):
    """collectstatic avec le stockage de `make run` (noms empreints, manifeste), sans la compression (le travail de
    WhiteNoise, lent et sans effet sur les noms ni les en-têtes vérifiés ici)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STORAGES=local_settings["STORAGES"], STATIC_ROOT=root, WHITENOISE_SKIP_COMPRESS_EXTENSIONS=["css", "js", "svg"]
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def served_as_make_run(collected_static, local_settings):
    """Le site tel que `make run` le sert : DEBUG faux, manifeste de collectstatic, WhiteNoise sans les finders."""
    with override_settings(
        DEBUG=False,
        STORAGES=local_settings["STORAGES"],
        STATIC_ROOT=collected_static,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        yield Client()


def test_make_run_settings_turn_debug_off_and_use_hashed_static_files(local_settings):
    assert local_settings["DEBUG"] is False
    assert local_settings["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert local_settings["SITE_URL"] == "http://127.0.0.1:8000"


def test_make_run_settings_follow_web_port():
    assert run_settings(WEB_PORT="8123")["SITE_URL"] == "http://127.0.0.1:8123"


def test_site_url_wins_over_web_port_when_given():
    assert run_settings(WEB_PORT="8123", SITE_URL="https://mniop.example.gouv.fr/")["SITE_URL"] == (
        "https://mniop.example.gouv.fr"
    )


@pytest.mark.django_db
def test_mistyped_url_shows_the_french_404_page_not_the_debug_page(served_as_make_run):
    response = served_as_make_run.get("/signalemnts/nouveau/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert 'class="fr-header"' in html
    assert "URLconf" not in html
    assert "Page not found" not in html
    assert HASHED_CSS.search(html)


@pytest.mark.django_db
def test_pages_reference_hashed_static_files_served_with_a_long_cache(served_as_make_run):
    page = served_as_make_run.get(reverse("accessibility"))
    assert page.status_code == 200
    css_url = HASHED_CSS.search(page.content.decode()).group(1)
    assert re.search(r'href="/static/css/mniop\.[0-9a-f]{12}\.css"', page.content.decode())

    response = served_as_make_run.get(css_url)
    assert response.status_code == 200
    cache = ONE_YEAR_OR_MORE_IMMUTABLE.search(response["Cache-Control"])
    assert cache and int(cache.group(1)) >= 365 * 24 * 3600
    assert b"".join(response.streaming_content).startswith(b"@charset")
    # Sans empreinte, le fichier n'est pas gardé : rien ne le demande et il ne pourrait pas être mis en cache.
    assert served_as_make_run.get("/static/dsfr/dist/dsfr/dsfr.min.css").status_code == 404


@pytest.mark.django_db
def test_every_stylesheet_and_script_loads_and_passes_its_integrity_check(served_as_make_run):
    """Un navigateur refuse une feuille dont l'attribut `integrity` ne correspond pas au fichier servi : avec des
    fichiers empreints dont collectstatic réécrit les url(), celles du DSFR ne s'appliqueraient plus."""
    html = served_as_make_run.get(reverse("accessibility")).content.decode()
    checked = 0
    for tag in re.findall(r"<(?:link|script)\b[^>]*>", html):
        url = re.search(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', tag)
        if not url:
            continue
        response = served_as_make_run.get(url.group(1))
        assert response.status_code == 200, url.group(1)
        body = b"".join(response.streaming_content)
        response.close()
        integrity = re.search(r'integrity="sha384-([^"]+)"', tag)
        if integrity:
            assert base64.b64encode(hashlib.sha384(body).digest()).decode() == integrity.group(1), url.group(1)
        checked += 1
    assert checked >= 5


@pytest.mark.django_db
def test_fonts_and_icons_named_by_the_dsfr_stylesheet_are_served(served_as_make_run):
    html = served_as_make_run.get(reverse("accessibility")).content.decode()
    css_url = HASHED_CSS.search(html).group(1)
    css_response = served_as_make_run.get(css_url)
    css = b"".join(css_response.streaming_content).decode()
    css_response.close()
    targets = sorted(set(re.findall(r"url\(\"?([^)\"]+\.(?:woff2|svg))", css)))
    assert len(targets) > 20
    base = css_url.rsplit("/", 1)[0] + "/"
    for target in targets[:: max(1, len(targets) // 15)]:
        path = os.path.normpath(base + target.split("?")[0].split("#")[0])
        response = served_as_make_run.get(path)
        response.close()
        assert response.status_code == 200, path


def test_400_page_is_french_in_the_dsfr_layout():
    response = bad_request(RequestFactory().get("/"), exception=None)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Requête incorrecte</h1>" in html
    assert 'class="fr-header"' in html


def test_500_page_is_french_in_the_dsfr_layout_without_touching_the_database():
    # Sans la marque django_db, toute requête à la base lèverait une erreur : la page ne doit pas en avoir besoin.
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Erreur inattendue</h1>" in html
    assert 'class="fr-header"' in html


@pytest.mark.django_db
def test_form_posted_without_csrf_token_gets_the_french_csrf_page():
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "a@example.org", "password": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Formulaire expiré</h1>" in html
    assert 'class="fr-header"' in html
    assert "CSRF verification failed" not in html


@pytest.mark.django_db
def test_receipt_and_email_built_under_web_port_8123_link_to_port_8123(world, settings, tmp_path):
    settings.SITE_URL = run_settings(WEB_PORT="8123")["SITE_URL"]
    signalement = submitted_signalement(world)

    assert "http://127.0.0.1:8123" in pdf_text(render_receipt_pdf(signalement), tmp_path)
    assert "127.0.0.1:8000" not in pdf_text(render_receipt_pdf(signalement), tmp_path)

    message = OutboxMessage.objects.get(template="signalement_submitted", recipient=world.user("miprof_agent").email)
    assert deliver(message_id=message.pk) is True
    assert f"http://127.0.0.1:8123/dossiers/{signalement.public_id}/" in mail.outbox[0].body
