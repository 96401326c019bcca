"""Connexion, déconnexion, mot de passe oublié, choix de l'organisation courante, page personnelle."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

from accounts import proconnect, sessions
from accounts.forms import LoginForm, MembershipSwitchForm, MniopPasswordResetForm, MniopSetPasswordForm
from accounts.lockout import too_many_requests
from accounts.membership import active_memberships
from accounts.models import UserSession
from accounts.ratelimits import email_key, exceeded
from accounts.services import end_other_sessions, end_session, request_password_reset
from accounts.two_factor import second_factor_summary, second_factor_url


class LoginView(auth_views.LoginView):
    """Connexion par adresse et mot de passe. Le compte est verrouillé par django-axes (accounts.lockout) ; l'adresse
    d'origine est freinée à part : au-delà de `LOGIN_FAILURES_PER_ADDRESS` échecs, tous comptes confondus, 429."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        """Dit pourquoi la session précédente a pris fin (inactivité, 12 heures, fermée ailleurs), une fois."""
        reason = self.request.session.pop(sessions.ENDED_BECAUSE, None)
        return {
            **super().get_context_data(**kwargs),
            "session_ended": sessions.ended_message(reason),
            "proconnect_enabled": proconnect.is_enabled(),
        }

    def post(self, request, *args, **kwargs):
        retry_after = exceeded(
            request, group="login-failures", rate_name="LOGIN_FAILURES_PER_ADDRESS", increment=False
        )
        if retry_after:
            return too_many_requests(request, retry_after=retry_after)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        exceeded(self.request, group="login-failures", rate_name="LOGIN_FAILURES_PER_ADDRESS")
        return super().form_invalid(form)

    def get_success_url(self):
        """Après le mot de passe, toujours le second facteur (vérification, ou enrôlement à la première connexion),
        puis la page demandée."""
        return second_factor_url(self.request.user, super().get_success_url())


def log_out(request, local_logout):
    """La déconnexion : `local_logout()` ferme la session du MNIOP et donne la réponse ; une session ouverte par
    ProConnect est ensuite close chez le fournisseur aussi (`accounts.proconnect.federated_logout`)."""
    federated = proconnect.federated_logout(request)  # lu avant : la déconnexion locale vide la session
    response = local_logout()
    if federated is None:
        return response
    state, end_session_url = federated
    request.session[proconnect.LOGOUT_STATE] = state  # la session neuve, anonyme, d'après la déconnexion
    return HttpResponseRedirect(end_session_url)


class LogoutView(auth_views.LogoutView):
    """« Se déconnecter » (`log_out`)."""

    def post(self, request, *args, **kwargs):
        return log_out(request, lambda: super(LogoutView, self).post(request, *args, **kwargs))


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié » : la même réponse, dans le même temps, que l'adresse soit celle d'un compte ou non
    (la recherche et l'envoi se font après, dans un worker) ; limité par adresse IP et par adresse saisie."""

    form_class = MniopPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        for group, rate_name, key in [
            ("password-reset-address", "PASSWORD_RESET_PER_ADDRESS", "ip"),
            ("password-reset-email", "PASSWORD_RESET_PER_EMAIL", email_key("email")),
        ]:
            retry_after = exceeded(request, group=group, rate_name=rate_name, key=key)
            if retry_after:
                return too_many_requests(request, retry_after=retry_after)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        request_password_reset(email=form.cleaned_data["email"])
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = MniopSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        """Le nouveau mot de passe ferme toutes les sessions ouvertes (le changement les invalide déjà ; leurs lignes
        disparaissent aussi de « Mon compte »)."""
        response = super().form_valid(form)
        end_other_sessions(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def account_detail(request):
    current_id = request.session.get(sessions.SESSION_ID)
    user_sessions = [
        {
            "object": user_session,
            "device": sessions.describe_user_agent(user_session.user_agent),
            "is_current": str(user_session.public_id) == current_id,
        }
        for user_session in UserSession.objects.visible_to(request.user).active()
    ]
    user_sessions.sort(key=lambda entry: not entry["is_current"])  # la session en cours d'abord
    return render(
        request,
        "accounts/account_detail.html",
        {
            "memberships": active_memberships(request.user),
            "user_sessions": user_sessions,
            "second_factor": second_factor_summary(request.user),
            "webauthn_config": get_configuration(request),
        },
    )


@require_POST
def session_end(request, public_id):
    """Ferme une des sessions ouvertes de la personne (« Mon compte ») ; la sienne : c'est une déconnexion."""
    user_session = get_object_or_404(UserSession.objects.visible_to(request.user), public_id=public_id)
    if str(user_session.public_id) == request.session.get(sessions.SESSION_ID):

        def end_this_session():
            end_session(user_session=user_session, by=request.user)
            logout(request)
            return redirect("accounts:login")

        return log_out(request, end_this_session)
    end_session(user_session=user_session, by=request.user)
    messages.success(request, "La session a été fermée : ce navigateur devra se reconnecter.")
    return redirect("accounts:account_detail")


@require_POST
def session_keep_alive(request):
    """« Rester connecté » : la requête elle-même compte comme une activité (accounts.middleware). 204 pour le
    script du dialogue ; sans script, le formulaire revient à la page d'où il part."""
    sessions.touch(request, timezone.now(), force=True)
    if request.headers.get("X-Keep-Alive"):
        return HttpResponse(status=204)
    return redirect(_safe_next(request, request.POST.get("next")))


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


@require_POST
def membership_switch(request):
    form = MembershipSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    membership = active_memberships(request.user).filter(public_id=form.cleaned_data["membership"]).first()
    if membership is None:
        raise Http404
    request.session["membership_id"] = membership.pk
    messages.success(request, f"Vous agissez désormais au nom de : {membership.organisation.name}.")
    return redirect("home")
