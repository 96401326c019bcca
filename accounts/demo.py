"""Données de démonstration : institutions de chaque département, associations, structures d'hébergement,
habilitations et comptes de démonstration (un par rôle).

Déterministe (même graine, mêmes données), idempotent (relancer ne crée rien : clés naturelles nom + type
pour les organisations, adresse électronique pour les personnes) et rapide (créations en masse).
Toutes les coordonnées sont fictives : adresses sur des domaines réservés (`.example.org`, `demo.mniop.example`),
numéros dans les tranches réservées à la fiction par l'Arcep (01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49).

Point d'entrée : `seed_demo_data(scale=1, force=False)`, appelé par `manage.py seed_demo`.
"""

import os
import random
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership, User
from mniop.roles import Role
from referents.enums import HabilitationKind, OrganisationKind
from referents.models import Habilitation, Organisation, Territory
from referents.reference_data import load_reference_data

DEFAULT_PASSWORD = "mniop-demo-2026!"
DEMO_EMAIL_DOMAIN = "demo.mniop.example"
ORGANISATION_EMAIL_DOMAIN = "example.org"
DEFAULT_SEED = 2026

#: Volumes de l'échelle 1 (domaine §8.1 : ~80 associations répondent chaque année à l'enquête de la Miprof ;
#: §8.5 : ~15 associations gèrent les places dédiées à la TEH, ~60 centres partenaires d'Ac.Sé).
ASSOCIATIONS_PER_SCALE = 80
SHELTERS_PER_SCALE = 20


class DemoDataRefused(Exception):
    """Les données de démonstration créent des comptes au mot de passe connu : jamais sans DEBUG ni --force."""


def demo_password():
    return os.environ.get("MNIOP_DEMO_PASSWORD") or DEFAULT_PASSWORD


def check_demo_allowed(*, force=False):
    if not settings.DEBUG and not force:
        raise DemoDataRefused(
            "Refus : DEBUG est désactivé. Les données de démonstration créent des comptes dont le mot de passe "
            "est connu de tous ; ne les chargez jamais sur une plateforme réelle. Pour passer outre "
            "(environnement de recette, tests), relancez avec --force."
        )


# --- Territoires : forme « de » du nom et chef-lieu -------------------------------------------------------------
# code INSEE | complément du nom (« Préfecture du Nord ») | chef-lieu (ville de la préfecture et du tribunal)

_DEPARTEMENTS = """
01|de l'Ain|Bourg-en-Bresse
02|de l'Aisne|Laon
03|de l'Allier|Moulins
04|des Alpes-de-Haute-Provence|Digne-les-Bains
05|des Hautes-Alpes|Gap
06|des Alpes-Maritimes|Nice
07|de l'Ardèche|Privas
08|des Ardennes|Charleville-Mézières
09|de l'Ariège|Foix
10|de l'Aube|Troyes
11|de l'Aude|Carcassonne
12|de l'Aveyron|Rodez
13|des Bouches-du-Rhône|Marseille
14|du Calvados|Caen
15|du Cantal|Aurillac
16|de la Charente|Angoulême
17|de la Charente-Maritime|La Rochelle
18|du Cher|Bourges
19|de la Corrèze|Tulle
2A|de la Corse-du-Sud|Ajaccio
2B|de la Haute-Corse|Bastia
21|de la Côte-d'Or|Dijon
22|des Côtes-d'Armor|Saint-Brieuc
23|de la Creuse|Guéret
24|de la Dordogne|Périgueux
25|du Doubs|Besançon
26|de la Drôme|Valence
27|de l'Eure|Évreux
28|d'Eure-et-Loir|Chartres
29|du Finistère|Quimper
30|du Gard|Nîmes
31|de la Haute-Garonne|Toulouse
32|du Gers|Auch
33|de la Gironde|Bordeaux
34|de l'Hérault|Montpellier
35|d'Ille-et-Vilaine|Rennes
36|de l'Indre|Châteauroux
37|d'Indre-et-Loire|Tours
38|de l'Isère|Grenoble
39|du Jura|Lons-le-Saunier
40|des Landes|Mont-de-Marsan
41|de Loir-et-Cher|Blois
42|de la Loire|Saint-Étienne
43|de la Haute-Loire|Le Puy-en-Velay
44|de la Loire-Atlantique|Nantes
45|du Loiret|Orléans
46|du Lot|Cahors
47|de Lot-et-Garonne|Agen
48|de la Lozère|Mende
49|de Maine-et-Loire|Angers
50|de la Manche|Saint-Lô
51|de la Marne|Châlons-en-Champagne
52|de la Haute-Marne|Chaumont
53|de la Mayenne|Laval
54|de Meurthe-et-Moselle|Nancy
55|de la Meuse|Bar-le-Duc
56|du Morbihan|Vannes
57|de la Moselle|Metz
58|de la Nièvre|Nevers
59|du Nord|Lille
60|de l'Oise|Beauvais
61|de l'Orne|Alençon
62|du Pas-de-Calais|Arras
63|du Puy-de-Dôme|Clermont-Ferrand
64|des Pyrénées-Atlantiques|Pau
65|des Hautes-Pyrénées|Tarbes
66|des Pyrénées-Orientales|Perpignan
67|du Bas-Rhin|Strasbourg
68|du Haut-Rhin|Colmar
69|du Rhône|Lyon
70|de la Haute-Saône|Vesoul
71|de Saône-et-Loire|Mâcon
72|de la Sarthe|Le Mans
73|de la Savoie|Chambéry
74|de la Haute-Savoie|Annecy
75|de Paris|Paris
76|de la Seine-Maritime|Rouen
77|de Seine-et-Marne|Melun
78|des Yvelines|Versailles
79|des Deux-Sèvres|Niort
80|de la Somme|Amiens
81|du Tarn|Albi
82|de Tarn-et-Garonne|Montauban
83|du Var|Toulon
84|de Vaucluse|Avignon
85|de la Vendée|La Roche-sur-Yon
86|de la Vienne|Poitiers
87|de la Haute-Vienne|Limoges
88|des Vosges|Épinal
89|de l'Yonne|Auxerre
90|du Territoire de Belfort|Belfort
91|de l'Essonne|Évry-Courcouronnes
92|des Hauts-de-Seine|Nanterre
93|de la Seine-Saint-Denis|Bobigny
94|du Val-de-Marne|Créteil
95|du Val-d'Oise|Cergy
971|de la Guadeloupe|Basse-Terre
972|de la Martinique|Fort-de-France
973|de la Guyane|Cayenne
974|de La Réunion|Saint-Denis
976|de Mayotte|Mamoudzou
"""


