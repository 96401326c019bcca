"""L'accusé de réception PDF : son contenu (texte extrait par pdftotext), son rendu sans réseau, sa vue."""

import datetime
import socket
import subprocess
import threading
from pathlib import Path

import dsfr
import pytest
import time_machine
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from mniop.pdf import LocalStaticFetcher, NetworkAccessRefused, render_pdf
from signalements.models import Signalement
from signalements.receipts import render_receipt_pdf
from tests.personas import EVERYONE
from tests.referents.factories import TerritoryFactory
from tests.signalements.factories import SignalementFactory, submitted_signalement

STATIC_FONTS = Path(dsfr.__file__).resolve().parent / "static/dsfr/dist/fonts"
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
ACCOUNT = "Récit confidentiel : elle travaillait dans un salon de manucure à Saint-Denis sans être payée."
IDENTITY = {
    "first_name": "Ioana",
    "last_name": "Popescu",
    "pseudonym": "Lila",
    "birth_date": datetime.date(1999, 4, 2),
}


def pdf_text(pdf, tmp_path):
    source = tmp_path / "receipt.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, text=True)
    return " ".join(result.stdout.split())


@pytest.fixture
def signalement(world):
    with time_machine.travel(datetime.datetime(2026, 3, 14, 8, 5, tzinfo=datetime.UTC), tick=False):
        return submitted_signalement(world, account=ACCOUNT, **IDENTITY)


def test_receipt_gives_reference_date_organisation_and_next_steps(signalement, tmp_path):
    text = pdf_text(render_receipt_pdf(signalement), tmp_path)
    assert "Accusé de réception d'un signalement" in text
    assert signalement.reference in text
    assert "samedi 14 mars 2026 à 09:05 (heure de Paris)" in text
    assert "Association Accueil Paris" in text
    assert signalement.submitted_by.get_full_name() in text
    assert "Instruction par la Miprof" in text
    assert "Décision départementale" in text
    assert "Mes signalements" in text


def test_receipt_never_contains_the_account_nor_the_identity(signalement, tmp_path):
    text = pdf_text(render_receipt_pdf(signalement), tmp_path)
    assert "manucure" not in text
    assert "confidentiel" not in text.lower().replace("aucune donnée", "")
    for value in ("Ioana", "Popescu", "Lila", "1999", "02/04"):
        assert value not in text


def test_receipt_uses_the_time_zone_of_the_departement(world, tmp_path):
    reunion = TerritoryFactory(code="974", name="La Réunion", time_zone="Indian/Reunion")
    with time_machine.travel(datetime.datetime(2026, 3, 14, 8, 5, tzinfo=datetime.UTC), tick=False):
        signalement = submitted_signalement(world, departement=reunion)
    text = pdf_text(render_receipt_pdf(signalement), tmp_path)
    assert "à 12:05 (heure de La Réunion)" in text


def test_receipt_is_embedded_with_the_marianne_font(signalement, tmp_path):
    source = tmp_path / "receipt.pdf"
    source.write_bytes(render_receipt_pdf(signalement))
    fonts = subprocess.run(["pdffonts", str(source)], capture_output=True, check=True, text=True).stdout
    assert "Marianne" in fonts


