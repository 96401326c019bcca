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


def to_csv(rows):
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows, sheet="Statistiques"):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for row in rows:
        worksheet.append(row)
    worksheet["A1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_ods(rows, sheet="Statistiques"):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet[:31])
    for values in rows:
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


def render(rows, fmt):
    """(octets, type MIME, extension) d'un export au format demandé (`csv`, `ods`, `xlsx`)."""
    content_type, extension = FORMATS[fmt]
    data = {"csv": to_csv, "ods": to_ods, "xlsx": to_xlsx}[fmt](rows)
    return data, content_type, extension
