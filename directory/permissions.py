"""Qui peut agir sur l'annuaire (la portée de lecture est `DirectoryEntry.objects.visible_to`)."""

from mniop.roles import ORGANISATION_ADMIN_ROLES, OVERSIGHT_ROLES, Role, current_membership
from referents.models import DirectoryEntry


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


def holds_entry(user, entry):
    """La personne connectée est titulaire ou suppléante de la fiche (adresse électronique de son compte)."""
    email = getattr(user, "email", "").casefold()
    return (
        current_membership(user) is not None
        and bool(email)
        and email in {entry.holder_email.casefold(), entry.deputy_email.casefold()}
    )


def can_edit_own_entry(user, entry):
    """Le·la titulaire ou suppléant·e tient les coordonnées de sa fiche ; pas son territoire ni sa fonction."""
    return holds_entry(user, entry)


def can_keep_own_entries(user):
    """« Mes fiches » : les administrateurs d'organisation, les référent·es territoriaux·ales et quiconque est
    titulaire ou suppléant·e d'une fiche."""
    membership = current_membership(user)
    if membership is None:
        return False
    if membership.role in ORGANISATION_ADMIN_ROLES or membership.role == Role.TERRITORIAL_REFERENT:
        return True
    return DirectoryEntry.objects.held_by(user).exists()


def can_manage_directory(user):
    """Accès aux pages de tenue de l'annuaire (« mes fiches », import) : administrateurs d'organisation."""
    membership = current_membership(user)
    return membership is not None and membership.role in ORGANISATION_ADMIN_ROLES
