"""Débit du dépôt de signalements par l'API, rapporté à une vue Django nue, avec 100 000 signalements en base.

Mesure en processus, avec le client de test de Django (`django.test.Client`) : chaque requête traverse toute la pile
(intergiciels, transaction de la requête, authentification par jeton, services, journal d'accès) sans réseau ni
serveur HTTP. La vue nue (`HttpResponse("ok")`) est mesurée de la même façon, sur la même machine : le rapport des
deux dit ce que coûte le métier, indépendamment de la machine.

    python -m benchmarks.bench_intake            (ou `make bench`, qui prépare la base dédiée)
    BENCH_SIGNALEMENTS=100000 BENCH_REQUESTS=300  les volumes, par variables d'environnement
"""

import datetime
import io
import json
import os
import random
import time
import uuid

from benchmarks import percentile, setup_django

TARGET_SIGNALEMENTS = int(os.environ.get("BENCH_SIGNALEMENTS", "100000"))
INTAKES = int(os.environ.get("BENCH_REQUESTS", "300"))
READS = int(os.environ.get("BENCH_READS", "300"))
BATCH = 5000
ORGANISATIONS = 20
BENCH_ORGANISATION = "Association du banc d'essai"
LIST_URL = "/api/v1/signalements/"


def reference_data():
    """Départements et listes de référence, comme `make run` les charge (sans rien afficher)."""
    from django.core.management import call_command

    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_signalement_references", stdout=io.StringIO())


def organisations():
    """Les associations habilitées du banc d'essai ; la première porte le jeton mesuré."""
    from referents.enums import HabilitationKind, OrganisationKind
    from referents.models import Habilitation, Organisation

    result = []
    for index in range(ORGANISATIONS):
        name = BENCH_ORGANISATION if index == 0 else f"Association du banc d'essai n°{index}"
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": OrganisationKind.ASSOCIATION}
        )
        if created:
            Habilitation.objects.create(
                organisation=organisation, kind=HabilitationKind.MNIOP, starts_on=datetime.date(2024, 1, 1)
            )
        result.append(organisation)
    return result


def miprof():
    from referents.enums import OrganisationKind
    from referents.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(
        name="Miprof du banc d'essai", defaults={"kind": OrganisationKind.MIPROF, "is_national": True}
    )
    return organisation


def bench_user(organisation, role, email):
    from accounts.models import Membership, User

    user, _ = User.objects.get_or_create(email=email, defaults={"last_name": "Banc d'essai"})
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    user.membership = membership
    return user


def top_up_signalements(orgs, author):
    """Complète jusqu'à TARGET_SIGNALEMENTS par insertion groupée (idempotent : ne fait que compléter)."""
    from django.db import transaction

    from referents.models import Territory
    from signalements.enums import ConsentStatus, ReferenceCategory, SignalementStatus
    from signalements.models import ReferenceValue, Signalement

    existing = Signalement.objects.count()
    missing = TARGET_SIGNALEMENTS - existing
    if missing <= 0:
        print(f"Signalements en base : {existing} (rien à ajouter).")
        return
    started = time.monotonic()
    departements = list(Territory.objects.departements())
    forms = list(ReferenceValue.objects.in_category(ReferenceCategory.EXPLOITATION_FORM))
    through = Signalement.exploitation_forms.through
    today = datetime.date.today()
    rng = random.Random(existing)
    for offset in range(0, missing, BATCH):
        size = min(BATCH, missing - offset)
        rows = []
        for index in range(existing + offset, existing + offset + size):
            submitted = index % 10 != 0
            rows.append(
                Signalement(
                    organisation=orgs[index % len(orgs)],
                    created_by=author,
                    status=SignalementStatus.SUBMITTED if submitted else SignalementStatus.DRAFT,
                    # Année 2000 : ne rencontre jamais la séquence des références réelles.
                    reference=f"MNIOP-2000-{index:06d}" if submitted else None,
                    submitted_at=datetime.datetime.now(datetime.UTC) if submitted else None,
                    submitted_by=author if submitted else None,
                    departement=rng.choice(departements),
                    spotted_on=today - datetime.timedelta(days=rng.randrange(700)),
                    consent_status=ConsentStatus.GIVEN,
                    pseudonym=f"P{index}",
                )
            )
        with transaction.atomic():
            created = Signalement.objects.bulk_create(rows, batch_size=1000)
            through.objects.bulk_create(
                [through(signalement_id=s.pk, referencevalue_id=rng.choice(forms).pk) for s in created],
                batch_size=5000,
            )
    print(f"Signalements ajoutés : {missing} en {time.monotonic() - started:.0f} s ; en base : {TARGET_SIGNALEMENTS}.")


