from django.db import models


class DecisionKind(models.TextChoices):
    VALIDATED = "validated", "Prise en charge validée"
    NOT_VALIDATED = "not_validated", "Prise en charge non validée"
    REDIRECTED = "redirected", "Réorienté"


class RedirectTarget(models.TextChoices):
    DEPARTEMENT = "departement", "Un autre département"
    MINORS_TRACK = "minors_track", "Le circuit des mineurs (parquet, aide sociale à l'enfance)"


class ClosureKind(models.TextChoices):
    DUPLICATE = "duplicate", "Doublon"
    OUT_OF_SCOPE = "out_of_scope", "Hors champ"


class ClockStep(models.TextChoices):
    """Les délais du parcours (domaine §11.3), comptés en jours ouvrés du territoire concerné."""

    TRIAGE = "triage", "Instruction par la Miprof"
    DEPARTMENTAL_DECISION = "departmental_decision", "Décision départementale"
    RECONSIDERATION = "reconsideration", "Réexamen"
    INFORMATION_REQUEST = "information_request", "Réponse à une demande de complément"
    DISTANCING_WAIVER = "distancing_waiver", "Seconde approbation d'un placement hors règle d'éloignement"
    ACSE_DISPATCH = "acse_dispatch", "Répartition par la coordination Ac.Sé"


#: Les délais comptés en heures pour un dossier urgent (0 jour ouvré) : les passages de relais de l'hébergement.
HOURLY_CLOCK_STEPS = (ClockStep.DISTANCING_WAIVER, ClockStep.ACSE_DISPATCH)


class UrgentMeasureKind(models.TextChoices):
    EMERGENCY_SHELTER = "emergency_shelter", "Mise à l'abri en urgence"
    ACSE_ACTIVATION = "acse_activation", "Activation du dispositif Ac.Sé"


class ReminderKind(models.TextChoices):
    REMINDER = "reminder", "Rappel avant l'échéance"
    ESCALATION_TEAM = "escalation_team", "Alerte à l'équipe après l'échéance"
    ESCALATION_ADMIN = "escalation_admin", "Alerte à l'administration de la Miprof"


class PlaceKind(models.TextChoices):
    """Les types de places d'hébergement (domaine §7.1)."""

    TEH = "teh", "Places dédiées aux victimes de traite"
    WOMEN_VIOLENCE = "women_violence", "Places pour femmes victimes de violences"
    DNA = "dna", "Places du dispositif national d'asile (DNA)"
    YOUNG = "young", "Places pour jeunes victimes (ex. Koutcha)"
    GENERAL = "general", "Hébergement généraliste"


class CapacityMovementKind(models.TextChoices):
    DECLARED = "declared", "Places déclarées par la structure"
    HOLD = "hold", "Place retenue pour une orientation"
    HOLD_RELEASED = "hold_released", "Place retenue libérée"
    ARRIVAL = "arrival", "Arrivée"
    DEPARTURE = "departure", "Départ"


class ReferralChannel(models.TextChoices):
    DIRECT = "direct", "Directement à une structure"
    ACSE = "acse", "Par la coordination Ac.Sé"


class ReferralStatus(models.TextChoices):
    AWAITING_DISPATCH = "awaiting_dispatch", "En attente de la coordination Ac.Sé"
    PENDING = "pending", "En attente de réponse de la structure"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    EXPIRED = "expired", "Sans réponse dans le délai"
    ARRIVED = "arrived", "Arrivée confirmée"
    DEPARTED = "departed", "Départ enregistré"
    CANCELLED = "cancelled", "Annulée"
    RETURNED = "returned", "Renvoyée à l'émetteur par la coordination Ac.Sé"


class ReferralCancelReason(models.TextChoices):
    """Pourquoi une orientation en attente a été annulée (le journal du dossier garde le même code)."""

    CONSENT_WITHDRAWN = "consent_withdrawn", "Consentement retiré"
    CASE_CLOSED = "case_closed", "Dossier clos"
    TRIAGE_CLOSED = "triage_closed", "Signalement clos à l'instruction"
    MINORS_TRACK = "minors_track", "Dossier réorienté vers le circuit des mineurs"


class DistancingWaiverStatus(models.TextChoices):
    """Un placement Ac.Sé hors de la règle d'éloignement : demandé, puis approuvé ou rejeté par une autre personne."""

    PENDING = "pending", "En attente d'une seconde approbation"
    APPROVED = "approved", "Approuvé"
    REJECTED = "rejected", "Rejeté"
    CANCELLED = "cancelled", "Annulé"


