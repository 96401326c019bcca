"""Le journal d'accès inviolable : chaîne d'empreintes, vérification, export de la tête de chaîne."""

import json
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test import RequestFactory
from django.urls import reverse

from accounts.access_chain import verify_chain
from accounts.audit import log_access
from accounts.models import AccessAction, AccessLog
from accounts.tasks import export_access_log_chain_head


@pytest.fixture(autouse=True)
def chained_here(chain_at_each_statement):
    """Chaque ligne du journal d'accès de ce fichier est chaînée aussitôt écrite (`tests/conftest.py`)."""


def read_organisation(world, client_as, times=1):
    client = client_as("association_agent")
    for _ in range(times):
        client.get(reverse("accounts:organisation_detail", args=[world.association.public_id]))


def superuser_sql(sql, params=()):
    """Ce qu'un administrateur de la base ferait à la main : les déclencheurs (ajout seul) suspendus."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def rewrite_with_its_hash(row_id, assignments):
    """Réécrit une ligne en SQL de superutilisateur et recalcule son empreinte, comme le ferait un faussaire."""
    superuser_sql(f"UPDATE accounts_accesslog SET {assignments} WHERE id = %s", [row_id])
    superuser_sql(
        "UPDATE accounts_accesslog entry SET chain_hash = access_log_link_hash(previous_hash, entry) WHERE id = %s",
        [row_id],
    )


def test_each_access_log_row_is_chained_to_the_previous_one(world, client_as):
    read_organisation(world, client_as, times=3)

    first, second, third = AccessLog.objects.order_by("id")
    assert [first.chain_position, second.chain_position, third.chain_position] == [1, 2, 3]
    assert first.previous_hash == ""
    assert second.previous_hash == first.chain_hash
    assert third.previous_hash == second.chain_hash
    assert len({first.chain_hash, second.chain_hash, third.chain_hash}) == 3
    assert verify_chain().is_intact


def test_verify_access_log_reports_an_intact_chain(world, client_as):
    read_organisation(world, client_as, times=3)
    head = AccessLog.objects.order_by("-id").first()
    output = call_command_output("verify_access_log")
    assert "intacte : 3 ligne(s)" in output
    assert head.chain_hash in output


def call_command_output(*args):
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_row_edited_with_superuser_sql_is_detected_at_that_row(world, client_as):
    read_organisation(world, client_as, times=4)
    rows = list(AccessLog.objects.order_by("id"))

    superuser_sql("UPDATE accounts_accesslog SET object_id = 'falsifié' WHERE id = %s", [rows[2].id])

    result = verify_chain()
    assert (result.broken_id, result.checked, result.head_id) == (rows[2].id, 2, rows[1].id)
    assert result.reason == "le contenu de la ligne a été modifié"
    with pytest.raises(CommandError, match=f"cassée à la ligne {rows[2].id} : le contenu"):
        call_command("verify_access_log")


def test_a_row_edited_with_its_hash_recomputed_breaks_the_next_link(world, client_as):
    read_organisation(world, client_as, times=3)
    rows = list(AccessLog.objects.order_by("id"))
    rewrite_with_its_hash(rows[1].id, "object_id = 'falsifié'")

    result = verify_chain()
    assert result.broken_id == rows[2].id
    assert "supprimée, insérée ou réécrite" in result.reason


def test_a_deleted_row_is_detected_at_the_next_row(world, client_as):
    read_organisation(world, client_as, times=3)
    rows = list(AccessLog.objects.order_by("id"))

    superuser_sql("DELETE FROM accounts_accesslog WHERE id = %s", [rows[1].id])

    assert verify_chain().broken_id == rows[2].id


def test_a_row_inserted_around_the_triggers_is_detected(world, client_as):
    read_organisation(world, client_as, times=2)
    superuser_sql(
        "INSERT INTO accounts_accesslog (at, role, action, object_type, object_id, view_name, path, method, "
        "request_id, previous_hash, chain_hash) VALUES (now(), '', 'read', 'x', '', 'x', '/', 'GET', '', '', '')"
    )
    intruder = AccessLog.objects.get(object_type="x")

    result = verify_chain()
    assert (result.broken_id, result.checked) == (intruder.id, 2)
    assert result.reason == "la ligne a été insérée hors de la chaîne (sans rang)"


def test_the_log_stays_append_only(world, client_as):
    """La seule modification permise est celle du déclencheur de la chaîne : ni l'application ni un client SQL
    ordinaire ne peuvent poser un rang ou une empreinte, ni modifier ou supprimer une ligne chaînée."""
    read_organisation(world, client_as)
    row = AccessLog.objects.get()
    attempts = [
        lambda: AccessLog.objects.filter(pk=row.pk).update(object_id="falsifié"),
        lambda: AccessLog.objects.filter(pk=row.pk).update(chain_hash="0" * 64),
        lambda: AccessLog.objects.filter(pk=row.pk).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
            attempt()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # une ligne encore hors chaîne, dans cette transaction
    unchained = AccessLog.objects.create(
        action=AccessAction.READ, object_type="t", view_name="t", path="/", method="GET"
    )
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        AccessLog.objects.filter(pk=unchained.pk).update(chain_position=2, previous_hash=row.chain_hash)
    assert verify_chain().checked == 1


def test_purging_the_oldest_rows_keeps_the_chain_verifiable(world, client_as):
    read_organisation(world, client_as, times=3)
    oldest = AccessLog.objects.order_by("id").first()
    superuser_sql("DELETE FROM accounts_accesslog WHERE id = %s", [oldest.id])

    result = verify_chain()
    assert result.is_intact
    assert result.checked == 2


def test_rows_written_outside_log_access_are_chained_too(world, client_as):
    read_organisation(world, client_as)
    AccessLog.objects.create(action=AccessAction.READ, object_type="test", view_name="test", path="/", method="GET")
    last = AccessLog.objects.order_by("-id").first()
    assert last.previous_hash == AccessLog.objects.order_by("id").first().chain_hash
    assert verify_chain().is_intact


def test_the_chain_head_is_exported_outside_the_database(world, client_as, settings, tmp_path, log_output):
    settings.ACCESS_LOG_CHAIN_EXPORT_DIR = str(tmp_path / "journal")
    read_organisation(world, client_as, times=2)
    head = AccessLog.objects.order_by("-id").first()

    path = export_access_log_chain_head()

    record = json.loads((tmp_path / "journal" / path.split("/")[-1]).read_text())
    assert (record["head_id"], record["head_position"], record["chain_hash"]) == (head.id, 2, head.chain_hash)
    lines = log_output.records("mniop.access_log")
    assert lines[-1]["message"].endswith(f"ligne {head.id}, empreinte {head.chain_hash}")


def test_the_daily_export_is_scheduled(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.export_access_log_chain_head" in schedule


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_a_single_chain(world):
    """Deux fils écrivent en même temps : le verrou consultatif garde une seule chaîne, sans fourche."""
    request = RequestFactory().get("/organisations/")
    request.user = world.user("association_agent")
    request.membership = world.memberships["association_agent"]

    def write(count):
        try:
            for _ in range(count):
                log_access(request, action=AccessAction.READ, obj=world.association)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(25,)) for _ in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    assert AccessLog.objects.count() == 100
    assert len(set(AccessLog.objects.values_list("previous_hash", flat=True))) == 100
    assert verify_chain().is_intact
    print(f"100 lignes chaînées par 4 fils en {elapsed * 1000:.0f} ms")


def write_row(hash_version, concerns_minor=False):
    """Une ligne au format d'empreinte donné (format 1 : une ligne écrite avant le passage au format 2)."""
    return AccessLog.objects.create(
        action=AccessAction.READ,
        object_type="signalements.signalement",
        object_id="00000000-0000-0000-0000-000000000001",
        view_name="signalements:signalement_detail",
        path="/dossiers/",
        method="GET",
        concerns_minor=concerns_minor,
        hash_version=hash_version,
    )


