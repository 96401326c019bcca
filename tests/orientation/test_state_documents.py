"""Les documents de l'État : chaque PDF du MNIOP (accusé de réception, attestation de décision, fiche d'orientation,
fiche des droits en sept langues, notice d'information, export d'accès, annuaire d'un département, enquête de
l'observatoire) porte une seule fois l'en-tête commun (bloc-marque « République française » avec l'emblème de
Marianne du DSFR) et une seule fois son numéro de page ; un document d'une page tient sur une page.

Chaque PDF est balisé pour l'accessibilité (PDF/UA-1 : « Tagged: yes » et un titre dans `pdfinfo`).

Chaque PDF est aussi converti en PNG (pdftoppm) dans `test-artifacts/pdf/` pour être regardé."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from mniop.pdf import marianne_emblem
from orientation import rights_sheet
from orientation.documents import render_decision_letter
from orientation.models import Decision
from orientation.services import referrals
from privacy.exports import access_export_pdf
from privacy.notice import render_notice
from signalements.receipts import render_receipt_pdf
from tests.referents.factories import DirectoryEntryFactory
from tests.two_factor import login_verified

pytestmark = [
    pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler absent"),
    pytest.mark.usefixtures("compiled_catalogs"),
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "pdf"
LANGUAGES = [code for code, _ in rights_sheet.LANGUAGES]


@pytest.fixture
def association_in_paris(world):
    """Une association de l'annuaire à Paris, décrite en français, pour la fiche des droits."""
    return DirectoryEntryFactory(
        organisation=world.association,
        category="association",
        title="Accueil et accompagnement des victimes de traite",
        territories=[world.paris],
        is_public=True,
    )


def pages_of(pdf, name):
    """Le texte de chaque page (pdftotext, un saut de page entre elles) ; les PNG dans test-artifacts/pdf/."""
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    assert_tagged_with_a_title(source)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(ARTIFACTS / name)], check=True)
    text = subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True, text=True)
    return text.stdout.rstrip("\f").split("\f")


def assert_tagged_with_a_title(source):
    """PDF/UA : structure balisée, un titre (affiché par le lecteur) et la variante déclarée."""
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Tagged"].strip() == "yes", f"{source.name} : PDF non balisé"
    assert fields.get("Title", "").strip(), f"{source.name} : PDF sans titre"
    assert fields["PDF version"].strip() == "1.7"


def assert_state_document(pages, *, one_page=False):
    """L'en-tête une seule fois (première page), le numéro « n / N » une seule fois sur chaque page."""
    text = "\n".join(pages)
    assert text.count("RÉPUBLIQUE") == 1, "le bloc-marque doit figurer une fois"
    assert re.search(r"RÉPUBLIQUE\s+FRANÇAISE", pages[0])
    assert "Liberté" in pages[0] and "MNIOP" in pages[0]
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert len(re.findall(rf"(?<![\d/]){number}\s*/\s*{total}(?![\d/])", page)) == 1, f"page {number}"
    assert not re.search(r"\b[Pp]age \d", text), "numéro de page imprimé deux fois"
    if one_page:
        assert total == 1, f"{total} pages au lieu d'une"


@pytest.fixture
def decision(validated):
    return Decision.objects.get(signalement=validated)


def test_the_common_header_carries_the_marianne_emblem_of_the_dsfr():
    emblem = marianne_emblem()
    assert emblem.startswith("data:image/svg+xml")
    html = render_to_string("pdf/includes/header.html", {"marianne_emblem": emblem})
    assert '<img src="data:image/svg+xml' in html


def test_the_receipt_fits_on_one_page_even_urgent_with_long_names(validated):
    validated.urgent = True
    validated.save(update_fields=["urgent"])
    organisation = validated.organisation
    organisation.name = "Association d'accueil, d'écoute et d'accompagnement des personnes victimes de traite " * 2
    organisation.save(update_fields=["name"])
    assert_state_document(pages_of(render_receipt_pdf(validated), "accuse-de-reception"), one_page=True)


def test_the_decision_letter_has_one_header_and_one_page_number(decision):
    assert_state_document(pages_of(render_decision_letter(decision), "attestation"), one_page=True)


def test_the_orientation_sheet_names_the_receiving_structure(validated, shelters, validator):
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    client = Client()
    login_verified(client, shelters.paris_agent)
    response = client.get(reverse("orientation:referral_sheet", args=[referral.public_id]))
    pages = pages_of(response.content, "fiche-orientation")
    assert_state_document(pages, one_page=True)
    text = " ".join(pages[0].split())
    assert f"Structure d'accueil {shelters.paris.organisation.name}" in text


@pytest.mark.parametrize(
    ("urgent", "needs_shelter_tonight", "expected"),
    [(True, True, "URGENT — hébergement ce soir"), (True, False, "URGENT"), (False, False, None)],
)
def test_the_orientation_sheet_carries_the_urgency(
    validated, shelters, validator, urgent, needs_shelter_tonight, expected
):
    validated.urgent = urgent
    validated.needs_shelter_tonight = needs_shelter_tonight
    validated.save(update_fields=["urgent", "needs_shelter_tonight"])
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    client = Client()
    login_verified(client, shelters.paris_agent)
    response = client.get(reverse("orientation:referral_sheet", args=[referral.public_id]))
    pages = pages_of(response.content, f"fiche-orientation-urgence-{urgent}-{needs_shelter_tonight}")
    assert_state_document(pages, one_page=True)
    text = " ".join(pages[0].split())
    if expected is None:
        assert "URGENT" not in text
    else:
        assert f"Fiche d'orientation vers un hébergement {expected} Référence" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rights_sheet_has_one_header_and_one_page_number(validated, association_in_paris, language):
    pages = pages_of(rights_sheet.render_rights_sheet(validated, language), f"fiche-droits-{language}")
    assert_state_document(pages)


def test_the_english_rights_sheet_says_the_associations_are_described_in_french(validated, association_in_paris):
    text = " ".join("\n".join(pages_of(rights_sheet.render_rights_sheet(validated, "en"), "fiche-droits-en")).split())
    assert "The names and descriptions of the associations below are written in French." in text


@pytest.mark.parametrize("language", ["fr", "en", "zh"])
def test_the_privacy_notice_has_one_header_and_one_page_number(validated, language):
    assert_state_document(pages_of(render_notice(validated, language), f"notice-{language}"))


def test_the_access_export_has_one_header_and_one_page_number(validated):
    assert_state_document(pages_of(access_export_pdf(validated), "export-acces"))


def test_the_territory_directory_has_one_header_and_one_page_number(client_as):
    response = client_as("association_agent").get(reverse("directory:territory_pdf", args=["75"]))
    assert_state_document(pages_of(response.content, "annuaire-75"))


def test_the_observatory_survey_has_one_header_and_one_page_number(client_as):
    response = client_as("statistician").get(reverse("observatoire:statistics_survey"), {"format": "pdf"})
    assert_state_document(pages_of(response.content, "enquete-miprof"))