class _Departement(NamedTuple):
    code: str
    of_name: str  # « du Nord », « de la Guadeloupe », « de l'Ain », « des Bouches-du-Rhône »
    town: str


DEPARTEMENTS = {d.code: d for d in (_Departement(*line.split("|")) for line in _DEPARTEMENTS.strip().splitlines())}

#: Le tribunal judiciaire du département n'est pas toujours au chef-lieu.
_TRIBUNAL_TOWNS = {"50": ["Coutances"], "91": ["Évry"], "95": ["Pontoise"], "974": ["Saint-Denis de La Réunion"]}
#: Quelques tribunaux de plus dans les grands départements.
_EXTRA_TRIBUNAL_TOWNS = {
    "06": ["Grasse"],
    "13": ["Aix-en-Provence", "Tarascon"],
    "33": ["Libourne"],
    "59": ["Douai", "Valenciennes", "Dunkerque"],
    "62": ["Béthune", "Boulogne-sur-Mer"],
    "69": ["Villefranche-sur-Saône"],
    "76": ["Le Havre", "Dieppe"],
    "83": ["Draguignan"],
    "971": ["Pointe-à-Pitre"],
    "974": ["Saint-Pierre"],
}
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
#: Aide sociale à l'enfance exercée par une collectivité à statut particulier.
_CHILD_WELFARE = {
    "75": [("Ville de Paris – CRIP", ("75",))],
    "2A": [("Collectivité de Corse – CRIP", ("2A", "2B"))],
    "2B": [("Collectivité de Corse – CRIP", ("2A", "2B"))],
    "67": [("Collectivité européenne d'Alsace – CRIP", ("67", "68"))],
    "68": [("Collectivité européenne d'Alsace – CRIP", ("67", "68"))],
    "69": [("Conseil départemental du Rhône – CRIP", ("69",)), ("Métropole de Lyon – CRIP", ("69",))],
    "972": [("Collectivité territoriale de Martinique – CRIP", ("972",))],
    "973": [("Collectivité territoriale de Guyane – CRIP", ("973",))],
}
_LABOUR_INSPECTION = {
    "973": "DGCOPOP de la Guyane – inspection du travail",
}

