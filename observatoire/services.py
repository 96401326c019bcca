"""Les écritures de l'observatoire : les fiches statistiques (`CaseStatistic`) depuis le journal des signalements,
puis les cumuls (`RollupCell`) des années touchées. Appelées par la tâche beat `observatoire.tasks.refresh_statistics`
toutes les quelques minutes (réglage `CELERY_BEAT_SCHEDULE`) et par `seed_demo`."""

from django.db import connection, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from observatoire import classification
from observatoire.enums import (
    AgeGroup,
    DeadlineOutcome,
    Decision,
    DecisionDelayBand,
    MeasureOutcome,
    RecordKind,
    ResidencePermit,
    TraffickingScope,
)
from observatoire.models import CaseStatistic, RollupCell, RollupState
from orientation.enums import ClockStep, MeasureKind, MeasureStatus
from orientation.models import Clock, Measure
from referents.working_days import working_days_between
from signalements.enums import (
    CompensationStatus,
    SignalementEventKind,
    SignalementStatus,
    SupportLevel,
    Transgender,
    VictimStatus,
)
from signalements.models import AnonymousNotification, ReferenceValue, Signalement, SignalementEvent

#: Les facteurs de vulnérabilité que l'enquête de la Miprof croise avec la forme d'exploitation (domaine §9.2).
VULNERABILITY_CODES = {
    "is_pregnant": {"grossesse_pendant_exploitation", "grossesse"},
    "has_children": {"enfants"},
    "has_disability": {"handicap", "deficience_physique", "deficience_psychique", "infirmite"},
    "has_addiction": {"addiction"},
}
DECISION_EVENTS = {
    SignalementEventKind.VALIDATED: Decision.VALIDATED,
    SignalementEventKind.NOT_VALIDATED: Decision.NOT_VALIDATED,
}
BATCH = 2000
#: Les états d'une mesure qui comptent comme « accordée » (accordée, en cours, terminée), « refusée », « demandée ».
MEASURE_OUTCOMES = {
    MeasureStatus.GRANTED: MeasureOutcome.GRANTED,
    MeasureStatus.ONGOING: MeasureOutcome.GRANTED,
    MeasureStatus.ENDED: MeasureOutcome.GRANTED,
    MeasureStatus.REFUSED: MeasureOutcome.REFUSED,
    MeasureStatus.PROPOSED: MeasureOutcome.REQUESTED,
    MeasureStatus.REQUESTED: MeasureOutcome.REQUESTED,
}
#: L'ordre de préférence quand une victime a plusieurs mesures du même type : la plus avancée l'emporte.
OUTCOME_RANK = [MeasureOutcome.GRANTED, MeasureOutcome.REFUSED, MeasureOutcome.REQUESTED, MeasureOutcome.NONE]
PERMIT_KINDS = {choice.value for choice in ResidencePermit if choice != ResidencePermit.NONE}
#: Les mesures du parcours que la fiche garde, et la colonne qui les reçoit (grille du GRETA, domaine §9.3).
MEASURE_FIELDS = {
    "reflection_period": MeasureKind.REFLECTION_PERIOD,
    "legal_aid": MeasureKind.LEGAL_AID,
    "return_assistance": MeasureKind.VOLUNTARY_RETURN,
}

