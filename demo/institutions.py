"""Les institutions de chaque département et les organismes nationaux.

Partout : préfecture, tribunal(aux) judiciaire(s), police, gendarmerie, inspection du travail et aide sociale à
l'enfance (conseil départemental ou collectivité à statut particulier) ; dans les collectivités d'outre-mer, leurs
équivalents. Au niveau national : Miprof, Ac.Sé, Ofpra, OCRTEH, PJJ et directions territoriales de l'OFII.
"""

import random

from demo.departements import (
    _ILE_DE_FRANCE,
    _OVERSEAS_DEPARTEMENTS,
    _PETITE_COURONNE,
    DEPARTEMENTS,
    of_town,
)
from demo.specs import OrganisationSpec, _habilitation, _unique
from referents.enums import HabilitationKind, OrganisationKind

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


#: Les acteurs institutionnels de première ligne de la démonstration (issue 16) : ils ont une habilitation MNIOP et
#: un compte chacun (`demo.people`), pour déposer et suivre des signalements comme une association.
DEMO_POLICE = "Préfecture de police – direction de la sécurité de proximité de l'agglomération parisienne"
DEMO_OTHER_POLICE = "Direction départementale de la police nationale du Nord"
DEMO_GENDARMERIE = "Groupement de gendarmerie départementale du Nord"
DEMO_LABOUR_INSPECTION = "DRIEETS Île-de-France – unité départementale de Paris – inspection du travail"
DEMO_CHILD_PROTECTION = "Ville de Paris – CRIP"
DEMO_PARQUET = "Tribunal judiciaire de Paris"
DEMO_FIRST_LINE = (
    DEMO_POLICE,
    DEMO_OTHER_POLICE,
    DEMO_GENDARMERIE,
    DEMO_LABOUR_INSPECTION,
    DEMO_CHILD_PROTECTION,
    DEMO_PARQUET,
)


def with_first_line_habilitations(specs, dates):
    """Une habilitation MNIOP valide pour les acteurs institutionnels de la démonstration."""
    rng = random.Random("habilitations:premiere-ligne")
    for spec in specs:
        if spec.name in DEMO_FIRST_LINE and not spec.habilitations:
            spec.habilitations.append(_habilitation(HabilitationKind.MNIOP, dates, rng))
    return specs
