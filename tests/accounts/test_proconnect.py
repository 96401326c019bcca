"""ProConnect de bout en bout, contre un vrai fournisseur OpenID Connect (django-oauth-toolkit) lancé dans un
sous-processus (tests/accounts/oidc_idp) : code d'autorisation, échange du code, signature du jeton d'identité
(RS256, clés publiées par le fournisseur), userinfo, state et nonce. Rien de notre code n'est simulé."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from jwcrypto import jwk

from accounts.models import Membership, User, UserSession
from accounts.proconnect import LOGIN_METHOD, MFA_ASSERTED_BY_IDP
from tests.accounts.factories import UserFactory

CLIENT_ID = "mniop-tests"
CLIENT_SECRET = "secret-du-mniop-pour-les-tests-0123456789"
CALLBACK = "http://testserver/proconnect/retour/"
LOGOUT_CALLBACK = "http://testserver/proconnect/deconnexion/"
IDP_PASSWORD = "mot-de-passe-chez-le-fournisseur"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory):
    """Le fournisseur d'identité, servi sur 127.0.0.1 par un sous-processus pendant tout le module."""
    port = free_port()
    key = jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()
    environment = {
        **os.environ,
        "OIDC_IDP_DATABASE": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "OIDC_IDP_PRIVATE_KEY": key,
        "PYTHONPATH": str(Path(django_settings.BASE_DIR)),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.accounts.oidc_idp.serve",
            str(port),
            CLIENT_ID,
            CLIENT_SECRET,
            CALLBACK,
            LOGOUT_CALLBACK,
        ],
        cwd=django_settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "prêt", "le fournisseur d'identité n'a pas démarré"
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def proconnect(identity_provider, settings):
    settings.PROCONNECT_DISCOVERY_URL = f"{identity_provider}/o/.well-known/openid-configuration"
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email given_name"
    return identity_provider


def idp_account(base, email, **claims):
    """Un compte chez le fournisseur, avec ses revendications (email_verified, acr, amr…)."""
    username = f"agent-{uuid.uuid4().hex[:8]}"
    response = requests.post(
        f"{base}/comptes/",
        json={"username": username, "email": email, "password": IDP_PASSWORD, "claims": claims},
        timeout=5,
    )
    assert response.status_code == 201
    return username


def idp_browser(base, username):
    """Le navigateur de l'agent, connecté chez le fournisseur d'identité (formulaire et jeton CSRF réels)."""
    browser = requests.Session()
    browser.get(f"{base}/connexion/", timeout=5)
    response = browser.post(
        f"{base}/connexion/",
        data={"username": username, "password": IDP_PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=5,
    )
    assert response.status_code == 302, response.text
    return browser


def sign_in(client, base, username, browser=None):
    """Le parcours complet : MNIOP → fournisseur (autorisation) → MNIOP (retour avec le code). `browser` : le
    navigateur de l'agent chez le fournisseur (un neuf, connecté, par défaut)."""
    start = client.get(reverse("accounts:proconnect_login"))
    assert start.status_code == 302
    authorize = urlparse(start.url)
    query = parse_qs(authorize.query)
    assert start.url.startswith(f"{base}/o/authorize/")
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["state"] and query["nonce"]
    back = (browser or idp_browser(base, username)).get(start.url, allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    assert back.headers["Location"].startswith(CALLBACK)
    assert parse_qs(urlparse(back.headers["Location"]).query)["state"] == query["state"]
    return client.get(back.headers["Location"].removeprefix("http://testserver"))


def issuer(base):
    return requests.get(f"{base}/o/.well-known/openid-configuration", timeout=5).json()["issuer"]


def test_the_login_page_offers_proconnect_only_when_configured(db, client, settings):
    assert "ProConnect" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("accounts:proconnect_login")).status_code == 404
    settings.PROCONNECT_DISCOVERY_URL = "https://fournisseur.example.org/.well-known/openid-configuration"
    settings.PROCONNECT_CLIENT_ID, settings.PROCONNECT_CLIENT_SECRET = "id", "secret"
    assert "S’identifier avec" in client.get(reverse("accounts:login")).content.decode()


def test_a_verified_email_opens_the_existing_account(world, client, proconnect):
    user = world.user("association_agent")
    memberships_before = list(Membership.objects.values_list("pk", "user_id", "organisation_id", "role"))
    users_before = User.objects.count()
    username = idp_account(proconnect, user.email.upper(), email_verified=True)
    response = sign_in(client, proconnect, username)
    # Ni compte ni adhésion ni rôle ne viennent de ProConnect : ceux de la plateforme restent tels quels.
    assert User.objects.count() == users_before
    assert list(Membership.objects.values_list("pk", "user_id", "organisation_id", "role")) == memberships_before
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[LOGIN_METHOD] == "proconnect"
    assert MFA_ASSERTED_BY_IDP not in client.session  # le second facteur du MNIOP reste exigé
    assert UserSession.objects.filter(user=user).count() == 1
    # Sans second facteur attesté par ProConnect, celui du MNIOP est demandé avant toute page.
    assert client.get(reverse("accounts:account_detail")).url.startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.parametrize("claims", [{"acr": "eidas2"}, {"amr": ["pwd", "mfa"]}], ids=["acr eidas2", "amr mfa"])
def test_a_second_factor_asserted_by_the_provider_is_recorded(world, client, proconnect, claims):
    user = world.user("miprof_agent")
    username = idp_account(proconnect, user.email, email_verified=True, **claims)
    assert sign_in(client, proconnect, username).status_code == 302
    assert client.session[MFA_ASSERTED_BY_IDP] is True
    assert client.get(reverse("accounts:account_detail")).status_code == 200  # pas de second facteur du MNIOP


def test_an_unknown_email_gets_a_french_page_and_no_account(world, client, proconnect):
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    username = idp_account(proconnect, "agent.inconnu@interieur.gouv.fr", email_verified=True)
    response = sign_in(client, proconnect, username)
    assert response.status_code == 403
    content = response.content.decode()
    assert "Aucun compte du MNIOP" in content and "Demandez une invitation" in content
    assert "_auth_user_id" not in client.session
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)


