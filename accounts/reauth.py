"""Ré-authentification avant un acte dangereux : mot de passe ET second facteur saisis il y a moins de
`MNIOP_REAUTH_MAX_AGE` secondes (5 minutes par défaut ; ASVS 7.5.3).

`@recent_auth_required` protège une vue : sans authentification récente, la personne est renvoyée vers
« Confirmer votre identité » (`accounts:reauthenticate`), puis revient à la page d'où elle agissait. S'applique au bris
de glace d'un lieu scellé, à la création d'un jeton d'API, aux exports de données de cas, aux changements de rôle des
membres, à la réinitialisation d'un second facteur et aux données de référence de la Miprof (délais).

La connexion elle-même (mot de passe puis second facteur) compte comme une authentification récente.
"""

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

#: Clé de session : l'instant (secondes depuis l'époque) de la dernière saisie du mot de passe et du second facteur.
RECENT_AUTH_SESSION_KEY = "mniop_recent_auth_at"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def mark_recent_auth(request):
    request.session[RECENT_AUTH_SESSION_KEY] = time.time()


def has_recent_auth(request):
    at = request.session.get(RECENT_AUTH_SESSION_KEY)
    return isinstance(at, int | float) and 0 <= time.time() - at <= settings.MNIOP_REAUTH_MAX_AGE


def return_path(request):
    """Où revenir après la ré-authentification : la page elle-même pour une lecture ; pour un envoi de formulaire,
    la page qui le portait (Referer, s'il est sur ce site), que la personne renvoie alors."""
    if request.method in SAFE_METHODS:
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"


def reauth_url(request):
    return f"{reverse('accounts:reauthenticate')}?{urlencode({'next': return_path(request)})}"


def recent_auth_required(view=None, *, only_writes=False):
    """Exige une authentification récente ; `only_writes=True` : seulement pour POST, PUT, PATCH, DELETE (la page qui
    porte le formulaire reste lisible)."""

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if (only_writes and request.method in SAFE_METHODS) or has_recent_auth(request):
                return view_func(request, *args, **kwargs)
            url = reauth_url(request)
            if getattr(request, "htmx", False):
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)

        wrapped.recent_auth_required = True
        return wrapped

    return decorator(view) if view is not None else decorator
