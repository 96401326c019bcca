"""Les graphiques de l'observatoire : du SVG rendu côté serveur (aucun script, compatible avec la CSP stricte).

Un graphique ne lit que des cases déjà protégées (`observatoire.disclosure.Cell`) : une case masquée est une barre
vide marquée « : ». Chaque graphique est accompagné, dans la page, du tableau de ses données (RGAA)."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 380
BAR_WIDTH = 360
VALUE_WIDTH = 60
COLOUR = "#000091"  # bleu France (DSFR)
SUPPRESSED_COLOUR = "#929292"


def bar_chart(chart_id, title, items, top=None):
    """Un graphique en barres horizontales : `items` = [(libellé, Cell)], `top` : la valeur de la barre pleine (la
    plus grande valeur par défaut). Rendu : un `<svg role="img">` titré."""
    values = [cell.value for _, cell in items if cell.value is not None]
    top = top or max(values, default=0) or 1
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH

    # Écrit avec `html.escape` et des f-strings, pas `format_html` : une centaine de barres par graphique, et
    # l'échappement paresseux de Django par argument coûtait la moitié du rendu du tableau de bord national.
    bars = []
    for index, (label, cell) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = 0 if cell.value is None else round(BAR_WIDTH * cell.value / top)
        colour = SUPPRESSED_COLOUR if cell.value is None else COLOUR
        text_y = y + BAR_HEIGHT * 0.7
        label = label if len(label) <= 52 else label[:51] + "…"
        bars.append(
            f'<text x="0" y="{text_y}" font-size="13" fill="#161616">{escape(str(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1) if cell.value else 0}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{text_y}" font-size="13" fill="#161616">'
            f"{escape(str(cell.display))}</text>"
        )
    chart_id, title = escape(str(chart_id)), escape(str(title))
    return mark_safe(  # noqa: S308 : chaque valeur venue des données est échappée ci-dessus
        f'<svg id="{chart_id}" class="mniop-chart" role="img" aria-labelledby="{chart_id}-title" '
        f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{title}</title>{"".join(bars)}</svg>'
    )


def row_totals(protected):
    """[(libellé de ligne, Cell du total)] d'un tableau protégé (sans la ligne des totaux)."""
    return [(label, cells[-1]) for label, cells in protected.rows()[:-1]]


def column_totals(protected):
    """[(libellé de colonne, Cell du total)] d'un tableau protégé."""
    totals = protected.rows()[-1][1][:-1]
    return [(label, cell) for (_, label), cell in zip(protected.columns, totals, strict=True)]


@dataclass(frozen=True)
class RateCell:
    """Un taux déjà calculé depuis des cases visibles (`observatoire.tables._per_row`) : « : » s'il est masqué,
    « – » sans dénominateur. Même interface que `disclosure.Cell` pour `bar_chart`."""

    display: str

    @property
    def value(self):
        return int(self.display.removesuffix(" %")) if self.display.endswith(" %") else None


def rate_chart(chart_id, title, rows):
    """Un graphique des taux (0 à 100 %) des lignes d'un tableau (`observatoire.tables.rate_rows`), total compris :
    un taux masqué est une barre vide marquée « : »."""
    items = [("Ensemble" if row["label"] == "Total" else row["label"], RateCell(row["rate"])) for row in rows]
    return bar_chart(chart_id, title, items, top=100)