def test_new_rows_are_written_in_the_second_hash_format(world, client_as):
    read_organisation(world, client_as)
    assert AccessLog.objects.get().hash_version == 2


def test_flipping_concerns_minor_with_superuser_sql_is_detected(world, client_as):
    read_organisation(world, client_as, times=2)
    minor = write_row(2, concerns_minor=True)
    read_organisation(world, client_as)

    superuser_sql("UPDATE accounts_accesslog SET concerns_minor = false WHERE id = %s", [minor.id])

    result = verify_chain()
    assert (result.broken_id, result.reason) == (minor.id, "le contenu de la ligne a été modifié")


def test_rows_of_the_first_format_before_the_switch_stay_verifiable(world, client_as):
    before = [write_row(1, concerns_minor=True), write_row(1)]
    read_organisation(world, client_as, times=2)

    result = verify_chain()
    assert result.is_intact and result.checked == 4
    assert [row.hash_version for row in AccessLog.objects.order_by("chain_position")] == [1, 1, 2, 2]
    assert before[0].concerns_minor


def test_concerns_minor_is_outside_the_hash_of_a_first_format_row(world):
    """Le format 1 ne couvrait pas `concerns_minor` : c'est pourquoi toute ligne écrite ensuite est au format 2."""
    old = write_row(1, concerns_minor=True)
    superuser_sql("UPDATE accounts_accesslog SET concerns_minor = false WHERE id = %s", [old.id])
    assert verify_chain().is_intact


def test_a_row_downgraded_to_the_first_format_after_the_switch_breaks_the_chain(world, client_as):
    write_row(1)
    read_organisation(world, client_as, times=2)
    rows = list(AccessLog.objects.order_by("chain_position"))
    rewrite_with_its_hash(rows[2].id, "hash_version = 1, concerns_minor = false")

    result = verify_chain()
    assert result.broken_id == rows[2].id
    assert result.reason == "format d'empreinte 1 après une ligne au format 2 : la ligne a été réécrite"