def test_receipt_page_one_is_rendered_to_png_for_review(signalement, tmp_path):
    """Écrit test-artifacts/accuse-de-reception.pdf et .png (page 1), à regarder après une modification du gabarit."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "accuse-de-reception"
    source = target.with_suffix(".pdf")
    source.write_bytes(render_receipt_pdf(signalement))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source), str(target)])
    assert target.with_suffix(".png").stat().st_size > 10_000
    info = subprocess.run(["pdfinfo", str(source)], capture_output=True, check=True, text=True).stdout
    assert "Pages:           1" in info


def test_a_draft_has_no_receipt(world):
    draft = SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))
    with pytest.raises(ValueError):
        render_receipt_pdf(draft)


# Aucun accès réseau pendant le rendu


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/style.css",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file://example.org/etc/passwd",
        f"{STATIC_FONTS.as_uri()}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_fetcher_refuses_everything_but_local_static_files(url):
    fetcher = LocalStaticFetcher()
    with pytest.raises(NetworkAccessRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_the_dsfr_static_files():
    fetcher = LocalStaticFetcher()
    response = fetcher.fetch((STATIC_FONTS / "Marianne-Bold.woff2").as_uri())
    assert response.read(4) == b"wOF2"
    response.close()


def test_rendering_never_opens_a_network_connection(tmp_path):
    """Un vrai serveur local écoute : le rendu d'un document qui le référence ne s'y connecte jamais."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    port = server.getsockname()[1]
    connections = []

    def accept():
        try:
            connections.append(server.accept())
        except TimeoutError:
            pass

    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
        f'<img src="http://127.0.0.1:{port}/b.png"><p style="background: url(http://127.0.0.1:{port}/c.png)">x</p>'
    )
    fetcher = LocalStaticFetcher()
    pdf = render_pdf(html, url_fetcher=fetcher)
    thread = threading.Thread(target=accept)
    thread.start()
    thread.join()
    server.close()
    assert pdf.startswith(b"%PDF")
    assert connections == []
    assert {url.rsplit("/", 1)[1] for url in fetcher.refused} == {"a.css", "b.png", "c.png"}


# La vue


def receipt_url(signalement):
    return reverse("signalements:signalement_receipt", args=[signalement.public_id])


@pytest.mark.parametrize(
    "persona, expected_status",
    [
        ("anonymous", 302),
        ("association_agent", 200),
        ("association_admin", 200),
        ("association_agent_other_org", 404),
        ("association_admin_other_org", 404),
        ("miprof_agent", 200),
        ("miprof_admin", 200),
        ("departmental_validator", 404),
        ("departmental_validator_other_departement", 404),
        ("territorial_referent", 404),
        ("statistician", 404),
        ("platform_admin", 404),
        ("police_officer", 404),
        ("police_officer_other_unit", 404),
        ("gendarme", 404),
        ("labour_inspector", 404),
        ("child_protection_agent", 404),
        ("parquet_magistrate", 404),
    ],
)
def test_receipt_access_matrix(world, client_as, persona, expected_status):
    signalement = submitted_signalement(world)
    response = client_as(persona).get(receipt_url(signalement))
    assert response.status_code == expected_status
    logged = AccessLog.objects.filter(action=AccessAction.DOWNLOAD).for_object(signalement)
    assert logged.count() == (1 if expected_status == 200 else 0)


def test_every_persona_is_in_the_receipt_matrix():
    cases = test_receipt_access_matrix.pytestmark[0].args[1]
    assert sorted(persona for persona, _ in cases) == sorted(EVERYONE)


def test_receipt_view_returns_a_pdf_attachment_and_logs_the_download(world, client_as):
    signalement = submitted_signalement(world)
    response = client_as("association_agent").get(receipt_url(signalement))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="accuse-de-reception-{signalement.reference}.pdf"'
    assert response.content.startswith(b"%PDF")
    entry = AccessLog.objects.get(action=AccessAction.DOWNLOAD)
    assert entry.user == world.user("association_agent")
    assert entry.object_type == "signalements.signalement"
    assert entry.view_name == "signalements:signalement_receipt"


def test_receipt_of_a_draft_is_404_even_for_its_author(world, client_as):
    draft = SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))
    response = client_as("association_agent").get(receipt_url(draft))
    assert response.status_code == 404
    assert Signalement.objects.get().status == "draft"
    assert not AccessLog.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_receipt_view_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    signalement = submitted_signalement(world)
    client = client_as("miprof_agent")
    with django_assert_max_num_queries(12):
        assert client.get(receipt_url(signalement)).status_code == 200
