"""Authentification des systèmes partenaires : `Authorization: Token <secret>`."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from accounts.models import ApiToken
from accounts.services_api_tokens import hash_secret
from accounts.two_factor import is_session_verified

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
        membership = token.membership
        user = membership.user
        if not (membership.is_active and membership.organisation.is_active and user.is_active):
            raise AuthenticationFailed("Ce jeton d'API n'est plus actif.")
        user.membership = membership
        request._request.membership = membership
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
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
