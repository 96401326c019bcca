"""Prédicats `can_<verbe>_<nom>(user, ...)` du signalement."""

from mniop.roles import MIPROF_ADMIN_ROLES, current_role


def can_manage_reference_values(user):
    """Les listes de référence sont administrées par la Miprof (et les administrateurs de la plateforme)."""
    return current_role(user) in MIPROF_ADMIN_ROLES
