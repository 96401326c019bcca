"""Jetons d'API des systèmes partenaires : créer (le secret n'est montré qu'une fois), approuver, révoquer.

Un jeton agit par un utilisateur technique et son adhésion à l'organisation : les mêmes `visible_to` et les mêmes
services que l'interface s'appliquent à lui. L'utilisateur technique n'a pas de mot de passe utilisable : il ne peut
pas se connecter à l'interface.

Un jeton n'est pas une session (docs/securite.md, « Jetons d'API ») : il a des portées (ressource, lecture ou
écriture), une date d'expiration (un an par défaut, au plus), sa dernière utilisation, et peut être limité à des
adresses sources. L'organisation crée ses jetons ; la Miprof n'en crée un pour une autre organisation qu'avec un
second administrateur de la Miprof qui l'approuve, et l'organisation en est prévenue.
"""

import hashlib
import ipaddress
import secrets
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import recipients
from accounts.models import ApiToken, ApiTokenScope, Membership, User
from accounts.permissions import can_approve_api_token, can_manage_api_tokens, is_own_organisation
from mniop.roles import Role
from notifications.services import enqueue_email

#: Le rôle de l'adhésion technique d'un jeton : celui d'un administrateur de structure, qui voit et dépose tous les
#: signalements de l'organisation. Les portées du jeton restreignent ensuite ce qu'il peut faire de l'API.
API_TOKEN_ROLE = Role.ASSOCIATION_ADMIN
API_USER_EMAIL_DOMAIN = "api.mniop.invalid"
SECRET_PREFIX = "mniop_"
#: Durée de vie par défaut, et la plus longue, d'un jeton.
TOKEN_LIFETIME = timedelta(days=365)


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_networks(values):
    """Les réseaux CIDR autorisés, normalisés (`203.0.113.7` devient `203.0.113.7/32`) ; erreur en français."""
    networks, invalid = [], []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            networks.append(str(ipaddress.ip_network(value, strict=False)))
        except ValueError:
            invalid.append(value)
    if invalid:
        raise ValidationError(
            {"allowed_networks": f"Adresse ou réseau invalide : {', '.join(invalid)} (attendu : 203.0.113.0/24)."}
        )
    return networks


def address_allowed(token, address):
    if not token.allowed_networks:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in token.allowed_networks)


def _clean_scopes(scopes):
    scopes = list(dict.fromkeys(scopes))
    if not scopes:
        raise ValidationError({"scopes": "Choisissez au moins une portée pour le jeton."})
    unknown = [scope for scope in scopes if scope not in ApiTokenScope.values]
    if unknown:
        raise ValidationError({"scopes": f"Portée inconnue : {', '.join(unknown)}."})
    return scopes


def _clean_expiry(expires_at, now):
    if expires_at is None:
        return now + TOKEN_LIFETIME
    if expires_at <= now:
        raise ValidationError({"expires_on": "La date d'expiration doit être dans le futur."})
    if expires_at > now + TOKEN_LIFETIME + timedelta(days=1):
        raise ValidationError({"expires_on": "Un jeton expire au plus tard un an après sa création."})
    return expires_at


@transaction.atomic
def create_api_token(*, organisation, name, by, scopes=None, expires_at=None, allowed_networks=()):
    """Renvoie (jeton, secret). Seule l'empreinte SHA-256 du secret est gardée.

    Sans `scopes`, toutes les portées ; sans `expires_at`, un an. Créé par un administrateur de l'organisation, le
    jeton est actif ; créé par la Miprof pour une autre organisation, il attend un second administrateur de la Miprof
    (`approve_api_token`) et les administrateurs de l'organisation sont prévenus par courriel."""
    if not can_manage_api_tokens(by, organisation):
        raise PermissionDenied("Vous ne pouvez pas gérer les jetons d'API de cette organisation.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Indiquez le nom du système partenaire."})
    if ApiToken.objects.active().filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": "Un jeton actif porte déjà ce nom dans l'organisation."})
    now = timezone.now()
    scopes = _clean_scopes(ApiTokenScope.values if scopes is None else scopes)
    expires_at = _clean_expiry(expires_at, now)
    networks = parse_networks(allowed_networks)
    own = is_own_organisation(by, organisation)
    user = User.objects.create_user(f"api-{uuid.uuid4()}@{API_USER_EMAIL_DOMAIN}", password=None, last_name=name)
    membership = Membership.objects.create(user=user, organisation=organisation, role=API_TOKEN_ROLE, invited_by=by)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        membership=membership,
        name=name,
        prefix=secret[: len(SECRET_PREFIX) + 6],
        key_hash=hash_secret(secret),
        created_by=by,
        scopes=scopes,
        expires_at=expires_at,
        allowed_networks=networks,
        approved_at=now if own else None,
    )
    if not own:
        path = reverse("accounts:api_token_list", args=[organisation.public_id])
        for admin in recipients.people(role=Role.ASSOCIATION_ADMIN, organisation=organisation):
            enqueue_email(template="api_token_created_by_miprof", recipient=admin.email, path=path)
    return token, secret


@transaction.atomic
def approve_api_token(*, token, by):
    """Le second administrateur de la Miprof approuve un jeton créé par un collègue pour une autre organisation."""
    token = ApiToken.objects.select_for_update().select_related("organisation").get(pk=token.pk)
    if not can_approve_api_token(by, token):
        raise PermissionDenied(
            "Un jeton créé par la Miprof pour une organisation est approuvé par un autre administrateur de la Miprof."
        )
    if token.revoked_at is not None or token.is_expired:
        raise ValidationError("Ce jeton d'API est révoqué ou expiré : il ne peut plus être approuvé.")
    if not token.is_pending:
        raise ValidationError("Ce jeton d'API est déjà approuvé.")
    token.approved_at = timezone.now()
    token.approved_by = by
    token.save(update_fields=["approved_at", "approved_by"])
    return token


def record_api_token_use(*, token, address, now=None, precision=timedelta(minutes=1)):
    """La dernière utilisation (date et adresse source), écrite au plus une fois par `precision`."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= precision or token.last_used_from != address:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address or None)
        token.last_used_at, token.last_used_from = now, address


@transaction.atomic
def revoke_api_token(*, token, by):
    """Le jeton cesse d'authentifier dès la requête suivante ; son adhésion technique est désactivée."""
    token = ApiToken.objects.select_for_update().select_related("organisation", "membership__user").get(pk=token.pk)
    if not can_manage_api_tokens(by, token.organisation):
        raise PermissionDenied("Vous ne pouvez pas gérer les jetons d'API de cette organisation.")
    if token.revoked_at is not None:
        raise ValidationError("Ce jeton d'API est déjà révoqué.")
    now = timezone.now()
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    membership = token.membership
    membership.is_active = False
    membership.deactivated_at = now
    membership.deactivated_by = by
    membership.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    User.objects.filter(pk=membership.user_id).update(is_active=False)
    return token