def api_token(organisation, admin):
    from accounts.services_api_tokens import create_api_token

    _, secret = create_api_token(organisation=organisation, name=f"Banc d'essai {uuid.uuid4()}", by=admin)
    return secret


def intake_payload(index):
    return json.dumps(
        {
            "departement": "75",
            "spotted_on": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
            "spotted_place": "Paris",
            "consent_status": "given",
            "pseudonym": f"Banc {index}",
            "nationalities": ["NG"],
            "entry_channel": "association",
            "exploitation_forms": ["exploitation_sexuelle"],
        }
    )


def timed(call):
    started = time.perf_counter()
    response = call()
    return time.perf_counter() - started, response


def measure_intake(client):
    """N dépôts complets : création du brouillon puis dépôt, deux requêtes POST chacune avec sa clé."""
    durations = []
    started = time.perf_counter()
    for index in range(INTAKES):
        duration, response = timed(
            lambda index=index: client.post(
                LIST_URL,
                intake_payload(index),
                content_type="application/json",
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
        )
        assert response.status_code == 201, response.content
        durations.append(duration)
        depot = f"{LIST_URL}{response.json()['id']}/depot/"
        duration, response = timed(
            lambda depot=depot: client.post(depot, headers={"Idempotency-Key": str(uuid.uuid4())})
        )
        assert response.status_code == 200, response.content
        durations.append(duration)
    return time.perf_counter() - started, durations


def measure_bare(client, count):
    durations = []
    started = time.perf_counter()
    for _ in range(count):
        duration, response = timed(lambda: client.get("/banc-d-essai/vue-nue/"))
        assert response.status_code == 200
        durations.append(duration)
    return time.perf_counter() - started, durations


def measure_reads(client, ids):
    rng = random.Random(0)
    lists, details = [], []
    for _ in range(READS):
        duration, response = timed(lambda: client.get(LIST_URL))
        assert response.status_code == 200 and len(response.json()["results"]) == 50
        lists.append(duration)
        duration, response = timed(lambda: client.get(f"{LIST_URL}{rng.choice(ids)}/"))
        assert response.status_code == 200
        details.append(duration)
    return lists, details


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def main():
    setup_django()
    from django.db import connection
    from django.test import Client

    from mniop.roles import Role
    from signalements.models import Signalement

    reference_data()
    orgs = organisations()
    admin = bench_user(orgs[0], Role.ASSOCIATION_ADMIN, "admin@banc-d-essai.mniop.invalid")
    bench_user(miprof(), Role.MIPROF_AGENT, "miprof@banc-d-essai.mniop.invalid")  # destinataire des notifications
    top_up_signalements(orgs, admin)
    client = Client(headers={"Authorization": f"Token {api_token(orgs[0], admin)}"})
    own = Signalement.objects.filter(organisation=orgs[0])
    ids = [str(public_id) for public_id in own.values_list("public_id", flat=True)[:5000]]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # Échauffement : caches de Django, de PostgreSQL et de l'interpréteur.
    measure_bare(client, 50)
    client.get(LIST_URL)

    total, durations = measure_intake(client)
    api_rate = len(durations) / total
    bare_total, bare_durations = measure_bare(client, len(durations))
    bare_rate = len(bare_durations) / bare_total
    lists, details = measure_reads(client, ids)

    print(f"Signalements en base : {Signalement.objects.count()} ; ceux de l'organisation mesurée : {own.count()}.")
    print("Méthode : en processus, client de test de Django (pas de réseau), un seul processus, séquentiel.")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Machine : {os.cpu_count()} cœurs, charge moyenne (1, 5, 15 min) {load} à la fin de la mesure.")
    print(f"Dépôt par l'API : {INTAKES} dépôts (création + dépôt = {len(durations)} requêtes) en {total:.1f} s")
    print(f"  API            : {api_rate:.1f} requêtes/s ({INTAKES / total:.1f} dépôts complets/s)")
    print(f"  vue nue        : {bare_rate:.1f} requêtes/s")
    ratio = api_rate / bare_rate
    print(f"  rapport        : {ratio:.3f} (l'API sert {1 / ratio:.1f} fois moins de requêtes/s que la vue nue)")
    print(f"  requête d'écriture : p50 {ms(percentile(durations, 0.5))}, p95 {ms(percentile(durations, 0.95))}")
    print(
        f"  vue nue            : p50 {ms(percentile(bare_durations, 0.5))}, p95 {ms(percentile(bare_durations, 0.95))}"
    )
    print(f"Liste (50 par page) : p50 {ms(percentile(lists, 0.5))}, p95 {ms(percentile(lists, 0.95))}")
    print(f"Détail              : p50 {ms(percentile(details, 0.5))}, p95 {ms(percentile(details, 0.95))}")


if __name__ == "__main__":
    main()
