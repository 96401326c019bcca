"""Écritures du domaine des comptes : inviter, accepter une invitation, désactiver une adhésion.

Chaque service prend l'acteur en `by=`, vérifie le droit, verrouille ce qu'il modifie et lève `ValidationError`
(message en français que la personne peut corriger) ou `PermissionDenied`.
"""

import logging
from datetime import timedelta
from importlib import import_module

import pghistory
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import (
    IdempotencyRecord,
    Invitation,
    Membership,
    PasswordResetRequest,
    User,
    UserSession,
    new_session_token,
)
from accounts.permissions import can_manage_members, can_set_on_call, grantable_roles
from mniop.roles import DEPARTEMENT_SCOPED_ROLES, Role
from notifications.services import enqueue_email


def end_all_sessions(*, user):
    """Met fin à toutes les sessions ouvertes de la personne, dès sa prochaine requête."""
    user.session_token = new_session_token()
    User.objects.filter(pk=user.pk).update(session_token=user.session_token)
    end_other_sessions(user=user)


def _forget_sessions(user_sessions):
    keys = [key for key in user_sessions.values_list("session_key", flat=True) if key]
    user_sessions.delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


@transaction.atomic
def end_session(*, user_session, by):
    """Met fin à une session ouverte de la personne (« Mon compte ») : elle est fermée dès sa requête suivante."""
    if user_session.user_id != by.pk:
        raise PermissionDenied("Vous ne pouvez fermer que vos propres sessions.")
    _forget_sessions(UserSession.objects.filter(pk=user_session.pk))


@transaction.atomic
def end_other_sessions(*, user, keep_session_id=None):
    """Met fin à toutes les sessions de la personne sauf `keep_session_id` (la `public_id` de la session en cours,
    `request.session[accounts.sessions.SESSION_ID]`) : après un changement de mot de passe ou de second facteur.
    Renvoie le nombre de sessions fermées."""
    others = UserSession.objects.filter(user=user)
    if keep_session_id:
        others = others.exclude(public_id=keep_session_id)
    count = others.count()
    _forget_sessions(others)
    return count


def purge_expired_sessions(*, now=None):
    """Oublie les lignes des sessions finies par inactivité ou par leur durée maximale. Renvoie le nombre supprimé."""
    expired = UserSession.objects.exclude(pk__in=UserSession.objects.active(now).values("pk"))
    return expired.delete()[0]


@transaction.atomic
def invite_member(*, organisation, email, role, departements=(), by):
    if not can_manage_members(by, organisation):
        raise PermissionDenied("Vous ne pouvez pas inviter de membre dans cette organisation.")
    email = email.strip().lower()
    errors = {}
    if role not in grantable_roles(by, organisation):
        errors["role"] = "Vous ne pouvez pas attribuer ce rôle dans cette organisation."
    departements = list(departements)
    if role in DEPARTEMENT_SCOPED_ROLES and not departements:
        errors["departements"] = "Choisissez au moins un département de compétence pour un valideur départemental."
    if role not in DEPARTEMENT_SCOPED_ROLES and departements:
        errors["departements"] = "Seul un valideur départemental a des départements de compétence."
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email, is_active=True).exists():
        errors["email"] = "Cette personne est déjà membre active de l'organisation."
    if errors:
        raise ValidationError(errors)
    validity = timedelta(days=settings.MNIOP["INVITATION_VALIDITY_DAYS"])
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=by, expires_at=timezone.now() + validity
    )
    invitation.departements.set(departements)
    enqueue_email(
        template="invitation",
        recipient=email,
        path=reverse("accounts:invitation_accept", kwargs={"token": invitation.token}),
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation, first_name="", last_name="", password=None, user=None):
    """Crée le compte si besoin (prénom, nom, mot de passe) et l'adhésion ; une adhésion désactivée est réactivée."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError("Cette invitation a expiré ou a déjà été utilisée. Demandez-en une nouvelle.")
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and user.email.lower() != invitation.email:
        raise PermissionDenied("Cette invitation est destinée à une autre adresse électronique.")
    if user is None:
        errors = {}
        if not first_name.strip():
            errors["first_name"] = "Indiquez votre prénom."
        if not last_name.strip():
            errors["last_name"] = "Indiquez votre nom."
        candidate = User(email=invitation.email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password or "", user=candidate)
        except ValidationError as error:
            errors["password1"] = error.messages
        if errors:
            raise ValidationError(errors)
        user = User.objects.create_user(invitation.email, password, first_name=first_name, last_name=last_name)
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={
            "role": invitation.role,
            "is_active": True,
            "invited_by": invitation.invited_by,
            "deactivated_at": None,
            "deactivated_by": None,
        },
    )
    membership.departements.set(invitation.departements.all())
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def deactivate_membership(*, membership, by):
    """Retire une personne d'une organisation. Ses sessions prennent fin immédiatement."""
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    if not can_manage_members(by, membership.organisation):
        raise PermissionDenied("Vous ne pouvez pas gérer les membres de cette organisation.")
    if membership.user_id == by.pk:
        raise ValidationError("Vous ne pouvez pas désactiver votre propre adhésion.")
    if not membership.is_active:
        raise ValidationError("Cette adhésion est déjà désactivée.")
    if membership.role == Role.PLATFORM_ADMIN and by.membership.role != Role.PLATFORM_ADMIN:
        raise PermissionDenied("Seul un administrateur de la plateforme peut en désactiver un autre.")
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.deactivated_by = by
    membership.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    end_all_sessions(user=membership.user)
    return membership


