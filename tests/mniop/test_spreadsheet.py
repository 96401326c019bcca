"""Un seul écrivain CSV pour tous les exports (`mniop.spreadsheet`), qui neutralise les débuts de formule."""

import re
from pathlib import Path

import pytest

from mniop.spreadsheet import neutralise_cell, restore_cell

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "demo", "directory", "mniop", "notifications", "orientation", "referents", "signalements"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 00", "'+33 1 00"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Permanence", "Permanence"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_formula_starts_are_neutralised_and_restored(value, cell):
    assert neutralise_cell(value) == cell
    assert restore_cell(cell) == ("" if value is None else str(value))


def test_no_module_writes_csv_outside_the_shared_writer():
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name != "spreadsheet.py" and writers.search(path.read_text())
    ]
    assert offenders == []
