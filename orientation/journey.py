"""Ce que l'orientation ajoute à la frise d'un dossier (`signalements.timeline`) : le détail lisible de ses
événements (mesures, mesures urgentes) et les échéances à venir des mesures en cours ; plus la section « Mesures du
parcours » de la page du dossier (mesures, actions permises, fiche des droits).

`register()` est appelé par `orientation.apps.OrientationConfig.ready` : la frise est la même sur toutes les pages."""

import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from orientation import forms as f
from orientation.enums import MeasureKind, MeasureStatus, ProcedureStage, ReferralCancelReason
from orientation.models import Measure
from orientation.permissions import can_download_rights_sheet, can_edit_procedure, can_record_measure
from orientation.rights_sheet import LANGUAGES
from orientation.sealed import reveal_service_addresses
from orientation.services import measures
from referents.enums import Language
from signalements import lifecycle
from signalements.enums import SignalementEventKind as E
from signalements.timeline import TimelineEntry, extend_timeline

#: Les mesures dont la fin prévue est une échéance à venir.
RUNNING = (MeasureStatus.GRANTED, MeasureStatus.ONGOING)


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def describe(event):
    """Le détail lisible d'un événement de l'orientation, depuis ses données (jamais de donnée personnelle)."""
    data = event.data or {}
    if "measure_kind" in data:
        return f"{_label(MeasureKind, data['measure_kind'])} : {_label(MeasureStatus, data.get('status')).lower()}"
    if "measure" in data and event.kind == E.URGENT_MEASURE_RECORDED:
        return data["measure"].replace("_", " ")
    if event.kind == E.REFERRAL_CANCELLED and data.get("reason"):
        return _label(ReferralCancelReason, data["reason"])
    if event.kind in (E.PROCEDURE_RECORDED, E.PROCEDURE_UPDATED):
        return f"Stade : {_label(ProcedureStage, data.get('stage')).lower()}"
    if event.kind == E.LANGUAGE_RULE_OVERRIDDEN:
        return f"Interprète organisé·e en {_label(Language, data.get('interpreter_language')).lower()}"
    return ""


def upcoming_ends(signalement, today):
    """Les fins prévues des mesures accordées ou en cours, à partir d'aujourd'hui (lues avec les mesures du dossier
    quand la page les a déjà chargées, `journey_context`)."""
    running = [
        measure
        for measure in signalement.measures.all()
        if measure.status in RUNNING and measure.ends_on and measure.ends_on >= today
    ]
    return [
        TimelineEntry(
            at=timezone.make_aware(datetime.datetime.combine(measure.ends_on, datetime.time())),
            family="measure",
            title=f"Fin prévue : {measure.get_kind_display()}",
            is_upcoming=True,
        )
        for measure in running
    ]


def register():
    extend_timeline(describe=describe, upcoming=upcoming_ends)


def measure_actions(measure):
    return [(slug, t.label) for slug, t in measures.TRANSITIONS.items() if measure.status in t.sources]


def journey_context(user, signalement, *, bound_update=None):
    """Ce que la page du dossier montre du parcours : les mesures et leurs évolutions permises ; le formulaire
    « Ajouter une mesure » a sa page (`orientation.views.measures.measure_create`)."""
    prefetch_related_objects(
        [signalement], Prefetch("measures", queryset=Measure.objects.select_related("operator", "proposed_by"))
    )
    case_measures = list(signalement.measures.all())
    may_edit = can_record_measure(user, signalement) and lifecycle.allows(signalement, "update_measure")
    for measure in case_measures:
        actions = measure_actions(measure) if may_edit else []
        if bound_update is not None and bound_update[0] == measure.pk:
            measure.update_form = bound_update[1]
        elif actions:
            measure.update_form = f.MeasureUpdateForm(actions=actions, prefix=f"mesure-{measure.public_id}")
        else:
            measure.update_form = None
    return {
        "journey_measures": case_measures,
        # Les adresses d'élection de domicile lues par un accès d'urgence : la page les inscrit au journal d'accès.
        "sealed_address_reads": reveal_service_addresses(user, signalement, case_measures),
        "can_add_measure": can_record_measure(user, signalement) and lifecycle.allows(signalement, "record_measure"),
        "rights_sheet_languages": LANGUAGES if can_download_rights_sheet(user, signalement) else [],
    }


def procedures_context(user, signalement):
    """La section « Procédures judiciaires » du dossier : les procédures et le droit de les tenir."""
    return {
        "case_procedures": list(
            signalement.procedures.select_related("authority_entry__organisation").order_by("recorded_at", "id")
        ),
        "can_edit_procedures": can_edit_procedure(user, signalement)
        and lifecycle.allows(signalement, "record_procedure"),
    }
