"""Prédicats `can_<verbe>_<nom>(user, ...)` du signalement."""

from mniop.roles import MIPROF_ADMIN_ROLES, NATIONAL_CASE_ROLES, Role, current_membership, current_role
from referents.enums import HabilitationKind
from signalements.enums import SignalementStatus
from signalements.models import Signalement

#: Les rôles qui déposent des signalements au nom de leur organisation (structures habilitées).
SIGNALEMENT_AUTHOR_ROLES = frozenset({Role.ASSOCIATION_AGENT, Role.ASSOCIATION_ADMIN})


def can_manage_reference_values(user):
    """Les listes de référence sont administrées par la Miprof (et les administrateurs de la plateforme)."""
    return current_role(user) in MIPROF_ADMIN_ROLES


def can_create_signalement(user):
    """Les agents et administrateurs d'une structure rédigent des brouillons au nom de leur organisation courante.
    L'habilitation MNIOP n'est exigée qu'au dépôt."""
    return current_role(user) in SIGNALEMENT_AUTHOR_ROLES


def can_edit_signalement(user, signalement):
    """Un brouillon se modifie par une personne de son organisation qui le voit (l'auteur, ou l'administrateur)."""
    membership = current_membership(user)
    if membership is None or membership.role not in SIGNALEMENT_AUTHOR_ROLES:
        return False
    if membership.organisation_id != signalement.organisation_id or signalement.status != SignalementStatus.DRAFT:
        return False
    return Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()


def can_submit_signalement(user, signalement):
    """Déposer : les personnes qui peuvent modifier le brouillon, si l'organisation a une habilitation MNIOP valide."""
    return can_edit_signalement(user, signalement) and signalement.organisation.has_valid_habilitation(
        HabilitationKind.MNIOP
    )


def _sees(user, signalement):
    return Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()


def _filing_member(user, signalement):
    """Une personne de l'organisation déclarante, avec un rôle de structure, qui voit ce signalement."""
    membership = current_membership(user)
    if membership is None or membership.role not in SIGNALEMENT_AUTHOR_ROLES:
        return False
    return membership.organisation_id == signalement.organisation_id and _sees(user, signalement)


def can_read_account(user, signalement):
    """Le récit libre : les personnes de l'organisation déclarante qui voient le signalement et la Miprof. Ni
    l'autorité départementale, ni personne d'autre."""
    role = current_role(user)
    if role in NATIONAL_CASE_ROLES:
        return _sees(user, signalement)
    return _filing_member(user, signalement)


def can_answer_information_request(user, information_request):
    """Répondre à une demande de complément : une personne de l'organisation déclarante qui voit le signalement."""
    return _filing_member(user, information_request.signalement)


def can_share_signalement(user, signalement):
    """Partager avec un·e collègue, ou retirer le partage : l'auteur du signalement ou l'administrateur de la
    structure déclarante."""
    if not _filing_member(user, signalement):
        return False
    return current_role(user) == Role.ASSOCIATION_ADMIN or signalement.created_by_id == user.pk