#: Collectivités d'outre-mer : l'État y est représenté par un préfet ou un haut-commissaire, la justice par un
#: tribunal de première instance ; le droit du travail et l'aide à l'enfance relèvent parfois de la collectivité.
_COLLECTIVITE_INSTITUTIONS = [
    (OrganisationKind.PREFECTURE, "Préfecture de Saint-Pierre-et-Miquelon", ("975",)),
    (OrganisationKind.TRIBUNAL, "Tribunal de première instance de Saint-Pierre", ("975",)),
    (OrganisationKind.GENDARMERIE, "Commandement de la gendarmerie de Saint-Pierre-et-Miquelon", ("975",)),
    (OrganisationKind.LABOUR_INSPECTION, "DCSTEP de Saint-Pierre-et-Miquelon – inspection du travail", ("975",)),
    (
        OrganisationKind.DEPARTEMENT_COUNCIL,
        "Collectivité territoriale de Saint-Pierre-et-Miquelon – aide sociale à l'enfance",
        ("975",),
    ),
    (OrganisationKind.PREFECTURE, "Préfecture de Saint-Barthélemy et de Saint-Martin", ("977", "978")),
    (OrganisationKind.TRIBUNAL, "Tribunal de proximité de Saint-Martin", ("977", "978")),
    (OrganisationKind.GENDARMERIE, "Compagnie de gendarmerie de Saint-Martin et Saint-Barthélemy", ("977", "978")),
    (
        OrganisationKind.LABOUR_INSPECTION,
        "DEETS de la Guadeloupe – unité de contrôle des îles du Nord",
        ("977", "978"),
    ),
    (OrganisationKind.DEPARTEMENT_COUNCIL, "Collectivité de Saint-Barthélemy – aide sociale à l'enfance", ("977",)),
    (OrganisationKind.DEPARTEMENT_COUNCIL, "Collectivité de Saint-Martin – aide sociale à l'enfance", ("978",)),
    (OrganisationKind.PREFECTURE, "Administration supérieure des îles Wallis et Futuna", ("986",)),
    (OrganisationKind.TRIBUNAL, "Tribunal de première instance de Mata-Utu", ("986",)),
    (OrganisationKind.GENDARMERIE, "Commandement de la gendarmerie de Wallis-et-Futuna", ("986",)),
    (
        OrganisationKind.LABOUR_INSPECTION,
        "Service de l'inspection du travail et des affaires sociales de Wallis-et-Futuna",
        ("986",),
    ),
    (OrganisationKind.PREFECTURE, "Haut-commissariat de la République en Polynésie française", ("987",)),
    (OrganisationKind.TRIBUNAL, "Tribunal de première instance de Papeete", ("987",)),
    (OrganisationKind.POLICE, "Direction territoriale de la police nationale de la Polynésie française", ("987",)),
    (OrganisationKind.GENDARMERIE, "Commandement de la gendarmerie pour la Polynésie française", ("987",)),
    (OrganisationKind.LABOUR_INSPECTION, "Direction du travail de la Polynésie française", ("987",)),
    (
        OrganisationKind.DEPARTEMENT_COUNCIL,
        "Direction des solidarités, de la famille et de l'égalité de la Polynésie française",
        ("987",),
    ),
    (OrganisationKind.PREFECTURE, "Haut-commissariat de la République en Nouvelle-Calédonie", ("988",)),
    (OrganisationKind.TRIBUNAL, "Tribunal de première instance de Nouméa", ("988",)),
    (OrganisationKind.POLICE, "Direction territoriale de la police nationale de la Nouvelle-Calédonie", ("988",)),
    (OrganisationKind.GENDARMERIE, "Commandement de la gendarmerie pour la Nouvelle-Calédonie", ("988",)),
    (
        OrganisationKind.LABOUR_INSPECTION,
        "Direction du travail et de l'emploi de la Nouvelle-Calédonie – inspection du travail",
        ("988",),
    ),
    (OrganisationKind.DEPARTEMENT_COUNCIL, "Province Sud – aide sociale à l'enfance", ("988",)),
]

#: Tranches de numéros réservées à la fiction par l'Arcep, par grande zone du plan de numérotation.
_PHONE_PREFIX_BY_REGION = {
    "11": "01 99 00",  # Île-de-France
    "24": "02 61 91",
    "28": "02 61 91",
    "52": "02 61 91",
    "53": "02 61 91",
    "27": "03 53 01",
    "32": "03 53 01",
    "44": "03 53 01",
    "84": "04 65 71",
    "93": "04 65 71",
    "94": "04 65 71",
    "75": "05 36 49",
    "76": "05 36 49",
}
FICTION_PHONE_PREFIXES = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49")


def of_town(town):
    """« de Lille », « d'Évry », « du Havre », « de La Rochelle »."""
    if town.startswith("Le "):
        return f"du {town[3:]}"
    if town.startswith("Les "):
        return f"des {town[4:]}"
    if town[0] in "AEIOUYÉÈÊÂÎ":
        return f"d'{town}"
    return f"de {town}"


# --- Spécifications -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HabilitationSpec:
    kind: str
    starts_on: date
    ends_on: date | None = None
    territory: str | None = None  # code du département pour un agrément départemental
    reference: str = ""


@dataclass
class OrganisationSpec:
    name: str
    kind: str
    territories: tuple[str, ...]
    is_national: bool = False
    habilitations: list[HabilitationSpec] = field(default_factory=list)

    @property
    def key(self):
        return (self.name, str(self.kind))


