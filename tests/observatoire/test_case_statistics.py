"""Les fiches statistiques et les cumuls : tenus à jour depuis le journal des signalements, sans donnée
identifiante, et stables quand l'identité d'un dossier est purgée."""

import datetime

from django.utils import timezone

from observatoire import services
from observatoire.enums import AgeGroup, Decision, EurostatForm, NationalityGroup, TraffickingScope
from observatoire.models import CaseStatistic, RollupCell, RollupState
from signalements.models import Signalement


def national(table, year):
    return {
        (cell.row, cell.column): cell.count
        for cell in RollupCell.objects.filter(table=table, year=year, scope_kind="national")
    }


def test_a_submitted_signalement_gets_a_statistical_record_and_rollups(file_signalement):
    signalement = file_signalement(
        sex="female", nationalities=["FR"], place_of_exploitation="france_only", estimated_age=16
    )

    years = services.refresh_statistics()

    record = CaseStatistic.objects.get(signalement=signalement)
    assert years == {timezone.localdate().year}
    assert record.eurostat_form == EurostatForm.SEXUAL
    assert record.age_group == AgeGroup.MINOR
    assert record.nationality_group == NationalityGroup.FRANCE
    assert record.trafficking_scope == TraffickingScope.INTERNAL
    assert record.decision == Decision.PENDING
    assert national("form_sex", record.year) == {("sexual", "female"): 1}
    assert (
        RollupCell.objects.get(table="form_sex", year=record.year, scope_kind="departement", scope_key="75").count == 1
    )
    assert (
        RollupCell.objects.get(
            table="form_sex", year=record.year, scope_kind="organisation", scope_key=str(signalement.organisation_id)
        ).count
        == 1
    )
    assert RollupState.current().refreshed_at is not None


def test_a_draft_has_no_statistical_record(world, forms):
    from tests.signalements.factories import SignalementFactory

    SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))

    services.refresh_statistics()

    assert not CaseStatistic.objects.exists()


def test_the_record_holds_no_identifying_value():
    names = {field.name for field in CaseStatistic._meta.get_fields()}

    for identifying in (
        "first_name",
        "last_name",
        "pseudonym",
        "birth_date",
        "account",
        "spotted_place",
        "public_id",
        "reference",
        "nationalities",
        "spotted_on",
    ):
        assert identifying not in names


def test_multiple_forms_become_a_eurostat_multiple_category(file_signalement):
    signalement = file_signalement(form=["sexual", "labour"])

    services.refresh_statistics()

    assert CaseStatistic.objects.get(signalement=signalement).eurostat_form == EurostatForm.SEXUAL_AND_LABOUR


def test_a_decision_updates_the_record_with_its_working_day_delay(file_signalement, decide_case):
    signalement = file_signalement()
    services.refresh_statistics()

    decide_case(signalement, "validated")
    services.refresh_statistics()

    record = CaseStatistic.objects.get(signalement=signalement)
    assert record.decision == Decision.VALIDATED
    assert record.decision_working_days == 0
    assert national("departement_decision", record.year) == {("75", "validated"): 1}


def test_only_new_events_are_read_again(file_signalement, django_assert_max_num_queries):
    file_signalement()
    services.refresh_statistics()

    with django_assert_max_num_queries(8):
        assert services.refresh_statistics() == set()


def test_purging_an_identity_leaves_last_years_tables_unchanged(world, file_signalement):
    kept = file_signalement(
        sex="female",
        nationalities=["FR"],
        estimated_age=16,
        first_name="Ana",
        place_of_exploitation="france_only",
        has_guardian="yes",
    )
    other = file_signalement(sex="male", nationalities=["MA"], estimated_age=15, form="criminal")
    last_year = datetime.datetime(2025, 6, 2, 10, tzinfo=datetime.UTC)
    Signalement.objects.filter(pk__in=[kept.pk, other.pk]).update(submitted_at=last_year)
    services.refresh_statistics()
    before = {table: national(table, 2025) for table in services.TABLES}

    # La purge de l'identité (règles de conservation) : plus de nom, de sexe, d'âge ni de nationalité.
    Signalement.objects.filter(pk=kept.pk).update(
        first_name="", last_name="", birth_date=None, estimated_age=None, sex="unknown", nationalities=[]
    )
    services.rebuild_statistics()

    assert {table: national(table, 2025) for table in services.TABLES} == before
    assert CaseStatistic.objects.filter(year=2025).count() == 2


def test_a_refused_statistics_consent_keeps_the_case_out_of_the_records(world, file_signalement):
    refused = file_signalement(consents={"statistics": "refused"})
    counted = file_signalement()

    services.refresh_statistics()

    assert set(CaseStatistic.objects.values_list("signalement_id", flat=True)) == {counted.pk}
    assert refused.pk not in set(CaseStatistic.objects.values_list("signalement_id", flat=True))


def test_a_withdrawn_statistics_consent_removes_the_record(world, file_signalement):
    from orientation.services.consents import withdraw_consent

    signalement = file_signalement()
    services.refresh_statistics()
    assert CaseStatistic.objects.filter(signalement=signalement).exists()

    withdraw_consent(signalement=signalement, purpose="statistics", by=world.acting("association_agent"))
    services.refresh_statistics()

    assert not CaseStatistic.objects.filter(signalement=signalement).exists()
