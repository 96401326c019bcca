from django.db import models


class ReferenceCategory(models.TextChoices):
    """Les listes de référence du formulaire de signalement (domaine §4), modifiables par la Miprof."""

    ENTRY_CHANNEL = "entry_channel", "Canal d'entrée"
    IDENTIFYING_BODY = "identifying_body", "Organisme ayant procédé à l'identification"
    ADMINISTRATIVE_SITUATION = "administrative_situation", "Situation administrative"
    EXPLOITATION_FORM = "exploitation_form", "Forme d'exploitation"
    SECTOR = "sector", "Secteur d'exploitation"
    EMPLOYMENT_FORM = "employment_form", "Forme d'emploi ou activité"
    RECRUITMENT_MODE = "recruitment_mode", "Mode de recrutement"
    ICT_USE = "ict_use", "Usage des technologies numériques"
    ONLINE_COERCION = "online_coercion", "Facteur de contrainte en ligne"
    VULNERABILITY_FACTOR = "vulnerability_factor", "Facteur de vulnérabilité"
    TRAFFICKING_INDICATOR = "trafficking_indicator", "Indicateur de traite"
    PLACE_TYPE = "place_type", "Type de lieu d'exploitation"
    OUT_OF_SCOPE_REASON = "out_of_scope_reason", "Motif de clôture hors champ"
    NON_VALIDATION_REASON = "non_validation_reason", "Motif de non-validation de la prise en charge"
    CASE_CLOSURE_REASON = "case_closure_reason", "Motif de clôture du dossier"
    REFERRAL_REFUSAL_REASON = "referral_refusal_reason", "Motif de refus d'une orientation"
    DEPARTURE_REASON = "departure_reason", "Motif de départ d'un hébergement"


class SignalementStatus(models.TextChoices):
    """Les états du signalement (domaine §11.3)."""

    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumis"
    IN_TRIAGE = "in_triage", "En traitement Miprof"
    INFORMATION_REQUESTED = "information_requested", "Complément demandé"
    CLOSED_DUPLICATE = "closed_duplicate", "Clos (doublon)"
    CLOSED_OUT_OF_SCOPE = "closed_out_of_scope", "Clos (hors champ)"
    FORWARDED = "forwarded", "Transmis à l'autorité départementale"
    VALIDATED = "validated", "Prise en charge validée"
    NOT_VALIDATED = "not_validated", "Non validé"
    REDIRECTED = "redirected", "Réorienté"
    FOLLOW_UP = "follow_up", "En suivi"
    CLOSED = "closed", "Clos"
    CHILD_PROTECTION = "child_protection", "Circuit des mineurs (ASE, parquet)"
    CLOSED_CHILD_PROTECTION = "closed_child_protection", "Clos (confié à la protection de l'enfance)"


