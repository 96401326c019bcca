from accounts.membership import resolve_current_membership


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
