"""Le verrou de la chaîne n'est tenu qu'au COMMIT : deux transactions qui écrivent une ligne ne s'attendent pas."""

import statistics
import threading
import time

import pgtrigger
import pytest
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory

from accounts.access_chain import verify_chain
from accounts.audit import log_access
from accounts.models import AccessAction, AccessLog

pytestmark = pytest.mark.django_db(transaction=True)


def make_request(world):
    request = RequestFactory().get("/organisations/")
    request.user = world.user("association_agent")
    request.membership = world.memberships["association_agent"]
    return request


def test_a_pending_transaction_does_not_block_another_writer(world):
    """La première transaction écrit sa ligne et ne valide pas ; la seconde écrit et valide en moins d'une seconde."""
    request = make_request(world)
    first_written, second_done = threading.Event(), threading.Event()
    timings = {}

    def first():
        try:
            with transaction.atomic():
                log_access(request, action=AccessAction.READ, obj=world.association)
                first_written.set()
                second_done.wait(timeout=5)
        finally:
            connections.close_all()

    def second():
        try:
            first_written.wait(timeout=5)
            started = time.perf_counter()
            with transaction.atomic():
                log_access(request, action=AccessAction.UPDATE, obj=world.association)
            timings["second"] = time.perf_counter() - started
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert timings["second"] < 1
    rows = list(AccessLog.objects.order_by("chain_position"))
    # La chaîne suit l'ordre des validations : la ligne de la seconde transaction (validée d'abord) vient en premier,
    # même si son identifiant, tiré à l'insertion, est plus grand.
    assert [row.action for row in rows] == [AccessAction.UPDATE, AccessAction.READ]
    assert rows[0].id > rows[1].id
    assert [row.chain_position for row in rows] == [1, 2]
    assert rows[1].previous_hash == rows[0].chain_hash
    assert verify_chain().is_intact


def test_rows_of_one_transaction_are_chained_in_insertion_order(world):
    request = make_request(world)
    with transaction.atomic():
        for _ in range(3):
            log_access(request, action=AccessAction.READ, obj=world.association)
        assert not AccessLog.objects.exclude(chain_hash="").exists()  # pas encore chaînées : au COMMIT seulement
    rows = list(AccessLog.objects.order_by("chain_position"))
    assert [row.id for row in rows] == sorted(row.id for row in rows)
    assert rows[1].previous_hash == rows[0].chain_hash and rows[2].previous_hash == rows[1].chain_hash
    assert verify_chain().is_intact


def test_a_rolled_back_row_leaves_no_gap_in_the_chain(world):
    request = make_request(world)
    log_access(request, action=AccessAction.READ, obj=world.association)
    with pytest.raises(RuntimeError), transaction.atomic():
        log_access(request, action=AccessAction.READ, obj=world.association)
        raise RuntimeError
    log_access(request, action=AccessAction.READ, obj=world.association)

    assert list(AccessLog.objects.order_by("chain_position").values_list("chain_position", flat=True)) == [1, 2]
    assert verify_chain().is_intact


def test_measure_the_cost_of_a_chained_row(world):
    """Mesure (affichée) : lignes écrites une par transaction, avec et sans la chaîne (tours alternés, médiane)."""
    request = make_request(world)

    def write(count):
        started = time.perf_counter()
        for _ in range(count):
            log_access(request, action=AccessAction.READ, obj=world.association)
        return (time.perf_counter() - started) * 1000 / count

    rounds = {"sans": [], "avec": []}
    for _ in range(6):
        with pgtrigger.ignore("accounts.AccessLog:access_log_hash_chain"):
            rounds["sans"].append(write(50))
        rounds["avec"].append(write(50))
    without, chained = (statistics.median(rounds[key]) for key in ("sans", "avec"))
    print(f"\n600 lignes, une par transaction : {without:.2f} ms sans la chaîne, {chained:.2f} ms avec (médianes)")
    assert AccessLog.objects.filter(chain_position__isnull=False).count() == 6 * 50


def test_measure_request_like_transactions_in_parallel(world):
    """Mesure : 4 fils écrivent chacun 5 lignes, chaque transaction durant encore 50 ms après l'écriture (le reste
    d'une requête : gabarit, autres requêtes). Si le verrou était tenu jusqu'à la fin : 20 x 50 ms = 1 s au moins."""
    request = make_request(world)

    def request_like():
        try:
            for _ in range(5):
                with transaction.atomic():
                    log_access(request, action=AccessAction.READ, obj=world.association)
                    time.sleep(0.05)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request_like) for _ in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(f"\n4 fils x 5 transactions de 50 ms après l'écriture : {elapsed * 1000:.0f} ms")
    assert elapsed < 0.9
    assert verify_chain().checked == 20


def migrate(targets=None):
    """Migre la base vers `targets` (toutes les migrations si rien n'est donné)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def migrate_to_just_before(suffix):
    """La migration d'accounts juste avant celle qui finit par `suffix` (quel que soit son numéro après
    renumérotation)."""
    graph = MigrationExecutor(connection).loader.graph
    (ours,) = [key for key in graph.nodes if key[0] == "accounts" and key[1].endswith(suffix)]
    migrate([parent.key for parent in graph.node_map[ours].parents if parent.key[0] == "accounts"])


def test_the_migration_ranks_the_rows_already_chained(world):
    """Les lignes chaînées avant la migration `access_log_chain_at_commit` (dans l'ordre des identifiants) reçoivent
    leur rang dans cet ordre et la chaîne reste intacte ; les lignes suivantes s'y accrochent."""
    migrate_to_just_before("_access_log_chain_at_commit")
    try:
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute(
                    "INSERT INTO accounts_accesslog (at, role, action, object_type, object_id, view_name, path, "
                    "method, request_id) VALUES (now(), '', 'read', 'ancienne', '', 'x', '/', 'GET', '')"
                )
    finally:
        migrate()  # toutes les migrations, y compris celles qui suivraient

    log_access(make_request(world), action=AccessAction.READ, obj=world.association)
    rows = list(AccessLog.objects.order_by("chain_position"))
    assert [row.chain_position for row in rows] == [1, 2, 3, 4]
    assert [row.id for row in rows] == sorted(row.id for row in rows)
    assert verify_chain().checked == 4 and verify_chain().is_intact


def test_the_hash_format_migration_keeps_the_existing_chain_verifiable(world):
    """Les lignes chaînées avant la migration `access_log_hash_v2` gardent leur format 1 et restent vérifiables ;
    les suivantes sont au format 2 (avec `concerns_minor`) et s'accrochent à la même chaîne."""
    migrate_to_just_before("_access_log_hash_v2")
    try:
        with connection.cursor() as cursor:
            for minor in (True, False):
                cursor.execute(
                    "INSERT INTO accounts_accesslog (at, role, action, object_type, object_id, view_name, path, "
                    "method, request_id, previous_hash, chain_hash, concerns_minor) VALUES (now(), '', 'read', "
                    "'ancienne', '', 'x', '/', 'GET', '', '', '', %s)",
                    [minor],
                )
    finally:
        migrate()

    log_access(make_request(world), action=AccessAction.READ, obj=world.association)
    rows = list(AccessLog.objects.order_by("chain_position"))
    assert [(row.hash_version, row.concerns_minor) for row in rows] == [(1, True), (1, False), (2, False)]
    result = verify_chain()
    assert result.is_intact and result.checked == 3
