"""Les comptes de démonstration : une personne par rôle, avec son organisation et ses départements.

`DEMO_ACCOUNTS` (adresse, rôle, organisation, description) est ce qu'affiche `manage.py demo_accounts` ;
`_DEMO_PEOPLE` ajoute prénom, nom et départements de compétence pour l'écriture en base.
"""

from typing import NamedTuple

from demo.associations import DEMO_ASSOCIATION, OTHER_DEMO_ASSOCIATION
from demo.departements import DEPARTEMENTS
from demo.institutions import (
    DEMO_CHILD_PROTECTION,
    DEMO_GENDARMERIE,
    DEMO_LABOUR_INSPECTION,
    DEMO_OTHER_POLICE,
    DEMO_PARQUET,
    DEMO_POLICE,
)
from demo.shelters import DEMO_SHELTER
from mniop.roles import Role

DEMO_EMAIL_DOMAIN = "demo.mniop.example"


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
        "valideur.lyon",
        Role.DEPARTMENTAL_VALIDATOR,
        "Préfecture du Rhône",
        "Valideur départemental à la préfecture du Rhône (69) : un signalement déposé à Lyon se décide ici.",
        "Bastien",
        "Girard",
        ("69",),
    ),
    (
        "valideur.mayotte",
        Role.DEPARTMENTAL_VALIDATOR,
        "Préfecture de Mayotte",
        "Valideuse départementale à la préfecture de Mayotte (976), à l'heure de Mayotte.",
        "Zaïna",
        "Abdallah",
        ("976",),
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
    (
        "police.paris",
        Role.POLICE_OFFICER,
        DEMO_POLICE,
        "Enquêtrice de police à Paris : dépose des signalements (référence d'opération), active Ac.Sé sur place.",
        "Inès",
        "Marchand",
        (),
    ),
    (
        "police.nord",
        Role.POLICE_OFFICER,
        DEMO_OTHER_POLICE,
        "Même rôle, autre unité : enquêteur de police dans le Nord, qui ne voit jamais les dossiers de Paris.",
        "Hugo",
        "Lemaire",
        (),
    ),
    (
        "gendarmerie.nord",
        Role.GENDARME,
        DEMO_GENDARMERIE,
        "Gendarme enquêteur dans le Nord : dépose des signalements.",
        "Paul",
        "Renaud",
        (),
    ),
    (
        "inspection-travail.paris",
        Role.LABOUR_INSPECTOR,
        DEMO_LABOUR_INSPECTION,
        "Inspectrice du travail à Paris : dépose des signalements (enquête conjointe avec un OPJ, CODAF, URACTI).",
        "Lucie",
        "Perrin",
        (),
    ),
    (
        "ase.paris",
        Role.CHILD_PROTECTION_AGENT,
        DEMO_CHILD_PROTECTION,
        "Agent de la CRIP de Paris : reçoit les dossiers du circuit des mineurs, répond, clôt « confié à l'ASE ».",
        "Samia",
        "Ouali",
        (),
    ),
    (
        "parquet.paris",
        Role.PARQUET_MAGISTRATE,
        DEMO_PARQUET,
        "Magistrat référent TEH du parquet de Paris : mineurs, plaintes et informations de l'article 40.",
        "François",
        "Mercier",
        (),
    ),
]

DEMO_ACCOUNTS = [
    DemoAccount(f"{local}@{DEMO_EMAIL_DOMAIN}", role, organisation, description)
    for local, role, organisation, description, *_ in _DEMO_PEOPLE
]


#: L'autorité qui valide dans chaque collectivité d'outre-mer (préfet, administrateur supérieur, haut-commissaire) ;
#: une seule préfecture pour Saint-Barthélemy et Saint-Martin (`demo/institutions.py`).
_COLLECTIVITE_VALIDATING_AUTHORITIES = {
    "975": ("Préfecture de Saint-Pierre-et-Miquelon", ("975",)),
    "977": ("Préfecture de Saint-Barthélemy et de Saint-Martin", ("977", "978")),
    "986": ("Administration supérieure des îles Wallis et Futuna", ("986",)),
    "987": ("Haut-commissariat de la République en Polynésie française", ("987",)),
    "988": ("Haut-commissariat de la République en Nouvelle-Calédonie", ("988",)),
}
_FIRST_NAMES = ["Anne", "Marc", "Léa", "Yanis", "Chloé", "Olivier", "Sarah", "Karim", "Manon", "Éric", "Inès", "Luc"]
_LAST_NAMES = ["Bernard", "Petit", "Robert", "Richard", "Simon", "Laurent", "Michel", "Garcia", "David", "Bertrand"]


def _territory_validators():
    """Un·e valideur·se de démonstration pour chaque département et collectivité qui n'en a pas déjà un·e parmi les
    comptes présentés (`DEMO_ACCOUNTS`) : un signalement déposé n'importe où se mène jusqu'à la décision. Même forme
    que `_DEMO_PEOPLE` ; adresse `valideur.<code>@…`."""
    covered = {code for *_, departements in _DEMO_PEOPLE for code in departements}
    authorities = {d.code: (f"Préfecture {d.of_name}", (d.code,)) for d in DEPARTEMENTS.values()}
    authorities |= _COLLECTIVITE_VALIDATING_AUTHORITIES
    people = []
    for index, (code, (organisation, codes)) in enumerate(sorted(authorities.items())):
        if covered.issuperset(codes):
            continue
        people.append(
            (
                f"valideur.{code.lower()}",
                Role.DEPARTMENTAL_VALIDATOR,
                organisation,
                f"Valideur·se départemental·e ({', '.join(codes)}).",
                _FIRST_NAMES[index % len(_FIRST_NAMES)],
                _LAST_NAMES[index % len(_LAST_NAMES)],
                codes,
            )
        )
    return people


#: Les valideur·ses de tous les autres territoires : créés par `seed_demo`, mais pas listés par `--accounts`.
TERRITORY_VALIDATORS = _territory_validators()