#: Les tableaux cumulés : nom -> (ligne, colonne), deux colonnes de `CaseStatistic` (SQL).
TABLES = {
    "form_sex": ("eurostat_form", "sex"),
    "form_age": ("eurostat_form", "age_group"),
    "nationality_age": ("nationality_group", "age_group"),
    "nationality_form": ("nationality_group", "eurostat_form"),
    "month_form": ("month", "eurostat_form"),
    "scope_form": ("trafficking_scope", "eurostat_form"),
    "scope_sex": ("trafficking_scope", "sex"),
    "support_place": ("support_level", "place_of_exploitation"),
    "support_form": ("support_level", "eurostat_form"),
    "place_form": ("place_of_exploitation", "eurostat_form"),
    "sex_transgender": ("sex", "transgender"),
    "transgender_form": ("transgender", "eurostat_form"),
    "pregnant_form": ("is_pregnant", "eurostat_form"),
    "children_form": ("has_children", "eurostat_form"),
    "disability_form": ("has_disability", "eurostat_form"),
    "addiction_form": ("has_addiction", "eurostat_form"),
    "identifying_body_sex": ("identifying_body", "sex"),
    "victim_status_sex": ("victim_status", "sex"),
    "guardian_age": ("has_guardian", "age_group"),
    "compensation": ("compensation_status", "compensation_payer"),
    "return_region": ("return_region", "has_returned"),
    "departement_decision": ("departement_code", "decision"),
    "departement_delay": ("departement_code", "decision_delay_band"),
    "departement_triage_deadline": ("departement_code", "triage_deadline"),
    "departement_decision_deadline": ("departement_code", "decision_deadline"),
    "reflection_sex": ("reflection_period", "sex"),
    "reflection_form": ("reflection_period", "eurostat_form"),
    "permit_sex": ("residence_permit", "sex"),
    "permit_age": ("residence_permit", "age_group"),
    "permit_form": ("residence_permit", "eurostat_form"),
    "legal_aid_sex": ("legal_aid", "sex"),
    "return_assistance_region": ("return_region", "return_assistance"),
    "kind_form": ("record_kind", "eurostat_form"),
}


def delay_band(working_days):
    """La tranche d'un délai de décision en jours ouvrés (`None` : pas de décision)."""
    if working_days is None:
        return DecisionDelayBand.NONE
    if working_days <= 2:
        return DecisionDelayBand.UP_TO_2
    if working_days <= 5:
        return DecisionDelayBand.FROM_3
    if working_days <= 10:
        return DecisionDelayBand.FROM_6
    return DecisionDelayBand.OVER_10


def deadline_outcome(clocks, step):
    """Le respect du délai cible d'une étape, lu sur son premier délai (un réexamen ou une reprise n'effacent pas un
    premier délai manqué) : arrêté avant l'échéance, arrêté après, ou encore ouvert."""
    clock = next((clock for clock in clocks if clock.step == step), None)
    if clock is None:
        return DeadlineOutcome.NONE
    if clock.stopped_at is None:
        return DeadlineOutcome.RUNNING
    return DeadlineOutcome.MET if clock.stopped_at <= clock.due_at else DeadlineOutcome.MISSED


def measure_outcome(measures, kind):
    outcomes = {
        MEASURE_OUTCOMES.get(measure.status, MeasureOutcome.NONE) for measure in measures if measure.kind == kind
    }
    return next(outcome for outcome in OUTCOME_RANK if outcome in outcomes or outcome == MeasureOutcome.NONE)


def residence_permit(measures):
    """Le titre de séjour accordé le plus récent (les mesures sont dans l'ordre d'enregistrement)."""
    granted = [
        measure.kind
        for measure in measures
        if measure.kind in PERMIT_KINDS and MEASURE_OUTCOMES.get(measure.status) == MeasureOutcome.GRANTED
    ]
    return granted[-1] if granted else ResidencePermit.NONE


def _decision(events):
    decided = [event for event in events if event.kind in DECISION_EVENTS]
    forwarded = [event for event in events if event.kind == SignalementEventKind.FORWARDED]
    if not decided:
        return Decision.PENDING, None, None
    last = decided[-1]
    start = forwarded[0].at if forwarded else None
    return DECISION_EVENTS[last.kind], start, last.at


