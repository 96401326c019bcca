from django.utils import timezone

from accounts import sessions
from accounts.membership import resolve_current_membership
from accounts.time_zones import membership_time_zone


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
