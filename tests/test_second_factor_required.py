"""La matrice d'accès du second facteur : chaque motif d'URL de la plateforme (pages et API), essayé par une session
connectée par mot de passe seulement, n'exécute jamais la vue. Une page renvoie vers l'enrôlement (ou la
vérification si la personne a déjà un second facteur) ; l'API répond 403 en problem+json ; seules les pages de
`ALLOWED_WITHOUT_SECOND_FACTOR` s'ouvrent."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog, ApiToken
from accounts.two_factor import ALLOWED_WITHOUT_SECOND_FACTOR, second_factor_url
from mniop.roles import Role
from referents.enums import OrganisationKind
from tests.accounts.factories import MembershipFactory
from tests.problems import problem
from tests.referents.factories import OrganisationFactory
from tests.test_login_required import ALL, API_PREFIX, sample_path
from tests.two_factor import MODEL_BACKEND, totp_device

PAGES = [(route, name, pattern) for route, name, pattern in ALL if not route.startswith(API_PREFIX)]
#: La documentation de l'API (schéma OpenAPI, page Swagger) ne porte aucune donnée : publique.
API_DOCUMENTATION = {"api_schema", "api_docs"}
API = [
    (route, name, pattern)
    for route, name, pattern in ALL
    if route.startswith(API_PREFIX) and name not in API_DOCUMENTATION
]
GUARDED_PAGES = [item for item in PAGES if item[1] not in ALLOWED_WITHOUT_SECOND_FACTOR]


@pytest.fixture
def miprof_admin(db):
    """Le rôle qui voit le plus : l'administration de la Miprof, adhésion active."""
    miprof = OrganisationFactory(name="Miprof", kind=OrganisationKind.MIPROF, is_national=True)
    return MembershipFactory(organisation=miprof, role=Role.MIPROF_ADMIN).user


def password_only(user):
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_the_pages_open_without_second_factor_all_exist():
    names = {name for _, name, _ in PAGES}
    assert ALLOWED_WITHOUT_SECOND_FACTOR <= names


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("route", "name", "pattern"), GUARDED_PAGES, ids=[f"{n} {r}" for r, n, _ in GUARDED_PAGES])
def test_a_page_sends_a_session_without_second_factor_to_the_enrolment(miprof_admin, route, name, pattern, method):
    path = sample_path(route, pattern)
    response = getattr(password_only(miprof_admin), method)(path)
    assert response.status_code == 302, path
    assert response.url.startswith(f"{reverse('accounts:two_factor_setup')}?next="), (path, response.url)
    assert not AccessLog.objects.exists()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("route", "name", "pattern"), GUARDED_PAGES[:20], ids=[n for _, n, _ in GUARDED_PAGES[:20]])
def test_a_page_sends_an_enrolled_person_to_the_verification(miprof_admin, route, name, pattern):
    totp_device(miprof_admin)
    response = password_only(miprof_admin).get(sample_path(route, pattern))
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('accounts:two_factor_verify')}?next=")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("route", "name", "pattern"), API, ids=[f"{n} {r}" for r, n, _ in API])
def test_the_api_refuses_a_session_without_second_factor(miprof_admin, route, name, pattern, method):
    path = sample_path(route, pattern)
    client = password_only(miprof_admin)
    response = getattr(client, method)(path, content_type="application/json") if method == "post" else client.get(path)
    assert problem(response, 403)["detail"].startswith("Second facteur requis"), path
    assert not AccessLog.objects.exists()


ALLOWED_PAGES = sorted(
    name for name in ALLOWED_WITHOUT_SECOND_FACTOR if not name.startswith("otp_webauthn:") and "<" not in name
)


@pytest.mark.parametrize("name", sorted(set(ALLOWED_PAGES) - {"accounts:password_reset_confirm"}))
def test_the_allowed_pages_are_not_held_back_by_the_middleware(miprof_admin, name):
    path = reverse(name)
    response = password_only(miprof_admin).get(path)
    assert response.status_code != 302 or response.url != second_factor_url(miprof_admin, path), name
