"""Les tableaux de l'observatoire, lus dans les cumuls (`RollupCell`) de la portée d'une personne, puis protégés par
`observatoire.disclosure` : une page ou un export ne reçoit jamais qu'un `ProtectedTable`."""

from dataclasses import dataclass

from observatoire.disclosure import TOTAL, Table, cells_html, protect, threshold
from observatoire.enums import (
    AgeGroup,
    DeadlineOutcome,
    Decision,
    DecisionDelayBand,
    EurostatForm,
    MeasureOutcome,
    NationalityGroup,
    RecordKind,
    ResidencePermit,
    TraffickingScope,
)
from observatoire.models import RollupCell
from observatoire.services import TABLES
from referents.enums import Zone
from referents.models import Territory
from signalements.enums import (
    CompensationPayer,
    CompensationStatus,
    GuardianStatus,
    PlaceOfExploitation,
    ReferenceCategory,
    Sex,
    SupportLevel,
    Transgender,
    VictimStatus,
)
from signalements.models import ReferenceValue

SOURCE = "MNIOP, signalements déposés sur la plateforme ; traitement de l'observatoire (Miprof)."
FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
OVERSEAS_GROUP = "outre_mer"
OVERSEAS_GROUP_LABEL = "Outre-mer (territoires regroupés)"
YES_NO = [("true", "Oui"), ("false", "Non")]


def _choices(enum):
    return [(value, label) for value, label in enum.choices if value != ""]


def _identifying_bodies():
    values = ReferenceValue.objects.in_category(ReferenceCategory.IDENTIFYING_BODY).order_by("position")
    return [(value.code, value.label) for value in values] + [("unknown", "Non renseigné")]


#: Les libellés des codes de chaque dimension, dans l'ordre des tableaux.
DIMENSIONS = {
    "eurostat_form": lambda: _choices(EurostatForm),
    "sex": lambda: _choices(Sex),
    "transgender": lambda: _choices(Transgender),
    "age_group": lambda: _choices(AgeGroup),
    "nationality_group": lambda: _choices(NationalityGroup),
    "return_region": lambda: [*_choices(NationalityGroup)[:8], ("", "Destination non renseignée")],
    "month": lambda: [(str(month), FRENCH_MONTHS[month - 1]) for month in range(1, 13)],
    "trafficking_scope": lambda: _choices(TraffickingScope),
    "support_level": lambda: _choices(SupportLevel),
    "place_of_exploitation": lambda: _choices(PlaceOfExploitation),
    "is_pregnant": lambda: YES_NO,
    "has_children": lambda: YES_NO,
    "has_disability": lambda: YES_NO,
    "has_addiction": lambda: YES_NO,
    "has_returned": lambda: [("true", "Retour volontaire")],
    "identifying_body": _identifying_bodies,
    "victim_status": lambda: _choices(VictimStatus),
    "has_guardian": lambda: [*_choices(GuardianStatus)],
    "compensation_status": lambda: _choices(CompensationStatus),
    "compensation_payer": lambda: [("", "Sans objet"), *_choices(CompensationPayer)],
    "decision": lambda: [choice for choice in _choices(Decision) if choice[0] != Decision.NOT_APPLICABLE],
    "record_kind": lambda: _choices(RecordKind),
    "decision_delay_band": lambda: _choices(DecisionDelayBand)[:-1],
    "triage_deadline": lambda: _choices(DeadlineOutcome)[:-1],
    "decision_deadline": lambda: _choices(DeadlineOutcome)[:-1],
    "reflection_period": lambda: _choices(MeasureOutcome),
    "legal_aid": lambda: _choices(MeasureOutcome),
    "return_assistance": lambda: _choices(MeasureOutcome)[:-1],
    "residence_permit": lambda: _choices(ResidencePermit),
}


@dataclass(frozen=True)
class TableSpec:
    rollup: str  # nom du tableau cumulé (observatoire.services.TABLES)
    title: str
    rows: str  # dimension des lignes
    columns: str  # dimension des colonnes
    row_header: str = ""
    champ_extra: str = ""


def _sum_cells(year, rollups, scope):
    """Les cases cumulées de plusieurs tableaux d'une année pour une portée, en une requête (index
    `rollup_lookup`) : {tableau: {(ligne, colonne): nombre}}."""
    cells = RollupCell.objects.filter(year=year, table__in=set(rollups), scope_kind=scope.kind)
    cells = cells.filter(scope_key__in=scope.keys) if scope.keys else cells.filter(scope_key="")
    counts = {rollup: {} for rollup in rollups}
    for table, row, column, count in cells.values_list("table", "row", "column", "count"):
        counts[table][row, column] = counts[table].get((row, column), 0) + count
    return counts


def _table(spec, counts, *, year, scope):
    row_dim, column_dim = TABLES[spec.rollup]
    rows = DIMENSIONS[row_dim]()
    columns = DIMENSIONS[column_dim]()
    row_codes, column_codes = dict(rows), dict(columns)
    champ = f"{scope.champ} ; signalements déposés en {year}"
    if spec.champ_extra:
        champ = f"{champ} ; {spec.champ_extra}"
    return Table(
        title=spec.title,
        rows=rows,
        columns=columns,
        counts={key: value for key, value in counts.items() if key[0] in row_codes and key[1] in column_codes},
        champ=champ + ".",
        source=SOURCE,
        row_header=spec.row_header,
    )


def protected_tables(specs, *, year, scope):
    """Les tableaux protégés d'une page, lus en une seule requête (une page ne compte jamais les dossiers)."""
    counts = _sum_cells(year, [spec.rollup for spec in specs], scope)
    return [protect(_table(spec, counts[spec.rollup], year=year, scope=scope)) for spec in specs]


