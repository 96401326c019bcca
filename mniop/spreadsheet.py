"""Le seul écrivain CSV des exports du MNIOP : aucune cellule ne s'ouvre comme une formule dans un tableur.

Une cellule qui commence par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot est interprétée comme une formule
par Excel ou LibreOffice (injection CSV, OWASP) : `=HYPERLINK("https://…")` saisi dans une fiche deviendrait un lien
actif chez la personne qui ouvre l'export. Ces cellules sont préfixées d'une apostrophe, que le tableur affiche comme
du texte ; `restore_cell` la retire à l'import, pour qu'un export réimporté redonne la même valeur.

`tests/mniop/test_spreadsheet.py` vérifie qu'aucun module n'appelle `csv.writer` ailleurs qu'ici.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise_cell(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return QUOTE + text
    return text


def restore_cell(text):
    """L'inverse de `neutralise_cell` pour une valeur importée."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class SafeWriter:
    """`csv.writer` dont chaque cellule passe par `neutralise_cell`."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
