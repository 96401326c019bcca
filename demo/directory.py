"""Fiches de démonstration de l'annuaire territorialisé : une fonction de référent par institution de chaque
département (parquet et magistrat référent TEH, préfecture, police, gendarmerie, inspection du travail, aide
sociale à l'enfance), une fiche par association et par structure d'hébergement.

Des manques restent, comme dans la réalité (« moins dotés ») : pas de fiche association dans les territoires sans
association de démonstration, pas de police nationale là où la gendarmerie est seule. La date de vérification
est répartie sur les douze derniers mois : une partie des fiches est donc à relancer.

Idempotent : clé naturelle (organisation, catégorie, intitulé). Coordonnées fictives (voir `contacts`). Chaque fiche
est créée par le service de l'annuaire : validée, indexée pour la recherche, historisée comme une vraie.
"""

import random
from datetime import timedelta

from demo.actors import MIPROF_ADMIN, acting
from demo.contacts import _phone_for
from demo.people import _DEMO_PEOPLE, DEMO_EMAIL_DOMAIN
from directory.services import create_entry
from mniop.roles import Role
from referents.enums import Language, OrganisationKind, ReferentCategory, Speciality, Theme
from referents.models import DirectoryEntry, Organisation

#: Type d'organisation -> [(catégorie, intitulé, thématiques)].
_FUNCTIONS = {
    OrganisationKind.TRIBUNAL: [
        (ReferentCategory.PARQUET, "Parquet – permanence TEH", [Theme.TEH, Theme.PROXENETISME]),
        (ReferentCategory.MAGISTRAT_REFERENT_TEH, "Magistrat·e référent·e TEH", [Theme.TEH, Theme.MINEURS]),
    ],
    OrganisationKind.PREFECTURE: [
        (ReferentCategory.PREFECTURE, "Référent·e TEH – séjour et délai de réflexion", [Theme.TEH, Theme.ASILE]),
    ],
    OrganisationKind.POLICE: [
        (ReferentCategory.POLICE_NATIONALE, "Référent·e traite – police nationale", [Theme.TEH, Theme.TEHES]),
    ],
    OrganisationKind.GENDARMERIE: [
        (ReferentCategory.GENDARMERIE_NATIONALE, "Référent·e traite – gendarmerie", [Theme.TEH, Theme.TRAVAIL]),
    ],
    OrganisationKind.LABOUR_INSPECTION: [
        (ReferentCategory.INSPECTION_DU_TRAVAIL, "Référent·e travail forcé", [Theme.TRAVAIL, Theme.TEH]),
    ],
    OrganisationKind.DEPARTEMENT_COUNCIL: [
        (ReferentCategory.ASE_CRIP, "CRIP – mineurs victimes de traite", [Theme.MINEURS, Theme.CONTRAINTE_DELITS]),
    ],
    OrganisationKind.ASSOCIATION: [
        (ReferentCategory.ASSOCIATION, "Accompagnement des victimes de traite", [Theme.TEH, Theme.TEHES]),
    ],
    OrganisationKind.SHELTER: [
        (ReferentCategory.STRUCTURE_HEBERGEMENT_TEH, "Orientation vers l'hébergement sécurisé", [Theme.TEH]),
    ],
    OrganisationKind.OFII: [(ReferentCategory.OFII, "Référent·e vulnérabilités de l'OFII", [Theme.ASILE])],
    OrganisationKind.PJJ: [(ReferentCategory.PJJ, "Référent·e mineurs victimes de traite", [Theme.MINEURS])],
}
#: Dans les collectivités d'outre-mer, le représentant de l'État a sa propre catégorie
#: (`referents.enums.COLLECTIVITE_REQUIRED_CATEGORIES`).
_STATE_REPRESENTATIVE = {
    "Haut-commissariat": ReferentCategory.HAUT_COMMISSARIAT,
    "Administration": ReferentCategory.ADMINISTRATION_SUPERIEURE,
}
#: Organismes nationaux : des ressources vers lesquelles se tourner quand un territoire manque de référents.
_NATIONAL_FUNCTIONS = {
    OrganisationKind.MIPROF: [
        (ReferentCategory.NATIONAL_RESOURCE, "Coordination nationale de la lutte contre la traite", [Theme.TEH])
    ],
    OrganisationKind.ACSE: [
        (ReferentCategory.NATIONAL_RESOURCE, "Accueil sécurisant national des victimes (Ac.Sé)", [Theme.TEH])
    ],
    OrganisationKind.OFPRA: [(ReferentCategory.OFPRA, "Groupe de référents TEH de l'Ofpra", [Theme.ASILE, Theme.TEH])],
    OrganisationKind.POLICE: [
        (ReferentCategory.NATIONAL_RESOURCE, "Appui aux enquêtes de traite et de proxénétisme", [Theme.TEHES])
    ],
}
#: Un service d'interprétariat (catégorie facultative) : tenu par une association sur deux environ, comme dans la
#: réalité où l'interprétariat en milieu social est souvent associatif.
_INTERPRETING = (
    ReferentCategory.INTERPRETARIAT,
    "Interprétariat en milieu social (téléphone et présentiel)",
    [Theme.TEH],
)
_FIRST_NAMES = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Morgane", "Yann", "Inès", "Malik", "Léa"]
_LAST_NAMES = ["Martin", "Bernard", "Lefèvre", "Moreau", "Fontaine", "Hoarau", "Tizon", "Madi", "Joseph", "Rivière"]


