"""Chargement des données de référence : régions et territoires du code officiel géographique (COG) de l'INSEE.

Les données vivent dans `referents/data/*.csv`, pas dans le code :

- `regions.csv` : les 18 régions issues de la réforme de 2016 (colonnes code, name, zone) ;
- `territories.csv` : les 101 départements (dont 2A/2B et 971-976) et les 6 collectivités d'outre-mer
  (975, 977, 978, 986, 987, 988), avec leur fuseau horaire, leur calendrier de jours fériés (code de subdivision
  du paquet `holidays`, vide pour le calendrier national) et les coordonnées approximatives de leur centre
  (centre géographique IGN pour l'Hexagone et la Corse ; centre de l'île ou chef-lieu pour l'outre-mer).

Le chargement est idempotent : chaque ligne est créée ou mise à jour par son code ; une ligne identique n'est pas
réécrite. Les régions et territoires absents des fichiers ne sont jamais supprimés. Toutes les lignes sont validées
avant la première écriture : une seule ligne fausse et rien n'est écrit.
"""

import csv
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import holidays
from django.db import transaction

from referents.enums import TerritoryKind, Zone
from referents.models import Region, Territory

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = "regions.csv"
TERRITORIES_FILE = "territories.csv"

REGION_COLUMNS = ("code", "name", "zone")
TERRITORY_COLUMNS = (
    "code",
    "name",
    "kind",
    "region_code",
    "zone",
    "time_zone",
    "holiday_subdivision",
    "latitude",
    "longitude",
)
COORDINATE_PLACES = Decimal("0.00001")


class ReferenceDataError(ValueError):
    """Un fichier de données de référence est illisible ou contient une ligne invalide."""


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


@dataclass
class ReferenceDataCounts:
    regions: UpsertCounts = field(default_factory=UpsertCounts)
    territories: UpsertCounts = field(default_factory=UpsertCounts)


def load_reference_data(data_dir=None):
    """Crée ou met à jour les régions puis les territoires à partir des fichiers CSV de `data_dir`.

    Lève `ReferenceDataError` (en nommant le fichier et la ligne) si une ligne est invalide ; rien n'est alors écrit.
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    region_rows = _read_regions(data_dir / REGIONS_FILE)
    territory_rows = _read_territories(data_dir / TERRITORIES_FILE, regions={row["code"]: row for row in region_rows})

    counts = ReferenceDataCounts()
    with transaction.atomic():
        regions = _upsert(Region, region_rows, counts.regions)
        for row in territory_rows:
            region_code = row.pop("region_code")
            row["region_id"] = regions[region_code].pk if region_code else None
        _upsert(Territory, territory_rows, counts.territories)
    return counts


def _upsert(model, rows, counts):
    """Crée ou met à jour chaque ligne par son code ; renvoie les objets par code."""
    existing = {obj.code: obj for obj in model.objects.select_for_update().filter(code__in=[r["code"] for r in rows])}
    objects = {}
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            obj = model.objects.create(**row)
            counts.created += 1
        else:
            changed = [name for name, value in row.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, row[name])
                obj.save(update_fields=changed)
                counts.updated += 1
            else:
                counts.unchanged += 1
        objects[obj.code] = obj
    return objects


def _read_regions(path):
    rows = []
    for line, raw in _read_csv(path, REGION_COLUMNS):
        row = {
            "code": _required(raw, "code", path, line),
            "name": _required(raw, "name", path, line),
            "zone": _choice(raw, "zone", Zone, path, line),
        }
        _check_unique(row["code"], rows, path, line)
        rows.append(row)
    return rows


def _read_territories(path, *, regions):
    rows = []
    for line, raw in _read_csv(path, TERRITORY_COLUMNS):
        code = _required(raw, "code", path, line)
        kind = _choice(raw, "kind", TerritoryKind, path, line)
        zone = _choice(raw, "zone", Zone, path, line)
        region_code = raw["region_code"].strip()
        if region_code:
            if region_code not in regions:
                raise _error(path, line, f"code de région inconnu « {region_code} »")
            if regions[region_code]["zone"] != zone:
                raise _error(path, line, f"zone « {zone} » différente de celle de la région {region_code}")
        elif kind == TerritoryKind.DEPARTEMENT:
            raise _error(path, line, f"le département {code} n'a pas de code de région")
        row = {
            "code": code,
            "name": _required(raw, "name", path, line),
            "kind": kind,
            "region_code": region_code,
            "zone": zone,
            "time_zone": _time_zone(raw, path, line),
            "holiday_subdivision": _holiday_subdivision(raw, path, line),
            "latitude": _coordinate(raw, "latitude", 90, path, line),
            "longitude": _coordinate(raw, "longitude", 180, path, line),
        }
        _check_unique(code, rows, path, line)
        rows.append(row)
    return rows


def _read_csv(path, columns):
    """Renvoie (numéro de ligne, ligne) pour chaque ligne de données ; l'en-tête est la ligne 1."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in columns if name not in (reader.fieldnames or [])]
            if missing:
                raise _error(path, 1, f"colonnes manquantes : {', '.join(missing)}")
            rows = []
            for raw in reader:
                if None in raw or any(value is None for value in raw.values()):
                    raise _error(path, reader.line_num, "nombre de colonnes incorrect")
                rows.append((reader.line_num, raw))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceDataError(f"{path.name} : lecture impossible ({exc})") from exc


def _error(path, line, message):
    return ReferenceDataError(f"{path.name}, ligne {line} : {message}")


def _required(raw, column, path, line):
    value = raw[column].strip()
    if not value:
        raise _error(path, line, f"colonne « {column} » vide")
    return value


def _choice(raw, column, choices, path, line):
    value = raw[column].strip()
    if value not in choices.values:
        expected = ", ".join(choices.values)
        raise _error(path, line, f"valeur inconnue « {value} » pour « {column} » (attendu : {expected})")
    return value


def _check_unique(code, rows, path, line):
    if any(row["code"] == code for row in rows):
        raise _error(path, line, f"code « {code} » en double")


def _time_zone(raw, path, line):
    value = _required(raw, "time_zone", path, line)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _error(path, line, f"fuseau horaire inconnu « {value} »") from None
    return value


def _holiday_subdivision(raw, path, line):
    value = raw["holiday_subdivision"].strip()
    if value and value not in holidays.France.subdivisions:
        raise _error(path, line, f"subdivision de jours fériés inconnue du paquet holidays « {value} »")
    return value


def _coordinate(raw, column, bound, path, line):
    value = _required(raw, column, path, line)
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise _error(path, line, f"{column} « {value} » n'est pas un nombre")
    if not -bound <= number <= bound:
        raise _error(path, line, f"{column} « {value} » hors de [-{bound}, {bound}]")
    return number.quantize(COORDINATE_PLACES)
