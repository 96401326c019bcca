"""Second facteur : enrôlement de l'application d'authentification à la première connexion (QR code, codes de
secours montrés une fois), vérification à chaque connexion. Voir docs/securite.md, « Second facteur »."""

import base64

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

from accounts import sessions
from accounts.forms import ReauthenticationForm, SecondFactorCodeForm, SecondFactorVerifyForm
from accounts.reauth import mark_recent_auth, recent_auth_required
from accounts.services import end_other_sessions
from accounts.services_two_factor import (
    confirm_totp_device,
    reauthenticate_user,
    regenerate_recovery_codes,
    remaining_recovery_codes,
    start_totp_enrolment,
    verify_second_factor,
)
from accounts.two_factor import has_second_factor, is_session_verified


def next_url(request, default="home"):
    """La page demandée avant le second facteur, si elle est sur ce site ; l'accueil sinon."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def end_my_other_sessions(request):
    """Un changement de second facteur ferme les autres sessions de la personne, pas celle-ci."""
    end_other_sessions(user=request.user, keep_session_id=request.session.get(sessions.SESSION_ID))


def qr_code_svg(data):
    """Le QR code en SVG intégré à la page (aucun service d'image extérieur, rien que la CSP stricte refuserait)."""
    return mark_safe(segno.make(data, error="m").svg_inline(scale=5, title="QR code à scanner", border=2))


def two_factor_setup(request):
    """Première connexion : scanner le QR code, saisir un premier code, recevoir ses codes de secours."""
    if has_second_factor(request.user):
        return redirect("accounts:two_factor_verify" if not is_session_verified(request) else "home")
    device = start_totp_enrolment(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = confirm_totp_device(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            django_otp.login(request, device)
            mark_recent_auth(request)
            end_my_other_sessions(request)
            return render(
                request,
                "accounts/two_factor_recovery_codes.html",
                {"codes": codes, "next": next_url(request), "first_enrolment": True},
            )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device.config_url),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


def two_factor_verify(request):
    """À chaque connexion : le code de l'application d'authentification, ou un code de secours."""
    if is_session_verified(request):
        return redirect(next_url(request))
    if not has_second_factor(request.user):
        return redirect("accounts:two_factor_setup")
    form = SecondFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = verify_second_factor(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            django_otp.login(request, device)
            mark_recent_auth(request)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    f"Vous vous êtes connecté avec un code de secours ; il vous en reste "
                    f"{remaining_recovery_codes(request.user)}. Si vous avez perdu votre téléphone, demandez à "
                    "l'administrateur de votre organisation de réinitialiser votre second facteur.",
                )
            return redirect(next_url(request))
    has_passkey = WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "has_passkey": has_passkey,
            "webauthn_config": get_configuration(request) if has_passkey else None,
        },
    )


@require_POST
@recent_auth_required
def two_factor_recovery_codes(request):
    """De nouveaux codes de secours (les anciens ne servent plus), montrés une seule fois ; les autres sessions de la
    personne prennent fin."""
    codes = regenerate_recovery_codes(user=request.user)
    end_my_other_sessions(request)
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": codes, "next": resolve_url("accounts:account_detail")},
    )


def reauthenticate(request):
    """« Confirmer votre identité » avant un acte dangereux : mot de passe et second facteur, valables quelques
    minutes (`accounts.reauth`)."""
    form = ReauthenticationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = reauthenticate_user(
                user=request.user, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            django_otp.login(request, device)
            mark_recent_auth(request)
            return redirect(next_url(request))
    return render(
        request,
        "accounts/reauthenticate.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "max_age_minutes": settings.MNIOP_REAUTH_MAX_AGE // 60,
        },
    )
