"""Qui peut agir sur l'annuaire (la portée de lecture est `DirectoryEntry.objects.visible_to`)."""

from mniop.roles import ORGANISATION_ADMIN_ROLES, OVERSIGHT_ROLES, current_membership


def can_search_directory(user):
    """Tout professionnel connecté avec une adhésion active."""
    return current_membership(user) is not None


def can_moderate_directory(user):
    membership = current_membership(user)
    return membership is not None and membership.role in OVERSIGHT_ROLES


def can_edit_entries_of(user, organisation):
    """Les administrateurs de l'organisation tiennent ses fiches ; l'administrateur de la Miprof, toutes."""
    membership = current_membership(user)
    if membership is None:
        return False
    if membership.role in OVERSIGHT_ROLES:
        return True
    return membership.role in ORGANISATION_ADMIN_ROLES and membership.organisation_id == organisation.pk


def can_edit_entry(user, entry):
    return can_edit_entries_of(user, entry.organisation)


def can_manage_directory(user):
    """Accès aux pages de tenue de l'annuaire (« mes fiches », import) : administrateurs d'organisation."""
    membership = current_membership(user)
    return membership is not None and membership.role in ORGANISATION_ADMIN_ROLES