def _institutions():
    """Préfecture, tribunal, police, gendarmerie, inspection du travail et aide sociale à l'enfance partout."""
    specs = []
    for d in DEPARTEMENTS.values():
        code, of = d.code, d.of_name
        overseas = code in _OVERSEAS_DEPARTEMENTS
        specs.append(OrganisationSpec(f"Préfecture {of}", OrganisationKind.PREFECTURE, (code,)))
        for town in _TRIBUNAL_TOWNS.get(code, [d.town]) + _EXTRA_TRIBUNAL_TOWNS.get(code, []):
            specs.append(OrganisationSpec(f"Tribunal judiciaire {of_town(town)}", OrganisationKind.TRIBUNAL, (code,)))
        if code == "75":
            police = "Préfecture de police – direction de la sécurité de proximité de l'agglomération parisienne"
        elif code in _PETITE_COURONNE:
            police = f"Préfecture de police – direction territoriale de la sécurité de proximité {of}"
        elif overseas:
            police = f"Direction territoriale de la police nationale {of}"
        else:
            police = f"Direction départementale de la police nationale {of}"
        specs.append(OrganisationSpec(police, OrganisationKind.POLICE, (code,)))
        if code == "75":
            gendarmerie = "Région de gendarmerie d'Île-de-France"
        elif overseas:
            gendarmerie = f"Commandement de la gendarmerie {of}"
        else:
            gendarmerie = f"Groupement de gendarmerie départementale {of}"
        specs.append(OrganisationSpec(gendarmerie, OrganisationKind.GENDARMERIE, (code,)))
        if code in _LABOUR_INSPECTION:
            labour = _LABOUR_INSPECTION[code]
        elif code in _ILE_DE_FRANCE:
            labour = f"DRIEETS Île-de-France – unité départementale {of} – inspection du travail"
        elif overseas:
            labour = f"DEETS {of} – inspection du travail"
        else:
            labour = f"DDETS {of} – inspection du travail"
        specs.append(OrganisationSpec(labour, OrganisationKind.LABOUR_INSPECTION, (code,)))
        for name, codes in _CHILD_WELFARE.get(code, [(f"Conseil départemental {of} – CRIP", (code,))]):
            specs.append(OrganisationSpec(name, OrganisationKind.DEPARTEMENT_COUNCIL, codes))
    for kind, name, codes in _COLLECTIVITE_INSTITUTIONS:
        specs.append(OrganisationSpec(name, kind, codes))
    return _unique(specs)


def _unique(specs):
    """Une organisation couvrant plusieurs territoires n'apparaît qu'une fois."""
    seen = {}
    for spec in specs:
        seen.setdefault(spec.key, spec)
    return list(seen.values())


class _Dates:
    """Des dates stables dans l'année : relancer le même jour (ou la même année) ne modifie rien."""

    def __init__(self, today):
        self.year = today.year

    def valid(self, rng):
        starts = date(self.year - rng.randint(1, 3), rng.choice([1, 3, 6, 9]), 1)
        ends = None if rng.random() < 0.5 else date(self.year + rng.randint(1, 3), 12, 31)
        return starts, ends

    def expired(self, rng):
        starts = date(self.year - rng.randint(3, 5), 1, 1)
        return starts, date(self.year - 1, rng.choice([3, 6, 9, 12]), 28)


def _habilitation(kind, dates, rng, *, expired=False, territory=None):
    starts_on, ends_on = dates.expired(rng) if expired else dates.valid(rng)
    prefix = {
        HabilitationKind.MNIOP: "Décision Miprof",
        HabilitationKind.PSP: "Arrêté préfectoral",
        HabilitationKind.OFPRA: "Décision du directeur général de l'Ofpra",
        HabilitationKind.R316_1: "Arrêté préfectoral",
    }[kind]
    reference = f"{prefix} n° {starts_on.year}-{rng.randint(1, 999):03d}"
    return HabilitationSpec(kind, starts_on, ends_on, territory, reference)


def _national_bodies():
    return [
        OrganisationSpec("Miprof", OrganisationKind.MIPROF, ("75",), is_national=True),
        OrganisationSpec("Coordination nationale Ac.Sé", OrganisationKind.ACSE, ("06",), is_national=True),
        OrganisationSpec("Ofpra", OrganisationKind.OFPRA, ("94",), is_national=True),
        OrganisationSpec(
            "Office central pour la répression de la traite des êtres humains (OCRTEH)",
            OrganisationKind.POLICE,
            ("92",),
            is_national=True,
        ),
        OrganisationSpec(
            "Direction interrégionale de la protection judiciaire de la jeunesse Île-de-France et outre-mer",
            OrganisationKind.PJJ,
            _ILE_DE_FRANCE + _OVERSEAS_DEPARTEMENTS,
        ),
    ] + [
        OrganisationSpec(f"OFII – direction territoriale {of_town(town)}", OrganisationKind.OFII, (code,))
        for code, town in [
            ("75", "Paris"),
            ("13", "Marseille"),
            ("33", "Bordeaux"),
            ("69", "Lyon"),
            ("59", "Lille"),
            ("34", "Montpellier"),
            ("973", "Cayenne"),
            ("976", "Mamoudzou"),
        ]
    ]


# --- Associations ---------------------------------------------------------------------------------------------

