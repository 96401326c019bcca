"""Données de démonstration, tout en haut des applications (rien ne l'importe) : institutions de chaque département,
associations, structures d'hébergement, habilitations, comptes de démonstration (un par rôle), fiches de l'annuaire,
profils et places d'hébergement, signalements et parcours d'instruction.

Déterministe (même graine, mêmes données) et idempotent (relancer ne crée rien : clés naturelles nom + type
pour les organisations, adresse électronique pour les personnes, pseudonyme pour les signalements). Les
organisations, habilitations et comptes sont écrits en masse (il n'existe pas de service qui les crée : ce sont des
données de référence) ; tout le reste passe par les vrais services, avec leurs règles, leur journal et leur
historique.
Toutes les coordonnées sont fictives : adresses sur des domaines réservés (`.example.org`, `demo.mniop.example`),
numéros dans les tranches réservées à la fiction par l'Arcep (01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49).

Point d'entrée : `demo.seeding.seed_demo(scale=1, signalements=60, drafts=10, force=False)`, appelé par
`manage.py seed_demo` (`--accounts` affiche les comptes de démonstration).

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
- `actors` : qui agit (un compte de démonstration par son adhésion active, comme après la connexion) ;
- `directory` : les fiches de l'annuaire (`directory.services.create_entry`) ;
- `sync` : l'écriture en base des organisations, habilitations et comptes (`seed_demo_data`, `SeedReport`) ;
- `shelter_places` : profils et places des structures d'hébergement (services de `orientation.services.shelters`) ;
- `signalements` : signalements déposés et brouillons (`create_draft`, `submit_signalement`) ;
- `triage` : parcours d'instruction et de décision (services de `orientation.services`) ;
- `procedures` : procédures judiciaires de quelques dossiers menés (`record_procedure`) ;
- `seeding` : tout, dans l'ordre (`seed_demo`).

Chaque module n'importe que des modules cités avant lui dans cette liste, jamais l'inverse. Ce paquet est une
application Django (sa commande `seed_demo`) : il n'importe rien au chargement.
"""
