"""Chargement initial des listes de référence du signalement depuis `signalements/data/reference_values.csv`.

Colonnes : category, code, label, position, statistical_group, eurostat_category. Les valeurs viennent du
domaine §4 (sources citées là-bas).

Règle : le fichier ne fait que **créer les valeurs manquantes** (par liste et code). Une valeur déjà en base n'est
jamais mise à jour ni retirée : après le premier chargement, la Miprof en est propriétaire (libellé, ordre, retrait).
Toutes les lignes sont validées avant la première écriture : une seule ligne fausse et rien n'est écrit.
"""

import csv
from collections import Counter
from pathlib import Path

from django.db import transaction

from signalements.enums import ReferenceCategory
from signalements.models import ReferenceValue
from signalements.services.reference_values import CODE_PATTERN

DATA_FILE = Path(__file__).resolve().parent / "data" / "reference_values.csv"
COLUMNS = ("category", "code", "label", "position", "statistical_group", "eurostat_category")


class ReferenceValuesError(ValueError):
    """Le fichier des listes de référence est illisible ou contient une ligne invalide."""


def load_signalement_references(path=None):
    """Crée les valeurs de référence absentes ; renvoie un `Counter` des créations par liste (clé `ReferenceCategory`).

    Lève `ReferenceValuesError` (en nommant la ligne) si une ligne est invalide ; rien n'est alors écrit.
    """
    path = Path(path) if path is not None else DATA_FILE
    rows = _read(path)
    created = Counter()
    with transaction.atomic():
        existing = set(ReferenceValue.objects.select_for_update().values_list("category", "code"))
        for row in rows:
            if (row["category"], row["code"]) in existing:
                continue
            ReferenceValue.objects.create(**row)
            created[row["category"]] += 1
    return created


def _read(path):
    rows = []
    seen = set()
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
            if missing:
                raise _error(path, 1, f"colonnes manquantes : {', '.join(missing)}")
            for raw in reader:
                line = reader.line_num
                if None in raw or any(value is None for value in raw.values()):
                    raise _error(path, line, "nombre de colonnes incorrect")
                row = _parse(raw, path, line)
                key = (row["category"], row["code"])
                if key in seen:
                    raise _error(path, line, f"code « {row['code']} » en double dans la liste « {row['category']} »")
                seen.add(key)
                rows.append(row)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceValuesError(f"{path.name} : lecture impossible ({exc})") from exc
    return rows


def _parse(raw, path, line):
    category = raw["category"].strip()
    if category not in ReferenceCategory.values:
        raise _error(path, line, f"liste inconnue « {category} »")
    code = raw["code"].strip()
    if not CODE_PATTERN.match(code):
        raise _error(path, line, f"code « {code} » invalide (minuscules ASCII, chiffres et _ seulement)")
    label = raw["label"].strip()
    if not label:
        raise _error(path, line, "libellé vide")
    try:
        position = int(raw["position"])
    except ValueError:
        raise _error(path, line, f"position « {raw['position']} » invalide (entier attendu)") from None
    if position < 0:
        raise _error(path, line, "position négative")
    return {
        "category": category,
        "code": code,
        "label": label,
        "position": position,
        "statistical_group": raw["statistical_group"].strip(),
        "eurostat_category": raw["eurostat_category"].strip(),
    }


def _error(path, line, message):
    return ReferenceValuesError(f"{path.name}, ligne {line} : {message}")
