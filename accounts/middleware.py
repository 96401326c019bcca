from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from rest_framework.views import APIView

from accounts import sessions
from accounts.membership import resolve_current_membership
from accounts.time_zones import membership_time_zone
from accounts.two_factor import ALLOWED_WITHOUT_SECOND_FACTOR, is_session_verified, second_factor_url


class CurrentMembershipMiddleware:
    """Pose `request.membership` et `request.user.membership` : l'organisation au nom de laquelle la personne agit.

    C'est l'adhésion que lisent tous les `visible_to(user)`. Elle est choisie par la personne (sélecteur
    d'organisation) et gardée en session ; une adhésion désactivée n'est jamais retenue.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        if request.user.is_authenticated:
            membership = resolve_current_membership(request.user, request.session.get("membership_id"))
            request.membership = membership
            request.user.membership = membership
            if membership is not None and request.session.get("membership_id") != membership.pk:
                request.session["membership_id"] = membership.pk
        return self.get_response(request)


class OrganisationTimeZoneMiddleware:
    """Active, pour toute la requête, le fuseau de l'organisation courante (`accounts.time_zones`) : chaque page et
    chaque PDF affichent l'heure locale de la personne, nommée en français par `mniop.time_zones`.

    Se place après `CurrentMembershipMiddleware`. Le fuseau est lu avec l'adhésion, sans requête de plus.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.time_zone = membership_time_zone(getattr(request, "membership", None))
        with timezone.override(request.time_zone):
            return self.get_response(request)


class SessionExpiryMiddleware:
    """Fin des sessions après 30 minutes sans activité, après 12 heures en tout cas, ou quand leur ligne a été
    supprimée (accounts.sessions). Se place juste après `AuthenticationMiddleware` : une session finie repart
    anonyme et `LoginRequiredMiddleware` renvoie vers la connexion."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            sessions.track(request)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Une session connectée sans second facteur vérifié (`accounts.two_factor.is_session_verified`) n'ouvre que les
    pages de `ALLOWED_WITHOUT_SECOND_FACTOR` ; toute autre page renvoie vers la vérification (ou l'enrôlement à la
    première connexion), la page demandée gardée dans `next`.

    Les vues de l'API (DRF) ne passent pas par ici : un jeton d'API n'est pas une session, et la session appelant
    l'API est refusée en 403 par `accounts.api.authentication.CsrfSessionAuthentication`. Se place après
    `OTPMiddleware` et `LoginRequiredMiddleware`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or is_session_verified(request):
            return None
        if is_api_view(view_func):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_WITHOUT_SECOND_FACTOR:
            return None
        url = second_factor_url(request.user, request.get_full_path())
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)


def is_api_view(view_func):
    view_class = getattr(view_func, "cls", None)
    return view_class is not None and issubclass(view_class, APIView)
