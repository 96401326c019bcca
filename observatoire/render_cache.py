"""Le cache de rendu des pages de statistiques : les tableaux et graphiques d'une page, rendus une fois en HTML, sont
gardés dans le cache de Django (Redis) et partagés par toutes les personnes de même **portée**.

La clé : la page, la portée entière (`Scope` : national, départements d'un·e valideur·se, une organisation, et ses
droits d'affichage), les filtres normalisés (l'année), le seuil du secret statistique, les variantes de rendu qui ne
dépendent que du rôle (le lien vers la file), et la **version des cumuls** (`RollupState` : le curseur du journal lu
et l'heure du dernier recalcul, que la tâche beat avance). Jamais la personne : deux personnes de même portée
partagent le rendu ; jamais un chiffre d'une portée servi à une autre, puisque la portée est dans la clé. Un recalcul
des cumuls change la version, donc la clé : l'ancien rendu n'est plus jamais lu (il expire seul).

Hors du cache, à chaque vue : la portée (et son refus, 403), la date des cumuls affichée, le journal d'accès."""

import hashlib
import json
from dataclasses import astuple

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from observatoire.disclosure import threshold

KEY_PREFIX = "observatoire:rendu"
DEFAULT_TIMEOUT_SECONDS = 6 * 3600


def timeout():
    """Durée de vie d'un rendu (secondes) ; 0 : pas de cache (chaque page recalcule ses tableaux)."""
    return settings.MNIOP.get("STATISTICS_RENDER_CACHE_SECONDS", DEFAULT_TIMEOUT_SECONDS)


def rollup_version(state):
    """La version des cumuls : change à chaque recalcul (`refresh_rollups` avance `refreshed_at`, `refresh_statistics`
    le curseur du journal)."""
    refreshed = state.refreshed_at.isoformat() if state.refreshed_at else "jamais"
    return f"{state.last_event_id}@{refreshed}"


def cache_key(page, *, scope, filters, version, variant=None):
    """La clé d'un rendu ; ne contient aucune donnée personnelle (un condensé)."""
    parts = {
        "page": page,
        "scope": astuple(scope),
        "filters": {name: str(value) for name, value in sorted(filters.items())},
        "threshold": threshold(),
        "variant": {name: str(value) for name, value in sorted((variant or {}).items())},
        "version": version,
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=True).encode()).hexdigest()
    return f"{KEY_PREFIX}:{page}:{digest}"


def cached(page, *, scope, filters, state, compute, variant=None):
    """La valeur de `compute()` pour cette page, cette portée, ces filtres et cette version des cumuls : lue dans le
    cache, sinon calculée (c'est `compute` qui lit les cumuls) puis gardée."""
    seconds = timeout()
    if not seconds:
        return compute()
    key = cache_key(page, scope=scope, filters=filters, version=rollup_version(state), variant=variant)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def rendered(page, *, scope, filters, state, template, context, variant=None):
    """Le HTML des tableaux et graphiques d'une page, rendu par `template` avec `context()` (appelé seulement quand
    le cache n'a pas ce rendu)."""
    html = cached(
        page,
        scope=scope,
        filters=filters,
        state=state,
        compute=lambda: render_to_string(template, context()),
        variant=variant,
    )
    return mark_safe(html)  # noqa: S308 : rendu par nos gabarits (échappement automatique)


def years(*, scope, state, compute):
    """Les années qui ont des cumuls dans la portée (le menu des années), gardées comme les rendus."""
    return cached("annees", scope=scope, filters={}, state=state, compute=compute)
