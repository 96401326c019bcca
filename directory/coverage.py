"""Couverture de l'annuaire : pour chaque territoire, les catégories obligatoires (domaine §6.4) qu'au moins une
fiche active couvre ; et la carte en tuiles (une tuile par département, l'outre-mer en encarts) qui la montre.

La carte est un cartogramme en tuiles dessiné côté serveur : la position de chaque tuile vient de
`directory/data/tile_grid.csv` (écrit à la main, pas de fond de carte téléchargé).
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from referents.enums import ANY_REQUIRED_CATEGORIES, REQUIRED_CATEGORIES, ReferentCategory, required_categories_for
from referents.models import DirectoryEntry, Territory

TILE_GRID = Path(__file__).resolve().parent / "data" / "tile_grid.csv"
TILE, GAP, MARGIN = 44, 4, 16
INSET_ROW = 14
#: Une couleur par nombre de catégories couvertes (0 à 6) : rouge pour aucune, bleu France pour toutes ;
#: (fond, texte) avec un contraste suffisant.
PALETTE = [
    ("#c9191e", "#ffffff"),
    ("#f18e68", "#161616"),
    ("#f8c39d", "#161616"),
    ("#fbe769", "#161616"),
    ("#a8c3f1", "#161616"),
    ("#5d8fe0", "#ffffff"),
    ("#000091", "#ffffff"),
]


#: Libellés courts des catégories obligatoires, pour la carte et le tableau des manques.
SHORT_LABELS = {
    ReferentCategory.PARQUET: "Parquet",
    ReferentCategory.PREFECTURE: "Préfecture",
    ReferentCategory.POLICE_NATIONALE: "Police",
    ReferentCategory.GENDARMERIE_NATIONALE: "Gendarmerie",
    ReferentCategory.INSPECTION_DU_TRAVAIL: "Inspection du travail",
    ReferentCategory.ASSOCIATION: "Association",
    ReferentCategory.HAUT_COMMISSARIAT: "Haut-commissariat",
    ReferentCategory.ADMINISTRATION_SUPERIEURE: "Administration supérieure",
}


@dataclass
class TerritoryCoverage:
    territory: Territory
    covered: frozenset

    @property
    def required(self):
        """Les catégories obligatoires de ce territoire (celles d'une collectivité d'outre-mer lui sont propres)."""
        return required_categories_for(self.territory.code)

    @property
    def count(self):
        return len(self.covered & set(self.required))

    @property
    def missing(self):
        return [ReferentCategory(category) for category in self.required if category not in self.covered]

    @property
    def missing_labels(self):
        return ", ".join(SHORT_LABELS[category] for category in self.missing)

    @property
    def is_complete(self):
        return not self.missing


def coverage_by_territory():
    """[TerritoryCoverage] pour tous les territoires, par code : deux requêtes quel que soit le nombre de fiches."""
    through = DirectoryEntry.territories.through
    pairs = (
        through.objects.filter(
            directoryentry__is_active=True,
            directoryentry__organisation__is_active=True,
            directoryentry__category__in=ANY_REQUIRED_CATEGORIES,
        )
        .values_list("territory_id", "directoryentry__category")
        .distinct()
    )
    covered = {}
    for territory_id, category in pairs:
        covered.setdefault(territory_id, set()).add(category)
    return [
        TerritoryCoverage(territory, frozenset(covered.get(territory.pk, ())))
        for territory in Territory.objects.order_by("code")
    ]


@cache
def tile_positions():
    with TILE_GRID.open(encoding="utf-8") as handle:
        return {row["code"]: (int(row["col"]), int(row["row"])) for row in csv.DictReader(handle)}


@dataclass
class Tile:
    coverage: TerritoryCoverage
    x: int
    y: int
    fill: str
    text: str
    is_inset: bool

    @property
    def label_x(self):
        return self.x + TILE // 2

    @property
    def label_y(self):
        return self.y + TILE // 2 + 4


def map_tiles(coverages):
    """Les tuiles de la carte : l'hexagone sur la grille, l'outre-mer sur une bande d'encarts sous la carte."""
    positions = tile_positions()
    tiles = []
    for coverage in coverages:
        position = positions.get(coverage.territory.code)
        if position is None:
            continue
        col, row = position
        is_inset = row == INSET_ROW
        y = MARGIN + row * (TILE + GAP) + (24 if is_inset else 0)
        fill, text = PALETTE[palette_index(coverage)]
        tiles.append(Tile(coverage, MARGIN + col * (TILE + GAP), y, fill, text, is_inset))
    return tiles


def palette_index(coverage):
    """La couleur d'une tuile : le bleu France pour un territoire complet, sinon à proportion des catégories
    couvertes (une collectivité d'outre-mer en attend moins qu'un département)."""
    if coverage.is_complete:
        return len(PALETTE) - 1
    total = len(coverage.required)
    return min(coverage.count * (len(PALETTE) - 1) // total, len(PALETTE) - 2)


def map_size():
    columns = max(col for col, _ in tile_positions().values()) + 1
    height = MARGIN * 2 + (INSET_ROW + 1) * (TILE + GAP) + 24 + 20
    return MARGIN * 2 + columns * (TILE + GAP), height


def inset_band_y():
    return MARGIN + INSET_ROW * (TILE + GAP) - 4


def legend():
    total = len(REQUIRED_CATEGORIES)
    return [
        {"count": count, "fill": fill, "label": f"{count} sur {total}" + (" : complet" if count == total else "")}
        for count, (fill, _) in enumerate(PALETTE[: total + 1])
    ]
