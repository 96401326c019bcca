from django.db import models


class TerritoryKind(models.TextChoices):
    DEPARTEMENT = "departement", "Département"
    COLLECTIVITE = "collectivite", "Collectivité d'outre-mer"


class Zone(models.TextChoices):
    HEXAGONE = "hexagone", "Hexagone et Corse"
    OUTRE_MER = "outre_mer", "Outre-mer"


class OrganisationKind(models.TextChoices):
    """Types d'acteurs (domaine §2 et §6.2)."""

    ASSOCIATION = "association", "Association"
    MIPROF = "miprof", "Miprof"
    PREFECTURE = "prefecture", "Préfecture"
    TRIBUNAL = "tribunal", "Tribunal judiciaire / parquet"
    POLICE = "police", "Police nationale"
    GENDARMERIE = "gendarmerie", "Gendarmerie nationale"
    LABOUR_INSPECTION = "labour_inspection", "Inspection du travail"
    DEPARTEMENT_COUNCIL = "departement_council", "Conseil départemental (ASE / CRIP)"
    ACSE = "acse", "Coordination Ac.Sé"
    SHELTER = "shelter", "Structure d'hébergement"
    OFII = "ofii", "OFII"
    OFPRA = "ofpra", "Ofpra"
    PJJ = "pjj", "Protection judiciaire de la jeunesse"
    OTHER = "other", "Autre"


class HabilitationKind(models.TextChoices):
    """Habilitations et agréments d'une organisation (domaine §2.8 et §11.6)."""

    MNIOP = "mniop", "Habilitation MNIOP (dépôt de signalements)"
    PSP = "psp", "Agrément parcours de sortie de la prostitution (PSP)"
    OFPRA = "ofpra", "Habilitation Ofpra (art. L.531-15 CESEDA)"
    R316_1 = "r316_1", "Agrément art. R316-1 CESEDA"


class ReferentCategory(models.TextChoices):
    """Catégories de référents et de contacts locaux de l'annuaire (domaine §6.2)."""

    PARQUET = "parquet", "Parquet du tribunal judiciaire"
    MAGISTRAT_REFERENT_TEH = "magistrat_referent_teh", "Magistrat·e référent·e TEH"
    MAGISTRAT_REFERENT_PROXENETISME = "magistrat_referent_proxenetisme", "Magistrat·e référent·e proxénétisme"
    PREFECTURE = "prefecture", "Référent·e de la préfecture"
    HAUT_COMMISSARIAT = "haut_commissariat", "Haut-commissariat de la République (Polynésie, Nouvelle-Calédonie)"
    ADMINISTRATION_SUPERIEURE = "administration_superieure", "Administration supérieure de Wallis-et-Futuna"
    POLICE_NATIONALE = "police_nationale", "Référent·e police nationale"
    GENDARMERIE_NATIONALE = "gendarmerie_nationale", "Référent·e gendarmerie nationale"
    OCRTEH_TERRITORIAL = "ocrteh_territorial", "Référent·e territorial·e TEHES (OCRTEH)"
    INSPECTION_DU_TRAVAIL = "inspection_du_travail", "Inspection du travail"
    URACTI = "uracti", "URACTI (travail illégal)"
    ASSOCIATION = "association", "Association spécialisée"
    ASSOCIATION_AGREEE_PSP = "association_agreee_psp", "Association agréée parcours de sortie de la prostitution"
    COMMISSION_DEPARTEMENTALE = "commission_departementale", "Commission départementale prostitution et TEHES"
    CENTRE_ACSE = "centre_acse", "Centre d'hébergement partenaire Ac.Sé"
    STRUCTURE_HEBERGEMENT_TEH = "structure_hebergement_teh", "Structure d'hébergement TEH"
    OFPRA = "ofpra", "Référent·e TEH de l'Ofpra"
    OFII = "ofii", "Direction territoriale de l'OFII"
    SPADA_GUDA = "spada_guda", "SPADA / GUDA (accueil des demandeurs d'asile)"
    EDUCATION_NATIONALE = "education_nationale", "Référent·e académique Éducation nationale"
    ASE_CRIP = "ase_crip", "Aide sociale à l'enfance / CRIP du département"
    PJJ = "pjj", "Protection judiciaire de la jeunesse"
    UAPED = "uaped", "UAPED (unité d'accueil pédiatrique enfants en danger)"
    CRP = "crp", "Centre régional de psychotraumatisme"
    MAISON_PROTECTION_FAMILLE = "maison_protection_famille", "Maison de protection des familles (gendarmerie)"
    CODAF = "codaf", "CODAF (comité départemental anti-fraude)"
    CLSPD = "clspd", "Cellule locale du CLSPD"
    INTERPRETARIAT = "interpretariat", "Interprétariat (service d'interprètes)"
    NATIONAL_RESOURCE = "national_resource", "Ressource nationale (OCRTEH, OCLTI, OFMIN, Miprof, 119, 3018…)"


#: Les catégories dont chaque département doit disposer (domaine §6.4) : la carte de couverture les compte.
REQUIRED_CATEGORIES = (
    ReferentCategory.PARQUET,
    ReferentCategory.PREFECTURE,
    ReferentCategory.POLICE_NATIONALE,
    ReferentCategory.GENDARMERIE_NATIONALE,
    ReferentCategory.INSPECTION_DU_TRAVAIL,
    ReferentCategory.ASSOCIATION,
)

