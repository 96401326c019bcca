"""Prédicats des données personnelles."""

from mniop.roles import Role, current_role
from signalements.permissions import can_record_consent

__all__ = ["can_manage_consents", "can_run_rights_requests"]


def can_run_rights_requests(user):
    """Les droits de la personne (export, rectification, opposition, effacement) et la conservation : le ou la
    délégué·e à la protection des données, rôle d'administration de la Miprof."""
    return current_role(user) == Role.MIPROF_ADMIN


def can_manage_consents(user, signalement):
    """Les consentements d'un dossier : l'organisation déclarante et la Miprof (`can_record_consent`)."""
    return can_record_consent(user, signalement)
