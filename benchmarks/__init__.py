"""Bancs d'essai du MNIOP, hors de la suite de tests.

Contrat : chaque scénario est un module `benchmarks/bench_<nom>.py` avec une fonction `main()` qui crée ce dont il
a besoin dans la base de DATABASE_URL et affiche ses mesures ; il se lance seul par `python -m benchmarks.bench_<nom>`.
`python -m benchmarks` (c'est `make bench`) prépare la base dédiée (`mniop_bench` par défaut, jamais la base de
développement), la migre, puis lance chaque `bench_*.py` à tour de rôle.
"""

import os


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mniop.settings.bench")
    import django

    django.setup()


def percentile(samples, fraction):
    """Le centile `fraction` (0.5, 0.95) d'une liste de durées, par la méthode du rang le plus proche."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
