"""Verrouillage des comptes après des échecs de connexion (django-axes) et réponses 429 en français.

Le compte est verrouillé quelle que soit l'adresse d'origine (`AXES_LOCKOUT_PARAMETERS = ["username"]`) pendant
`AXES_COOLOFF_MINUTES` ; la personne reçoit un avis par la boîte d'envoi (un lien, rien de personnel). Chaque adresse
est en plus freinée à part, par `accounts.ratelimits` (échecs tous comptes confondus)."""

import math
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

from accounts.services import notify_account_locked


def cool_off(request=None):
    """La durée du verrouillage d'un compte (`AXES_COOLOFF_TIME` pointe ici)."""
    return timedelta(minutes=settings.AXES_COOLOFF_MINUTES)


def username_from_credentials(request, credentials):
    """L'adresse saisie, en minuscules : « Agent@X » et « agent@x » comptent pour le même compte."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    return username.strip().lower() or None


def seconds_until_unlocked(username):
    """Le temps restant avant la fin du verrouillage du compte, en secondes (au moins 1)."""
    last_failure = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    if last_failure is None:
        return int(cool_off().total_seconds())
    remaining = (last_failure + cool_off() - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining))


def too_many_requests(request, *, retry_after, template="429.html", context=None):
    """Une page 429 en français avec l'en-tête `Retry-After` (en secondes)."""
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(request, template, {"retry_after_minutes": minutes, **(context or {})}, status=429)
    response["Retry-After"] = str(int(retry_after))
    return response


def lockout_response(request, original_response=None, credentials=None):
    """La page « compte temporairement verrouillé » (`AXES_LOCKOUT_CALLABLE`), 429 avec `Retry-After`."""
    username = username_from_credentials(request, credentials or getattr(request, "axes_credentials", None))
    retry_after = seconds_until_unlocked(username) if username else int(cool_off().total_seconds())
    return too_many_requests(request, retry_after=retry_after, template="accounts/lockout.html")


def notice_once(username):
    """Vrai une seule fois par période de verrouillage d'un compte : l'avis n'est envoyé qu'une fois."""
    return cache.add(f"lockout-notice:{username}", 1, timeout=int(cool_off().total_seconds()))


def on_user_locked_out(sender, request=None, username=None, **kwargs):
    """Récepteur du signal `axes.signals.user_locked_out` : l'avis à la personne, une fois par verrouillage."""
    if username and notice_once(username):
        notify_account_locked(username=username)
