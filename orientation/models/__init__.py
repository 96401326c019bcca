"""Les modèles de l'orientation, un module par fonctionnalité : `triage` (instruction, décisions, délais, rappels)."""

from orientation.models.triage import (
    Clock,
    ClockQuerySet,
    ClockSettings,
    Closure,
    Decision,
    NotificationPreference,
    ReconsiderationRequest,
    ReminderLog,
    SavedFilter,
    UrgentMeasure,
)

__all__ = [
    "Clock",
    "ClockQuerySet",
    "ClockSettings",
    "Closure",
    "Decision",
    "NotificationPreference",
    "ReconsiderationRequest",
    "ReminderLog",
    "SavedFilter",
    "UrgentMeasure",
]
