"""Sûr par défaut : `LoginRequiredMiddleware` exige la connexion pour toute URL, sauf la liste explicite des pages
publiques ci-dessous (déclarées par `login_not_required`). Chaque motif d'URL de la plateforme est essayé sans être
connecté : une page non publique renvoie vers la page de connexion, sans rien exécuter de la vue."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

#: Les pages publiques, par nom d'URL. Toute autre page exige la connexion.
PUBLIC = {
    "home",
    "accessibility",
    "legal_notices",
    "privacy",
    "health",
    "metrics",  # jeton ou réseau interne, 404 sinon (tests/observability/test_metrics.py)
    "accounts:login",
    "accounts:proconnect_login",  # 404 tant que ProConnect n'est pas configuré
    "accounts:proconnect_callback",
    "accounts:proconnect_logout_callback",  # le retour du fournisseur, la session locale déjà close
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation_accept",
    "directory:directory_home",
    "directory:region_detail",
    "directory:territory_public",
    "orientation:attestation_verify_form",  # vérification publique d'une attestation : état et date seulement
    "orientation:attestation_verify",
    "admin:login",
}
#: L'API authentifie elle-même (DRF : jeton d'organisation ou session ; 401/403 en JSON, jamais une redirection).
API_PREFIX = "api/"


def url_patterns(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name or ''}", pattern


def sample_path(route, pattern):
    """Un chemin qui correspond au motif : un UUID, un entier ou « x » à la place de chaque paramètre."""
    if isinstance(pattern.pattern, RoutePattern) or "<" in route:

        def sample(match):
            converter = pattern.pattern.converters.get(match.group(2))
            if isinstance(converter, UUIDConverter):
                return str(uuid.uuid4())
            if isinstance(converter, IntConverter):
                return "1"
            return "x"

        route = re.sub(r"<(?:(\w+):)?(\w+)>", sample, route)
    # Motifs en expression régulière (administration) : première alternative d'un groupe, « x » sinon.
    route = re.sub(
        r"\(\?P<\w+>([^)]*)\)", lambda m: m.group(1).split("|")[0] if "\\" not in m.group(1) else "x", route
    )
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace(".*", "x")
    return "/" + route


ALL = list(url_patterns())
PROTECTED = [(route, name, pattern) for route, name, pattern in ALL if name not in PUBLIC]
PROTECTED = [item for item in PROTECTED if not item[0].startswith(API_PREFIX)]


def test_the_public_pages_are_exactly_the_declared_list():
    declared = {name for _, name, pattern in ALL if not getattr(pattern.callback, "login_required", True)}
    api = {name for route, name, _ in ALL if route.startswith(API_PREFIX)}
    assert declared - api == PUBLIC


def test_every_api_view_is_a_drf_view_with_its_own_authentication():
    api = [(name, pattern.callback) for route, name, pattern in ALL if route.startswith(API_PREFIX)]
    assert api
    assert [name for name, callback in api if not hasattr(callback, "cls")] == []


@pytest.mark.parametrize(("route", "name", "pattern"), PROTECTED, ids=[f"{n} {r}" for r, n, _ in PROTECTED])
def test_a_non_public_page_sends_an_anonymous_visitor_to_the_login_page(db, client, route, name, pattern):
    assert isinstance(pattern, URLPattern)
    path = sample_path(route, pattern)
    response = client.get(path)
    # L'accueil de l'administration de Django renvoie vers sa propre page de connexion.
    logins = [reverse("accounts:login"), *([reverse("admin:login")] if route.startswith("admin/") else [])]
    assert response.status_code == 302, path
    assert any(response.url.startswith(f"{login}?next=") for login in logins), path


@pytest.mark.parametrize("name", sorted(PUBLIC - {"accounts:password_reset_confirm", "accounts:invitation_accept"}))
def test_a_public_page_opens_without_login(db, client, name):
    kwargs = {"code": "75"} if name in {"directory:region_detail", "directory:territory_public"} else {}
    if name == "orientation:attestation_verify":
        kwargs = {"code": "ABCD-EFGH-JKMN-PQRS"}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code != 302 or not response.url.startswith(reverse("accounts:login"))
