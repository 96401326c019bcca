"""Les départements vus par les données de démonstration : comment les nommer et dans quelles villes.

Le tableau vit dans `departements.csv`, à côté de ce module, lu à l'import. Colonnes :
code INSEE, complément du nom (`of_name` : « Préfecture du Nord ») et chef-lieu (`town` : ville de la préfecture
et du tribunal).
"""

import csv
from pathlib import Path
from typing import NamedTuple

DEPARTEMENTS_FILE = Path(__file__).resolve().parent / "departements.csv"


class _Departement(NamedTuple):
    code: str
    of_name: str  # « du Nord », « de la Guadeloupe », « de l'Ain », « des Bouches-du-Rhône »
    town: str


def _read_departements(path=DEPARTEMENTS_FILE):
    with open(path, encoding="utf-8", newline="") as handle:
        return [_Departement(**row) for row in csv.DictReader(handle)]


DEPARTEMENTS = {d.code: d for d in _read_departements()}

#: D'autres villes où nommer des associations et des centres d'hébergement.
_OTHER_TOWNS = {
    "06": ["Cannes", "Antibes"],
    "13": ["Aix-en-Provence", "Arles"],
    "31": ["Colomiers"],
    "33": ["Mérignac", "Pessac"],
    "34": ["Béziers", "Sète"],
    "59": ["Roubaix", "Tourcoing", "Valenciennes", "Dunkerque"],
    "62": ["Calais", "Lens"],
    "67": ["Mulhouse"],
    "69": ["Villeurbanne", "Vénissieux"],
    "76": ["Le Havre"],
    "77": ["Meaux", "Chelles"],
    "78": ["Mantes-la-Jolie", "Trappes"],
    "91": ["Massy", "Grigny"],
    "92": ["Gennevilliers", "Boulogne-Billancourt", "Colombes"],
    "93": ["Saint-Denis", "Montreuil", "Aubervilliers", "Saint-Ouen-sur-Seine"],
    "94": ["Ivry-sur-Seine", "Vitry-sur-Seine", "Champigny-sur-Marne"],
    "95": ["Argenteuil", "Sarcelles"],
    "971": ["Pointe-à-Pitre"],
    "973": ["Saint-Laurent-du-Maroni", "Kourou"],
    "974": ["Saint-Pierre", "Le Port"],
}
_ILE_DE_FRANCE = ("75", "77", "78", "91", "92", "93", "94", "95")
_PETITE_COURONNE = ("92", "93", "94")
_OVERSEAS_DEPARTEMENTS = ("971", "972", "973", "974", "976")


def of_town(town):
    """« de Lille », « d'Évry », « du Havre », « de La Rochelle »."""
    if town.startswith("Le "):
        return f"du {town[3:]}"
    if town.startswith("Les "):
        return f"des {town[4:]}"
    if town[0] in "AEIOUYÉÈÊÂÎ":
        return f"d'{town}"
    return f"de {town}"


def _towns(d):
    return [d.town, *_OTHER_TOWNS.get(d.code, [])]
