"""Le parcours complet d'un dossier en une frise : les événements du journal (dépôt, instruction, décisions,
orientations, mesures, clôtures), plus les échéances à venir des mesures en cours.

Chaque élément a une famille (la couleur de la frise). Un nouveau type d'événement (par exemple ceux des orientations
vers un hébergement) apparaît de lui-même : son libellé vient de `SignalementEventKind`, sa famille de son nom."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from orientation import forms as f
from orientation.enums import MeasureKind, MeasureStatus
from orientation.permissions import JOURNEY_STATUSES, can_download_rights_sheet, can_record_measure
from orientation.rights_sheet import LANGUAGES
from orientation.services import measures
from signalements.enums import SignalementEventKind as E

FAMILIES = {
    "intake": "Dépôt",
    "triage": "Instruction",
    "decision": "Décision",
    "orientation": "Orientation",
    "measure": "Mesure",
    "closure": "Clôture",
    "other": "Autre",
}
FAMILY_OF_KIND = {
    E.CREATED: "intake",
    E.SUBMITTED: "intake",
    E.SHARED: "intake",
    E.UNSHARED: "intake",
    E.INFORMATION_REQUESTED: "triage",
    E.INFORMATION_PROVIDED: "intake",
    E.TRIAGE_STARTED: "triage",
    E.ASSIGNED: "triage",
    E.QUALIFIED: "triage",
    E.FORWARDED: "triage",
    E.CLOSED_DUPLICATE: "closure",
    E.CLOSED_OUT_OF_SCOPE: "closure",
    E.VALIDATED: "decision",
    E.NOT_VALIDATED: "decision",
    E.REDIRECTED: "decision",
    E.RECONSIDERATION_REQUESTED: "decision",
    E.URGENT_MEASURE_RECORDED: "measure",
    E.FOLLOW_UP_STARTED: "measure",
    E.MEASURE_RECORDED: "measure",
    E.MEASURE_UPDATED: "measure",
    E.CLOSED: "closure",
    E.REOPENED: "closure",
}
#: Les mots qui rangent un type d'événement inconnu ici dans la famille des orientations.
ORIENTATION_WORDS = ("referral", "orientation", "placement", "shelter", "acse", "ase", "arrival", "departure")
#: Le bruit du brouillon n'a pas sa place dans le parcours.
HIDDEN_KINDS = frozenset({E.DRAFT_SAVED})


@dataclass(frozen=True)
class JourneyItem:
    at: datetime.datetime
    family: str
    title: str
    detail: str = ""
    organisation: str = ""
    is_upcoming: bool = False

    @property
    def family_label(self):
        return FAMILIES[self.family]


def family_of(kind):
    if kind in FAMILY_OF_KIND:
        return FAMILY_OF_KIND[kind]
    if any(word in kind for word in ORIENTATION_WORDS):
        return "orientation"
    return "other"


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def describe(event):
    """Le détail lisible d'un événement, depuis ses données (jamais de donnée personnelle)."""
    data = event.data or {}
    if "measure_kind" in data:
        return f"{_label(MeasureKind, data['measure_kind'])} : {_label(MeasureStatus, data.get('status')).lower()}"
    if "measure" in data and event.kind == E.URGENT_MEASURE_RECORDED:
        return data["measure"].replace("_", " ")
    if "departement" in data:
        return f"département {data['departement']}"
    return ""


def journey_items(events, case_measures, today=None):
    """Les éléments de la frise, du plus ancien au plus récent, puis les échéances à venir."""
    today = today or timezone.localdate()
    items = [
        JourneyItem(
            at=event.at,
            family=family_of(event.kind),
            title=event.get_kind_display(),
            detail=describe(event),
            organisation=event.organisation.name if event.organisation_id else "",
        )
        for event in events
        if event.kind not in HIDDEN_KINDS
    ]
    upcoming = [
        JourneyItem(
            at=timezone.make_aware(datetime.datetime.combine(measure.ends_on, datetime.time())),
            family="measure",
            title=f"Fin prévue : {measure.get_kind_display()}",
            is_upcoming=True,
        )
        for measure in case_measures
        if measure.ends_on
        and measure.ends_on >= today
        and measure.status in (MeasureStatus.GRANTED, MeasureStatus.ONGOING)
    ]
    return items + sorted(upcoming, key=lambda item: item.at)


def measure_actions(measure):
    return [(slug, t.label) for slug, t in measures.TRANSITIONS.items() if measure.status in t.sources]


def journey_context(user, signalement, *, events, measure_form=None, bound_update=None):
    """Ce que la page du dossier montre du parcours : la frise, les mesures et les actions permises."""
    case_measures = list(signalement.measures.select_related("operator", "proposed_by"))
    new_measure_form = f.MeasureForm(prefix="mesure", signalement=signalement)
    may_edit = can_record_measure(user, signalement) and signalement.status in JOURNEY_STATUSES
    for measure in case_measures:
        actions = measure_actions(measure) if may_edit else []
        if bound_update is not None and bound_update[0] == measure.pk:
            measure.update_form = bound_update[1]
        elif actions:
            measure.update_form = f.MeasureUpdateForm(actions=actions, prefix=f"mesure-{measure.public_id}")
        else:
            measure.update_form = None
    return {
        "journey": journey_items(events, case_measures),
        "journey_measures": case_measures,
        "measure_form": (measure_form or new_measure_form) if may_edit else None,
        "rights_sheet_languages": LANGUAGES if can_download_rights_sheet(user, signalement) else [],
    }