#: Associations réelles que cite le domaine (§2.8), avec leur siège ; national = compétence nationale.
#: (nom, département du siège, national, habilitations particulières)
_KNOWN_ASSOCIATIONS = [
    ("Comité contre l'esclavage moderne (CCEM)", "75", True, ("ofpra", "r316_1")),
    ("Hors la Rue", "93", True, ("ofpra",)),
    ("Amicale du Nid", "75", True, ("ofpra", "psp:75,92,93,13,34,69")),
    ("Mouvement du Nid", "92", True, ("ofpra", "psp:59,67,31,33,44,63")),
    ("Association Foyer Jorbalan", "75", True, ("ofpra",)),
    ("Agir contre la prostitution des enfants (ACPE)", "75", True, ()),
    ("France terre d'asile", "75", True, ()),
    ("Collectif « Ensemble contre la traite des êtres humains »", "75", True, ()),
    ("La Cimade", "75", True, ()),
    ("GISTI", "75", True, ()),
    ("InfoMIE", "75", True, ()),
    ("e-Enfance", "75", True, ()),
    ("Les Amis du Bus des Femmes", "75", False, ("psp:75",)),
    ("Aux captifs, la libération", "75", False, ()),
    ("Organisation internationale contre l'esclavage moderne (OICEM)", "13", False, ("r316_1",)),
    ("Association ALC", "06", False, ("psp:06",)),
    ("Ruelle", "33", False, ()),
]
#: Les deux associations des comptes de démonstration (mêmes noms que les personas des tests).
DEMO_ASSOCIATION = "Association Accueil Paris"
OTHER_DEMO_ASSOCIATION = "Solidarités Nord"
DEMO_SHELTER = "Centre d'hébergement Les Glycines"

#: Poids des départements pour répartir les associations et les places d'hébergement (domaine §8.5, §8.6 :
#: 58 % des places TEH sont en Île-de-France ; quelques structures outre-mer).
_ASSOCIATION_WEIGHTS = {
    "75": 22,
    "93": 8,
    "92": 4,
    "94": 4,
    "95": 3,
    "91": 3,
    "77": 2,
    "78": 2,
    "13": 6,
    "69": 5,
    "59": 4,
    "06": 4,
    "33": 3,
    "31": 3,
    "34": 2,
    "44": 2,
    "67": 2,
    "35": 2,
    "76": 1.5,
    "38": 1,
    "57": 1,
    "62": 1,
    "21": 1,
    "37": 1,
    "63": 1,
    "29": 1,
    "84": 1,
    "83": 1,
    "30": 1,
    "45": 1,
    "87": 0.5,
    "54": 0.5,
    "51": 0.5,
    "80": 0.5,
    "86": 0.5,
    "971": 1,
    "972": 1,
    "973": 1.5,
    "974": 1,
    "976": 1,
}
_SHELTER_WEIGHTS = {
    "75": 25,
    "93": 12,
    "92": 6,
    "94": 6,
    "91": 4,
    "95": 3,
    "77": 2,
    "13": 8,
    "69": 7,
    "06": 5,
    "33": 4,
    "59": 4,
    "31": 4,
    "34": 3,
    "67": 3,
    "44": 2,
    "974": 2,
}
_CORES = [
    "Accueil et Droits",
    "Femmes Debout",
    "Passerelles",
    "Horizons",
    "Le Fil d'Ariane",
    "Entraide Migrants",
    "Les Jalons",
    "Trait d'Union",
    "Relais Femmes",
    "L'Escale",
    "L'Étape",
    "Issues",
    "Parcours de femmes",
    "Regain",
    "La Boussole",
    "Cap Avenir",
    "Les Marronniers",
    "Droits devant",
    "Le Phare",
    "Aurore",
    "Main tendue",
    "Nouvel Élan",
    "La Traverse",
    "Les Ponts",
    "Amarrage",
    "Espoir et Dignité",
    "Liberté retrouvée",
    "Cœur de Femmes",
    "Sésame",
    "Le Rocher",
]
_SHELTER_CORES = [
    "Les Glycines",
    "L'Oasis",
    "Les Tilleuls",
    "La Clairière",
    "Le Havre de paix",
    "Les Acacias",
    "La Source",
    "L'Albatros",
    "Les Hirondelles",
    "Le Port",
    "La Passerelle",
    "Les Lilas",
    "L'Abri",
    "Les Mimosas",
    "La Maison d'Élise",
    "Le Colombier",
]
_SHELTER_PATTERNS = [
    "Centre d'hébergement {core}",
    "Centre d'hébergement {core} – {town}",
    "Centre d'hébergement et de réinsertion sociale {core}",
    "Centre d'hébergement d'urgence {core}",
]


def _towns(d):
    return [d.town, *_OTHER_TOWNS.get(d.code, [])]


def _association_name(rng, d):
    core = rng.choice(_CORES)
    town = rng.choice(_towns(d))
    pattern = rng.choice(
        [
            "Association {core} {of_town}",
            "Association {core} {of}",
            "{town} Solidarités",
            "Solidarités Femmes {town}",
            "Collectif {core} {of}",
            "Collectif contre la traite {of}",
            "Amicale {core} {of_town}",
            "Association d'aide aux victimes {of}",
            "Maison des femmes {of_town}",
            "Accueil de jour {core} {of_town}",
            "Association {core}",
        ]
    )
    return pattern.format(core=core, town=town, of=d.of_name, of_town=of_town(town))


def _unique_name(draw, used, attempts=20):
    """Tire un nom jusqu'à en trouver un libre ; à défaut, numérote le dernier tiré (« Paris Solidarités 2 »)."""
    for _ in range(attempts):
        name = draw()
        if name not in used:
            break
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name} {n}"
    used.add(candidate)
    return candidate


