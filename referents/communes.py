"""Toutes les communes de France et leur département ou collectivité d'outre-mer (`referents/data/communes.csv`,
environ 37 000 noms : communes actuelles, déléguées et associées) : « traite Lyon » cherche les fiches qui couvrent
le Rhône.

Source : le Code officiel géographique de l'Insee (données sous Licence Ouverte 2.0), tel qu'Etalab le publie dans
le paquet npm `@etalab/decoupage-administratif` ; réduit à « nom, département » par `tools/communes.py`, que
`make communes` relance pour une nouvelle édition. Le fichier est versionné : rien à télécharger à l'installation.

Une commune peut porter le nom de plusieurs (Saint-Denis : Seine-Saint-Denis et La Réunion). La comparaison ignore
la casse, les accents, les traits d'union et les apostrophes."""

import csv
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COMMUNES_FILE = Path(__file__).resolve().parent / "data" / "communes.csv"
#: Le plus long nom de commune cherché, en mots (« Saint-Germain-en-Laye » : quatre ; au-delà, rare et lent).
MAX_WORDS = 8
_SEPARATORS = re.compile(r"[\s'’-]+")


def normalise(text):
    """« Saint-Étienne » -> « saint etienne » ; « L’Haÿ » -> « l hay »."""
    plain = text.casefold()
    if not plain.isascii():
        plain = "".join(char for char in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(char))
    return " ".join(filter(None, _SEPARATORS.split(plain)))


@cache
def communes():
    """{nom normalisé: (nom, (codes de département…))}."""
    found = {}
    with COMMUNES_FILE.open(encoding="utf-8", newline="") as handle:
        for name, code in csv.reader(itertools.islice(handle, 1, None)):
            key = normalise(name)
            first_name, codes = found.get(key, (name, ()))
            if code not in codes:
                found[key] = (first_name, (*codes, code))
    return found


@dataclass(frozen=True)
class Town:
    name: str
    departement_codes: tuple
    words: tuple  # les mots de la recherche qui la nomment


def find_towns(words, *, not_towns=frozenset()):
    """Les communes nommées dans une liste de mots (les plus longues d'abord : « Saint-Denis » avant « Denis »)
    et les mots qui restent. Chaque mot ne sert qu'une fois ; un mot seul de `not_towns` (forme normalisée) n'est
    jamais une commune."""
    known = communes()
    towns, rest, index = [], [], 0
    while index < len(words):
        for size in range(min(MAX_WORDS, len(words) - index), 0, -1):
            phrase = words[index : index + size]
            key = normalise(" ".join(phrase))
            match = None if size == 1 and key in not_towns else known.get(key)
            if match is not None:
                towns.append(Town(name=match[0], departement_codes=match[1], words=tuple(phrase)))
                index += size
                break
        else:
            rest.append(words[index])
            index += 1
    return towns, rest
