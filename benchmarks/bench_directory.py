"""Banc d'essai de la recherche de l'annuaire : 50 000 fiches, temps de réponse médian et 95e centile.

    DATABASE_URL=postgres://… python -m benchmarks.bench_directory [--entries 50000] [--runs 300]

Crée (en masse, une seule fois : relancer ne crée que ce qui manque) les fiches du banc d'essai dans la base de
DATABASE_URL, rattachées à des organisations « Banc d'essai de l'annuaire n°… », puis mesure la recherche telle que
la page la fait (comptage pour la pagination + première page de 25 fiches avec leur organisation et leur
territoire), sur un mélange de requêtes plein texte (avec et sans accents) et de filtres.
"""

import argparse
import os
import random
import statistics
import time

BENCH_ORGANISATION = "Banc d'essai de l'annuaire n°{}"
ORGANISATIONS = 200
PAGE_SIZE = 25
QUERIES = [
    {"q": "exploitée"},
    {"q": "prefecture sejour"},
    {"q": "magistrat référent", "territory": "59"},
    {"q": "mineurs non accompagnés"},
    {"q": "traite guyane"},
    {"q": "proxénétisme"},
    {"category": "association", "territory": "75"},
    {"theme": "travail", "territory": "974"},
    {"q": "accompagnement", "language": "ro"},
    {"speciality": "hebergement"},
    {"q": "traite"},
    {"q": "traite saint etienne"},
    {"q": "saint denis accueil"},
    {"q": "gendarmerie astreinte", "territory": "13"},
    {},
]
_TITLES = [
    "Référent·e traite des êtres humains",
    "Permanence d'accueil des victimes d'exploitation",
    "Cellule de lutte contre le travail forcé",
    "Magistrat·e référent·e TEH",
    "Accompagnement des mineurs victimes",
    "Référent·e séjour et délai de réflexion",
    "Maraude et aller-vers",
    "Hébergement sécurisé et orientation",
    "Lutte contre le proxénétisme",
    "Accès aux droits des victimes",
]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mniop.settings.dev")
    import django

    django.setup()


def ensure_entries(total, seed=2026):
    """Complète le banc d'essai jusqu'à `total` fiches. Renvoie le nombre de fiches créées."""
    import pgtrigger
    from django.db import transaction

    from referents.enums import Language, OrganisationKind, ReferentCategory, Speciality, Theme
    from referents.indexing import search_texts
    from referents.models import DirectoryEntry, Organisation, Territory
    from referents.reference_data import load_reference_data

    if not Territory.objects.exists():
        load_reference_data()
    territories = list(Territory.objects.order_by("code"))
    names = [BENCH_ORGANISATION.format(index) for index in range(ORGANISATIONS)]
    existing = {organisation.name: organisation for organisation in Organisation.objects.filter(name__in=names)}
    Organisation.objects.bulk_create(
        [Organisation(name=name, kind=OrganisationKind.ASSOCIATION) for name in names if name not in existing]
    )
    organisations = list(Organisation.objects.filter(name__in=names).order_by("name"))
    already = DirectoryEntry.objects.filter(organisation__in=organisations).count()
    missing = total - already
    if missing <= 0:
        return 0
    rng = random.Random(f"{seed}-{already}")
    through = DirectoryEntry.territories.through
    categories, themes = ReferentCategory.values, Theme.values
    specialities, languages = Speciality.values, Language.values
    created = 0
    with transaction.atomic(), pgtrigger.ignore("referents.DirectoryEntry:insert_insert"):
        while created < missing:
            batch, covered = [], []
            for _ in range(min(2000, missing - created)):
                organisation = rng.choice(organisations)
                its_territories = rng.sample(territories, k=rng.choice([1, 1, 1, 2, 3]))
                its_territories.sort(key=lambda territory: territory.code)
                entry = DirectoryEntry(
                    organisation=organisation,
                    category=rng.choice(categories),
                    title=f"{rng.choice(_TITLES)} – {its_territories[0].name}",
                    themes=rng.sample(themes, k=rng.randint(1, 3)),
                    specialities=rng.sample(specialities, k=rng.randint(0, 2)),
                    languages=["fr", *rng.sample(languages, k=rng.randint(0, 2))],
                    main_territory=its_territories[0],
                    main_territory_code=its_territories[0].code,
                    public_phone="01 99 00 00 00",
                    last_verified_on=__import__("datetime").date(2026, 1, 1),
                    is_public=rng.random() < 0.5,
                )
                entry.search_names, entry.search_terms = search_texts(
                    entry=entry, organisation=organisation, territories=its_territories
                )
                batch.append(entry)
                covered.append(its_territories)
            DirectoryEntry.objects.bulk_create(batch)
            through.objects.bulk_create(
                [
                    through(directoryentry_id=entry.pk, territory_id=territory.pk)
                    for entry, its_territories in zip(batch, covered, strict=True)
                    for territory in its_territories
                ]
            )
            created += len(batch)
    with __import__("django").db.connection.cursor() as cursor:
        cursor.execute("ANALYZE referents_directoryentry; ANALYZE referents_directoryentry_territories;")
    return created


def run_search(arguments):
    """Ce que fait la page de recherche : comptage, puis la première page avec organisation et territoire."""
    from directory.search import search_directory
    from referents.models import DirectoryEntry, Territory

    arguments = dict(arguments)
    if "territory" in arguments:
        arguments["territory"] = Territory.objects.get(code=arguments["territory"])
    result = search_directory(
        DirectoryEntry.objects.active().select_related("organisation", "main_territory"), **arguments
    )
    return result.count, list(result.entries[:PAGE_SIZE])


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=300)
    options = parser.parse_args(argv)
    setup_django()
    from referents.models import DirectoryEntry

    started = time.perf_counter()
    created = ensure_entries(options.entries)
    print(
        f"Annuaire : {created} fiches créées en {time.perf_counter() - started:.1f} s ; "
        f"{DirectoryEntry.objects.count()} fiches en base."
    )
    for arguments in QUERIES:  # échauffement (cache de PostgreSQL)
        run_search(arguments)
    durations, per_query = [], {}
    for index in range(options.runs):
        arguments = QUERIES[index % len(QUERIES)]
        begin = time.perf_counter()
        count, _ = run_search(arguments)
        elapsed = (time.perf_counter() - begin) * 1000
        durations.append(elapsed)
        per_query.setdefault(str(arguments), (count, []))[1].append(elapsed)
    for label, (count, values) in per_query.items():
        print(f"  {label:60} {count:6d} résultats  p50 {statistics.median(values):7.1f} ms")
    p50, p95 = percentile(durations, 0.5), percentile(durations, 0.95)
    print(f"bench_directory search p50={p50:.1f}ms p95={p95:.1f}ms runs={options.runs}")
    return {"p50_ms": p50, "p95_ms": p95}


if __name__ == "__main__":
    main()