def _association_habilitations(name, code, dates, *, demo=False, extra=()):
    """~60 % avec une habilitation MNIOP valide, ~12 % expirée ; des agréments PSP par département."""
    rng = random.Random(f"habilitations:{name}")
    roll = rng.random()
    habilitations = []
    if demo or roll < 0.60:
        habilitations.append(_habilitation(HabilitationKind.MNIOP, dates, rng))
    elif roll < 0.72:
        habilitations.append(_habilitation(HabilitationKind.MNIOP, dates, rng, expired=True))
    if rng.random() < 0.25:
        expired = rng.random() < 0.15
        habilitations.append(_habilitation(HabilitationKind.PSP, dates, rng, expired=expired, territory=code))
    if rng.random() < 0.05:
        habilitations.append(_habilitation(HabilitationKind.OFPRA, dates, rng))
    if rng.random() < 0.08:
        habilitations.append(_habilitation(HabilitationKind.R316_1, dates, rng, territory=code))
    for item in extra:
        kind, _, codes = item.partition(":")
        if kind == "psp":
            for territory in codes.split(","):
                habilitations.append(_habilitation(HabilitationKind.PSP, dates, rng, territory=territory))
        elif not any(h.kind == kind and h.territory is None for h in habilitations):
            habilitations.append(_habilitation(HabilitationKind(kind), dates, rng))
    return _unique_habilitations(habilitations)


def _unique_habilitations(habilitations):
    """Une seule habilitation par type et par département : la première tirée l'emporte."""
    seen = {}
    for h in habilitations:
        seen.setdefault((str(h.kind), h.territory), h)
    return list(seen.values())


def _associations(scale, seed, dates):
    used = set()
    specs = [
        OrganisationSpec(
            DEMO_ASSOCIATION,
            OrganisationKind.ASSOCIATION,
            ("75",),
            habilitations=_association_habilitations(DEMO_ASSOCIATION, "75", dates, demo=True, extra=("psp:75",)),
        ),
        OrganisationSpec(
            OTHER_DEMO_ASSOCIATION,
            OrganisationKind.ASSOCIATION,
            ("59",),
            habilitations=_association_habilitations(OTHER_DEMO_ASSOCIATION, "59", dates, demo=True),
        ),
    ]
    for name, code, national, extra in _KNOWN_ASSOCIATIONS:
        demo = "ofpra" in extra  # les associations habilitées par l'Ofpra participent au pilote
        specs.append(
            OrganisationSpec(
                name,
                OrganisationKind.ASSOCIATION,
                (code,),
                is_national=national,
                habilitations=_association_habilitations(name, code, dates, demo=demo, extra=extra),
            )
        )
    used.update(spec.name for spec in specs)
    rng = random.Random(f"associations:{seed}")
    codes, weights = zip(*_ASSOCIATION_WEIGHTS.items(), strict=True)
    first = list(_OVERSEAS_DEPARTEMENTS)  # au moins une association dans chaque département d'outre-mer
    while len(specs) < ASSOCIATIONS_PER_SCALE * scale:
        d = DEPARTEMENTS[first.pop(0) if first else rng.choices(codes, weights)[0]]
        name = _unique_name(lambda d=d: _association_name(rng, d), used)
        specs.append(
            OrganisationSpec(
                name,
                OrganisationKind.ASSOCIATION,
                (d.code,),
                habilitations=_association_habilitations(name, d.code, dates),
            )
        )
    return specs


def _shelter_name(rng, d):
    pattern = rng.choice(_SHELTER_PATTERNS)
    return pattern.format(core=rng.choice(_SHELTER_CORES), town=rng.choice(_towns(d)))


def _shelters(scale, seed, dates):
    used = {DEMO_SHELTER}
    rng = random.Random(f"shelters:{seed}")
    specs = [
        OrganisationSpec(
            DEMO_SHELTER,
            OrganisationKind.SHELTER,
            ("75",),
            habilitations=[_habilitation(HabilitationKind.MNIOP, dates, random.Random(DEMO_SHELTER))],
        )
    ]
    codes, weights = zip(*_SHELTER_WEIGHTS.items(), strict=True)
    while len(specs) < SHELTERS_PER_SCALE * scale:
        d = DEPARTEMENTS[rng.choices(codes, weights)[0]]
        name = _unique_name(lambda d=d: _shelter_name(rng, d), used)
        habilitations = []
        if random.Random(f"habilitations:{name}").random() < 0.3:
            habilitations.append(_habilitation(HabilitationKind.MNIOP, dates, random.Random(name)))
        specs.append(OrganisationSpec(name, OrganisationKind.SHELTER, (d.code,), habilitations=habilitations))
    return specs


def organisation_specs(*, scale=1, seed=DEFAULT_SEED, today=None):
    """Toutes les organisations de démonstration, dans un ordre stable."""
    dates = _Dates(today or timezone.localdate())
    return _national_bodies() + _institutions() + _associations(scale, seed, dates) + _shelters(scale, seed, dates)


# --- Comptes de démonstration ----------------------------------------------------------------------------------


class DemoAccount(NamedTuple):
    email: str
    role: str
    organisation: str
    description: str


