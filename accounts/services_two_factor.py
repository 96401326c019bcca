"""Écritures du second facteur : enrôler une application d'authentification (TOTP), générer les codes de secours.

Les vérifications de code passent par `django_otp` (un code TOTP ne sert qu'une fois, les échecs répétés
espacent les essais) ; voir docs/securite.md, « Second facteur ».
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.permissions import can_reset_second_factor
from accounts.services import end_all_sessions
from notifications.services import enqueue_email

TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
INVALID_CODE_MESSAGE = (
    "Code incorrect ou expiré. Saisissez le code à 6 chiffres affiché maintenant par votre application "
    "(attendez le suivant si vous venez d'en utiliser un)."
)
THROTTLED_MESSAGE = "Trop d'essais incorrects : attendez quelques secondes avant de saisir un nouveau code."


def start_totp_enrolment(*, user):
    """L'application d'authentification à enrôler : la même tant qu'elle n'est pas confirmée (le QR code reste
    valable si la page est rechargée)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def check_code(device, code):
    """Vérifie un code sur un dispositif ; lève `ValidationError` (message en français) sinon."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(THROTTLED_MESSAGE, code="throttled")
    if not device.verify_token(code):
        raise ValidationError(INVALID_CODE_MESSAGE, code="invalid")


@transaction.atomic
def confirm_totp_device(*, device, code):
    """Confirme l'application d'authentification par un premier code juste ; retire tout autre TOTP de la personne
    et renvoie ses nouveaux codes de secours (à montrer une seule fois)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed:
        raise ValidationError("Cette application d'authentification est déjà enrôlée.", code="already_confirmed")
    check_code(device, code)
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, regenerate_recovery_codes(user=device.user)


@transaction.atomic
def regenerate_recovery_codes(*, user):
    """Remplace les codes de secours de la personne par de nouveaux ; les anciens ne servent plus. Renvoie les codes
    en clair (ils ne sont montrés qu'une fois)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MNIOP_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(*, user, code):
    """Le dispositif de la personne qui accepte ce code (application d'authentification d'abord, puis codes de
    secours) ; lève `ValidationError` sinon. Le code accepté ne resservira pas."""
    code = "".join(code.split()).lower()
    # Un code à 6 chiffres vient de l'application ; un code de secours a 8 caractères : un essai ne compte que pour
    # le dispositif qu'il vise (pas de ralentissement de l'application pour un code de secours juste).
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    devices = model.objects.devices_for_user(user, confirmed=True)
    throttled = False
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(code):
            return device
    if throttled:
        raise ValidationError(THROTTLED_MESSAGE, code="throttled")
    raise ValidationError(INVALID_CODE_MESSAGE, code="invalid")


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reauthenticate_user(*, user, password, code):
    """Mot de passe puis second facteur, pour un acte dangereux ; renvoie le dispositif qui a accepté le code. Un
    mauvais mot de passe ne dit pas si le code était juste (et ne consomme pas le code)."""
    if not user.check_password(password):
        raise ValidationError("Mot de passe ou code incorrect. Vérifiez votre saisie.", code="invalid")
    return verify_second_factor(user=user, code=code)


@transaction.atomic
def reset_second_factor(*, membership, by):
    """Téléphone perdu et plus de code de secours : l'administrateur retire tous les seconds facteurs du membre, met
    fin à ses sessions et le prévient par courriel (un lien seulement) ; le membre en enrôle un nouveau à sa
    connexion suivante (mot de passe puis QR code). Renvoie le nombre de dispositifs retirés."""
    if not can_reset_second_factor(by, membership):
        raise PermissionDenied("Vous ne pouvez pas réinitialiser le second facteur de ce membre.")
    user = membership.user
    devices = list(devices_for_user(user, confirmed=None))  # application, codes de secours, clés d'accès
    for device in devices:
        device.delete()
    end_all_sessions(user=user)
    enqueue_email(template="second_factor_reset", recipient=user.email, path=reverse("accounts:login"))
    return len(devices)
