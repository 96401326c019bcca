"""La notice d'information remise à la personne : un PDF dans chacune des sept langues de la fiche des droits, avec
le responsable du traitement, l'organisation déclarante et les droits ; chaque téléchargement est journalisé."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import AccessLog

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
#: Le titre de la notice et un mot des droits, dans chaque langue.
EXPECTED = {
    "fr": ("Vos données personnelles", "délégué à la protection des données"),
    "en": ("Your personal data", "data protection officer"),
    "es": ("Sus datos personales", "delegado de protección de datos"),
    "zh": ("您的个人数据", "数据保护官"),
    "uk": ("Ваші персональні дані", "уповноваженому із захисту даних"),
    "ro": ("Datele dumneavoastră personale", "responsabilului cu protecția datelor"),
    "pt": ("Os seus dados pessoais", "encarregado da proteção de dados"),
}


pytestmark = pytest.mark.usefixtures("compiled_catalogs")


def pdf_text(content, tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


@needs_poppler
@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_notice_is_written_in_each_language_with_the_controller_and_rights(
    language, submitted, client_as, tmp_path
):
    url = reverse("privacy:notice", kwargs={"public_id": submitted.public_id, "language": language})

    response = client_as("association_agent").get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    title, rights = EXPECTED[language]
    assert title in text and rights in text
    assert submitted.organisation.name in text
    assert settings.MNIOP["DPO_CONTACT"] in text
    assert "Miprof" in text
    assert AccessLog.objects.filter(object_id=str(submitted.public_id), action="download").count() == 1


def test_an_unknown_language_is_a_404(submitted, client_as):
    url = reverse("privacy:notice", kwargs={"public_id": submitted.public_id, "language": "xx"})
    assert client_as("association_agent").get(url).status_code == 404


@pytest.mark.parametrize(
    "persona, status",
    [
        ("association_agent", 200),
        ("miprof_agent", 200),
        ("departmental_validator", 404),
        ("association_agent_other_org", 404),
    ],
)
def test_consents_page_access(submitted, client_as, persona, status):
    url = reverse("privacy:consents", kwargs={"public_id": submitted.public_id})
    assert client_as(persona).get(url).status_code == status
