"""La conservation : ce qui a dépassé sa durée est supprimé ou anonymisé chaque nuit, rejouable, après un rapport à
blanc lu par l'administration de la Miprof ; l'anonymisation efface l'identité partout (historique pghistory
compris), garde le reste (les statistiques ne changent pas), et un passage interrompu ne laisse aucun dossier à
moitié anonymisé."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.access_chain import verify_chain
from accounts.models import AccessLog, User
from notifications.models import Notification, OutboxMessage, OutboxStatus
from notifications.services import enqueue_email, notify_user
from orientation.models import CaseClosure
from orientation.services.closure import close_case
from privacy import anonymisation, retention
from privacy.enums import RetentionRunKind
from privacy.models import AnonymisationNotice, InactivityWarning, RetentionRun
from privacy.tasks import apply_retention
from signalements.enums import SignalementEventKind
from signalements.models import Signalement, SignalementEvent
from signalements.services.drafts import create_draft

FIVE_YEARS = datetime.timedelta(days=5 * 365)
#: Des noms qu'aucune autre donnée de test ne porte : le test les cherche dans toutes les tables.
FIRST, LAST = "Zenobia", "Quintavalle"


def closed_case_of(make_validated, validator, reason, *, first=FIRST, last=LAST):
    """Un dossier déposé, validé puis clos maintenant (les services vérifient l'habilitation du jour) : les tests
    voyagent ensuite dans le futur."""
    signalement = make_validated(
        first_name=first,
        last_name=last,
        birth_date=datetime.date(1990, 5, 1),
        spotted_place="Saint-Denis, rue des Lilas",
        account=f"{first} raconte son arrivée.",
        aliases=f"{first}ka",
        phone="06 55 44 33 22",
        address="3 allée des Acacias, Bobigny",
    )
    close_case(signalement=signalement, by=validator, reason=reason, comment=f"{first} est autonome.")
    return signalement


@pytest.fixture
def t0(db):
    return timezone.now() + datetime.timedelta(minutes=1)


@pytest.fixture
def closed(make_validated, validator, closure_reason):
    return closed_case_of(make_validated, validator, closure_reason)


def tables_containing(text):
    """Toutes les tables de la base dont une ligne contient `text` (lecture directe, sans l'ORM)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT 1 FROM "{table}" t WHERE row_to_json(t)::text ILIKE %s LIMIT 1', [f"%{text}%"])
            if cursor.fetchone():
                found.append(table)
    return found


def statistics():
    """Ce que les statistiques lisent : comptes par âge, sexe, nationalité, forme d'exploitation, état."""
    cases = Signalement.objects.exclude(status="draft")
    return {
        "minors": cases.minors().count(),
        "adults": cases.adults().count(),
        "by_sex": sorted(cases.values_list("sex", flat=True)),
        "nationalities": sorted(tuple(n) for n in cases.values_list("nationalities", flat=True)),
        "forms": sorted(cases.values_list("exploitation_forms__code", flat=True)),
        "status": sorted(cases.values_list("status", flat=True)),
        "ages": sorted(case.age for case in cases),
    }


@pytest.fixture
def approved(world, t0):
    retention.approve_retention(by=world.acting("miprof_admin"), now=t0)


def test_a_case_past_its_retention_is_anonymised_everywhere_and_statistics_do_not_change(closed, approved, t0):
    # Avant : le lieu en clair dans le signalement et son historique ; le nom, chiffré (mniop/fields.py), ne se lit
    # que par l'ORM, dans le signalement et chacune de ses versions.
    assert tables_containing("rue des Lilas")
    assert LAST in [version.last_name for version in closed.history.all()]
    before, age = statistics(), closed.age

    with time_machine.travel(t0 + FIVE_YEARS + datetime.timedelta(days=1), tick=False):
        done = retention.apply()

    assert done["closed_cases"] == 1
    closed.refresh_from_db()
    assert (closed.first_name, closed.last_name, closed.birth_date, closed.account) == ("", "", None, "")
    assert (closed.spotted_place, closed.duplicate_keys) == ("", [])
    assert (closed.aliases, closed.phone, closed.address) == ("", "", "")
    assert closed.estimated_age == age  # l'âge au repérage reste, la date de naissance part
    assert tables_containing(LAST) == []
    assert tables_containing(FIRST) == []
    assert tables_containing("rue des Lilas") == []
    assert closed.history.count() > 1  # l'historique reste, sans l'identité
    assert {(version.first_name, version.last_name) for version in closed.history.all()} == {("", "")}
    assert {(version.aliases, version.phone, version.address) for version in closed.history.all()} == {("", "", "")}
    assert CaseClosure.objects.get(signalement=closed).comment == ""
    event = closed.events.get(kind=SignalementEventKind.ANONYMISED)
    assert event.data == {"cause": "retention", "automatic": True}
    assert statistics() == before


def test_a_case_still_within_its_retention_is_kept(closed, approved, t0):
    with time_machine.travel(t0 + FIVE_YEARS - datetime.timedelta(days=1), tick=False):
        retention.apply()

    closed.refresh_from_db()
    assert closed.last_name == LAST
    assert not anonymisation.is_anonymised(closed)


def test_the_run_is_idempotent(closed, approved, t0):
    later = t0 + FIVE_YEARS + datetime.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        first = retention.apply()
        second = retention.apply()

    assert (first["closed_cases"], second["closed_cases"]) == (1, 0)
    assert closed.events.filter(kind=SignalementEventKind.ANONYMISED).count() == 1


def test_an_interrupted_run_leaves_nothing_half_anonymised_and_resumes(
    make_validated, validator, closure_reason, approved, monkeypatch, t0
):
    one = closed_case_of(make_validated, validator, closure_reason, first="Ottavia", last="Brancaleone")
    two = closed_case_of(make_validated, validator, closure_reason, first="Philomena", last="Gastaldi")
    real, calls = anonymisation._history_models, []

    def fail_on_the_second_case():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("panne au milieu de l'anonymisation")
        return real()

    monkeypatch.setattr(anonymisation, "_history_models", fail_on_the_second_case)
    later = t0 + FIVE_YEARS + datetime.timedelta(days=1)
    with time_machine.travel(later, tick=False), pytest.raises(RuntimeError):
        retention.apply()

    done = [case for case in (one, two) if anonymisation.is_anonymised(case)]
    untouched = [case for case in (one, two) if not anonymisation.is_anonymised(case)]
    assert (len(done), len(untouched)) == (1, 1)
    interrupted = Signalement.objects.get(pk=untouched[0].pk)
    # Tout ou rien : le nom, le récit, le lieu et le commentaire de clôture sont encore là, l'historique intact.
    assert interrupted.last_name in ("Brancaleone", "Gastaldi") and interrupted.account
    assert interrupted.spotted_place and CaseClosure.objects.get(signalement=interrupted).comment
    assert interrupted.last_name in [version.last_name for version in interrupted.history.all()]

    monkeypatch.setattr(anonymisation, "_history_models", real)
    with time_machine.travel(later, tick=False):
        resumed = retention.apply()

    assert resumed["closed_cases"] == 1
    assert tables_containing("Brancaleone") == tables_containing("Gastaldi") == []


def test_the_filing_organisation_is_told_a_month_before(closed, approved, filer, t0):
    with time_machine.travel(t0 + FIVE_YEARS - datetime.timedelta(days=20), tick=False):
        first = retention.apply()
        second = retention.apply()

    assert (first["anonymisation_notices"], second["anonymisation_notices"]) == (1, 0)
    notice = AnonymisationNotice.objects.get(signalement=closed)
    assert notice.anonymise_after == (closed.events.get(kind="closed").at + FIVE_YEARS).date()
    messages = OutboxMessage.objects.filter(template="retention_notice")
    assert filer.email in set(messages.values_list("recipient", flat=True))
    assert messages.count() == len(set(messages.values_list("recipient", flat=True)))
    assert LAST not in " ".join(messages.values_list("link", flat=True))
    closed.refresh_from_db()
    assert closed.last_name == LAST


def test_an_abandoned_draft_is_deleted_with_its_journal_and_history(world, filer, approved, t0):
    with time_machine.travel(t0, tick=False):
        draft = create_draft(organisation=world.association, by=filer, first_name=FIRST)

    with time_machine.travel(t0 + datetime.timedelta(days=91), tick=False):
        done = retention.apply()

    assert done["abandoned_drafts"] == 1
    assert not Signalement.objects.filter(pk=draft.pk).exists()
    assert not SignalementEvent.objects.filter(signalement_id=draft.pk).exists()
    assert tables_containing(FIRST) == []


def test_old_notifications_outbox_messages_and_access_log_rows_are_deleted(
    world, approved, client_as, t0, chain_at_each_statement
):
    user = world.user("association_agent")
    with time_machine.travel(t0, tick=False):
        notify_user(user=user, title="Ancienne", path="/")
        enqueue_email(template="invitation", recipient="x@example.org", path="/")
        OutboxMessage.objects.update(status=OutboxStatus.SENT)
        AccessLog.objects.create(user=user, action="read", object_type="x", view_name="x", path="/", method="GET")
    later = t0 + datetime.timedelta(days=6 * 365 + 2)
    with time_machine.travel(later - datetime.timedelta(days=10), tick=False):
        notify_user(user=user, title="Récente", path="/")

    with time_machine.travel(later, tick=False):
        done = retention.apply()

    assert (done["notifications"], done["outbox"], done["access_log"]) == (1, 1, 1)
    assert list(Notification.objects.values_list("title", flat=True)) == ["Récente"]
    assert verify_chain().is_intact


def test_access_log_rows_are_deleted_only_from_the_head_of_the_hash_chain(
    world, approved, t0, chain_at_each_statement
):
    user = world.user("association_agent")
    row = {"user": user, "action": "read", "object_type": "x", "view_name": "x", "path": "/", "method": "GET"}
    later = t0 + datetime.timedelta(days=6 * 365 + 2)
    with time_machine.travel(t0, tick=False):
        AccessLog.objects.create(**row)
    with time_machine.travel(later - datetime.timedelta(days=10), tick=False):
        kept = AccessLog.objects.create(**row)
    with time_machine.travel(t0, tick=False):
        AccessLog.objects.create(**row)  # horloge reculée : après une ligne gardée, elle reste

    with time_machine.travel(later, tick=False):
        done = retention.apply()

    assert done["access_log"] == 1
    assert AccessLog.objects.filter(id__gte=kept.id).count() == 2
    assert verify_chain().is_intact


def test_inactive_accounts_are_warned_then_deactivated_never_without_warning(world, approved, t0):
    user = world.user("association_agent")
    User.objects.filter(pk=user.pk).update(last_login=t0, date_joined=t0)
    User.objects.exclude(pk=user.pk).update(last_login=t0 + datetime.timedelta(days=400))

    with time_machine.travel(t0 + datetime.timedelta(days=366), tick=False):
        first = retention.apply()
    user.refresh_from_db()
    assert (first["inactive_account_warnings"], first["inactive_accounts"], user.is_active) == (1, 0, True)
    assert OutboxMessage.objects.filter(template="account_inactivity_warning", recipient=user.email).count() == 1

    with time_machine.travel(t0 + datetime.timedelta(days=400), tick=False):
        second = retention.apply()
    user.refresh_from_db()
    assert (second["inactive_account_warnings"], second["inactive_accounts"], user.is_active) == (0, 1, False)
    assert InactivityWarning.objects.filter(user=user).count() == 1


def test_the_nightly_job_only_reports_until_the_dry_run_is_approved(closed, t0):
    with time_machine.travel(t0 + FIVE_YEARS + datetime.timedelta(days=1), tick=False):
        counts = apply_retention()

    assert counts["closed_cases"] == 1
    run = RetentionRun.objects.get()
    assert run.kind == RetentionRunKind.DRY_RUN
    closed.refresh_from_db()
    assert closed.last_name == LAST


def test_the_miprof_admin_reads_the_report_and_approves_then_the_job_applies(closed, client_as, world, t0):
    url = reverse("privacy:retention_report")
    with time_machine.travel(t0 + FIVE_YEARS + datetime.timedelta(days=1), tick=True):
        client = client_as("miprof_admin")
        page = client.get(url)
        assert page.status_code == 200
        assert "Dossiers clos : identité anonymisée" in page.content.decode()
        response = client.post(url)
        assert response.status_code == 302
        apply_retention()

    assert RetentionRun.objects.filter(approved_by=world.user("miprof_admin")).count() == 1
    assert RetentionRun.objects.filter(kind=RetentionRunKind.APPLIED).count() == 1
    assert anonymisation.is_anonymised(closed)


@pytest.mark.parametrize(
    "persona, status",
    [("miprof_admin", 200), ("miprof_agent", 403), ("association_admin", 403), ("platform_admin", 403)],
)
def test_retention_report_access(client_as, persona, status):
    assert client_as(persona).get(reverse("privacy:retention_report")).status_code == status