def statistic_fields(signalement):
    """Les valeurs de la fiche statistique d'un signalement (pré-chargé par `_signalements`)."""
    forms = [value.eurostat_category for value in signalement.exploitation_forms.all()]
    factors = {value.code for value in signalement.vulnerability_factors.all()}
    departement = signalement.competent_departement or signalement.departement
    submitted = timezone.localtime(signalement.submitted_at)
    decision, forwarded_at, decided_at = _decision(list(signalement.events.all()))
    clocks = list(signalement.clocks.all())
    measures = list(signalement.measures.all())
    delay = None
    if forwarded_at and decided_at and departement is not None:
        delay = max(
            working_days_between(departement, timezone.localdate(forwarded_at), timezone.localdate(decided_at)), 0
        )
    is_minor = signalement.is_minor
    fields = {
        "year": submitted.year,
        "month": submitted.month,
        "departement_code": departement.code if departement else "",
        "organisation_id_value": signalement.organisation_id,
        "status": signalement.status,
        "sex": signalement.sex,
        "transgender": signalement.transgender,
        "age_group": classification.age_group(is_minor=is_minor, is_mna=signalement.is_mna),
        "age_band": classification.age_band(signalement.age, is_minor=is_minor),
        "nationality_group": classification.nationality_group(
            signalement.nationalities, signalement.nationality_residual
        ),
        "eurostat_form": classification.eurostat_form(forms),
        "place_of_exploitation": signalement.place_of_exploitation,
        "trafficking_scope": classification.trafficking_scope(
            place_of_exploitation=signalement.place_of_exploitation,
            exploitation_countries=signalement.exploitation_countries,
            transit_countries=signalement.transit_countries,
            recruitment_country=signalement.recruitment_country,
            nationalities=signalement.nationalities,
        ),
        "support_level": signalement.support_level,
        "identifying_body": signalement.identifying_body.code if signalement.identifying_body_id else "unknown",
        "victim_status": signalement.victim_status,
        "has_guardian": signalement.has_guardian if is_minor else "not_applicable",
        "compensation_status": signalement.compensation_status,
        "compensation_payer": signalement.compensation_payer,
        "has_returned": bool(signalement.return_country),
        "return_region": (
            classification.nationality_group([signalement.return_country]) if signalement.return_country else ""
        ),
        "decision": decision,
        "decision_working_days": delay,
        "decision_delay_band": delay_band(delay),
        "triage_deadline": deadline_outcome(clocks, ClockStep.TRIAGE),
        "decision_deadline": deadline_outcome(clocks, ClockStep.DEPARTMENTAL_DECISION),
        "residence_permit": residence_permit(measures),
        "refreshed_at": timezone.now(),
    }
    for name, kind in MEASURE_FIELDS.items():
        fields[name] = measure_outcome(measures, kind)
    fields["is_pregnant"] = signalement.is_pregnant or bool(factors & VULNERABILITY_CODES["is_pregnant"])
    fields["has_children"] = bool(signalement.children_count) or bool(factors & VULNERABILITY_CODES["has_children"])
    fields["has_disability"] = bool(factors & VULNERABILITY_CODES["has_disability"])
    fields["has_addiction"] = bool(factors & VULNERABILITY_CODES["has_addiction"])
    return fields


def _signalements(ids):
    """Les signalements déposés que l'observatoire compte : sans ceux dont la personne a refusé ou retiré l'usage
    statistique (`counted_in_statistics`, docs/donnees-personnelles.md)."""
    return (
        Signalement.objects.counted_in_statistics()
        .filter(pk__in=ids)
        .exclude(status=SignalementStatus.DRAFT)
        .select_related("departement", "competent_departement", "identifying_body")
        .prefetch_related(
            Prefetch("exploitation_forms", queryset=ReferenceValue.objects.only("eurostat_category")),
            Prefetch("vulnerability_factors", queryset=ReferenceValue.objects.only("code")),
            Prefetch(
                "events",
                queryset=SignalementEvent.objects.filter(
                    kind__in=[*DECISION_EVENTS, SignalementEventKind.FORWARDED]
                ).only("signalement_id", "kind", "at"),
            ),
            Prefetch(
                "clocks",
                queryset=Clock.objects.filter(step__in=[ClockStep.TRIAGE, ClockStep.DEPARTMENTAL_DECISION]).only(
                    "signalement_id", "step", "due_at", "stopped_at"
                ),
            ),
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(kind__in=[*MEASURE_FIELDS.values(), *PERMIT_KINDS]).only(
                    "signalement_id", "kind", "status"
                ),
            ),
        )
    )


