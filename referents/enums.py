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
