"""Le second facteur : qui en a un, quelle session est vérifiée, quelles pages restent ouvertes sans lui.

Une session est vérifiée quand la personne a saisi un code de son application d'authentification (ou un code de
secours) depuis sa connexion (`django_otp`, `request.user.is_verified()`), ou quand le fournisseur d'identité
(ProConnect) atteste lui-même un second facteur : la connexion par ProConnect pose alors
`request.session[IDP_MFA_SESSION_KEY] = True` (valeurs `acr`/`amr` lues par `accounts` côté SSO).

Les jetons d'API des systèmes partenaires ne sont pas des sessions : ils n'y sont pas soumis.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

#: Clé de session posée à True par la connexion ProConnect quand le fournisseur atteste un second facteur (acr/amr).
IDP_MFA_SESSION_KEY = "mniop_mfa_asserted_by_idp"

#: Les seules pages qu'une session connectée sans second facteur vérifié peut ouvrir (noms d'URL) : l'enrôlement,
#: la vérification, la déconnexion, le mot de passe oublié et les pages publiques sans donnée de dossier.
#: Tout le reste (tableau de bord, dossiers, annuaire, jetons d'API, administration) renvoie vers le second facteur.
ALLOWED_WITHOUT_SECOND_FACTOR = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        # Vérification par clé d'accès (WebAuthn) ; l'ajout d'une clé exige une session déjà vérifiée.
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "accessibility",
        "legal_notices",
        "privacy",
        "health",
        "metrics",
    }
)


def is_session_verified(request):
    """Vrai si la personne connectée a prouvé son second facteur dans cette session (ici ou chez ProConnect)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if getattr(request, "session", {}).get(IDP_MFA_SESSION_KEY) is True:  # un rendu hors requête n'a pas de session
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def has_second_factor(user):
    """Vrai si la personne a un second facteur confirmé (application d'authentification ou clé d'accès)."""
    return user_has_device(user, confirmed=True)


def second_factor_summary(user):
    """Ce que « Mon compte » montre : l'application d'authentification, les clés d'accès, les codes de secours."""
    return {
        "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "passkeys": list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    }


def pending_totp_device(user):
    """L'application d'authentification en cours d'enrôlement (non confirmée), s'il y en a une."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()


def second_factor_url(user, next_path=""):
    """La page où aller pour vérifier la session : vérification si la personne a un second facteur, enrôlement
    sinon ; `next_path` est la page demandée."""
    name = "accounts:two_factor_verify" if has_second_factor(user) else "accounts:two_factor_setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url