def test_an_unverified_email_does_not_open_the_account(world, client, proconnect):
    user = world.user("association_agent")
    username = idp_account(proconnect, user.email, email_verified=False)
    response = sign_in(client, proconnect, username)
    assert response.status_code == 403
    assert "ne garantit pas que l'adresse" in response.content.decode().replace("&#x27;", "'")
    assert "_auth_user_id" not in client.session


def test_an_absent_email_verified_is_refused_from_an_issuer_other_than_proconnect(world, client, proconnect):
    """Le fournisseur des tests n'est pas un émetteur de ProConnect : sans `email_verified`, refus."""
    user = world.user("association_agent")
    username = idp_account(proconnect, user.email)
    response = sign_in(client, proconnect, username)
    assert response.status_code == 403
    assert "ne garantit pas que l'adresse" in response.content.decode().replace("&#x27;", "'")
    assert "_auth_user_id" not in client.session


def test_an_absent_email_verified_is_accepted_from_the_proconnect_issuer(world, client, proconnect, settings):
    """ProConnect ne transmet pas `email_verified` (adresses tenues par l'annuaire de l'administration de l'agent) :
    son absence vaut vérification pour les seuls émetteurs de PROCONNECT_EMAIL_VERIFIED_ISSUERS."""
    settings.PROCONNECT_EMAIL_VERIFIED_ISSUERS = [issuer(proconnect)]
    user = world.user("association_agent")
    username = idp_account(proconnect, user.email)
    assert sign_in(client, proconnect, username).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_explicitly_unverified_email_is_refused_even_from_the_proconnect_issuer(
    world, client, proconnect, settings
):
    settings.PROCONNECT_EMAIL_VERIFIED_ISSUERS = [issuer(proconnect)]
    user = world.user("association_agent")
    username = idp_account(proconnect, user.email, email_verified=False)
    assert sign_in(client, proconnect, username).status_code == 403
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session_at_the_provider_too(world, client, proconnect):
    """RP-Initiated Logout : la déconnexion du MNIOP passe par le point de fin de session du fournisseur, avec
    `id_token_hint`, `state` et `post_logout_redirect_uri` ; la session chez le fournisseur est close ; le retour
    vérifie `state`."""
    user = world.user("miprof_agent")
    username = idp_account(proconnect, user.email, email_verified=True, acr="eidas2")
    browser = idp_browser(proconnect, username)
    assert sign_in(client, proconnect, username, browser).status_code == 302
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    end_session = urlparse(response.url)
    query = parse_qs(end_session.query)
    assert response.url.startswith(f"{proconnect}/o/logout/")
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [LOGOUT_CALLBACK]
    assert len(query["state"][0]) >= 32
    assert "_auth_user_id" not in client.session  # la session du MNIOP est close d'abord

    back = browser.get(response.url, allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    assert back.headers["Location"].startswith(LOGOUT_CALLBACK)
    assert parse_qs(urlparse(back.headers["Location"]).query)["state"] == query["state"]
    # Chez le fournisseur, la session est close : une nouvelle autorisation redemande l'identifiant.
    again = browser.get(client.get(reverse("accounts:proconnect_login")).url, allow_redirects=False, timeout=5)
    assert again.status_code == 302 and "/connexion/" in again.headers["Location"]

    landing = client.get(back.headers["Location"].removeprefix("http://testserver"), follow=True)
    assert "Vous êtes déconnecté·e du MNIOP et de ProConnect." in landing.content.decode()


def test_closing_the_current_session_from_my_account_also_ends_it_at_the_provider(world, client, proconnect):
    user = world.user("miprof_agent")
    username = idp_account(proconnect, user.email, email_verified=True, acr="eidas2")
    assert sign_in(client, proconnect, username).status_code == 302
    current = UserSession.objects.get(user=user)
    response = client.post(reverse("accounts:session_end", args=[current.public_id]))
    assert response.status_code == 302
    assert response.url.startswith(f"{proconnect}/o/logout/?")
    assert "_auth_user_id" not in client.session
    assert not UserSession.objects.filter(pk=current.pk).exists()


def test_a_logout_return_with_another_state_is_not_confirmed(world, client, proconnect):
    user = world.user("miprof_agent")
    username = idp_account(proconnect, user.email, email_verified=True, acr="eidas2")
    browser = idp_browser(proconnect, username)
    assert sign_in(client, proconnect, username, browser).status_code == 302
    client.post(reverse("accounts:logout"))
    landing = client.get(reverse("accounts:proconnect_logout_callback"), {"state": "falsifie"}, follow=True)
    content = landing.content.decode().replace("&#x27;", "'")
    assert "la fin de votre session ProConnect n'a pas pu être confirmée" in content
    assert "_auth_user_id" not in client.session


def test_a_password_session_logs_out_locally_only(world, client_as, proconnect):
    client = client_as("miprof_agent")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not response.url.startswith(proconnect)
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_stays_closed(world, client, proconnect):
    user = UserFactory(is_active=False)
    username = idp_account(proconnect, user.email, email_verified=True)
    assert sign_in(client, proconnect, username).status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_callback_with_a_forged_state_is_refused(world, client, proconnect):
    user = world.user("association_agent")
    username = idp_account(proconnect, user.email, email_verified=True)
    start = client.get(reverse("accounts:proconnect_login"))
    back = idp_browser(proconnect, username).get(start.url, allow_redirects=False, timeout=5)
    code = parse_qs(urlparse(back.headers["Location"]).query)["code"][0]
    response = client.get(reverse("accounts:proconnect_callback"), {"code": code, "state": "falsifie"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_code_cannot_be_replayed(world, client, proconnect):
    user = world.user("association_agent")
    username = idp_account(proconnect, user.email, email_verified=True)
    start = client.get(reverse("accounts:proconnect_login"))
    callback = idp_browser(proconnect, username).get(start.url, allow_redirects=False, timeout=5).headers["Location"]
    path = callback.removeprefix("http://testserver")
    assert client.get(path).status_code == 302
    client.logout()
    assert client.get(path).status_code == 403  # state consommé, code déjà échangé


def test_a_token_signed_by_another_key_is_refused(world, client, proconnect, monkeypatch):
    """Le jeton d'identité est vérifié avec les clés publiées par le fournisseur : d'autres clés, refus."""
    from accounts import proconnect as module

    configuration = module.provider_configuration()
    stranger = jwk.JWK.generate(kty="RSA", size=2048, kid="etrangere")
    keys = {"keys": [stranger.export_public(as_dict=True)]}
    cache.set(module.DISCOVERY_CACHE_KEY, {**configuration, "jwks_uri": f"{proconnect}/cles-inconnues/"}, 3600)
    original_get = requests.get

    def fake_jwks(url, *args, **kwargs):
        if url.endswith("/cles-inconnues/"):
            response = requests.Response()
            response.status_code, response._content = 200, json.dumps(keys).encode()
            return response
        return original_get(url, *args, **kwargs)

    monkeypatch.setattr(requests, "get", fake_jwks)
    user = world.user("association_agent")
    username = idp_account(proconnect, user.email, email_verified=True)
    assert sign_in(client, proconnect, username).status_code == 403
    assert "_auth_user_id" not in client.session
