"""Régénère `referents/data/communes.csv` (nom de commune -> code de département) depuis le Code officiel
géographique de l'Insee, tel que le publie Etalab dans le paquet npm `@etalab/decoupage-administratif`
(`data/communes.json`, données de l'Insee sous Licence Ouverte 2.0, paquet sous licence MIT).

    make communes                                  # télécharge le paquet (npm pack) puis réduit
    python tools/communes.py chemin/vers/communes.json

Garde les communes actuelles, déléguées et associées (les anciens noms restent cherchés), en métropole et outre-mer,
dont le département ou la collectivité figure dans `referents/data/territories.csv` ; une ligne par couple
(nom, département), triée. Aucune autre donnée du paquet n'est conservée."""

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "referents" / "data" / "communes.csv"
TERRITORIES = ROOT / "referents" / "data" / "territories.csv"
KINDS = {"commune-actuelle", "commune-deleguee", "commune-associee"}


def reduce(communes_json, output=OUTPUT):
    with TERRITORIES.open(encoding="utf-8", newline="") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    rows = {
        (commune["nom"], commune["departement"])
        for commune in json.loads(Path(communes_json).read_text(encoding="utf-8"))
        if commune.get("type") in KINDS and commune.get("departement") in known
    }
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "departement"])
        writer.writerows(sorted(rows))
    return len(rows)


if __name__ == "__main__":
    print(f"{reduce(sys.argv[1])} communes écrites dans {OUTPUT.relative_to(ROOT)}")
