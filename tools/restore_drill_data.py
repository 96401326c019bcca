"""Les données de l'exercice de restauration (`tools/restore_drill.py`), écrites par la vraie pile du MNIOP dans la
base de DATABASE_URL (la grappe de l'exercice, jamais celle de développement).

    python tools/restore_drill_data.py populate --signalements N --intakes K   avant la sauvegarde de base
    python tools/restore_drill_data.py write --intakes K --label A [--access-log R]   après (lots A et B)

`populate` migre, charge les données de référence, crée les organisations et personnes des bancs d'essai, dépose
K signalements par l'API, puis ajoute N signalements en masse (`benchmarks.bench_queues`, insertion SQL) et trois
consultations du journal d'accès pour chacun. `write` dépose K signalements par l'API (création, dépôt, lecture) :
chaque dépôt écrit le signalement, ses événements, son historique, le journal d'accès et la boîte d'envoi ;
`--access-log R` ajoute R consultations en masse (une journée chargée, pour mesurer le rejeu des WAL).
"""

import argparse
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import bench_intake, bench_queues, setup_django  # noqa: E402

ADMIN_EMAIL = "admin@banc-d-essai.mniop.invalid"
ACCESS_LOG_PER_SIGNALEMENT = 3

#: Consultations de dossiers en masse, écrites en SQL : à l'échelle, le journal d'accès pèse plus que les dossiers.
BULK_ACCESS_LOG_SQL = """
INSERT INTO accounts_accesslog (at, user_id, organisation_id, role, action, object_type, object_id, view_name, path,
    method)
SELECT at, %(user)s, %(organisation)s, 'miprof_agent', 'read', 'signalements.signalement', public_id::text,
    'orientation:case_detail', '/dossiers/' || public_id || '/', 'GET'
FROM ({reads}) AS reads(at, public_id)
"""
#: Trois consultations de chaque signalement en masse (avant la sauvegarde).
READS_OF_BULK_SIGNALEMENTS = """SELECT s.submitted_at + make_interval(hours => k), s.public_id
FROM signalements_signalement s CROSS JOIN generate_series(1, %(per_signalement)s) AS k
WHERE s.reference LIKE 'BENCH-%%'"""
#: Une journée chargée (après la sauvegarde) : ce que les WAL à rejouer contiennent surtout.
READS_OF_A_DAY = "SELECT clock_timestamp(), gen_random_uuid() FROM generate_series(1, %(rows)s)"


def api_client():
    from django.test import Client

    from mniop.roles import Role

    organisation = bench_intake.organisations()[0]
    admin = bench_intake.bench_user(organisation, Role.ASSOCIATION_ADMIN, ADMIN_EMAIL)
    return Client(headers={"Authorization": f"Token {bench_intake.api_token(organisation, admin)}"})


def intake(client, count, label):
    """`count` dépôts complets par l'API, chacun relu ensuite (une ligne de plus au journal d'accès)."""
    for index in range(count):
        response = client.post(
            bench_intake.LIST_URL,
            bench_intake.intake_payload(f"{label}{index}"),
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status_code == 201, response.content
        detail = f"{bench_intake.LIST_URL}{response.json()['id']}/"
        response = client.post(f"{detail}depot/", headers={"Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code == 200, response.content
        assert client.get(detail).status_code == 200


def bulk_access_log(reads, **parameters):
    from django.db import connection, transaction

    miprof, _, _, association = bench_queues.ensure_people()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        parameters = {"user": miprof.pk, "organisation": association.pk, **parameters}
        cursor.execute(BULK_ACCESS_LOG_SQL.format(reads=reads), parameters)
        print(f"Journal d'accès : {cursor.rowcount} lignes en {time.perf_counter() - started:.1f} s", flush=True)


def bulk_signalements(rows):
    from django.db import connection

    miprof, _, _, association = bench_queues.ensure_people()
    bench_queues.ensure_rows(association, miprof, rows=rows)
    bulk_access_log(READS_OF_BULK_SIGNALEMENTS, per_signalement=ACCESS_LOG_PER_SIGNALEMENT)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accounts_accesslog")


def populate(signalements, intakes):
    from django.core.management import call_command

    from mniop.roles import Role

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrations appliquées en {time.perf_counter() - started:.1f} s", flush=True)
    bench_intake.reference_data()
    # Destinataire des notifications de dépôt, comme dans bench_intake.
    bench_intake.bench_user(bench_intake.miprof(), Role.MIPROF_AGENT, "miprof@banc-d-essai.mniop.invalid")
    intake(api_client(), intakes, "Avant")
    if signalements:
        bulk_signalements(signalements)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="restore_drill_data.py")
    parser.add_argument("action", choices=["populate", "write"])
    parser.add_argument("--signalements", type=int, default=0)
    parser.add_argument("--intakes", type=int, default=5)
    parser.add_argument("--label", default="")
    parser.add_argument("--access-log", type=int, default=0, help="write : lignes du journal d'accès en masse")
    args = parser.parse_args(argv)
    setup_django()
    if args.action == "populate":
        populate(args.signalements, args.intakes)
    else:
        intake(api_client(), args.intakes, args.label)
        if args.access_log:
            bulk_access_log(READS_OF_A_DAY, rows=args.access_log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