#: Les colonnes d'une fiche que `refresh_case_statistics` récrit.
FIELD_NAMES = [
    field.name
    for field in CaseStatistic._meta.concrete_fields
    if field.name not in {"id", "signalement", "anonymous_notification", "record_kind"}
]


#: Les valeurs d'une fiche qu'une anonymisation ou une purge de l'identité rendrait « inconnues » : une valeur
#: connue n'est jamais remplacée par une inconnue (les tableaux des années passées ne changent pas).
IDENTITY_DERIVED = {
    "age_band": "unknown",
    "nationality_group": "unknown",
    "sex": "unknown",
    "trafficking_scope": "unknown",
    "has_guardian": "not_applicable",
}


def notification_fields(notification):
    """Les valeurs de la fiche statistique d'une notification statistique anonyme : une personne majeure repérée,
    jamais instruite (ni décision, ni délai, ni mesure)."""
    forms = [value.eurostat_category for value in notification.exploitation_forms.all()]
    created = timezone.localtime(notification.created_at)
    scope = notification.trafficking_scope
    if scope == TraffickingScope.UNKNOWN:
        scope = classification.trafficking_scope(
            place_of_exploitation=notification.place_of_exploitation,
            exploitation_countries=[],
            transit_countries=[],
            recruitment_country="",
            nationalities=notification.nationalities,
        )
    return {
        "record_kind": RecordKind.ANONYMOUS_NOTIFICATION,
        "year": created.year,
        "month": created.month,
        "departement_code": notification.departement.code,
        "organisation_id_value": notification.organisation_id,
        "status": RecordKind.ANONYMOUS_NOTIFICATION,
        "sex": notification.sex,
        "transgender": Transgender.UNKNOWN,
        "age_group": AgeGroup.ADULT,
        "age_band": notification.age_band,
        "nationality_group": classification.nationality_group(
            notification.nationalities, notification.nationality_residual
        ),
        "eurostat_form": classification.eurostat_form(forms),
        "place_of_exploitation": notification.place_of_exploitation,
        "trafficking_scope": scope,
        "support_level": SupportLevel.SPOTTED,
        "identifying_body": notification.identifying_body.code if notification.identifying_body_id else "unknown",
        "victim_status": VictimStatus.PRESUMED,
        "has_guardian": "not_applicable",
        "compensation_status": CompensationStatus.UNKNOWN,
        "compensation_payer": "",
        "decision": Decision.NOT_APPLICABLE,
        "refreshed_at": timezone.now(),
    }


def refresh_notification_statistics():
    """Écrit la fiche statistique des notifications anonymes qui n'en ont pas encore (une notification ne change
    jamais : une fiche suffit) ; renvoie les années touchées."""
    counted = CaseStatistic.objects.filter(anonymous_notification__isnull=False).values("anonymous_notification_id")
    notifications = (
        AnonymousNotification.objects.exclude(pk__in=counted)
        .select_related("departement", "identifying_body")
        .prefetch_related(Prefetch("exploitation_forms", queryset=ReferenceValue.objects.only("eurostat_category")))
    )
    records = [
        CaseStatistic(anonymous_notification=notification, **notification_fields(notification))
        for notification in notifications
    ]
    CaseStatistic.objects.bulk_create(records, batch_size=BATCH)
    return {record.year for record in records}


def _keep_known_values(record, fields):
    fields = dict(fields)
    for name, unknown in IDENTITY_DERIVED.items():
        if fields[name] == unknown and getattr(record, name) != unknown:
            fields[name] = getattr(record, name)
            if name == "age_band":
                fields["age_group"] = record.age_group
    return fields


