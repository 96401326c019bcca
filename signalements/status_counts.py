"""Les comptes de signalements par état affichés en tête des files, gardés en cache tant qu'aucun état ne change.

Compter les dossiers ouverts d'une file parcourt l'index des états (11 à 21 ms à 1 million de signalements) à chaque
affichage. Le compte est gardé dans le cache (Redis) sous une clé faite de la requête SQL elle-même, portée de la
personne comprise : deux personnes qui ne voient pas les mêmes dossiers ne partagent jamais un compte. Chaque
transition du cycle de vie (`services.events.apply_transition`) change la **version** des comptes à la validation de
sa transaction : le compte suivant est recalculé, jamais en retard sur un changement d'état. Une minute au plus en cas
d'écriture hors transition (données de démonstration en masse). Sans Redis, le compte est calculé comme avant.
"""

import hashlib
import logging

from django.core.cache import cache
from django.db.models import Count

VERSION_KEY = "signalements:status-counts:version"
TTL_SECONDS = 60
logger = logging.getLogger(__name__)


def bump_version():
    """Appelé à la validation de chaque transaction qui change un état (`transaction.on_commit`)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # la clé n'existe pas encore (ou a expiré)
        cache.set(VERSION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 : cache injoignable ; les comptes ont au plus une minute de retard
        logger.warning("Cache injoignable : version des comptes par état non changée.")


def counts_by_status(queryset, statuses):
    """{état: nombre} des signalements de `queryset` dans `statuses` (index seul : COUNT(*) et non COUNT(id))."""
    counted = (
        queryset.filter(status__in=statuses).values_list("status").annotate(n=Count("*")).values_list("status", "n")
    )
    sql, params = counted.query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    try:
        version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
        key = f"signalements:status-counts:{version}:{digest}"
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 : sans cache, le compte est calculé à chaque fois
        logger.warning("Cache injoignable : comptes par état calculés sans cache.")
        return dict(counted)
    if cached is None:
        cached = dict(counted)
        try:
            cache.set(key, cached, timeout=TTL_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Cache injoignable : comptes par état non gardés.")
    return cached
