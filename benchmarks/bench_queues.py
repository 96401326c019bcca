"""Banc d'essai des files : 1 000 000 de signalements dans la base de DATABASE_URL, puis le temps serveur (p50, p95)
des files Miprof et départementale, première page et pages filtrées.

    python -m benchmarks.bench_queues            # crée les données manquantes (idempotent), puis mesure
    BENCH_ROWS=200000 python -m benchmarks.bench_queues

Les signalements du banc portent une référence BENCH-… ; les relancer ne crée que ceux qui manquent. L'insertion se
fait en SQL (generate_series), déclencheurs d'historique désactivés pour la session (`session_replication_role`).
"""

import os
import re
import statistics
import sys
import time

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
BATCH = 100_000

#: Répartition des états par i % 100 : peu de dossiers ouverts, beaucoup d'historique, comme en production.
STATUS_SQL = """CASE
    WHEN i %% 100 < 2 THEN 'submitted' WHEN i %% 100 < 3 THEN 'in_triage'
    WHEN i %% 100 < 4 THEN 'information_requested' WHEN i %% 100 < 6 THEN 'forwarded'
    WHEN i %% 100 < 40 THEN 'validated' WHEN i %% 100 < 60 THEN 'not_validated'
    WHEN i %% 100 < 70 THEN 'closed_duplicate' WHEN i %% 100 < 85 THEN 'closed_out_of_scope' ELSE 'closed' END"""

INSERT_SQL = f"""
INSERT INTO signalements_signalement (
    public_id, reference, status, organisation_id, created_by_id, submitted_by_id, created_at, updated_at,
    submitted_at, departement_id, competent_departement_id, spotted_on, spotted_place, urgent, is_anonymous,
    consent_status, consent_language, pseudonym, first_name, last_name, is_minor_presumed,
    is_mna, sex, transgender, nationalities, languages, juge_des_enfants_informed, procureur_informed,
    place_of_exploitation, exploitation_countries, in_danger, needs_shelter_tonight, needs_health_care,
    needs_interpreter, is_pregnant, complaint_status, account, victim_status, duplicate_keys__EXTRA_COLUMNS__
)
SELECT gen_random_uuid(), 'BENCH-' || lpad(i::text, 7, '0'), {STATUS_SQL}, %(organisation)s, %(user)s, %(user)s,
    now() - make_interval(secs => i * 90), now(), now() - make_interval(secs => i * 90),
    (%(territories)s::int[])[1 + i %% cardinality(%(territories)s::int[])],
    CASE WHEN i %% 100 >= 4 THEN (%(territories)s::int[])[1 + i %% cardinality(%(territories)s::int[])] END,
    (now() - make_interval(days => 1 + i %% 1000))::date, '', i %% 37 = 0, false,
    'given', '', '', '', '', i %% 9 = 0,
    false, 'unknown', 'unknown', '{{}}', '{{}}', false, false,
    'unknown', '{{}}', false, false, false,
    false, false, 'unknown', '',
    CASE WHEN i %% 100 BETWEEN 6 AND 39 THEN 'identified' ELSE 'presumed' END, '{{}}'__EXTRA_VALUES__
FROM generate_series(%(start)s, %(stop)s) AS i
WHERE NOT EXISTS (SELECT 1 FROM signalements_signalement s WHERE s.reference = 'BENCH-' || lpad(i::text, 7, '0'))
"""


def insert_sql():
    """`INSERT_SQL` complété des colonnes obligatoires ajoutées au modèle depuis : chacune reçoit la valeur par défaut
    de son champ (un banc ne casse pas à chaque nouveau champ), passée en paramètre `%(extra_<n>)s`."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    from signalements.models import Signalement

    listed = set(re.findall(r"\w+", INSERT_SQL.replace("__EXTRA_COLUMNS__", "").split("(", 1)[1].split(")", 1)[0]))
    columns, values, params = [], [], {}
    for field in Signalement._meta.concrete_fields:
        if field.column in listed or field.primary_key or field.null or field.db_default is not NOT_PROVIDED:
            continue
        name = f"extra_{len(columns)}"
        columns.append(field.column)
        values.append(f"%({name})s")
        params[name] = field.get_db_prep_save(field.get_default(), connection)
    sql = INSERT_SQL.replace("__EXTRA_COLUMNS__", "".join(f", {column}" for column in columns))
    return sql.replace("__EXTRA_VALUES__", "".join(f", {value}" for value in values)), params


CLOCKS_SQL = """
INSERT INTO orientation_clock (signalement_id, step, territory_id, working_days, started_at, due_at)
SELECT s.id, CASE WHEN s.status = 'forwarded' THEN 'departmental_decision' ELSE 'triage' END,
    s.departement_id, 2, s.submitted_at, s.submitted_at + interval '3 days'
FROM signalements_signalement s
WHERE s.reference LIKE 'BENCH-%%' AND s.status IN ('submitted', 'in_triage', 'forwarded')
  AND NOT EXISTS (SELECT 1 FROM orientation_clock c WHERE c.signalement_id = s.id)
