"""Le secret statistique, par construction : **tout** nombre montré ou exporté par l'observatoire passe ici.

Un tableau (`Table`) n'est jamais rendu ni exporté tel quel : `protect()` en fait un `ProtectedTable`, le seul type
que les gabarits et les exports acceptent (`cells()` et `rows()` rendent « : » pour une case masquée).

1. **Masquage primaire** : toute case (intérieure ou total) strictement comprise entre 0 et le seuil est masquée
   (réglage `MNIOP["STATISTICS_THRESHOLD"]`, 5 par défaut, comme les tableaux du SSMSI, domaine §9.4). Un zéro est
   montré : il ne désigne personne.
2. **Masquage secondaire** : chaque ligne et chaque colonne est une équation (les cases + le total). Une équation qui
   contient une seule case masquée permettrait de la recalculer ; on masque alors aussi la plus petite case non nulle
   encore visible de cette équation (à défaut une case nulle, à défaut le total), et on recommence jusqu'à ce
   qu'aucune équation n'ait exactement une case masquée.
3. **Attaques par différence** : les filtres des pages sont une année entière et un territoire pris dans la
   hiérarchie (national, département) ; un tableau par département est une tranche du tableau de tous les
   départements protégé d'un coup (`protect_slices`), si bien que deux demandes qui se recouvrent lisent le même
   motif de masquage.
"""

from dataclasses import dataclass, field
from html import escape

from django.conf import settings
from django.utils.safestring import mark_safe

SUPPRESSED = ":"
DEFAULT_THRESHOLD = 5


def threshold():
    return settings.MNIOP.get("STATISTICS_THRESHOLD", DEFAULT_THRESHOLD)


@dataclass
class Table:
    """Un tableau de comptes : `rows` × `columns` (codes, libellés), `counts[(ligne, colonne)]`, plus ses totaux.

    `champ` et `source` sont imprimés sous le tableau, page comme export."""

    title: str
    rows: list  # [(code, libellé)]
    columns: list  # [(code, libellé)]
    counts: dict = field(default_factory=dict)
    champ: str = ""
    source: str = "MNIOP, signalements déposés ; traitement Miprof."
    row_header: str = ""

    def count(self, row, column):
        return self.counts.get((row, column), 0)

    def row_total(self, row):
        return sum(self.count(row, column) for column, _ in self.columns)

    def column_total(self, column):
        return sum(self.count(row, column) for row, _ in self.rows)

    def grand_total(self):
        return sum(self.counts.get((row, column), 0) for row, _ in self.rows for column, _ in self.columns)


TOTAL = "__total__"


def _grid(table):
    """Les cases du tableau étendu par ses totaux : {(ligne, colonne): nombre}, TOTAL en dernière ligne et colonne."""
    rows = [row for row, _ in table.rows] + [TOTAL]
    columns = [column for column, _ in table.columns] + [TOTAL]
    values = {}
    for row in rows:
        for column in columns:
            if row == TOTAL and column == TOTAL:
                values[row, column] = table.grand_total()
            elif row == TOTAL:
                values[row, column] = table.column_total(column)
            elif column == TOTAL:
                values[row, column] = table.row_total(row)
            else:
                values[row, column] = table.count(row, column)
    return rows, columns, values


def suppression_pattern(rows, columns, values, limit, initial=()):
    """Les cases masquées d'un tableau étendu par ses totaux (dernière ligne, dernière colonne) ; `initial` : des
    cases déjà masquées par ailleurs (la tranche d'un tableau plus grand)."""
    hidden = {key for key, value in values.items() if 0 < value < limit} | set(initial)
    equations = [[(row, column) for column in columns] for row in rows] + [
        [(row, column) for row in rows] for column in columns
    ]
    changed = bool(hidden)
    while changed:
        changed = False
        for equation in equations:
            masked = [key for key in equation if key in hidden]
            if len(masked) != 1:
                continue
            visible = [key for key in equation if key not in hidden]
            if not visible:
                continue
            # La plus petite case intérieure non nulle ; à défaut une nulle ; le total en dernier recours.
            inner = [key for key in visible if TOTAL not in key]
            positive = [key for key in inner if values[key] > 0]
            pool = positive or inner or visible
            hidden.add(min(pool, key=lambda key: (values[key], str(key))))
            changed = True
    return hidden