class MeasureKind(models.TextChoices):
    """Les mesures du parcours de la victime (domaine §3.4 et §4.10)."""

    SHELTER = "shelter", "Hébergement"
    HEALTH_CARE = "health_care", "Accès aux soins"
    REFLECTION_PERIOD = "reflection_period", "Délai de réflexion (30 jours)"
    PERMIT_L425_1 = "permit_l425_1", "Carte de séjour temporaire (art. L425-1 CESEDA)"
    PERMIT_L425_3 = "permit_l425_3", "Carte de résident de 10 ans (art. L425-3 CESEDA)"
    PERMIT_L425_4 = "permit_l425_4", "Titre de séjour parcours de sortie de la prostitution (art. L425-4 CESEDA)"
    PERMIT_L435_1 = "permit_l435_1", "Titre de séjour, crainte de représailles ou motif humanitaire (art. L435-1)"
    PSP = "psp", "Parcours de sortie de la prostitution (PSP)"
    COMPLAINT = "complaint", "Plainte ou témoignage"
    ADDRESS_FOR_SERVICE = "address_for_service", "Élection de domicile (art. 706-40-1 CPP)"
    ANONYMOUS_TESTIMONY = "anonymous_testimony", "Témoignage anonyme (art. 706-58 CPP)"
    LEGAL_AID = "legal_aid", "Aide juridictionnelle"
    COMPENSATION = "compensation", "Indemnisation (CIVI)"
    ASYLUM = "asylum", "Demande d'asile"
    FRANCE_TRAVAIL = "france_travail", "Accompagnement France Travail"
    VOLUNTARY_RETURN = "voluntary_return", "Aide au retour volontaire (OFII)"
    GUARDIANSHIP = "guardianship", "Tutelle ou administrateur·rice ad hoc (mineur·e)"
    INTERPRETING = "interpreting", "Interprétariat"


class MeasureStatus(models.TextChoices):
    """Le cycle de vie d'une mesure, indépendant de l'état du dossier (domaine §11.3)."""

    PROPOSED = "proposed", "Proposée"
    REQUESTED = "requested", "Demandée"
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"
    NO_FOLLOW_UP = "no_follow_up", "Sans suite"
    ONGOING = "ongoing", "En cours"
    ENDED = "ended", "Terminée"


class ServiceAddressKind(models.TextChoices):
    """Où la victime élit domicile pendant la procédure (art. 706-40-1 CPP) : l'adresse elle-même est scellée."""

    ASSOCIATION = "association", "Une association d'aide aux victimes"
    POLICE = "police", "Le commissariat ou la brigade de gendarmerie (service enquêteur)"
    LAWYER = "lawyer", "Son avocat·e"


class ProcedureStage(models.TextChoices):
    """Le stade d'une procédure pénale (domaine §7.3, §8.3) ; relaxe et classement y mettent fin."""

    INVESTIGATION = "investigation", "Enquête"
    PROSECUTION = "prosecution", "Poursuites"
    TRIAL = "trial", "Jugement"
    CONVICTION = "conviction", "Condamnation"
    ACQUITTAL = "acquittal", "Relaxe ou acquittement"
    DISMISSAL = "dismissal", "Classement sans suite ou non-lieu"


class NonCooperationReason(models.TextChoices):
    """Les motifs de l'art. L435-1 CESEDA."""

    FEAR_OF_REPRISALS = "fear_of_reprisals", "Crainte de représailles contre elle ou sa famille"
    HUMANITARIAN = "humanitarian", "Motif humanitaire"


class MeasureReminderKind(models.TextChoices):
    REFLECTION_PERIOD_ENDING = "reflection_period_ending", "Fin prochaine du délai de réflexion"
    PERMIT_RENEWAL = "permit_renewal", "Renouvellement du titre de séjour à demander"


class ChildProtectionAnswerKind(models.TextChoices):
    """La réponse de l'ASE / CRIP ou du parquet à un dossier confié au circuit des mineurs (domaine §5.5)."""

    ACCEPTED = "accepted", "Prise en charge acceptée par l'aide sociale à l'enfance"
    PLACEMENT = "placement", "Placement (accueil provisoire ou confié à l'ASE)"
    OPP = "opp", "Ordonnance de placement provisoire (OPP) du parquet ou du juge des enfants"
    INVESTIGATION = "investigation", "Enquête ouverte par le parquet"
    DECLINED = "declined", "Pas de prise en charge par la protection de l'enfance"


#: Les réponses qui confient l'enfant à la protection de l'enfance : elles permettent la clôture « confié ».
ENTRUSTING_ANSWERS = frozenset(
    {ChildProtectionAnswerKind.ACCEPTED, ChildProtectionAnswerKind.PLACEMENT, ChildProtectionAnswerKind.OPP}
)


class AttachmentKind(models.TextChoices):
    """Les documents qu'on joint à un dossier."""

    RESIDENCE_PERMIT_RECEIPT = "residence_permit_receipt", "Récépissé de demande de titre de séjour"
    COMPLAINT_RECEIPT = "complaint_receipt", "Récépissé de plainte"
    MEDICAL_CERTIFICATE = "medical_certificate", "Certificat médical"
    DECISION = "decision", "Décision"
    OTHER = "other", "Autre document"


class AttachmentScanStatus(models.TextChoices):
    """Le verdict de l'antivirus : seul un document « sain » se télécharge."""

    PENDING = "pending", "Analyse en cours"
    CLEAN = "clean", "Sain"
    INFECTED = "infected", "Infecté : refusé"
    ERROR = "error", "Erreur d'analyse"