"""


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mniop.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def ensure_people():
    from accounts.models import Membership, User
    from mniop.roles import Role
    from referents.enums import OrganisationKind
    from referents.models import Organisation, Territory

    paris = Territory.objects.get(code="75")

    def person(email, organisation, role, departements=()):
        user, _ = User.objects.get_or_create(email=email)
        membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
        if departements:
            membership.departements.set(departements)
        return user

    miprof, _ = Organisation.objects.get_or_create(
        name="Miprof (banc d'essai)", defaults={"kind": OrganisationKind.MIPROF, "is_national": True}
    )
    prefecture, _ = Organisation.objects.get_or_create(
        name="Préfecture de Paris (banc d'essai)", defaults={"kind": OrganisationKind.PREFECTURE}
    )
    association, _ = Organisation.objects.get_or_create(
        name="Association (banc d'essai)", defaults={"kind": OrganisationKind.ASSOCIATION}
    )
    return (
        person("banc-miprof@bench.mniop.example", miprof, Role.MIPROF_AGENT),
        person("banc-valideur@bench.mniop.example", prefecture, Role.DEPARTMENTAL_VALIDATOR, [paris]),
        person("banc-association@bench.mniop.example", association, Role.ASSOCIATION_AGENT),
        association,
    )


def ensure_rows(organisation, user, rows=ROWS):
    from django.db import connection, transaction

    from referents.models import Territory

    territories = list(Territory.objects.departements().order_by("code").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM signalements_signalement WHERE reference LIKE 'BENCH-%%'")
        (existing,) = cursor.fetchone()
    print(f"Signalements du banc déjà présents : {existing} / {rows}", flush=True)
    if existing < rows:
        sql, extra = insert_sql()
        for start in range(1, rows + 1, BATCH):
            stop = min(start + BATCH - 1, rows)
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(
                    sql,
                    {
                        **extra,
                        "organisation": organisation.pk,
                        "user": user.pk,
                        "territories": territories,
                        "start": start,
                        "stop": stop,
                    },
                )
                inserted = cursor.rowcount
            print(f"  {start}-{stop} : {inserted} insérés en {time.perf_counter() - started:.1f} s", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLOCKS_SQL)
        print(f"Délais créés : {cursor.rowcount}", flush=True)
    with connection.cursor() as cursor:
        # VACUUM pose la carte de visibilité : les comptages par état lisent alors l'index seul, comme en production.
        cursor.execute("VACUUM ANALYZE signalements_signalement")
        cursor.execute("VACUUM ANALYZE orientation_clock")


def percentile(values, fraction):
    values = sorted(values)
    return values[max(0, int(round(fraction * len(values))) - 1)]


def measure(client, url, params, runs=RUNS, before=None):
    """(p50, p95) du temps total de la requête, (p50, p95) du temps passé dans PostgreSQL, et la dernière réponse.
    `before` : appelé avant chaque requête mesurée, hors du temps mesuré (vider un cache, par exemple)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, sql_timings = [], []
    response = client.get(url, params)  # échauffement
    assert response.status_code == 200, response.status_code
    for _ in range(runs):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        sql_timings.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        assert response.status_code == 200
    total = (statistics.median(timings), percentile(timings, 0.95))
    sql = (statistics.median(sql_timings), percentile(sql_timings, 0.95))
    return total, sql, response


def verified_client(client, user):
    """Connecté avec un second facteur vérifié (sinon chaque page renverrait vers la vérification)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Banc d'essai", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from referents.reference_data import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    miprof, validator, _, association = ensure_people()
    ensure_rows(association, miprof)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM signalements_signalement")
        (total,) = cursor.fetchone()
    print(f"Signalements dans la base : {total}")

    miprof_client = verified_client(Client(HTTP_HOST="127.0.0.1"), miprof)
    validator_client = verified_client(Client(HTTP_HOST="127.0.0.1"), validator)
    miprof_url = reverse("orientation:miprof_queue")
    departement_url = reverse("orientation:departement_queue")

    *_, first = measure(miprof_client, miprof_url, {}, runs=1)
    deep_cursor = first.context["next_cursor"] if first.context else None
    scenarios = [
        ("Miprof, première page", miprof_client, miprof_url, {}),
        ("Miprof, page suivante (curseur)", miprof_client, miprof_url, {"apres": deep_cursor} if deep_cursor else {}),
        ("Miprof, département 75", miprof_client, miprof_url, {"departement": "75"}),
        ("Miprof, en retard", miprof_client, miprof_url, {"en_retard": "on"}),
        ("Miprof, état validé", miprof_client, miprof_url, {"statut": "validated"}),
        ("Miprof, mineurs", miprof_client, miprof_url, {"mineur": "oui"}),
        ("Miprof, recherche par référence", miprof_client, miprof_url, {"reference": "BENCH-0500000"}),
        ("Département, première page", validator_client, departement_url, {}),
        ("Département, état validé", validator_client, departement_url, {"statut": "validated"}),
        ("API Miprof, première page", miprof_client, reverse("orientation_api:miprof_queue"), {}),
        ("API département, première page", validator_client, reverse("orientation_api:departement_queue"), {}),
    ]
    print(f"\nTemps serveur par requête ({RUNS} mesures) : total (rendu HTML compris) et part PostgreSQL")
    worst_total = worst_sql = 0.0
    for label, client, url, params in scenarios:
        (p50, p95), (sql50, sql95), _ = measure(client, url, params)
        worst_total, worst_sql = max(worst_total, p95), max(worst_sql, sql95)
        print(
            f"  {label:<34} total p50 {p50:6.1f} ms  p95 {p95:6.1f} ms | SQL p50 {sql50:5.1f} ms  p95 {sql95:5.1f} ms"
        )
    print(f"\nPire p95 : total {worst_total:.1f} ms, SQL {worst_sql:.1f} ms (objectif : moins de 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
