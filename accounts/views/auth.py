"""Connexion, déconnexion, mot de passe oublié, choix de l'organisation courante, page personnelle."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from accounts.forms import LoginForm, MembershipSwitchForm, MniopPasswordResetForm, MniopSetPasswordForm
from accounts.lockout import too_many_requests
from accounts.membership import active_memberships
from accounts.ratelimits import email_key, exceeded
from accounts.services import request_password_reset


class LoginView(auth_views.LoginView):
    """Connexion par adresse et mot de passe. Le compte est verrouillé par django-axes (accounts.lockout) ; l'adresse
    d'origine est freinée à part : au-delà de `LOGIN_FAILURES_PER_ADDRESS` échecs, tous comptes confondus, 429."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

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


class LogoutView(auth_views.LogoutView):
    pass


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


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def account_detail(request):
    return render(request, "accounts/account_detail.html", {"memberships": active_memberships(request.user)})


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