@dataclass
class Cell:
    value: int | None  # None : masquée

    @property
    def display(self):
        return SUPPRESSED if self.value is None else f"{self.value:n}".replace(",", "\u202f")

    @property
    def is_suppressed(self):
        return self.value is None

    def __str__(self):
        return self.display


SUPPRESSED_TITLE = "Donnée masquée (secret statistique)"


def cells_html(cells, *, with_titles=True):
    """Les `<td>` d'une ligne, écrits une fois en Python : un tableau par département en a des milliers, une balise
    de gabarit par case coûtait l'essentiel du rendu de la page. Une case masquée dit pourquoi (`title`)."""
    return mark_safe(
        "".join(
            f'<td title="{SUPPRESSED_TITLE}">{SUPPRESSED}</td>'
            if with_titles and cell.value is None
            else f"<td>{escape(cell.display)}</td>"
            for cell in cells
        )
    )


class ProtectedTable:
    """Un tableau après le secret statistique : la seule chose que les pages et les exports savent montrer."""

    def __init__(self, table, hidden, values, limit):
        self.table = table
        self.limit = limit
        self.title = table.title
        self.champ = table.champ
        self.source = table.source
        self.row_header = table.row_header
        self.columns = table.columns
        self._hidden = hidden
        self._values = values
        self._rows = None

    def cell(self, row, column):
        key = (row, column)
        return Cell(None if key in self._hidden else self._values.get(key, 0))

    def rows(self):
        """[(libellé, [Cell, ..., Cell du total])], la ligne des totaux en dernier (calculé une fois)."""
        if self._rows is not None:
            return self._rows
        result = []
        for row, label in [*self.table.rows, (TOTAL, "Total")]:
            cells = [self.cell(row, column) for column, _ in [*self.columns, (TOTAL, "Total")]]
            result.append((label, cells))
        self._rows = result
        return result

    def html_rows(self):
        """[(libellé, les `<td>` de la ligne)] pour `observatoire/includes/protected_table.html`."""
        return [(label, cells_html(cells)) for label, cells in self.rows()]

    def header(self):
        return [self.row_header, *(label for _, label in self.columns), "Total"]

    def matrix(self):
        """Le tableau tel qu'il s'exporte : en-tête, lignes (cases masquées à « : »), puis Champ et Source."""
        return [self.header(), *([label, *(cell.display for cell in cells)] for label, cells in self.rows())]

    def visible_value(self, row, column):
        return self.cell(row, column).value

    @property
    def suppressed_count(self):
        return len(self._hidden)


def protect(table, limit=None):
    """Applique le secret statistique à un tableau ; `limit` : le seuil (réglage par défaut)."""
    limit = threshold() if limit is None else limit
    rows, columns, values = _grid(table)
    return ProtectedTable(table, suppression_pattern(rows, columns, values, limit), values, limit)


def protect_slices(table, keep_rows, limit=None):
    """Protège le tableau entier (par exemple tous les départements) puis n'en garde que `keep_rows` : la tranche
    montrée à une personne a le même motif de masquage que le tableau national (pas de différence exploitable)."""
    protected = protect(table, limit)
    kept = [(row, label) for row, label in table.rows if row in set(keep_rows)]
    sliced = Table(
        title=table.title,
        rows=kept,
        columns=table.columns,
        counts={key: value for key, value in table.counts.items() if key[0] in set(keep_rows)},
        champ=table.champ,
        source=table.source,
        row_header=table.row_header,
    )
    return ProtectedSlice(sliced, protected)


class ProtectedSlice(ProtectedTable):
    """Une tranche d'un tableau protégé : ses cases gardent le masquage du tableau entier, puis le masquage secondaire
    s'applique à la tranche et à ses propres totaux."""

    def __init__(self, sliced, protected):
        rows, columns, values = _grid(sliced)
        inherited = {key for key in values if key[0] != TOTAL and protected.cell(*key).is_suppressed}
        # Total de la tranche moins total du tableau entier = somme des lignes exclues : si l'une d'elles a une case
        # masquée dans cette colonne, le total de la tranche la trahirait.
        kept = {row for row, _ in sliced.rows}
        excluded = [row for row, _ in protected.table.rows if row not in kept]
        for column in columns:
            if any(protected.cell(row, column).is_suppressed for row in excluded):
                inherited.add((TOTAL, column))
        limit = protected.limit
        super().__init__(sliced, suppression_pattern(rows, columns, values, limit, inherited), values, limit)
