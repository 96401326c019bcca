"""La fiche d'information des droits pour la victime : sept langues (textes des catalogues gettext), la bonne
écriture dans le PDF (pdftotext), les associations du département, aucune donnée d'identité, accès et journal."""

import gettext
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from orientation import rights_sheet
from referents.enums import ReferentCategory
from tests.referents.factories import DirectoryEntryFactory

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")

#: Un mot du titre, et l'écriture attendue, pour chaque langue.
EXPECTED = {
    "fr": ("Vos droits en France", r"[À-ÿ]"),
    "en": ("Your rights in France", r"legal aid"),
    "es": ("Sus derechos en Francia", r"[ñáéíóú]"),
    "zh": ("您在法国的权利", r"[\u4e00-\u9fff]"),
    "uk": ("Ваші права у Франції", r"[\u0400-\u04ff]"),
    "ro": ("Drepturile dumneavoastră în Franța", r"[ăâîșț]"),
    "pt": ("Os seus direitos em França", r"[ãçéó]"),
}


pytestmark = pytest.mark.usefixtures("compiled_catalogs")


def pdf_text(pdf, tmp_path):
    path = tmp_path / "fiche.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def sources():
    r = rights_sheet
    sections = [text for pair in r.SECTIONS for text in pair]
    return [
        r.TITLE,
        r.SUBTITLE,
        r.INTRO,
        *sections,
        r.CONTACTS_TITLE,
        r.CONTACTS_IN_FRENCH,
        r.NO_CONTACT,
        r.EMERGENCY,
        r.FOOTER,
    ]


@pytest.mark.parametrize("language", [code for code, _ in rights_sheet.LANGUAGES if code != "fr"])
def test_every_text_is_translated_with_its_placeholders(language):
    catalog = rights_sheet.catalog(language)
    assert isinstance(catalog, gettext.GNUTranslations)
    for source in sources():
        translated = catalog.gettext(source)
        assert translated != source, f"{language} : texte non traduit : {source[:40]}"
        assert re.findall(r"%\(\w+\)s", translated) == re.findall(r"%\(\w+\)s", source)


@needs_poppler
@pytest.mark.parametrize("language", list(EXPECTED))
def test_the_sheet_renders_in_its_language_and_script(case, language, tmp_path):
    text = pdf_text(rights_sheet.render_rights_sheet(case, language), tmp_path)
    title, script = EXPECTED[language]
    assert title.replace(" ", "") in "".join(text.split())
    assert re.search(script, text)
    assert ("Vos droits en France" in text) == (language == "fr")
    assert "Paris (75)" in " ".join(text.split())


@needs_poppler
def test_the_chinese_sheet_embeds_a_cjk_font(case, tmp_path):
    path = tmp_path / "zh.pdf"
    path.write_bytes(rights_sheet.render_rights_sheet(case, "zh"))
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Noto-?Sans-?CJK-?SC", fonts)


@needs_poppler
def test_the_sheet_lists_the_associations_of_the_departement_with_their_public_contact(case, world, tmp_path):
    DirectoryEntryFactory(
        organisation=world.association,
        category=ReferentCategory.ASSOCIATION,
        title="Accueil des victimes de traite",
        territories=[world.paris],
        is_public=True,
        is_contact_public=True,
        public_phone="01 23 45 67 89",
    )
    DirectoryEntryFactory(
        organisation=world.other_association,
        category=ReferentCategory.ASSOCIATION,
        title="Association du Nord",
        territories=[world.nord],
        is_public=True,
    )
    text = " ".join(pdf_text(rights_sheet.render_rights_sheet(case, "fr"), tmp_path).split())
    assert "Accueil des victimes de traite" in text and "01 23 45 67 89" in text
    assert "Association du Nord" not in text


@needs_poppler
def test_the_sheet_never_contains_the_identity_of_the_victim(make_validated, tmp_path):
    case = make_validated(first_name="Aminata", last_name="Traoré", account="Récit confidentiel")
    text = pdf_text(rights_sheet.render_rights_sheet(case, "en"), tmp_path)
    assert not re.search("Aminata|Traoré|confidentiel|MNIOP-", text)


def sheet_url(case, language="zh"):
    return reverse("orientation:rights_sheet", args=[case.public_id, language])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("association_agent", 200),
        ("association_admin", 200),
        ("association_agent_other_org", 404),
        ("miprof_agent", 200),
        ("departmental_validator", 200),
        ("departmental_validator_other_departement", 404),
        ("territorial_referent", 404),
        ("statistician", 404),
        ("platform_admin", 404),
    ],
)
def test_sheet_download_by_persona(client_as, case, persona, status):
    response = client_as(persona).get(sheet_url(case))
    assert response.status_code == status
    downloads = AccessLog.objects.for_object(case).filter(action="download")
    assert downloads.count() == (1 if status == 200 else 0)
    if status == 200:
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
        assert downloads.get().view_name == "orientation:rights_sheet"


def test_an_unknown_language_is_404(client_as, case):
    assert client_as("miprof_agent").get(sheet_url(case, "de")).status_code == 404


def test_the_case_page_offers_the_seven_languages(client_as, case):
    page = client_as("association_agent").get(reverse("orientation:case_detail", args=[case.public_id]))
    for code, _ in rights_sheet.LANGUAGES:
        assert sheet_url(case, code) in page.content.decode()