class SignalementEventKind(models.TextChoices):
    CREATED = "created", "Brouillon créé"
    DRAFT_SAVED = "draft_saved", "Brouillon enregistré"
    SUBMITTED = "submitted", "Signalement soumis"
    SHARED = "shared", "Signalement partagé avec un·e collègue"
    UNSHARED = "unshared", "Partage retiré"
    INFORMATION_REQUESTED = "information_requested", "Complément demandé"
    INFORMATION_PROVIDED = "information_provided", "Complément apporté"
    TRIAGE_STARTED = "triage_started", "Instruction commencée par la Miprof"
    ASSIGNED = "assigned", "Attribué à un·e agent·e"
    QUALIFIED = "qualified", "Qualifié par la Miprof"
    CLOSED_DUPLICATE = "closed_duplicate", "Clos comme doublon"
    CLOSED_OUT_OF_SCOPE = "closed_out_of_scope", "Clos hors champ"
    FORWARDED = "forwarded", "Transmis à l'autorité départementale"
    VALIDATED = "validated", "Prise en charge validée"
    NOT_VALIDATED = "not_validated", "Prise en charge non validée"
    REDIRECTED = "redirected", "Réorienté"
    RECONSIDERATION_REQUESTED = "reconsideration_requested", "Réexamen demandé"
    URGENT_MEASURE_RECORDED = "urgent_measure_recorded", "Mesure urgente enregistrée"
    CLOSED = "closed", "Dossier clos"
    REOPENED = "reopened", "Dossier rouvert"
    REFERRAL_REQUESTED = "referral_requested", "Orientation vers un hébergement demandée"
    REFERRAL_DISPATCHED = "referral_dispatched", "Orientation confiée par Ac.Sé à une structure"
    REFERRAL_ACCEPTED = "referral_accepted", "Orientation acceptée par la structure"
    REFERRAL_REFUSED = "referral_refused", "Orientation refusée par la structure"
    REFERRAL_EXPIRED = "referral_expired", "Orientation sans réponse dans le délai"
    SHELTER_ARRIVAL = "shelter_arrival", "Arrivée dans l'hébergement"
    SHELTER_DEPARTURE = "shelter_departure", "Départ de l'hébergement"
    BREAK_GLASS = "break_glass", "Accès d'urgence au lieu d'hébergement"
    MINORS_TRACK_RECORDED = "minors_track_recorded", "Circuit des mineurs renseigné"
    FOLLOW_UP_STARTED = "follow_up_started", "Suivi du parcours commencé"
    MEASURE_RECORDED = "measure_recorded", "Mesure du parcours enregistrée"
    MEASURE_UPDATED = "measure_updated", "Mesure du parcours mise à jour"
    IDENTITY_OPENED = "identity_opened", "Identité de la personne ouverte avec un motif"
    CONSENT_RECORDED = "consent_recorded", "Consentement enregistré"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consentement retiré"
    CONSENT_OVERRIDDEN = "consent_overridden", "Partage sans consentement, motif inscrit"
    REFERRAL_CANCELLED = "referral_cancelled", "Orientation annulée"
    DATA_RECTIFIED = "data_rectified", "Donnée rectifiée à la demande de la personne"
    RIGHTS_REQUEST_RECORDED = "rights_request_recorded", "Demande d'exercice de droits enregistrée"
    ANONYMISED = "anonymised", "Identité anonymisée (durée de conservation échue)"
    STATISTICAL_FIELDS_UPDATED = "statistical_fields_updated", "Suivi statistique mis à jour"
    REDIRECTED_TO_MINORS_TRACK = "redirected_to_minors_track", "Réorienté vers le circuit des mineurs"
    CHILD_PROTECTION_ANSWERED = "child_protection_answered", "Réponse de la protection de l'enfance ou du parquet"
    ENTRUSTED_TO_CHILD_PROTECTION = "entrusted_to_child_protection", "Clos : confié à la protection de l'enfance"
    REFERRAL_RETURNED = "referral_returned", "Orientation renvoyée à l'émetteur par la coordination Ac.Sé"
    REFERRAL_REFUSED_BY_ACSE = "referral_refused_by_acse", "Orientation refusée par la coordination Ac.Sé"
    DISTANCING_WAIVER_REQUESTED = (
        "distancing_waiver_requested",
        "Placement hors règle d'éloignement demandé (seconde approbation attendue)",
    )
    DISTANCING_WAIVER_APPROVED = "distancing_waiver_approved", "Placement hors règle d'éloignement approuvé"
    DISTANCING_WAIVER_REJECTED = "distancing_waiver_rejected", "Placement hors règle d'éloignement rejeté"
    LANGUAGE_RULE_OVERRIDDEN = "language_rule_overridden", "Règle de langue levée : interprète organisé"
    PROCEDURE_RECORDED = "procedure_recorded", "Procédure judiciaire enregistrée"
    PROCEDURE_UPDATED = "procedure_updated", "Procédure judiciaire mise à jour"
    ATTACHMENT_ADDED = "attachment_added", "Document joint au dossier"
    ATTACHMENT_INFECTED = "attachment_infected", "Document refusé par l'antivirus"
    ATTACHMENT_SCAN_FAILED = "attachment_scan_failed", "Document non analysable par l'antivirus"
    ATTACHMENTS_DELETED = "attachments_deleted", "Documents du dossier supprimés"
    LINK_REQUESTED = "link_requested", "Rapprochement demandé à la Miprof"
    LINK_DISMISSED = "link_dismissed", "Rapprochement écarté par la Miprof"


class VictimStatus(models.TextChoices):
    PRESUMED = "presumed", "Victime présumée"
    IDENTIFIED = "identified", "Victime identifiée"


class Sex(models.TextChoices):
    FEMALE = "female", "Femme"
    MALE = "male", "Homme"
    OTHER = "other", "Autre ou non binaire"
    UNKNOWN = "unknown", "Inconnu"


class Transgender(models.TextChoices):
    YES = "yes", "Oui"
    NO = "no", "Non"
    UNKNOWN = "unknown", "Inconnu"


class PlaceOfExploitation(models.TextChoices):
    FRANCE_ONLY = "france_only", "En France uniquement"
    FRANCE_AND_ABROAD = "france_and_abroad", "En France et à l'étranger"
    ABROAD_ONLY = "abroad_only", "À l'étranger uniquement"
    UNKNOWN = "unknown", "Inconnu"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Consentement recueilli"
    REFUSED_ANONYMOUS = "refused_anonymous", "Consentement refusé : signalement anonyme"
    NOT_REQUIRED_MINOR = "not_required_minor", "Non requis (mineur)"


