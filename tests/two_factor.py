"""Se connecter dans les tests avec un second facteur vérifié, comme une vraie personne.

- `login_verified(client, user)` : le client de test connecté ET vérifié (dispositif TOTP confirmé, clé de session
  de django_otp posée). C'est ce qu'utilise `client_as(persona)` ; à utiliser au lieu de `client.force_login`.
- `totp_device(user)` : l'application d'authentification de test de la personne (créée au besoin, clé connue).
- `current_totp_code(user)` : un code que `django_otp` acceptera maintenant (jamais un code déjà utilisé).
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.reauth import RECENT_AUTH_SESSION_KEY

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
#: La clé (hexadécimale) de l'application d'authentification de test de chaque personne.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application de test", key=TEST_TOTP_KEY, confirmed=True)
    return device


def login_verified(client, user, *, recent_auth=True):
    """Connecte `user` sur ce client de test avec une session dont le second facteur est vérifié. Comme une vraie
    connexion, elle compte comme une authentification récente (`accounts.reauth`) ; `recent_auth=False` : une
    session ouverte depuis plus longtemps que `MNIOP_REAUTH_MAX_AGE`."""
    device = totp_device(user)
    # Relue : un service a pu fermer ses sessions depuis (jeton de session renouvelé, empreinte de session changée).
    user.refresh_from_db(fields=["session_token", "password"])
    client.force_login(user, backend=MODEL_BACKEND)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if recent_auth:
        session[RECENT_AUTH_SESSION_KEY] = time.time()
    session.save()
    return client


def current_totp_code(user):
    """Un code TOTP que le dispositif de `user` accepte maintenant : celui de l'intervalle courant, ou du suivant si
    celui-ci vient de servir (django_otp refuse un code déjà utilisé ; sa tolérance accepte l'intervalle suivant)."""
    device = totp_device(user)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.drift += device.last_t - totp.t() + 1
    return f"{totp.token():0{device.digits}d}"
