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