def _specialities_and_languages(rng):
    specialities = rng.sample(list(Speciality.values), k=rng.randint(1, 3))
    languages = [Language.FR, *rng.sample([v for v in Language.values if v != Language.FR], k=rng.randint(0, 3))]
    return specialities, languages


#: {organisation: (nom, adresse)} des référent·es territoriaux·ales de démonstration, titulaires de leur fiche.
_REFERENT_ACCOUNTS = {
    organisation: (f"{first_name} {last_name}", f"{local}@{DEMO_EMAIL_DOMAIN}")
    for local, role, organisation, _, first_name, last_name, _ in _DEMO_PEOPLE
    if role == Role.TERRITORIAL_REFERENT
}


def sync_directory(*, report, today, seed):
    """Crée les fiches absentes par le service de l'annuaire (`create_entry`, au nom de l'administration de la
    Miprof) ; ne modifie jamais une fiche existante (elle a pu être corrigée à la main)."""
    by = acting(MIPROF_ADMIN)
    if by is None:
        return
    rng = random.Random(seed)
    organisations = (
        Organisation.objects.filter(kind__in=[*_FUNCTIONS, *_NATIONAL_FUNCTIONS], is_active=True)
        .prefetch_related("territories__region")
        .order_by("name", "pk")
    )
    existing = set(DirectoryEntry.objects.values_list("organisation_id", "category", "title"))
    for organisation in organisations:
        territories = sorted(organisation.territories.all(), key=lambda territory: territory.code)
        if not territories:
            continue
        functions = _NATIONAL_FUNCTIONS if organisation.is_national else _FUNCTIONS
        organisation_functions = list(functions.get(organisation.kind, []))
        if (
            organisation.kind == OrganisationKind.ASSOCIATION
            and not organisation.is_national
            and random.Random(f"{seed}-{organisation.name}-interpretariat").random() < 0.5
        ):
            organisation_functions.append(_INTERPRETING)
        for category, title, themes in organisation_functions:
            category = _STATE_REPRESENTATIVE.get(organisation.name.split(" ")[0], category)
            entry_rng = random.Random(f"{seed}-{organisation.name}-{category}")
            key = (organisation.pk, category, title)
            if key in existing:
                continue
            region = territories[0].region.code if territories[0].region else None
            fields = {
                "category": category,
                "title": title,
                "themes": themes,
                "public_email": organisation.email,
                "public_phone": organisation.phone,
                "restricted_phone": _phone_for(f"{organisation.name} {title}", region),
                "last_verified_on": today - timedelta(days=entry_rng.randint(0, 365)),
                "is_public": category not in (ReferentCategory.MAGISTRAT_REFERENT_TEH,),
                "is_contact_public": True,
            }
            if organisation.kind == OrganisationKind.ASSOCIATION:
                fields["specialities"], fields["languages"] = _specialities_and_languages(entry_rng)
            if category in (ReferentCategory.MAGISTRAT_REFERENT_TEH, ReferentCategory.PREFECTURE):
                fields["holder_name"] = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
                fields["deputy_name"] = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
            if category == ReferentCategory.MAGISTRAT_REFERENT_TEH and organisation.name in _REFERENT_ACCOUNTS:
                # La référente territoriale de démonstration est titulaire de sa fiche : elle la tient elle-même.
                fields["holder_name"], fields["holder_email"] = _REFERENT_ACCOUNTS[organisation.name]
            if category in (
                ReferentCategory.POLICE_NATIONALE,
                ReferentCategory.GENDARMERIE_NATIONALE,
                ReferentCategory.NATIONAL_RESOURCE,
            ):
                fields["on_call_phone"] = organisation.phone
            create_entry(organisation=organisation, territories=territories, by=by, **fields)
            report.created["directory_entries"] += 1
