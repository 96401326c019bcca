"""Les modèles de l'orientation, un module par fonctionnalité : `triage` (instruction, décisions, délais, rappels)."""

from orientation.models.attachments import CaseAttachment, CaseAttachmentQuerySet
from orientation.models.measures import (
    CaseClosure,
    ChildProtectionAnswer,
    Measure,
    MeasureQuerySet,
    MeasureReminderLog,
)
from orientation.models.procedures import Procedure, ProcedureQuerySet
from orientation.models.shelters import *  # noqa: F403 - hébergement et orientation (__all__ du module)
from orientation.models.triage import (
    Clock,
    ClockQuerySet,
    ClockSettings,
    Closure,
    Decision,
    InactivityAlert,
    NotificationPreference,
    ReconsiderationRequest,
    ReminderLog,
    SavedFilter,
    UrgentMeasure,
)

__all__ = [
    "CaseAttachment",
    "CaseAttachmentQuerySet",
    "CaseClosure",
    "ChildProtectionAnswer",
    "Measure",
    "MeasureQuerySet",
    "MeasureReminderLog",
    "Procedure",
    "ProcedureQuerySet",
    "Clock",
    "ClockQuerySet",
    "ClockSettings",
    "Closure",
    "Decision",
    "InactivityAlert",
    "NotificationPreference",
    "ReconsiderationRequest",
    "ReminderLog",
    "SavedFilter",
    "UrgentMeasure",
]