def refresh_case_statistics(signalement_ids):
    """Écrit ou récrit la fiche statistique de ces signalements (déposés) ; renvoie les années touchées (l'ancienne
    et la nouvelle année d'une fiche, pour que les deux cumuls se recalculent)."""
    years = set()
    ids = list(signalement_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        existing = {record.signalement_id: record for record in CaseStatistic.objects.filter(signalement_id__in=chunk)}
        years |= {record.year for record in existing.values()}
        creates, updates, counted = [], [], set()
        for signalement in _signalements(chunk):
            counted.add(signalement.pk)
            fields = statistic_fields(signalement)
            years.add(fields["year"])
            record = existing.get(signalement.pk)
            if record is not None:
                fields = _keep_known_values(record, fields)
            if record is None:
                creates.append(CaseStatistic(signalement=signalement, **fields))
            else:
                for name, value in fields.items():
                    setattr(record, name, value)
                updates.append(record)
        # Un consentement statistique refusé ou retiré après coup retire la fiche (et donc le dossier des cumuls).
        withdrawn = [record.pk for signalement_id, record in existing.items() if signalement_id not in counted]
        if withdrawn:
            CaseStatistic.objects.filter(pk__in=withdrawn).delete()
        CaseStatistic.objects.bulk_create(creates)
        if updates:
            CaseStatistic.objects.bulk_update(updates, FIELD_NAMES)
    return years


def refresh_rollups(years):
    """Recalcule les cumuls de ces années : un `GROUP BY ... GROUPING SETS` par tableau sur les fiches de l'année
    (national, par département, par organisation), en arrière-plan, jamais pendant une page."""
    years = sorted(set(years))
    if not years:
        return
    table_name = CaseStatistic._meta.db_table
    rollup_table = RollupCell._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {rollup_table} WHERE year = ANY(%s)", [years])
        for name, (row, column) in TABLES.items():
            cursor.execute(
                f"""
                INSERT INTO {rollup_table} (year, scope_kind, scope_key, "table", "row", "column", count, value_sum)
                SELECT year,
                       CASE WHEN GROUPING(scope_departement) = 0 THEN 'departement'
                            WHEN GROUPING(scope_organisation) = 0 THEN 'organisation'
                            ELSE 'national' END,
                       CASE WHEN GROUPING(scope_departement) = 0 THEN scope_departement
                            WHEN GROUPING(scope_organisation) = 0 THEN scope_organisation::text
                            ELSE '' END,
                       %s, {row}::text, {column}::text, count(*), coalesce(sum(decision_working_days), 0)
                FROM (
                    SELECT *, departement_code AS scope_departement, organisation_id_value AS scope_organisation
                    FROM {table_name} WHERE year = ANY(%s)
                ) AS record
                GROUP BY year, GROUPING SETS (
                    (scope_departement, {row}, {column}),
                    (scope_organisation, {row}, {column}),
                    ({row}, {column})
                )
                """,
                [name, years],
            )
        state = RollupState.objects.select_for_update().get_or_create(pk=1)[0]
        state.refreshed_at = timezone.now()
        state.save(update_fields=["refreshed_at"])


@transaction.atomic
def refresh_statistics():
    """Lit les événements de signalement écrits depuis le dernier passage, met à jour les fiches des signalements
    concernés puis les cumuls des années touchées. Rejouable : le curseur (`RollupState.last_event_id`) avance dans
    la même transaction que les fiches."""
    RollupState.current()
    state = RollupState.objects.select_for_update().get(pk=1)
    last = SignalementEvent.objects.aggregate(last=Max("id"))["last"] or 0
    ids = set(
        SignalementEvent.objects.filter(id__gt=state.last_event_id, id__lte=last)
        .exclude(kind__in=[SignalementEventKind.CREATED, SignalementEventKind.DRAFT_SAVED])
        .values_list("signalement_id", flat=True)
        .distinct()
    )
    years = refresh_case_statistics(ids) | refresh_notification_statistics()
    state.last_event_id = last
    state.save(update_fields=["last_event_id"])
    refresh_rollups(years)
    return years


def rebuild_statistics():
    """Recalcule toutes les fiches et tous les cumuls (après une modification des règles de classement)."""
    ids = Signalement.objects.exclude(status=SignalementStatus.DRAFT).values_list("pk", flat=True)
    years = (
        refresh_case_statistics(ids)
        | refresh_notification_statistics()
        | set(CaseStatistic.objects.values_list("year", flat=True).distinct())
    )
    refresh_rollups(years)
    return years
