"""Jetons d'API des systèmes partenaires : créer (le secret n'est montré qu'une fois), révoquer.

Un jeton agit par un utilisateur technique et son adhésion à l'organisation : les mêmes `visible_to` et les mêmes
services que l'interface s'appliquent à lui. L'utilisateur technique n'a pas de mot de passe utilisable : il ne peut
pas se connecter à l'interface.
"""

import hashlib
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Membership, User
from accounts.permissions import can_manage_api_tokens
from mniop.roles import Role

#: Le rôle de l'adhésion technique d'un jeton : celui d'un administrateur de structure, qui voit et dépose tous les
#: signalements de l'organisation.
API_TOKEN_ROLE = Role.ASSOCIATION_ADMIN
API_USER_EMAIL_DOMAIN = "api.mniop.invalid"
SECRET_PREFIX = "mniop_"


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, organisation, name, by):
    """Renvoie (jeton, secret). Seule l'empreinte SHA-256 du secret est gardée."""
    if not can_manage_api_tokens(by, organisation):
        raise PermissionDenied("Vous ne pouvez pas gérer les jetons d'API de cette organisation.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Indiquez le nom du système partenaire."})
    if ApiToken.objects.active().filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": "Un jeton actif porte déjà ce nom dans l'organisation."})
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
    )
    return token, secret


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
