"""Le secret statistique (observatoire/disclosure.py) : des tests qui essaient de le casser, sur les sorties."""

import itertools

import pytest

from observatoire.disclosure import SUPPRESSED, TOTAL, Table, protect, protect_slices


def table(counts, rows=("a", "b", "c"), columns=("x", "y", "z")):
    return Table(
        title="t",
        rows=[(row, row) for row in rows],
        columns=[(column, column) for column in columns],
        counts={
            (row, column): value for (row, column), value in zip(itertools.product(rows, columns), counts, strict=True)
        },
    )


def recomputable_cells(protected):
    """Les cases masquées qu'un lecteur recalcule à partir des cases et totaux visibles : il résout chaque ligne et
    chaque colonne qui n'a plus qu'une inconnue, et recommence jusqu'à ne plus rien trouver."""
    rows = [row for row, _ in protected.table.rows] + [TOTAL]
    columns = [column for column, _ in protected.table.columns] + [TOTAL]
    known = {(r, c): protected.visible_value(r, c) for r in rows for c in columns}
    found = set()
    progress = True
    while progress:
        progress = False
        equations = [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]
        for equation in equations:
            unknown = [key for key in equation if known[key] is None]
            if len(unknown) == 1:
                key = unknown[0]
                members, total = equation[:-1], equation[-1]
                if key == total:
                    known[key] = sum(known[k] for k in members)
                else:
                    known[key] = known[total] - sum(known[k] for k in members if k != key)
                found.add(key)
                progress = True
    return found


def test_a_cell_below_the_threshold_prints_a_colon():
    protected = protect(table([1, 10, 10, 10, 10, 10, 10, 10, 10]), limit=5)

    assert protected.cell("a", "x").display == SUPPRESSED
    assert protected.cell("c", "z").display == "10"


def test_zero_is_shown_it_designates_nobody():
    protected = protect(table([0, 10, 10, 10, 10, 10, 10, 10, 10]), limit=5)

    assert protected.cell("a", "x").display == "0"
    assert protected.suppressed_count == 0


def test_a_suppressed_cell_cannot_be_recomputed_from_row_and_column_totals():
    protected = protect(table([3, 20, 30, 40, 50, 60, 70, 80, 90]), limit=5)

    assert protected.cell("a", "x").is_suppressed
    assert recomputable_cells(protected) == set()
    # Le masquage secondaire a bien masqué d'autres cases, dans la même ligne et la même colonne.
    assert sum(protected.cell("a", column).is_suppressed for column in ("x", "y", "z", TOTAL)) >= 2
    assert sum(protected.cell(row, "x").is_suppressed for row in ("a", "b", "c", TOTAL)) >= 2


@pytest.mark.parametrize("seed", range(40))
def test_no_random_table_leaks_a_small_cell(seed):
    import random

    generator = random.Random(seed)
    counts = [generator.choice([0, 1, 2, 3, 4, 5, 7, 12, 30, 100]) for _ in range(12)]
    protected = protect(table(counts, rows=("a", "b", "c"), columns=("w", "x", "y", "z")), limit=5)

    leaked = recomputable_cells(protected)
    small = {key for key in leaked if 0 < protected._values[key] < 5}
    assert small == set()
    for label, cells in protected.rows():
        for cell in cells:
            assert cell.is_suppressed or cell.value == 0 or cell.value >= 5, (label, cell)


def test_a_single_victim_departement_is_hidden_with_its_totals():
    departements = table([1, 0, 12, 30, 40, 25], rows=("2A", "75", "93"), columns=("validated", "not_validated"))

    protected = protect(departements, limit=5)

    assert protected.cell("2A", "validated").is_suppressed
    assert protected.cell("2A", TOTAL).is_suppressed
    assert recomputable_cells(protected) == set()


def test_a_one_row_table_hides_the_total_of_a_lonely_small_cell():
    protected = protect(table([3, 0], rows=("a",), columns=("x", "y")), limit=5)

    assert protected.cell("a", "x").is_suppressed
    assert protected.cell("a", TOTAL).is_suppressed
    assert protected.cell(TOTAL, TOTAL).is_suppressed


def test_differencing_two_overlapping_territories_reads_the_same_pattern():
    """Deux demandes qui se recouvrent (tous les départements, puis deux d'entre eux) : la différence de leurs totaux
    isolerait le département d'une seule victime ; la tranche garde le masquage du tableau entier et masque ses
    propres totaux dès qu'ils le trahiraient."""
    full = table([1, 0, 12, 30, 40, 25], rows=("2A", "75", "93"), columns=("validated", "not_validated"))

    whole = protect(full, limit=5)
    part = protect_slices(full, ["75", "93"], limit=5)

    isolated = {
        column: (whole.visible_value(TOTAL, column), part.visible_value(TOTAL, column))
        for column in ("validated", "not_validated", TOTAL)
    }
    for column, (all_three, two) in isolated.items():
        if all_three is not None and two is not None:
            assert not 0 < all_three - two < 5, f"la différence des totaux « {column} » isole une victime"
    assert recomputable_cells(part) == set()


def test_export_matrix_prints_colons_and_no_small_number():
    protected = protect(table([3, 20, 30, 40, 50, 60, 70, 80, 90]), limit=5)

    flat = [value for row in protected.matrix()[1:] for value in row[1:]]

    assert SUPPRESSED in flat
    assert "3" not in flat


def test_rates_and_delays_never_reopen_a_suppressed_cell():
    from observatoire.tables import mean_delays, positive_rates

    decisions = Table(
        title="décisions",
        rows=[("75", "Paris"), ("2A", "Corse-du-Sud"), ("93", "Seine-Saint-Denis")],
        columns=[("validated", "v"), ("not_validated", "n"), ("pending", "p")],
        counts={
            ("75", "validated"): 30,
            ("75", "not_validated"): 10,
            ("2A", "validated"): 1,
            ("93", "validated"): 20,
            ("93", "not_validated"): 6,
            ("93", "pending"): 8,
        },
    )
    protected = protect(decisions, limit=5)

    rates = positive_rates(protected)
    delays = mean_delays(protected, {"75": 200, "2A": 3, "93": 78})

    assert rates["75"] == "75 %"
    assert rates["2A"] == ":"
    assert delays["2A"] == ":"
    assert delays["75"] == "5,0"