#: Les six collectivités d'outre-mer n'ont pas la liste des départements (issue 16, domaine §6.3) : le représentant de
#: l'État y est un haut-commissariat ou l'administration supérieure, et la gendarmerie est seule force de sécurité à
#: Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin et Wallis-et-Futuna ; les associations spécialisées y
#: manquent, la ressource est nationale. La carte de couverture ne montre ainsi que les vrais manques.
_GENDARMERIE_ONLY = (
    ReferentCategory.PARQUET,
    ReferentCategory.PREFECTURE,
    ReferentCategory.GENDARMERIE_NATIONALE,
    ReferentCategory.INSPECTION_DU_TRAVAIL,
)
COLLECTIVITE_REQUIRED_CATEGORIES = {
    "975": _GENDARMERIE_ONLY,
    "977": _GENDARMERIE_ONLY,
    "978": _GENDARMERIE_ONLY,
    "986": (
        ReferentCategory.PARQUET,
        ReferentCategory.ADMINISTRATION_SUPERIEURE,
        ReferentCategory.GENDARMERIE_NATIONALE,
        ReferentCategory.INSPECTION_DU_TRAVAIL,
    ),
    "987": (
        ReferentCategory.PARQUET,
        ReferentCategory.HAUT_COMMISSARIAT,
        ReferentCategory.POLICE_NATIONALE,
        ReferentCategory.GENDARMERIE_NATIONALE,
        ReferentCategory.INSPECTION_DU_TRAVAIL,
    ),
    "988": (
        ReferentCategory.PARQUET,
        ReferentCategory.HAUT_COMMISSARIAT,
        ReferentCategory.POLICE_NATIONALE,
        ReferentCategory.GENDARMERIE_NATIONALE,
        ReferentCategory.INSPECTION_DU_TRAVAIL,
    ),
}
#: Toutes les catégories obligatoires quelque part (la requête de la couverture).
ANY_REQUIRED_CATEGORIES = tuple(
    dict.fromkeys([*REQUIRED_CATEGORIES, *(c for cs in COLLECTIVITE_REQUIRED_CATEGORIES.values() for c in cs)])
)


def required_categories_for(code):
    """Les catégories obligatoires d'un territoire, par son code : celles d'une collectivité d'outre-mer, sinon
    celles d'un département."""
    return COLLECTIVITE_REQUIRED_CATEGORIES.get(code, REQUIRED_CATEGORIES)


#: Catégories dont l'adresse n'est jamais publiée (lieux d'hébergement de victimes).
SHELTER_CATEGORIES = frozenset({ReferentCategory.CENTRE_ACSE, ReferentCategory.STRUCTURE_HEBERGEMENT_TEH})


class Theme(models.TextChoices):
    """Champs thématiques d'une fiche (domaine §6.4)."""

    TEH = "teh", "Traite des êtres humains"
    TEHES = "tehes", "Traite à des fins d'exploitation sexuelle"
    PROXENETISME = "proxenetisme", "Proxénétisme"
    MINEURS = "mineurs", "Mineurs"
    TRAVAIL = "travail", "Exploitation par le travail"
    MENDICITE = "mendicite", "Mendicité forcée"
    CONTRAINTE_DELITS = "contrainte_delits", "Contrainte à commettre des délits"
    ASILE = "asile", "Asile et droit au séjour"


class Speciality(models.TextChoices):
    """Spécialités d'accompagnement (surtout des associations)."""

    EXPLOITATION_SEXUELLE = "exploitation_sexuelle", "Exploitation sexuelle"
    EXPLOITATION_TRAVAIL = "exploitation_travail", "Exploitation par le travail"
    SERVITUDE_DOMESTIQUE = "servitude_domestique", "Servitude domestique"
    MINEURS_NON_ACCOMPAGNES = "mineurs_non_accompagnes", "Mineurs non accompagnés"
    MARIAGE_FORCE = "mariage_force", "Mariage forcé"
    HEBERGEMENT = "hebergement", "Hébergement sécurisé"
    ACCES_AUX_DROITS = "acces_aux_droits", "Accès aux droits et au séjour"
    ACCOMPAGNEMENT_JURIDIQUE = "accompagnement_juridique", "Accompagnement juridique"
    SOINS = "soins", "Soins et psychotraumatisme"
    MARAUDES = "maraudes", "Maraudes et aller-vers"


class Language(models.TextChoices):
    """Langues parlées par l'équipe (codes ISO 639-1)."""

    FR = "fr", "Français"
    EN = "en", "Anglais"
    ES = "es", "Espagnol"
    PT = "pt", "Portugais"
    RO = "ro", "Roumain"
    BG = "bg", "Bulgare"
    RU = "ru", "Russe"
    UK = "uk", "Ukrainien"
    AR = "ar", "Arabe"
    ZH = "zh", "Chinois"
    VI = "vi", "Vietnamien"
    TI = "ti", "Tigrigna"
    SW = "sw", "Swahili"
    PCM = "pcm", "Pidgin nigérian"
    HT = "ht", "Créole haïtien"
    SRN = "srn", "Sranan tongo"
    ZDJ = "zdj", "Shikomori (comorien)"


class VerificationReason(models.TextChoices):
    STALE = "stale", "Fiche non vérifiée depuis trop longtemps"
    EMAIL_BOUNCED = "email_bounced", "Adresse électronique en erreur"
    MODERATION = "moderation", "Signalée par la Miprof"