@transaction.atomic
def set_on_call(*, membership, is_on_call, by):
    """Met un agent de la Miprof d'astreinte (il reçoit aussi les alertes des signalements urgents) ou l'en retire.
    L'historique de l'adhésion (pghistory) garde qui l'a fait."""
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    if not can_set_on_call(by, membership):
        raise PermissionDenied("Seule l'administration de la Miprof tient la liste d'astreinte de ses agents.")
    if membership.is_on_call == is_on_call:
        return membership
    membership.is_on_call = is_on_call
    with pghistory.context(by=str(by.public_id)):
        membership.save(update_fields=["is_on_call"])
    return membership


def send_password_reset(*, user, path):
    """Le lien de réinitialisation passe par la boîte d'envoi comme tout autre courriel."""
    enqueue_email(template="password_reset", recipient=user.email, path=path)


def request_password_reset(*, email):
    """Note la demande et programme son traitement après la réponse : ni la réponse ni sa durée ne disent si
    l'adresse est celle d'un compte (constat 8 de l'attaque). Le worker fait la recherche et l'envoi."""
    reset_request = PasswordResetRequest.objects.create(email=email.strip().lower())
    transaction.on_commit(lambda: schedule_password_reset(reset_request.pk))
    return reset_request


def schedule_password_reset(request_id):
    from accounts.tasks import process_password_reset_request

    try:
        process_password_reset_request.delay(request_id)
    except Exception:  # noqa: BLE001 - courtier indisponible : la tâche beat reprendra la demande
        logging.getLogger(__name__).warning("Courtier indisponible : demande %s laissée en attente", request_id)


@transaction.atomic
def process_password_reset_request(*, request_id):
    """Envoie le lien de réinitialisation si l'adresse est celle d'un compte actif, puis oublie la demande.
    Idempotent : une demande déjà traitée n'existe plus. Une demande plus ancienne que la validité d'un lien est
    oubliée sans envoi. Renvoie vrai si un lien a été envoyé."""
    reset_request = PasswordResetRequest.objects.select_for_update(skip_locked=True).filter(pk=request_id).first()
    if reset_request is None:
        return False
    reset_request.delete()
    if reset_request.requested_at < timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT):
        return False
    user = User.objects.filter(email__iexact=reset_request.email, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    send_password_reset(user=user, path=path)
    return True


def process_pending_password_reset_requests(*, older_than=timedelta(minutes=1)):
    """Reprend les demandes restées en attente (courtier indisponible au moment de la demande)."""
    pending = PasswordResetRequest.objects.filter(requested_at__lt=timezone.now() - older_than).values_list(
        "pk", flat=True
    )
    return sum(process_password_reset_request(request_id=pk) for pk in list(pending[:500]))


def notify_account_locked(*, username):
    """Avertit la personne dont le compte vient d'être verrouillé (accounts.lockout) : un lien vers « Mot de passe
    oublié », rien d'autre. Rien si l'adresse n'est celle d'aucun compte actif."""
    user = User.objects.filter(email__iexact=username, is_active=True).first()
    if user is None:
        return None
    return enqueue_email(template="account_locked", recipient=user.email, path=reverse("accounts:password_reset"))


def purge_expired_invitations(*, now=None):
    """Supprime les invitations jamais acceptées, expirées depuis plus de `INVITATION_RETENTION_DAYS` jours
    (d'ici là, le lien affiche « invitation expirée » plutôt qu'une page introuvable). Renvoie le nombre supprimé."""
    now = now or timezone.now()
    retention = timedelta(days=settings.MNIOP["INVITATION_RETENTION_DAYS"])
    expired = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=now - retention)
    return expired.delete()[1].get(Invitation._meta.label, 0)


def purge_idempotency_records(*, now=None):
    """Oublie les réponses gardées pour les clés `Idempotency-Key` plus anciennes que
    `IDEMPOTENCY_RETENTION_HOURS` heures : au-delà, un client ne rejoue plus sa requête. Renvoie le nombre supprimé."""
    now = now or timezone.now()
    retention = timedelta(hours=settings.MNIOP["IDEMPOTENCY_RETENTION_HOURS"])
    return IdempotencyRecord.objects.filter(created_at__lt=now - retention).delete()[0]
