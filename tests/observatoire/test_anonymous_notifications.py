"""Les notifications statistiques anonymes dans l'observatoire : comptées dans les fiches et les cumuls, marquées
comme telles, jamais dans les tableaux des décisions."""

from django.utils import timezone

from observatoire import reports, services
from observatoire.enums import AgeGroup, Decision, RecordKind
from observatoire.models import CaseStatistic, RollupCell
from observatoire.scope import Scope
from signalements.services.anonymous_notifications import file_anonymous_notification


def national(table, year):
    return {
        (cell.row, cell.column): cell.count
        for cell in RollupCell.objects.filter(table=table, year=year, scope_kind="national")
    }


def notify(world, forms, persona="police_officer"):
    return file_anonymous_notification(
        by=world.acting(persona),
        age_band="25-34",
        sex="female",
        nationalities=["NG"],
        exploitation_forms=[forms["sexual"]],
        departement=world.paris,
        place_of_exploitation="france_and_abroad",
    )


def test_an_anonymous_notification_is_counted_and_marked(world, forms, file_signalement):
    file_signalement(sex="female")
    notification = notify(world, forms)

    years = services.refresh_statistics()

    year = timezone.localdate().year
    record = CaseStatistic.objects.get(anonymous_notification=notification)
    assert years == {year}
    assert record.record_kind == RecordKind.ANONYMOUS_NOTIFICATION
    assert record.signalement is None
    assert record.age_group == AgeGroup.ADULT
    assert record.age_band == "25-34"
    assert record.trafficking_scope == "transnational"
    assert record.decision == Decision.NOT_APPLICABLE
    assert national("form_sex", year) == {("sexual", "female"): 2}
    assert national("kind_form", year) == {("signalement", "sexual"): 1, ("anonymous_notification", "sexual"): 1}


def test_a_notification_is_counted_once(world, forms):
    notify(world, forms)
    services.refresh_statistics()

    services.refresh_statistics()
    services.rebuild_statistics()

    assert CaseStatistic.objects.count() == 1


def test_the_dashboard_shows_notifications_apart(world, forms):
    notify(world, forms)
    services.refresh_statistics()
    spec = next(spec for spec in reports.DASHBOARD if spec.rollup == "kind_form")

    table = reports.tables.protected_table(spec, year=timezone.localdate().year, scope=_national_scope())

    assert "Notification statistique anonyme" in [label for _, label in table.table.rows]
    assert table.table.count("anonymous_notification", "sexual") == 1


def test_a_notification_is_never_in_the_decision_tables(world, forms):
    notify(world, forms)
    services.refresh_statistics()

    protected, _ = reports.departement_tables(year=timezone.localdate().year, scope=_national_scope())[
        "departement_decision"
    ]

    assert protected.table.grand_total() == 0


def _national_scope():
    return Scope(kind="national", keys=(), label="France entière")
