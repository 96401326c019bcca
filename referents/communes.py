"""Les communes connues de l'annuaire (`referents/data/communes.csv` : chefs-lieux, grandes villes et communes des
territoires les plus dotés) et leur département : « traite Lyon » cherche les fiches qui couvrent le Rhône.

Une commune peut porter le nom de plusieurs (Saint-Denis : Seine-Saint-Denis et La Réunion). La comparaison ignore
la casse, les accents, les traits d'union et les apostrophes."""

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COMMUNES_FILE = Path(__file__).resolve().parent / "data" / "communes.csv"
#: La plus longue commune du fichier, en mots (« Saint-Germain-en-Laye » : quatre).
MAX_WORDS = 6
_SEPARATORS = re.compile(r"[\s'’-]+")


def normalise(text):
    """« Saint-Étienne » -> « saint etienne » ; « L’Haÿ » -> « l hay »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(filter(None, _SEPARATORS.split(plain)))


@cache
def communes():
    """{nom normalisé: (nom, (codes de département…))}."""
    found = {}
    with COMMUNES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, codes = found.get(normalise(row["name"]), (row["name"], ()))
            found[normalise(row["name"])] = (name, (*codes, row["departement"]))
    return found


@dataclass(frozen=True)
class Town:
    name: str
    departement_codes: tuple
    words: tuple  # les mots de la recherche qui la nomment


def find_towns(words):
    """Les communes nommées dans une liste de mots (les plus longues d'abord : « Saint-Denis » avant « Denis »)
    et les mots qui restent. Chaque mot ne sert qu'une fois."""
    known = communes()
    towns, rest, index = [], [], 0
    while index < len(words):
        for size in range(min(MAX_WORDS, len(words) - index), 0, -1):
            phrase = words[index : index + size]
            match = known.get(normalise(" ".join(phrase)))
            if match is not None:
                towns.append(Town(name=match[0], departement_codes=match[1], words=tuple(phrase)))
                index += size
                break
        else:
            rest.append(words[index])
            index += 1
    return towns, rest