# (adresse, rôle, organisation, description, prénom, nom, départements de compétence)
_DEMO_PEOPLE = [
    (
        "agent.association",
        Role.ASSOCIATION_AGENT,
        DEMO_ASSOCIATION,
        "Agent d'une association habilitée à Paris : rédige et dépose des signalements.",
        "Camille",
        "Martin",
        (),
    ),
    (
        "admin.association",
        Role.ASSOCIATION_ADMIN,
        DEMO_ASSOCIATION,
        "Administratrice de la même association : gère les membres et voit tous les dossiers de la structure.",
        "Nadia",
        "Benali",
        (),
    ),
    (
        "agent.autre-association",
        Role.ASSOCIATION_AGENT,
        OTHER_DEMO_ASSOCIATION,
        "Même rôle, autre organisation : agent d'une association habilitée dans le Nord.",
        "Julien",
        "Lefebvre",
        (),
    ),
    (
        "agent.miprof",
        Role.MIPROF_AGENT,
        "Miprof",
        "Agent de la Miprof : trie, qualifie et transmet les signalements à l'autorité départementale.",
        "Sophie",
        "Durand",
        (),
    ),
    (
        "admin.miprof",
        Role.MIPROF_ADMIN,
        "Miprof",
        "Administrateur de la Miprof : organisations, habilitations, annuaire et statistiques complètes.",
        "Thomas",
        "Moreau",
        (),
    ),
    (
        "valideur.paris",
        Role.DEPARTMENTAL_VALIDATOR,
        "Préfecture de Paris",
        "Valideuse départementale à la préfecture de Paris, compétente pour le département 75.",
        "Claire",
        "Fournier",
        ("75",),
    ),
    (
        "valideur.nord",
        Role.DEPARTMENTAL_VALIDATOR,
        "Préfecture du Nord",
        "Même rôle, autre département : valideur à la préfecture du Nord, compétent pour le 59.",
        "Antoine",
        "Dubois",
        ("59",),
    ),
    (
        "referent.marseille",
        Role.TERRITORIAL_REFERENT,
        "Tribunal judiciaire de Marseille",
        "Référente territoriale au parquet de Marseille : tient à jour sa fiche dans l'annuaire.",
        "Élodie",
        "Garcia",
        (),
    ),
    (
        "statisticien",
        Role.STATISTICIAN,
        "Miprof",
        "Statisticien de l'observatoire : statistiques agrégées uniquement, aucun dossier individuel.",
        "Mathieu",
        "Roux",
        (),
    ),
    (
        "admin.plateforme",
        Role.PLATFORM_ADMIN,
        "Miprof",
        "Administratrice technique de la plateforme (administration Django).",
        "Isabelle",
        "Lambert",
        (),
    ),
    (
        "agent.hebergement",
        Role.ASSOCIATION_AGENT,
        DEMO_SHELTER,
        "Agent d'une structure d'hébergement parisienne : reçoit les orientations.",
        "Karim",
        "Haddad",
        (),
    ),
    (
        "agent.acse",
        Role.ASSOCIATION_AGENT,
        "Coordination nationale Ac.Sé",
        "Agent de la coordination nationale Ac.Sé (dispositif d'accueil sécurisant).",
        "Laure",
        "Bonnet",
        (),
    ),
]

DEMO_ACCOUNTS = [
    DemoAccount(f"{local}@{DEMO_EMAIL_DOMAIN}", role, organisation, description)
    for local, role, organisation, description, *_ in _DEMO_PEOPLE
]


# --- Écriture en base ------------------------------------------------------------------------------------------


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    organisations_by_kind: Counter = field(default_factory=Counter)


def seed_demo_data(*, scale=1, force=False, seed=DEFAULT_SEED, today=None):
    """Charge le référentiel des territoires puis les données de démonstration. Idempotent."""
    check_demo_allowed(force=force)
    if scale < 1:
        raise ValueError("L'échelle doit être un entier positif.")
    report = SeedReport()
    with transaction.atomic():
        load_reference_data()
        territories = dict(Territory.objects.values_list("code", "pk"))
        specs = organisation_specs(scale=scale, seed=seed, today=today)
        missing = {code for spec in specs for code in spec.territories} - territories.keys()
        if missing:
            raise ValueError(f"Territoires absents du référentiel : {', '.join(sorted(missing))}.")
        organisations = _sync_organisations(specs, territories, report)
        _sync_habilitations(specs, organisations, territories, report)
        _sync_demo_accounts(organisations, territories, report)
    report.organisations_by_kind.update(str(spec.kind) for spec in specs)
    return report


def _email_for(name):
    label = slugify(name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))[:60].strip("-")
    return f"contact@{label}.{ORGANISATION_EMAIL_DOMAIN}"


def _phone_for(name, region_code):
    prefix = _PHONE_PREFIX_BY_REGION.get(region_code, "01 99 00")
    number = zlib.crc32(name.encode()) % 10_000
    return f"{prefix} {number // 100:02d} {number % 100:02d}"


