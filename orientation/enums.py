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
