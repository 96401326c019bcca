"""Durée des sessions et sessions ouvertes (docs/securite.md, « Sessions »).

Une session prend fin après `SESSION_IDLE_TIMEOUT` secondes sans activité (30 minutes ; la page prévient
`SESSION_WARNING_BEFORE` secondes avant, avec « Rester connecté ») et, quoi qu'il arrive, `SESSION_ABSOLUTE_TIMEOUT`
secondes après la connexion (12 heures). Chaque session d'une personne a sa ligne `UserSession`, que « Mon compte »
liste ; sans sa ligne (fin demandée depuis un autre navigateur, changement de mot de passe ou de second facteur), la
session prend fin à la requête suivante."""

import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.db.models import Case, F, Value, When
from django.utils import timezone

from accounts.models import UserSession
from mniop.client_ip import client_ip

#: Les clés de la session Django.
SESSION_ID = "mniop_session_id"
AUTHENTICATED_AT = "mniop_authenticated_at"
LAST_ACTIVITY_AT = "mniop_last_activity_at"
#: Posée sur la session neuve après une fin de session : la page de connexion en dit la raison.
ENDED_BECAUSE = "mniop_session_ended_because"
ENDED_MESSAGES = {
    "idle": "Votre session a pris fin après {idle} minutes sans activité. Reconnectez-vous pour continuer.",
    "absolute": "Votre session a pris fin après {absolute} heures. Reconnectez-vous pour continuer.",
    "ended": "Cette session a été fermée depuis « Mon compte » ou après un changement de vos identifiants.",
}


def ended_message(reason):
    """La phrase de la page de connexion après une fin de session, avec les durées réglées."""
    message = ENDED_MESSAGES.get(reason)
    if message is None:
        return None
    return message.format(
        idle=max(1, settings.SESSION_IDLE_TIMEOUT // 60), absolute=max(1, settings.SESSION_ABSOLUTE_TIMEOUT // 3600)
    )


#: La ligne `UserSession` n'est réécrite qu'une fois par minute au plus.
ACTIVITY_PRECISION = timedelta(minutes=1)


def _stamp(moment):
    return moment.timestamp()


def _moment(stamp):
    return datetime.fromtimestamp(stamp, tz=UTC)


def client_address(request):
    return client_ip(request) or None


def register(request, now, user=None):
    """Crée la ligne de la session qui vient de se connecter et note l'heure de connexion."""
    user_session = UserSession.objects.create(
        user=user or request.user,
        session_key=request.session.session_key or "",
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        ip_address=client_address(request),
        created_at=now,
        last_activity_at=now,
    )
    request.session[SESSION_ID] = str(user_session.public_id)
    request.session[AUTHENTICATED_AT] = _stamp(now)
    request.session[LAST_ACTIVITY_AT] = _stamp(now)
    return user_session


def on_user_logged_in(sender, request=None, user=None, **kwargs):
    """Récepteur du signal `user_logged_in` (toute connexion : mot de passe, ProConnect, tests) : la session est
    enregistrée dès la connexion, pas à sa première page."""
    if request is not None and hasattr(request, "session"):
        register(request, timezone.now(), user=user)


def end_reason(request, now):
    """Pourquoi la session de cette requête doit prendre fin (une clé de ENDED_MESSAGES), ou None."""
    session = request.session
    if now - _moment(session[AUTHENTICATED_AT]) > timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT):
        return "absolute"
    if now - _moment(session.get(LAST_ACTIVITY_AT, 0)) > timedelta(seconds=settings.SESSION_IDLE_TIMEOUT):
        return "idle"
    return None


def touch(request, now, *, force=False):
    """Note l'activité de la requête ; la ligne n'est réécrite qu'une fois par minute (ou si `force`). Renvoie faux si
    la ligne n'existe plus (session fermée ailleurs)."""
    last = _moment(request.session.get(LAST_ACTIVITY_AT, 0))
    if not force and now - last < ACTIVITY_PRECISION:
        return True
    updated = UserSession.objects.filter(public_id=request.session[SESSION_ID], user=request.user).update(
        last_activity_at=now,
        session_key=request.session.session_key or "",
        ip_address=client_address(request),
        # Le navigateur n'est noté qu'une fois (une connexion sans en-tête, comme celle des tests, le laisse vide).
        user_agent=Case(
            When(user_agent="", then=Value(request.META.get("HTTP_USER_AGENT", "")[:300])), default=F("user_agent")
        ),
    )
    request.session[LAST_ACTIVITY_AT] = _stamp(now)
    return bool(updated)


def end(request, reason):
    """Déconnecte et laisse sur la session neuve la raison, que la page de connexion affiche."""
    UserSession.objects.filter(public_id=request.session.get(SESSION_ID) or uuid.UUID(int=0)).delete()
    logout(request)
    request.session[ENDED_BECAUSE] = reason


def track(request, *, force_touch=False):
    """Le cœur du middleware : vrai si la requête peut continuer connectée, faux si la session vient de finir."""
    now = timezone.now()
    if SESSION_ID not in request.session:  # une session ouverte avant la mise en service de cette règle
        register(request, now)
        return True
    reason = end_reason(request, now)
    if reason is None and not touch(request, now, force=force_touch):
        reason = "ended"
    if reason is not None:
        end(request, reason)
        return False
    return True


_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Windows", "Windows"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_user_agent(user_agent):
    """« Firefox sur Windows » : assez pour reconnaître son navigateur dans la liste, sans plus."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} sur {system}"
    return browser or system or "Navigateur non reconnu"
