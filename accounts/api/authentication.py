"""Authentification des systèmes partenaires : `Authorization: Token <secret>`."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import ApiToken
from accounts.services_api_tokens import address_allowed, hash_secret, record_api_token_use
from accounts.two_factor import is_session_verified
from mniop.client_ip import client_ip

KEYWORD = "Token"
#: `last_used_at` n'est écrit qu'une fois par minute au plus, pour ne pas écrire à chaque requête.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """Retrouve le jeton par l'empreinte SHA-256 du secret et agit par son adhésion technique, exactement comme
    `accounts.middleware.CurrentMembershipMiddleware` pose l'adhésion courante d'une personne."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("En-tête Authorization mal formé : attendu « Token <secret> ».")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Jeton d'API invalide.") from None
        token = (
            ApiToken.objects.select_related("organisation", "membership__user", "membership__organisation")
            .filter(key_hash=hash_secret(secret))
            .first()
        )
        if token is None:
            raise AuthenticationFailed("Jeton d'API invalide.")
        if token.revoked_at is not None:
            raise AuthenticationFailed("Ce jeton d'API a été révoqué.")
        if token.is_expired:
            expired_on = timezone.localtime(token.expires_at).strftime("%d/%m/%Y")
            raise AuthenticationFailed(
                f"Ce jeton d'API a expiré le {expired_on} : demandez-en un nouveau à l'administration de "
                "votre organisation."
            )
        if token.is_pending:
            raise AuthenticationFailed(
                "Ce jeton d'API attend l'approbation d'un second administrateur de la Miprof : il n'est pas encore "
                "actif."
            )
        membership = token.membership
        user = membership.user
        if not (membership.is_active and membership.organisation.is_active and user.is_active):
            raise AuthenticationFailed("Ce jeton d'API n'est plus actif.")
        address = client_ip(request)
        if not address_allowed(token, address):
            raise PermissionDenied(
                "Ce jeton d'API n'est pas utilisable depuis cette adresse : elle ne figure pas parmi les adresses "
                "sources autorisées du jeton."
            )
        user.membership = membership
        request._request.membership = membership
        record_api_token_use(token=token, address=address, precision=LAST_USED_PRECISION)
        return user, token

    def authenticate_header(self, request):
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Décrit l'authentification par jeton dans le schéma OpenAPI."""

    target_class = ApiTokenAuthentication
    name = "jetonApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Jeton d'API de l'organisation, créé par son administrateur (page « Jetons d'API ») : "
            "en-tête `Authorization: Token <secret>`.",
        }


class CsrfSessionAuthentication(SessionAuthentication):
    """La session des pages, pour l'API appelée depuis le navigateur : une écriture exige le jeton CSRF (en-tête
    `X-CSRFToken`), refus en français ; une session sans second facteur vérifié est refusée (403)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not is_session_verified(request._request):
            raise PermissionDenied(
                "Second facteur requis : validez votre connexion avec votre application d'authentification "
                "avant d'utiliser l'API depuis votre session."
            )
        return result

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except PermissionDenied:
            raise PermissionDenied(
                "Jeton CSRF absent ou invalide : une écriture par session exige l'en-tête X-CSRFToken."
            ) from None


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = CsrfSessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "Session d'une personne connectée aux pages du MNIOP ; les écritures exigent aussi "
            "l'en-tête `X-CSRFToken`.",
        }


#: La ressource de chaque espace de noms d'URL de l'API, pour les portées des jetons.
SCOPE_RESOURCES = {"signalements_api": "signalements", "orientation_api": "orientation", "directory_api": "directory"}


class ApiTokenScopePermission(BasePermission):
    """Un jeton n'agit que dans ses portées : la ressource (espace de noms de l'URL) en lecture (GET, HEAD,
    OPTIONS) ou en écriture (le reste). Une session de personne n'est pas concernée."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        resource = SCOPE_RESOURCES.get(namespace)
        mode = "read" if request.method in SAFE_METHODS else "write"
        if resource is None or f"{resource}:{mode}" not in token.scopes:
            label = "lecture" if mode == "read" else "écriture"
            raise PermissionDenied(
                f"Ce jeton d'API n'a pas la portée « {resource or namespace} : {label} » : demandez à "
                "l'administration de votre organisation un jeton qui l'inclut."
            )
        return True
