"""Pays (ISO 3166-1 alpha-2) et langues (ISO 639-1) avec leur libellé français, depuis `signalements/data/`.

Les fichiers viennent des listes ISO (paquet Debian `iso-codes`, traductions françaises), triés par libellé."""

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _read(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


@cache
def countries():
    """{"FR": "France", ...}, dans l'ordre alphabétique des libellés."""
    return _read("countries.csv")


@cache
def languages():
    """{"fr": "Français", ...}, dans l'ordre alphabétique des libellés."""
    return _read("languages.csv")