def protected_table(spec, *, year, scope):
    return protected_tables([spec], year=year, scope=scope)[0]


def departement_tables(*, year, scope, titles):
    """Des tableaux par département (`titles` : {cumul: titre}, des cumuls dont les lignes sont les départements :
    décisions, tranches de délai, respect des délais), lus en deux requêtes : {cumul: (tableau protégé, sommes des
    délais par ligne)}. Pour la portée nationale, les territoires d'outre-mer dont toutes les cases seraient
    masquées sont regroupés en une ligne « Outre-mer (territoires regroupés) » (docs/glossaire.md). Une portée
    départementale lit la tranche de ses départements, une organisation ses propres cumuls."""
    cells = RollupCell.objects.filter(year=year, table__in=list(titles), scope_kind=scope.kind)
    cells = cells.filter(scope_key__in=scope.keys) if scope.keys else cells.filter(scope_key="")
    values = {rollup: [] for rollup in titles}
    for table, *value in cells.values_list("table", "row", "column", "count", "value_sum"):
        values[table].append(value)
    codes = {row for rollup_values in values.values() for row, *_ in rollup_values}
    territories = {territory.code: territory for territory in Territory.objects.filter(code__in=codes)}
    return {
        rollup: _departement_table(rollup, title, values[rollup], territories, year=year, scope=scope)
        for rollup, title in titles.items()
    }


def _departement_table(rollup, title, values, territories, *, year, scope):
    columns = DIMENSIONS[TABLES[rollup][1]]()
    limit = threshold()
    totals = {}
    for row, _, count, _ in values:
        totals[row] = totals.get(row, 0) + count
    counts, delays = {}, {}
    for row, column, count, value_sum in values:
        territory = territories.get(row)
        key = row
        if territory is not None and territory.zone == Zone.OUTRE_MER and totals[row] < limit:
            key = OVERSEAS_GROUP
        counts[key, column] = counts.get((key, column), 0) + count
        delays[key] = delays.get(key, 0) + value_sum
    rows = sorted({row for row, _ in counts}, key=lambda code: (code == OVERSEAS_GROUP, code))
    labels = [
        (
            code,
            OVERSEAS_GROUP_LABEL
            if code == OVERSEAS_GROUP
            else (f"{territories[code].name} ({code})" if code in territories else (code or "Non renseigné")),
        )
        for code in rows
    ]
    table = Table(
        title=title,
        rows=labels,
        columns=columns,
        counts=counts,
        champ=f"{scope.champ} ; signalements déposés en {year}, par département responsable.",
        source=SOURCE,
        row_header="Département",
    )
    return protect(table), delays


def decision_rows(protected, delays):
    """Les lignes du tableau des décisions avec leur taux de décisions positives et leur délai moyen."""
    means = mean_delays(protected, delays)
    return [row | {"delay": means[row["code"]]} for row in rate_rows(protected, positive_rates(protected))]


def _pair(protected, row, columns):
    """(oui, non) visibles d'une ligne, lus dans les deux `columns` ; None si l'une est masquée (un taux ou un délai
    ne rouvre jamais une case masquée)."""
    yes, no = (protected.visible_value(row, column) for column in columns)
    return None if yes is None or no is None else (yes, no)


def _per_row(protected, compute, columns=(Decision.VALIDATED, Decision.NOT_VALIDATED)):
    """`compute(ligne, oui, non)` par ligne et pour le total ; « : » si masqué, « – » sans décision."""
    result = {}
    for row in [*(code for code, _ in protected.table.rows), TOTAL]:
        decided = _pair(protected, row, columns)
        if decided is None:
            result[row] = ":"
        elif sum(decided) == 0:
            result[row] = "–"
        else:
            result[row] = compute(row, *decided)
    return result


def _percent(row, yes, no):
    return f"{round(100 * yes / (yes + no))} %"


def positive_rates(protected):
    """Le taux de décisions positives de chaque ligne, depuis les seules cases visibles."""
    return _per_row(protected, _percent)


def adherence_rates(protected):
    """La part des délais tenus (dans le délai / délais arrêtés) de chaque ligne d'un tableau de respect des délais,
    depuis les seules cases visibles : « : » si l'une est masquée, « – » si aucun délai n'est arrêté."""
    return _per_row(protected, _percent, columns=(DeadlineOutcome.MET, DeadlineOutcome.MISSED))


def rate_rows(protected, rates):
    """Les lignes d'un tableau protégé avec leur taux : [{code, libellé, cases, taux}], total en dernier."""
    codes = [*(code for code, _ in protected.table.rows), TOTAL]
    return [
        {
            "code": code,
            "label": label,
            "cells": cells,
            "cells_html": cells_html(cells, with_titles=False),
            "rate": rates[code],
        }
        for code, (label, cells) in zip(codes, protected.rows(), strict=True)
    ]


def mean_delays(protected, delays):
    """Le délai moyen de décision (jours ouvrés) de chaque ligne : « : » si le nombre de décisions est masqué."""
    delays = {**delays, TOTAL: sum(delays.values())}
    return _per_row(
        protected,
        lambda row, validated, refused: f"{delays.get(row, 0) / (validated + refused):.1f}".replace(".", ","),
    )


def available_years(scope):
    cells = RollupCell.objects.filter(table="form_sex", scope_kind=scope.kind)
    cells = cells.filter(scope_key__in=scope.keys) if scope.keys else cells.filter(scope_key="")
    return sorted(set(cells.values_list("year", flat=True).distinct()), reverse=True)