class ConsentPurpose(models.TextChoices):
    """Les finalités pour lesquelles la personne donne (ou non) son consentement, chacune à part."""

    SHELTER = "shelter", "Prise en charge : autorité départementale, structure d'hébergement ou Ac.Sé"
    POLICE_JUSTICE = "police_justice", "Transmission à la police, à la gendarmerie ou au parquet"
    ASSOCIATION = "association", "Partage avec une autre association"
    STATISTICS = "statistics", "Utilisation dans les statistiques"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "Accordé"
    REFUSED = "refused", "Refusé"
    WITHDRAWN = "withdrawn", "Retiré"
    UNKNOWN = "unknown", "Non renseigné"


class ConsentForm(models.TextChoices):
    WRITTEN = "written", "Écrit"
    ORAL_WITNESSED = "oral_witnessed", "Oral, devant témoin"
    UNKNOWN = "unknown", "Non renseigné"


class ConsentOverrideGround(models.TextChoices):
    """Les seuls cas où la loi permet de partager sans le consentement de la personne."""

    MINOR = "minor", "Personne mineure (protection de l'enfance, art. 375 du code civil et art. 40 CPP)"
    DANGER_TO_LIFE = "danger_to_life", "Danger pour la vie de la personne (intérêt vital, art. 9.2.c du RGPD)"


class ComplaintStatus(models.TextChoices):
    """Plainte ou témoignage (domaine §4.9) : jamais une condition de la mise à l'abri ni de l'asile (§11.4)."""

    FILED = "filed", "Plainte déposée ou témoignage"
    PLANNED = "planned", "Envisagée"
    NO = "no", "Pas de plainte"
    REFUSED = "refused", "Refusée par la personne"
    UNKNOWN = "unknown", "Inconnu"


class SupportLevel(models.TextChoices):
    """Repérée (au moins un contact) ou accompagnée individuellement : la première distinction de l'enquête annuelle
    de la Miprof (domaine §8.1, §9.2). Mise à jour au fil du parcours."""

    SPOTTED = "spotted", "Repérée (au moins un contact)"
    SUPPORTED = "supported", "Accompagnée individuellement"
    UNKNOWN = "unknown", "Non renseigné"


class NationalityResidual(models.TextChoices):
    """Les codes résiduels de nationalité d'Eurostat, quand aucune nationalité n'est connue (domaine §8.2)."""

    NONE = "", "Sans objet (nationalité connue)"
    UNKNOWN_EU = "unknown_eu", "Inconnue, mais de l'Union européenne"
    UNKNOWN_NON_EU = "unknown_non_eu", "Inconnue, mais hors de l'Union européenne"
    UNKNOWN = "unknown", "Inconnue"


class CompensationStatus(models.TextChoices):
    """L'indemnisation de la victime (grille du GRETA, domaine §9.3)."""

    NOT_REQUESTED = "not_requested", "Pas de demande"
    REQUESTED = "requested", "Demandée"
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"
    UNKNOWN = "unknown", "Non renseigné"


class CompensationPayer(models.TextChoices):
    NONE = "", "Sans objet"
    OFFENDER = "offender", "L'auteur·e"
    STATE = "state", "L'État (CIVI, SARVI, AGRASC)"
    UNKNOWN = "unknown", "Non renseigné"


class GuardianStatus(models.TextChoices):
    """Tuteur·rice ou administrateur·rice ad hoc d'une personne mineure (grille du GRETA, domaine §9.3)."""

    YES = "yes", "Oui"
    NO = "no", "Non"
    UNKNOWN = "unknown", "Non renseigné"


class NotificationAgeBand(models.TextChoices):
    """La tranche d'âge d'une notification statistique anonyme : une personne majeure (les codes sont ceux des
    tranches de l'observatoire, `observatoire.enums.AgeBand`)."""

    FROM_18 = "18-24", "18 à 24 ans"
    FROM_25 = "25-34", "25 à 34 ans"
    FROM_35 = "35-44", "35 à 44 ans"
    FROM_45 = "45+", "45 ans et plus"
    UNKNOWN = "unknown", "Inconnu"


class NotificationScope(models.TextChoices):
    """Traite interne ou transnationale, dite par qui notifie (codes de `observatoire.enums.TraffickingScope`)."""

    INTERNAL = "internal", "Interne"
    TRANSNATIONAL = "transnational", "Transnationale"
    UNKNOWN = "unknown", "Non déterminée"


class InterpreterSex(models.TextChoices):
    """Le sexe de l'interprète, quand la victime le demande (domaine §3.4 : une interprète femme pour une victime
    d'exploitation sexuelle qui le souhaite)."""

    NO_PREFERENCE = "", "Pas de demande"
    FEMALE = "female", "Une interprète femme"
    MALE = "male", "Un interprète homme"


class LinkRequestStatus(models.TextChoices):
    """Une demande de rapprochement de signalements (chercher avant de créer, issue 16)."""

    PENDING = "pending", "En attente de la Miprof"
    CONFIRMED = "confirmed", "Rapprochement confirmé"
    DISMISSED = "dismissed", "Rapprochement écarté"
