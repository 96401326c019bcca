"""ProConnect, la fédération d'identité des agents de l'État (OpenID Connect), par mozilla-django-oidc.

Active seulement si PROCONNECT_DISCOVERY_URL, PROCONNECT_CLIENT_ID et PROCONNECT_CLIENT_SECRET sont définies. Les
adresses du fournisseur viennent de son document de découverte (gardé une heure dans le cache). ProConnect ne crée
jamais de compte ni d'adhésion : il ouvre le compte existant dont l'adresse est celle, VÉRIFIÉE, que le fournisseur
affirme (`email_verified` à vrai ; absente, seulement chez les émetteurs de PROCONNECT_EMAIL_VERIFIED_ISSUERS) ;
sinon, une page dit pourquoi. Le second facteur du MNIOP reste exigé, sauf si le
fournisseur affirme en avoir vérifié un (`acr` parmi PROCONNECT_MFA_ACR_VALUES, ou `amr` contenant « mfa »).

La déconnexion d'une session ouverte par ProConnect la ferme aussi chez le fournisseur (OpenID Connect RP-Initiated
Logout) : le navigateur passe par son point de fin de session avec `id_token_hint`, `state` et
`post_logout_redirect_uri`, puis revient sur `accounts:proconnect_logout_callback`, qui vérifie `state`."""

import logging
import secrets
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

#: La clé de session que lit l'exigence du second facteur (accounts, moteur du second facteur) : le fournisseur
#: d'identité a vérifié un second facteur.
MFA_ASSERTED_BY_IDP = "mniop_mfa_asserted_by_idp"
#: Comment la session a été ouverte (« proconnect » ou absent : mot de passe).
LOGIN_METHOD = "mniop_login_method"
#: Le jeton d'identité reçu à la connexion (gardé par mozilla-django-oidc, OIDC_STORE_ID_TOKEN) : `id_token_hint`.
ID_TOKEN = "oidc_id_token"
#: Le `state` de la déconnexion chez le fournisseur, vérifié à son retour.
LOGOUT_STATE = "mniop_proconnect_logout_state"
DISCOVERY_CACHE_KEY = "proconnect-discovery"
FAILURES = {
    "unknown_account": "Aucun compte du MNIOP ne correspond à l'adresse électronique que ProConnect nous a transmise.",
    "unverified_email": "ProConnect ne garantit pas que l'adresse électronique transmise a été vérifiée.",
    "inactive_account": "Le compte du MNIOP qui correspond à cette adresse est désactivé.",
    "failed": "La connexion avec ProConnect n'a pas abouti.",
    "unreachable": "ProConnect ne répond pas pour le moment.",
}


def is_enabled():
    return bool(
        settings.PROCONNECT_DISCOVERY_URL and settings.PROCONNECT_CLIENT_ID and settings.PROCONNECT_CLIENT_SECRET
    )


def provider_configuration():
    """Le document de découverte du fournisseur (issuer, adresses des points d'accès), gardé une heure."""
    configuration = cache.get(DISCOVERY_CACHE_KEY)
    if configuration is None:
        response = requests.get(settings.PROCONNECT_DISCOVERY_URL, timeout=settings.PROCONNECT_TIMEOUT)
        response.raise_for_status()
        configuration = response.json()
        cache.set(DISCOVERY_CACHE_KEY, configuration, 3600)
    return configuration


def mfa_asserted(claims):
    """Vrai si le fournisseur affirme une authentification à plusieurs facteurs (`acr` ou `amr`)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return claims.get("acr") in settings.PROCONNECT_MFA_ACR_VALUES or "mfa" in amr


def email_verified(id_claims, user_info):
    """L'adresse transmise est-elle vérifiée ? `email_verified` à `false` (jeton d'identité ou userinfo) : non.
    À `true` : oui. Absente des deux : seulement si l'émetteur est l'un de PROCONNECT_EMAIL_VERIFIED_ISSUERS, ceux de
    ProConnect, qui ne transmet pas cette revendication mais l'adresse professionnelle tenue par l'annuaire de
    l'administration de l'agent (docs/securite.md, « ProConnect »)."""
    values = [claims["email_verified"] for claims in (id_claims, user_info) if "email_verified" in claims]
    if values:
        return all(value is True for value in values)
    return id_claims.get("iss") in settings.PROCONNECT_EMAIL_VERIFIED_ISSUERS


def _endpoints(target):
    configuration = provider_configuration()
    target.OIDC_OP_AUTH_ENDPOINT = configuration["authorization_endpoint"]
    target.OIDC_OP_TOKEN_ENDPOINT = configuration["token_endpoint"]
    target.OIDC_OP_USER_ENDPOINT = configuration["userinfo_endpoint"]
    target.OIDC_OP_JWKS_ENDPOINT = configuration["jwks_uri"]
    target.OIDC_RP_CLIENT_ID = settings.PROCONNECT_CLIENT_ID
    target.OIDC_RP_CLIENT_SECRET = settings.PROCONNECT_CLIENT_SECRET
    target.OIDC_RP_SIGN_ALGO = settings.PROCONNECT_SIGN_ALGO
    target.OIDC_RP_IDP_SIGN_KEY = None
    return configuration


class ProConnectBackend(OIDCAuthenticationBackend):
    """Relie l'identité ProConnect à un compte existant, par adresse vérifiée ; n'en crée jamais."""

    def __init__(self, *args, **kwargs):
        # Rien n'est lu du fournisseur avant une vraie connexion ProConnect (voir authenticate).
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not is_enabled():
            return None  # connexion par mot de passe : pas l'affaire de ce moteur
        self.configuration = _endpoints(self)
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        return self.UserModel.objects.filter(pk=user_id, is_active=True).first()

    def fail(self, reason):
        self.request.proconnect_failure = reason
        raise SuspiciousOperation(reason)

    def get_or_create_user(self, access_token, id_token, payload):
        """`payload` : le jeton d'identité, signature et nonce déjà vérifiés. On vérifie aussi l'émetteur, le
        destinataire et l'expiration, puis les revendications de userinfo (adresse vérifiée)."""
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if (
            payload.get("iss") != self.configuration["issuer"]
            or settings.PROCONNECT_CLIENT_ID not in audiences
            or payload.get("exp", 0) < time.time()
        ):
            self.fail("failed")
        user_info = self.get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload.get("sub"):
            self.fail("failed")
        if not user_info.get("email"):
            self.fail("failed")
        if not email_verified(payload, user_info):
            self.fail("unverified_email")
        users = list(self.UserModel.objects.filter(email__iexact=user_info["email"].strip()))
        if len(users) != 1:
            self.fail("unknown_account")
        if not users[0].is_active:
            self.fail("inactive_account")
        self.request.proconnect_mfa = mfa_asserted(payload) or mfa_asserted(user_info)
        return users[0]


