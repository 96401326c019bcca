"""Les publications de l'observatoire : le tableau de bord, l'enquête annuelle de la Miprof (domaine §9.2) et la
grille du GRETA, question 42 (domaine §9.3). Chaque tableau est une `TableSpec` lue dans les cumuls."""

from dataclasses import dataclass

from observatoire import tables
from observatoire.tables import TableSpec

DASHBOARD = [
    TableSpec(
        "form_sex",
        "Victimes par forme d'exploitation (Eurostat) et sexe",
        "eurostat_form",
        "sex",
        "Forme d'exploitation",
    ),
    TableSpec(
        "form_age", "Victimes par forme d'exploitation et âge", "eurostat_form", "age_group", "Forme d'exploitation"
    ),
    TableSpec(
        "nationality_age",
        "Victimes par groupe de nationalités et âge",
        "nationality_group",
        "age_group",
        "Nationalité",
    ),
    TableSpec(
        "month_form", "Signalements par mois de dépôt et forme d'exploitation", "month", "eurostat_form", "Mois"
    ),
    TableSpec(
        "scope_form",
        "Traite interne ou transnationale, par forme d'exploitation",
        "trafficking_scope",
        "eurostat_form",
        "Traite",
    ),
    TableSpec(
        "kind_form",
        "Signalements et notifications statistiques anonymes, par forme d'exploitation",
        "record_kind",
        "eurostat_form",
        "Source",
        "une notification statistique anonyme compte une personne majeure qui a refusé son consentement, sans dossier",
    ),
]

#: Les tableaux par département (décisions, délais, respect des délais cibles de la Miprof), à la façon des
#: publications trimestrielles du NRM britannique : nom du cumul -> titre.
DEPARTEMENT_TABLES = {
    "departement_decision": "Décisions de prise en charge par département",
    "departement_delay": "Délai de décision départementale (jours ouvrés), par département",
    "departement_triage_deadline": "Respect du délai d'instruction de la Miprof, par département",
    "departement_decision_deadline": "Respect du délai de décision départementale, par département",
}


def departement_tables(*, year, scope):
    """{nom du cumul: (tableau protégé, sommes des délais)} des tableaux par département de la portée."""
    return tables.departement_tables(year=year, scope=scope, titles=DEPARTEMENT_TABLES)


#: L'enquête annuelle de la Miprof, dans l'ordre des variables publiées (domaine §9.2).
SURVEY = [
    TableSpec(
        "support_form",
        "1. Victimes repérées et accompagnées individuellement",
        "support_level",
        "eurostat_form",
        "Repérée ou accompagnée",
        "une victime accompagnée a aussi été repérée : le total compte les personnes une fois",
    ),
    TableSpec(
        "place_form",
        "2. Lieu d'exploitation (au moins en partie, exclusivement en France)",
        "place_of_exploitation",
        "eurostat_form",
        "Lieu d'exploitation",
    ),
    TableSpec("sex_transgender", "3. Sexe, y compris les personnes transgenres", "sex", "transgender", "Sexe"),
    TableSpec("form_sex", "4. Forme d'exploitation", "eurostat_form", "sex", "Forme d'exploitation"),
    TableSpec(
        "form_age",
        "5. Majeur·es, mineur·es et mineur·es non accompagné·es (MNA)",
        "eurostat_form",
        "age_group",
        "Forme d'exploitation",
    ),
    TableSpec(
        "pregnant_form",
        "6. Grossesse pendant l'exploitation, par forme d'exploitation",
        "is_pregnant",
        "eurostat_form",
        "Grossesse",
    ),
    TableSpec(
        "children_form",
        "7. Victimes ayant des enfants, par forme d'exploitation",
        "has_children",
        "eurostat_form",
        "A des enfants",
    ),
    TableSpec(
        "disability_form", "8. Handicap, par forme d'exploitation", "has_disability", "eurostat_form", "Handicap"
    ),
    TableSpec(
        "addiction_form", "9. Addiction, par forme d'exploitation", "has_addiction", "eurostat_form", "Addiction"
    ),
]


@dataclass(frozen=True)
class GretaItem:
    """Une ligne de la grille du GRETA (partie III, question 42) : ses tableaux, ou la raison de son absence."""

    item: str
    breakdowns: str
    tables: tuple = ()
    unavailable: str = ""


