"""Les documents joints dans Chromium headless : l'agent de l'association joint un certificat médical (PDF) depuis
l'espace de travail du dossier, le clamd réel l'analyse (chemin synchrone, CELERY_TASK_ALWAYS_EAGER), le document
est listé « Sain » et se télécharge ; axe-core vérifie chaque page visitée."""

import pytest
from celery import current_app

from signalements.services.drafts import submit_signalement
from tests.browser.test_triage_ui import login
from tests.signalements.factories import SignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def filed_case(world, settings, tmp_path):
    """Un dossier déposé par l'association de Paris ; les documents dans un dossier privé du test."""
    settings.ATTACHMENTS_ROOT = str(tmp_path / "pieces-jointes")
    filer = world.acting("association_agent")
    return submit_signalement(
        signalement=SignalementFactory(organisation=world.association, created_by=filer, departement=world.paris),
        by=filer,
    )


@pytest.fixture
def eager_tasks():
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = False


def test_the_filer_attaches_a_pdf_and_sees_it_listed_clean(
    page, live_server, world, settings, tmp_path, clamd, eager_tasks, screenshot
):
    signalement = filed_case(world, settings, tmp_path)
    certificate = tmp_path / "certificat.pdf"
    certificate.write_bytes(PDF)

    login(page, live_server, world.user("association_agent").email)
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/")
    page.get_by_role("link", name="Joindre un document").click()
    form = page.locator("main form")
    form.get_by_label("Type de document").select_option("medical_certificate")
    form.get_by_label("Fichier").set_input_files(str(certificate))
    form.get_by_role("button", name="Joindre le document").click()

    assert "Le document est joint au dossier" in page.content()
    documents = page.locator("#documents-joints-liste")
    assert "Certificat médical" in documents.inner_text()
    assert "SAIN" in documents.inner_text().upper()
    with page.expect_download() as download:
        documents.get_by_role("link", name="Certificat médical").click()
    assert download.value.suggested_filename.startswith("medical-certificate-")
    assert download.value.suggested_filename.endswith(".pdf")
    documents.scroll_into_view_if_needed()
    screenshot(page, "documents-joints-dossier")


def test_a_pending_document_turns_clean_in_the_open_page_without_a_reload(
    page, live_server, world, settings, tmp_path, clamd, eager_tasks
):
    """Antivirus injoignable au dépôt : « Analyse en cours » ; dès qu'il répond (ici la tâche beat rejouée), la liste
    ouverte s'actualise d'elle-même (static/js/attachments_refresh.js), sans recharger la page."""
    from playwright.sync_api import expect

    from orientation.models import CaseAttachment
    from orientation.services import attachments

    signalement = filed_case(world, settings, tmp_path)
    settings.CLAMD_ADDRESS = "/nulle-part/clamd.sock"
    receipt = tmp_path / "recepisse.pdf"
    receipt.write_bytes(PDF)

    login(page, live_server, world.user("association_agent").email)
    page.goto(f"{live_server.url}/dossiers/{signalement.public_id}/documents/ajouter/")
    form = page.locator("main form")
    form.get_by_label("Type de document").select_option("complaint_receipt")
    form.get_by_label("Fichier").set_input_files(str(receipt))
    form.get_by_role("button", name="Joindre le document").click()
    documents = page.locator("#documents-joints-liste")
    expect(documents).to_contain_text("Analyse en cours")
    page.evaluate("window.mniopMarker = 1")  # disparaîtrait avec un rechargement

    settings.CLAMD_ADDRESS = clamd
    attachments.scan_attachment(attachment_id=CaseAttachment.objects.get().pk)

    expect(page.locator("#documents-joints-liste")).to_contain_text("Sain", ignore_case=True, timeout=15000)
    assert page.evaluate("window.mniopMarker") == 1
    expect(page.locator("#documents-joints-liste").get_by_role("link", name="Récépissé de plainte")).to_be_visible()