class ProConnectLoginView(OIDCAuthenticationRequestView):
    """« S'identifier avec ProConnect » : renvoie vers le fournisseur avec state et nonce (gardés en session)."""

    def __init__(self, *args, **kwargs):
        pass

    def get(self, request):
        if not is_enabled():
            raise Http404
        try:
            _endpoints(self)
        except requests.RequestException:
            return failure_page(request, "unreachable", status=503)
        return super().get(request)

    def get_extra_params(self, request):
        return {"acr_values": settings.PROCONNECT_ACR_VALUES} if settings.PROCONNECT_ACR_VALUES else {}


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """Le retour de ProConnect : code → jetons → compte existant, ou une page qui dit pourquoi pas."""

    def get(self, request):
        if not is_enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation:
            return self.login_failure()
        except requests.RequestException:
            logger.warning("ProConnect injoignable pendant le retour de connexion")
            request.proconnect_failure = "unreachable"
            return self.login_failure()

    def login_success(self):
        response = super().login_success()
        self.request.session[LOGIN_METHOD] = "proconnect"
        if getattr(self.request, "proconnect_mfa", False):
            self.request.session[MFA_ASSERTED_BY_IDP] = True
        return response

    def login_failure(self):
        reason = getattr(self.request, "proconnect_failure", "failed")
        return failure_page(self.request, reason, status=503 if reason == "unreachable" else 403)


def failure_page(request, reason, status):
    return render(
        request,
        "accounts/proconnect_failure.html",
        {"reason": reason, "message": FAILURES.get(reason, FAILURES["failed"])},
        status=status,
    )


def end_session_endpoint():
    """Le point de fin de session du fournisseur : PROCONNECT_END_SESSION_URL, sinon son document de découverte."""
    if settings.PROCONNECT_END_SESSION_URL:
        return settings.PROCONNECT_END_SESSION_URL
    try:
        return provider_configuration().get("end_session_endpoint", "")
    except requests.RequestException:
        logger.warning("ProConnect injoignable : la session chez le fournisseur n'est pas fermée")
        return ""


def federated_logout(request):
    """Avant la déconnexion locale d'une session ouverte par ProConnect : `(state, adresse de fin de session chez le
    fournisseur)`, ou None (connexion par mot de passe, ProConnect désactivé, pas de point de fin de session)."""
    if request.session.get(LOGIN_METHOD) != "proconnect" or not is_enabled():
        return None
    id_token = request.session.get(ID_TOKEN)
    endpoint = end_session_endpoint() if id_token else ""
    if not endpoint:
        return None
    state = secrets.token_urlsafe(32)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:proconnect_logout_callback")),
        }
    )
    return state, f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def logout_callback(request):
    """Le retour du fournisseur après la fin de session : la session locale est déjà close ; `state` dit que c'est
    bien notre demande."""
    expected = request.session.pop(LOGOUT_STATE, "")
    if expected and constant_time_compare(expected, request.GET.get("state", "")):
        messages.success(request, "Vous êtes déconnecté·e du MNIOP et de ProConnect.")
    else:
        messages.warning(
            request,
            "Vous êtes déconnecté·e du MNIOP, mais la fin de votre session ProConnect n'a pas pu être confirmée : "
            "fermez votre navigateur si l'ordinateur est partagé.",
        )
    return redirect(settings.LOGOUT_REDIRECT_URL)
