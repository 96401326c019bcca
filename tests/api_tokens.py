"""Un jeton d'API actif pour une organisation, créé comme en vrai par un de ses administrateurs (constat 2 : la
Miprof n'en crée un pour une autre organisation qu'avec un second approbateur)."""

from accounts.services_api_tokens import create_api_token
from mniop.roles import Role
from tests.accounts.factories import MembershipFactory
from tests.personas import acting_as


def organisation_admin(organisation):
    """Un administrateur de l'organisation (créé pour l'occasion), qui agit en son nom."""
    role = Role.MIPROF_ADMIN if organisation.kind == "miprof" else Role.ASSOCIATION_ADMIN
    return acting_as(MembershipFactory(organisation=organisation, role=role))


def issue_token(organisation, name="Logiciel", **options):
    """Renvoie (jeton, secret), le jeton actif."""
    return create_api_token(organisation=organisation, name=name, by=organisation_admin(organisation), **options)
