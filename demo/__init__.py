"""Données de démonstration : institutions de chaque département, associations, structures d'hébergement,
habilitations et comptes de démonstration (un par rôle).

Déterministe (même graine, mêmes données), idempotent (relancer ne crée rien : clés naturelles nom + type
pour les organisations, adresse électronique pour les personnes) et rapide (créations en masse).
Toutes les coordonnées sont fictives : adresses sur des domaines réservés (`.example.org`, `demo.mniop.example`),
numéros dans les tranches réservées à la fiction par l'Arcep (01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49).

Point d'entrée : `seed_demo_data(scale=1, force=False)`, appelé par `manage.py seed_demo`.

Un module par sujet :

- `safety` : refus sans DEBUG ni --force, mot de passe commun des comptes ;
- `departements` (+ `departements.csv`) : nom (« du Nord »), chef-lieu et autres villes de chaque département ;
- `specs` : ce qu'on décrit avant d'écrire en base (organisation, habilitation), dates stables, noms uniques ;
- `institutions` : préfectures, tribunaux, police, gendarmerie, inspection du travail, aide sociale à l'enfance,
  collectivités d'outre-mer et organismes nationaux ;
- `associations` et `shelters` : associations et structures d'hébergement, leurs poids et leurs habilitations ;
- `organisations` : toutes les organisations, dans un ordre stable (`organisation_specs`) ;
- `people` : les comptes de démonstration (`DEMO_ACCOUNTS`) ;
- `contacts` : adresses et numéros de téléphone fictifs ;
- `sync` : l'écriture en base (`seed_demo_data`, `SeedReport`).

Chaque module n'importe que des modules cités avant lui dans cette liste, jamais l'inverse ; ce paquet ne fait
que réexporter l'interface publique.
"""

from accounts.demo.associations import ASSOCIATIONS_PER_SCALE, DEMO_ASSOCIATION, OTHER_DEMO_ASSOCIATION
from accounts.demo.contacts import FICTION_PHONE_PREFIXES, ORGANISATION_EMAIL_DOMAIN
from accounts.demo.departements import DEPARTEMENTS, of_town
from accounts.demo.organisations import DEFAULT_SEED, organisation_specs
from accounts.demo.people import DEMO_ACCOUNTS, DEMO_EMAIL_DOMAIN, DemoAccount
from accounts.demo.safety import DEFAULT_PASSWORD, DemoDataRefused, check_demo_allowed, demo_password
from accounts.demo.shelters import DEMO_SHELTER, SHELTERS_PER_SCALE
from accounts.demo.specs import HabilitationSpec, OrganisationSpec
from accounts.demo.sync import SeedReport, seed_demo_data

__all__ = [
    "ASSOCIATIONS_PER_SCALE",
    "DEFAULT_PASSWORD",
    "DEFAULT_SEED",
    "DEMO_ACCOUNTS",
    "DEMO_ASSOCIATION",
    "DEMO_EMAIL_DOMAIN",
    "DEMO_SHELTER",
    "DEPARTEMENTS",
    "FICTION_PHONE_PREFIXES",
    "ORGANISATION_EMAIL_DOMAIN",
    "OTHER_DEMO_ASSOCIATION",
    "SHELTERS_PER_SCALE",
    "DemoAccount",
    "DemoDataRefused",
    "HabilitationSpec",
    "OrganisationSpec",
    "SeedReport",
    "check_demo_allowed",
    "demo_password",
    "of_town",
    "organisation_specs",
    "seed_demo_data",
]
