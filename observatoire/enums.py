from django.db import models


class TraffickingScope(models.TextChoices):
    """Traite interne ou transnationale (domaine §9.3), déduite par `observatoire.classification.trafficking_scope`."""

    INTERNAL = "internal", "Interne"
    TRANSNATIONAL = "transnational", "Transnationale"
    UNKNOWN = "unknown", "Non déterminée"


class AgeGroup(models.TextChoices):
    ADULT = "adult", "Majeur·e"
    MINOR = "minor", "Mineur·e (hors MNA)"
    MNA = "mna", "Mineur·e non accompagné·e"


class AgeBand(models.TextChoices):
    """Les tranches d'âge des microdonnées (généralisation pour la k-anonymité)."""

    UNDER_18 = "0-17", "Moins de 18 ans"
    FROM_18 = "18-24", "18 à 24 ans"
    FROM_25 = "25-34", "25 à 34 ans"
    FROM_35 = "35-44", "35 à 44 ans"
    FROM_45 = "45+", "45 ans et plus"
    UNKNOWN = "unknown", "Inconnu"


class NationalityGroup(models.TextChoices):
    FRANCE = "france", "France"
    EU = "eu", "Autre pays de l'Union européenne"
    EUROPE_OTHER = "europe_other", "Europe hors Union européenne"
    MAGHREB = "maghreb", "Maghreb"
    AFRICA_OTHER = "africa_other", "Autre pays d'Afrique"
    LATIN_AMERICA = "latin_america", "Amérique latine et Caraïbes"
    ASIA = "asia", "Asie"
    OTHER = "other", "Autre pays"
    UNKNOWN_EU = "unknown_eu", "Inconnue, de l'Union européenne"
    UNKNOWN_NON_EU = "unknown_non_eu", "Inconnue, hors Union européenne"
    UNKNOWN = "unknown", "Inconnue"


class EurostatForm(models.TextChoices):
    """Les catégories Eurostat / GRETA (domaine §4.3 e), déduites des formes d'exploitation à l'export."""

    BENEFIT_FRAUD = "benefit_fraud", "Fraude aux prestations (Benefit fraud)"
    CRIMINAL = "criminal", "Activités criminelles (Criminal activities)"
    BEGGING = "begging", "Mendicité forcée (Forced begging)"
    LABOUR = "labour", "Travail forcé, y compris servitude domestique (Forced labour)"
    ORGANS = "organs", "Prélèvement d'organes (Removal of organs)"
    SEXUAL = "sexual", "Exploitation sexuelle (Sexual exploitation)"
    OTHER = "other", "Autre forme (Other form)"
    UNKNOWN = "unknown", "Forme inconnue (Unknown form)"
    SEXUAL_AND_LABOUR = "sexual_labour", "Sexuelle et par le travail (Sexual and labour)"
    SEXUAL_AND_OTHER = "sexual_other", "Sexuelle et autre (Sexual and other)"
    LABOUR_AND_OTHER = "labour_other", "Travail et autre (Labour and other)"
    MULTIPLE_OTHER = "multiple_other", "Autres formes multiples (Other multiple)"


class Decision(models.TextChoices):
    VALIDATED = "validated", "Prise en charge validée"
    NOT_VALIDATED = "not_validated", "Non validée"
    PENDING = "pending", "Sans décision"
    #: Une notification statistique anonyme n'est jamais instruite : elle n'entre dans aucun tableau des décisions.
    NOT_APPLICABLE = "not_applicable", "Sans objet (notification statistique anonyme)"


class DeadlineOutcome(models.TextChoices):
    """Le respect d'un délai cible de la Miprof (`orientation.Clock`), lu sur le premier délai de l'étape."""

    MET = "met", "Dans le délai"
    MISSED = "missed", "Hors délai"
    RUNNING = "running", "En cours"
    NONE = "none", "Sans délai"


class DecisionDelayBand(models.TextChoices):
    """Le délai de décision départementale en jours ouvrés, par tranche (la cible par défaut est de 5 jours)."""

    UP_TO_2 = "0-2", "0 à 2 jours ouvrés"
    FROM_3 = "3-5", "3 à 5 jours ouvrés"
    FROM_6 = "6-10", "6 à 10 jours ouvrés"
    OVER_10 = "11+", "Plus de 10 jours ouvrés"
    NONE = "none", "Sans décision"


class MeasureOutcome(models.TextChoices):
    """Ce qu'est devenue une mesure du parcours pour une victime (la plus avancée de ses mesures de ce type)."""

    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"
    REQUESTED = "requested", "Proposée ou demandée"
    NONE = "none", "Aucune"


class ResidencePermit(models.TextChoices):
    """Le titre de séjour accordé (le plus récent), par base légale (domaine §9.3 : titres de séjour par profil)."""

    L425_1 = "permit_l425_1", "Carte temporaire, art. L425-1 (plainte ou témoignage)"
    L425_3 = "permit_l425_3", "Carte de résident, art. L425-3 (condamnation)"
    L425_4 = "permit_l425_4", "Parcours de sortie de la prostitution, art. L425-4"
    L435_1 = "permit_l435_1", "Représailles ou motif humanitaire, art. L435-1"
    NONE = "none", "Aucun titre accordé"


class RecordKind(models.TextChoices):
    """Ce que compte une fiche statistique : un signalement déposé, ou une notification statistique anonyme (une
    personne majeure a refusé son consentement ; jamais instruite), marquée comme telle dans les tableaux."""

    SIGNALEMENT = "signalement", "Signalement déposé"
    ANONYMOUS_NOTIFICATION = "anonymous_notification", "Notification statistique anonyme"
