"""Prédicats `can_<verbe>_<nom>(user, obj)` : qui peut agir sur un objet qu'il voit déjà (sinon 404).

La portée (ce qu'on voit) est dans les `visible_to(user)` ; ici, seulement ce qu'on a le droit de faire (sinon 403).
"""

from mniop.roles import MIPROF_ADMIN_ROLES, ORGANISATION_ADMIN_ROLES, OVERSIGHT_ROLES, Role, current_membership
from referents.enums import OrganisationKind

#: Rôles réservés à la Miprof (organisation de type miprof).
MIPROF_ONLY_ROLES = frozenset({Role.MIPROF_AGENT, Role.MIPROF_ADMIN, Role.STATISTICIAN, Role.PLATFORM_ADMIN})


#: Le rôle de première ligne de chaque type d'organisation institutionnelle : une unité de police n'a pas de gendarme.
FIRST_LINE_ROLE_OF_KIND = {
    OrganisationKind.POLICE: Role.POLICE_OFFICER,
    OrganisationKind.GENDARMERIE: Role.GENDARME,
    OrganisationKind.LABOUR_INSPECTION: Role.LABOUR_INSPECTOR,
    OrganisationKind.DEPARTEMENT_COUNCIL: Role.CHILD_PROTECTION_AGENT,
    OrganisationKind.TRIBUNAL: Role.PARQUET_MAGISTRATE,
}


def is_admin_of(user, organisation):
    """Administrateur de l'organisation (ses membres, ses jetons) : le sien, ou la Miprof pour toutes.
    L'administration technique de la plateforme ne l'est d'aucune : elle ne lit jamais de dossier."""
    membership = current_membership(user)
    if membership is None:
        return False
    if membership.role in MIPROF_ADMIN_ROLES:
        return True
    return membership.role in ORGANISATION_ADMIN_ROLES and membership.organisation_id == organisation.pk


def can_view_members(user, organisation):
    return is_admin_of(user, organisation)


def can_manage_members(user, organisation):
    return is_admin_of(user, organisation)


def grantable_roles(user, organisation):
    """Les rôles qu'une personne peut attribuer dans une organisation."""
    membership = current_membership(user)
    if membership is None or not is_admin_of(user, organisation):
        return []
    if organisation.kind == OrganisationKind.MIPROF:
        return [Role.MIPROF_AGENT, Role.MIPROF_ADMIN, Role.STATISTICIAN]
    roles = [Role.ASSOCIATION_AGENT, Role.ASSOCIATION_ADMIN, Role.TERRITORIAL_REFERENT]
    if organisation.kind in FIRST_LINE_ROLE_OF_KIND:
        roles.insert(0, FIRST_LINE_ROLE_OF_KIND[organisation.kind])
    if membership.role in MIPROF_ADMIN_ROLES and organisation.kind != OrganisationKind.ASSOCIATION:
        roles.append(Role.DEPARTMENTAL_VALIDATOR)
    return roles


def can_search_access_log(user):
    membership = current_membership(user)
    return membership is not None and membership.role in OVERSIGHT_ROLES


def is_own_organisation(user, organisation):
    membership = current_membership(user)
    return membership is not None and membership.organisation_id == organisation.pk


def can_manage_api_tokens(user, organisation):
    """Les jetons d'API d'une organisation : ses administrateurs, et ceux de la Miprof (pour une autre organisation,
    un jeton de la Miprof attend l'approbation d'un second administrateur de la Miprof : `can_approve_api_token`)."""
    return is_admin_of(user, organisation)


def can_approve_api_token(user, token):
    """Un administrateur de la Miprof autre que celui qui a créé le jeton."""
    membership = current_membership(user)
    return membership is not None and membership.role in MIPROF_ADMIN_ROLES and token.created_by_id != user.pk


#: Les rôles qui peuvent être d'astreinte : agents et administrateurs de la Miprof.
ON_CALL_ROLES = frozenset({Role.MIPROF_AGENT, Role.MIPROF_ADMIN})


def can_set_on_call(user, membership):
    """La liste d'astreinte (alertes des signalements urgents) : tenue par l'administration de la Miprof, pour les
    agents actifs de la Miprof."""
    current = current_membership(user)
    return (
        current is not None
        and current.role in MIPROF_ADMIN_ROLES
        and membership.is_active
        and membership.role in ON_CALL_ROLES
        and membership.organisation.kind == OrganisationKind.MIPROF
    )


def can_reset_second_factor(user, membership):
    """Réinitialiser le second facteur d'un membre (téléphone perdu, plus de code de secours) : l'administrateur de
    son organisation ; pour le personnel de la Miprof, l'administration de la Miprof. Jamais le sien (il passerait
    outre son propre second facteur), jamais par l'administrateur technique de la plateforme."""
    current = current_membership(user)
    if current is None or membership.user_id == user.pk or not membership.is_active:
        return False
    if current.organisation_id != membership.organisation_id:
        return False
    if membership.organisation.kind == OrganisationKind.MIPROF:
        return current.role == Role.MIPROF_ADMIN
    return current.role == Role.ASSOCIATION_ADMIN


def can_manage_habilitations(user):
    """Créer les organisations, accorder, renouveler et mettre fin aux habilitations, décider des demandes :
    l'administration de la Miprof seule (jamais l'administration technique de la plateforme)."""
    membership = current_membership(user)
    return membership is not None and membership.role in MIPROF_ADMIN_ROLES


def can_request_habilitation(user, organisation):
    """Demander une habilitation : l'administration de l'organisation elle-même."""
    membership = current_membership(user)
    return (
        membership is not None
        and membership.role == Role.ASSOCIATION_ADMIN
        and membership.organisation_id == organisation.pk
    )


def can_view_habilitations(user, organisation):
    """La page des habilitations (historique, demandes) : l'administration de la Miprof et celle de l'organisation."""
    return can_manage_habilitations(user) or can_request_habilitation(user, organisation)
