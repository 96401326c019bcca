"""Limites de débit des pages publiques (django-ratelimit, compteurs dans le cache Redis).

Chaque limite a un nom de réglage dans `settings.MNIOP` (« 8/m », « 30/15m ») ; au-delà, la vue répond 429 en
français avec `Retry-After` (`accounts.lockout.too_many_requests`). Les clés sont des adresses IP ou des empreintes
d'adresses électroniques : aucune adresse électronique en clair dans Redis."""

import hashlib

from django.conf import settings
from django_ratelimit.core import get_usage

from accounts.lockout import too_many_requests


def email_key(field):
    """Une clé de limite tirée d'un champ de formulaire (adresse électronique), en empreinte."""

    def key(group, request):
        value = (request.POST.get(field) or "").strip().lower()
        return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()

    return key


def exceeded(request, *, group, rate_name, key="ip", increment=True):
    """Compte la requête (si `increment`) et renvoie le nombre de secondes à attendre si la limite est dépassée,
    sinon None. Sans `increment`, dit seulement si la limite est déjà atteinte."""
    usage = get_usage(
        request, group=group, key=key, rate=settings.MNIOP[rate_name], method=get_usage.ALL, increment=increment
    )
    if usage is None:
        return None
    reached = usage["count"] > usage["limit"] if increment else usage["count"] >= usage["limit"]
    return max(1, usage["time_left"]) if reached else None


def limit(*limits):
    """Décorateur de vue : chaque limite est (groupe, nom du réglage, clé) ; s'applique aux POST seulement si la
    vue a un formulaire (les GET d'une page d'invitation ne comptent pas), à tout sinon (`methods`)."""

    def decorator(view):
        def wrapped(request, *args, **kwargs):
            for group, rate_name, key, methods in limits:
                if methods and request.method not in methods:
                    continue
                retry_after = exceeded(request, group=group, rate_name=rate_name, key=key)
                if retry_after:
                    return too_many_requests(request, retry_after=retry_after)
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        wrapped.__dict__.update(view.__dict__)
        return wrapped

    return decorator