GRETA = [
    GretaItem(
        "Victimes présumées et identifiées",
        "sexe, âge, nationalité, forme, interne / transnationale, organisme ayant identifié",
        (
            TableSpec(
                "victim_status_sex", "Victimes présumées et identifiées, par sexe", "victim_status", "sex", "Statut"
            ),
            TableSpec("form_age", "Par forme d'exploitation et âge", "eurostat_form", "age_group", "Forme"),
            TableSpec(
                "nationality_form",
                "Par groupe de nationalités et forme",
                "nationality_group",
                "eurostat_form",
                "Nationalité",
            ),
            TableSpec("scope_sex", "Traite interne ou transnationale, par sexe", "trafficking_scope", "sex", "Traite"),
            TableSpec(
                "identifying_body_sex",
                "Par organisme ayant procédé à l'identification",
                "identifying_body",
                "sex",
                "Organisme",
            ),
        ),
    ),
    GretaItem(
        "Victimes identifiées dans la procédure d'asile",
        "sexe, âge, nationalité, forme",
        unavailable="Non disponible : la plateforme ne connaît que les signalements dont l'Ofpra est l'organisme "
        "identifiant (ligne « Ofpra » du tableau par organisme ci-dessus) ; l'Ofpra n'enregistre pas le motif.",
    ),
    GretaItem(
        "Victimes ayant bénéficié d'une assistance",
        "sexe, âge, nationalité, forme, interne / transnationale",
        (
            TableSpec(
                "support_form",
                "Victimes accompagnées individuellement, par forme",
                "support_level",
                "eurostat_form",
                "Repérée ou accompagnée",
            ),
        ),
    ),
    GretaItem(
        "Enfants victimes auxquels un tuteur a été désigné",
        "—",
        (
            TableSpec(
                "guardian_age",
                "Tuteur·rice ou administrateur·rice ad hoc, par âge",
                "has_guardian",
                "age_group",
                "Tuteur",
            ),
        ),
    ),
    GretaItem(
        "Délai de réflexion accordé",
        "sexe, âge, nationalité, forme",
        (
            TableSpec(
                "reflection_sex",
                "Délai de réflexion (mesure du parcours), par sexe",
                "reflection_period",
                "sex",
                "Délai de réflexion",
            ),
            TableSpec(
                "reflection_form",
                "Délai de réflexion, par forme d'exploitation",
                "reflection_period",
                "eurostat_form",
                "Délai de réflexion",
            ),
        ),
    ),
    GretaItem(
        "Titres de séjour",
        "type (base légale) et profil ; la durée suit la base légale (L425-3 : dix ans ; les autres : un an)",
        (
            TableSpec(
                "permit_sex",
                "Titre de séjour accordé (le plus récent), par sexe",
                "residence_permit",
                "sex",
                "Titre de séjour",
            ),
            TableSpec("permit_age", "Titre de séjour accordé, par âge", "residence_permit", "age_group", "Titre"),
            TableSpec(
                "permit_form",
                "Titre de séjour accordé, par forme d'exploitation",
                "residence_permit",
                "eurostat_form",
                "Titre de séjour",
            ),
        ),
    ),
    GretaItem(
        "Statut de réfugié ou protection subsidiaire en raison de la traite",
        "—",
        unavailable="Non disponible : donnée confidentielle de l'Ofpra.",
    ),
    GretaItem(
        "Indemnisation demandée, accordée, versée",
        "par l'auteur ou l'État",
        (
            TableSpec(
                "compensation",
                "Indemnisation, par payeur",
                "compensation_status",
                "compensation_payer",
                "Indemnisation",
            ),
        ),
    ),
    GretaItem("Autre soutien financier de l'État", "—", unavailable="Non disponible : non enregistré."),
    GretaItem(
        "Aide juridictionnelle gratuite",
        "sexe",
        (
            TableSpec(
                "legal_aid_sex",
                "Aide juridictionnelle (mesure du parcours), par sexe",
                "legal_aid",
                "sex",
                "Aide juridictionnelle",
            ),
        ),
    ),
    GretaItem(
        "Retours et rapatriements",
        "pays de destination",
        (
            TableSpec(
                "return_region",
                "Retours volontaires, par région de destination",
                "return_region",
                "has_returned",
                "Région de destination",
            ),
            TableSpec(
                "return_assistance_region",
                "Aide au retour volontaire de l'OFII (mesure du parcours), par région de destination",
                "return_region",
                "return_assistance",
                "Région de destination",
            ),
        ),
    ),
    GretaItem(
        "Enquêtes, poursuites, condamnations, confiscations, personnes morales condamnées",
        "—",
        unavailable="Non disponible ici : données de la police, de la gendarmerie et de la justice (SSMSI, "
        "SDSE), hors de la plateforme.",
    ),
]
