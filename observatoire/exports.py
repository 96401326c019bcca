"""Les exports de l'observatoire : CSV, ODS (le format ouvert de l'État) et XLSX, d'une liste de tableaux déjà
protégés (`observatoire.disclosure.ProtectedTable`) : une case masquée s'exporte « : », chaque tableau est suivi de
son « Champ » et de sa « Source ».

Les cellules de texte qui commencent par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot sont préfixées
d'une apostrophe par la règle commune `mniop.spreadsheet.neutralise_cell` (le CSV passe par son `SafeWriter`, le
seul écrivain CSV) : un tableur ne les exécute jamais comme une formule.
Les nombres restent des nombres (ODS, XLSX)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from mniop.spreadsheet import SafeWriter, neutralise_cell

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def neutralise(value):
    """Une cellule de texte neutralisée comme dans tout export du MNIOP ; un nombre reste un nombre."""
    return neutralise_cell(value) if isinstance(value, str) else value


def _numeric(value):
    """Les nombres visibles s'écrivent comme des nombres (les espaces fines des milliers retirées)."""
    if isinstance(value, str):
        digits = value.replace("\u202f", "")
        if digits.isdigit():
            return int(digits)
    return value


def table_rows(tables, heading):
    """Les lignes d'un export : l'en-tête (titre, périmètre, année), puis pour chaque tableau son titre, ses lignes,
    son champ et sa source, et une ligne vide."""
    rows = [[line] for line in heading] + [[]]
    for table in tables:
        rows.append([table.title])
        rows.extend(table.matrix())
        rows.append([f"Champ : {table.champ}"])
        rows.append([f"Source : {table.source}"])
        rows.append(["« : » : donnée masquée (secret statistique)."])
        rows.append([])
    return [[neutralise(_numeric(value)) for value in row] for row in rows]


#: Un export long rend compte de son avancement toutes les `PROGRESS_EVERY` lignes.
PROGRESS_EVERY = 200


def _rows_with_progress(rows, progress):
    """Les lignes, en appelant `progress(faites, total)` de temps en temps (les exports en tâche Celery)."""
    total = len(rows)
    for index, row in enumerate(rows, start=1):
        yield row
        if progress is not None and (index % PROGRESS_EVERY == 0 or index == total):
            progress(index, total)


def to_csv(rows, progress=None):
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";")
    writer.writerows(_rows_with_progress(rows, progress))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows, sheet="Statistiques", progress=None):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for row in _rows_with_progress(rows, progress):
        worksheet.append(row)
    worksheet["A1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_ods(rows, sheet="Statistiques", progress=None):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet[:31])
    for values in _rows_with_progress(rows, progress):
        row = TableRow()
        for value in values:
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def render(rows, fmt, progress=None):
    """(octets, type MIME, extension) d'un export au format demandé (`csv`, `ods`, `xlsx`) ; `progress(faites,
    total)` : appelé au fil des lignes."""
    content_type, extension = FORMATS[fmt]
    data = {"csv": to_csv, "ods": to_ods, "xlsx": to_xlsx}[fmt](rows, progress=progress)
    return data, content_type, extension


def content_type_for(filename):
    """Le type MIME d'un fichier exporté, d'après son extension."""
    extension = filename.rsplit(".", 1)[-1]
    return next((content_type for content_type, ext in FORMATS.values() if ext == extension), "text/csv")