def _sync_organisations(specs, territories, report):
    """Crée ou met à jour les organisations (clé : nom + type) et leurs territoires ; renvoie {clé: organisation}."""
    regions = dict(Territory.objects.values_list("code", "region__code"))
    existing = {}
    for organisation in Organisation.objects.filter(name__in=[spec.name for spec in specs]).order_by("pk"):
        existing.setdefault((organisation.name, organisation.kind), organisation)
    to_create, to_update = [], []
    for spec in specs:
        values = {
            "is_national": spec.is_national,
            "email": _email_for(spec.name),
            "phone": _phone_for(spec.name, regions.get(spec.territories[0])),
        }
        organisation = existing.get(spec.key)
        if organisation is None:
            organisation = Organisation(name=spec.name, kind=spec.kind, **values)
            to_create.append(organisation)
            existing[spec.key] = organisation
        elif any(getattr(organisation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(organisation, name, value)
            to_update.append(organisation)
    Organisation.objects.bulk_create(to_create, batch_size=500)
    Organisation.objects.bulk_update(to_update, ["is_national", "email", "phone"], batch_size=500)
    changed = {organisation.pk for organisation in to_update}

    through = Organisation.territories.through
    by_key = {spec.key: existing[spec.key] for spec in specs}
    wanted = {(by_key[spec.key].pk, territories[code]) for spec in specs for code in spec.territories}
    ids = {organisation.pk for organisation in by_key.values()}
    current = set(
        through.objects.filter(organisation_id__in=ids).values_list("organisation_id", "territory_id").iterator()
    )
    through.objects.bulk_create(
        [through(organisation_id=o, territory_id=t) for o, t in sorted(wanted - current)], batch_size=1000
    )
    for organisation_id, territory_id in current - wanted:
        through.objects.filter(organisation_id=organisation_id, territory_id=territory_id).delete()
    created = {organisation.pk for organisation in to_create}
    changed |= {o for o, _ in wanted ^ current} - created
    report.created["organisations"] += len(to_create)
    report.updated["organisations"] += len(changed)
    return by_key


def _sync_habilitations(specs, organisations, territories, report):
    ids = [organisation.pk for organisation in organisations.values()]
    existing = {}
    for habilitation in Habilitation.objects.filter(organisation_id__in=ids).order_by("pk"):
        existing.setdefault((habilitation.organisation_id, habilitation.kind, habilitation.territory_id), habilitation)
    to_create, to_update = [], []
    for spec in specs:
        organisation = organisations[spec.key]
        for h in spec.habilitations:
            territory_id = territories[h.territory] if h.territory else None
            values = {"starts_on": h.starts_on, "ends_on": h.ends_on, "reference": h.reference}
            key = (organisation.pk, str(h.kind), territory_id)
            habilitation = existing.get(key)
            if habilitation is None:
                habilitation = Habilitation(
                    organisation=organisation, kind=h.kind, territory_id=territory_id, **values
                )
                existing[key] = habilitation
                to_create.append(habilitation)
            elif any(getattr(habilitation, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(habilitation, name, value)
                to_update.append(habilitation)
    Habilitation.objects.bulk_create(to_create, batch_size=500)
    Habilitation.objects.bulk_update(to_update, ["starts_on", "ends_on", "reference"], batch_size=500)
    report.created["habilitations"] += len(to_create)
    report.updated["habilitations"] += len(to_update)


def _sync_demo_accounts(organisations, territories, report):
    """Un compte par ligne de `DEMO_ACCOUNTS`, avec une seule adhésion. Le mot de passe n'est haché qu'une fois."""
    password = demo_password()
    by_name = {name: organisation for (name, _), organisation in organisations.items()}
    users = {user.email: user for user in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    hashed = None
    checked = {}
    for local, role, organisation_name, _, first_name, last_name, departements in _DEMO_PEOPLE:
        email = f"{local}@{DEMO_EMAIL_DOMAIN}"
        user = users.get(email)
        if user is None:
            hashed = hashed or make_password(password)
            user = User.objects.create(
                email=email, first_name=first_name, last_name=last_name, password=hashed, is_active=True
            )
            report.created["users"] += 1
        else:
            if user.password not in checked:
                checked[user.password] = check_password(password, user.password)
            changes = {"first_name": first_name, "last_name": last_name, "is_active": True}
            if not checked[user.password]:
                hashed = hashed or make_password(password)
                changes["password"] = hashed
            changes = {name: value for name, value in changes.items() if getattr(user, name) != value}
            if changes:
                for name, value in changes.items():
                    setattr(user, name, value)
                user.save(update_fields=list(changes))
                report.updated["users"] += 1

        membership, created = Membership.objects.get_or_create(
            user=user, organisation=by_name[organisation_name], defaults={"role": role}
        )
        wanted = {territories[code] for code in departements}
        changed = membership.role != role or not membership.is_active
        if changed:
            membership.role, membership.is_active = role, True
            membership.deactivated_at = membership.deactivated_by = None
            membership.save(update_fields=["role", "is_active", "deactivated_at", "deactivated_by"])
        if set(membership.departements.values_list("pk", flat=True)) != wanted:
            membership.departements.set(wanted)
            changed = True
        if created:
            report.created["memberships"] += 1
        elif changed:
            report.updated["memberships"] += 1
