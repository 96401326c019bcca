"""Signalements de démonstration (`demo.signalements`) : déposés et brouillons, par les services du signalement."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.signalements import seed_demo_signalements
from notifications.models import OutboxMessage
from signalements.enums import ConsentStatus, SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from tests.demo.conftest import DRAFTS, SIGNALEMENTS


def test_demo_signalements_go_through_the_services(demo, db):
    assert Signalement.objects.exclude(status=SignalementStatus.DRAFT).count() == SIGNALEMENTS
    assert Signalement.objects.filter(status=SignalementStatus.DRAFT).count() == DRAFTS
    assert SignalementEvent.objects.filter(kind=SignalementEventKind.SUBMITTED).count() == SIGNALEMENTS
    assert OutboxMessage.objects.filter(template="signalement_submitted").exists()
    # L'identité est chiffrée (elle ne se compare pas en SQL) : on la relit.
    names = Signalement.objects.values_list("first_name", "last_name")
    assert not any(first or last for first, last in names), "jamais de nom en démonstration"


def test_some_demo_adults_have_a_fictional_phone_number_indexed_for_duplicates(demo, db):
    with_phone = [s for s in Signalement.objects.all() if s.phone]
    assert with_phone
    assert all(s.phone.startswith("06 39 98 ") and not s.is_minor and not s.aliases for s in with_phone)
    assert all(s.duplicate_keys for s in with_phone if s.status != SignalementStatus.DRAFT)


def test_demo_signalements_follow_the_association_profile(demo, db):
    submitted = Signalement.objects.exclude(status=SignalementStatus.DRAFT)
    sexual = submitted.filter(exploitation_forms__code="exploitation_sexuelle").count()
    assert 0.6 <= sexual / SIGNALEMENTS <= 0.95
    minors = [s for s in submitted if s.is_minor]
    assert all(s.consent_status == ConsentStatus.NOT_REQUIRED_MINOR for s in minors)
    assert submitted.filter(departement__code="75").exists()


def test_rerunning_creates_nothing(demo, db):
    report = seed_demo_signalements(count=SIGNALEMENTS, drafts=DRAFTS)
    assert (report.created, report.submitted) == (0, 0)
    assert Signalement.objects.count() == SIGNALEMENTS + DRAFTS


def test_a_larger_volume_completes_up_to_the_requested_number(demo, db):
    call_command(
        "seed_demo", "--signalements", str(SIGNALEMENTS + 3), "--drafts", str(DRAFTS), "--force", stdout=StringIO()
    )
    assert Signalement.objects.exclude(status=SignalementStatus.DRAFT).count() == SIGNALEMENTS + 3


def test_refused_without_debug_or_force(db):
    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        call_command("seed_demo", "--signalements", "1", stdout=StringIO())


def test_a_negative_volume_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--signalements", "-1", "--force", stdout=StringIO(), stderr=StringIO())


def test_demo_statistics_fill_the_dashboards_of_previous_years(demo, db):
    from django.utils import timezone

    from observatoire.models import CaseStatistic, RollupCell

    last_year = timezone.localdate().year - 1
    assert CaseStatistic.objects.filter(year=last_year, signalement__isnull=True).count() == 1500
    assert CaseStatistic.objects.filter(signalement__isnull=False).count() == 40
    sexual_women = RollupCell.objects.get(
        year=last_year, table="form_sex", scope_kind="national", row="sexual", column="female"
    ).count
    assert 0.6 * 1500 < sexual_women < 0.8 * 1500
    supported = sum(
        RollupCell.objects.filter(
            year=last_year, table="support_form", scope_kind="national", row="supported"
        ).values_list("count", flat=True)
    )
    assert 0.6 * 1500 < supported < 0.78 * 1500
