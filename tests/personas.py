"""Les noms des personas de `tests/conftest.py` (fixture `world`), un par rôle plus les variantes
« même rôle, autre organisation » et « même rôle, autre département »."""

PERSONAS = [
    "association_agent",
    "association_admin",
    "association_agent_other_org",
    "association_admin_other_org",
    "miprof_agent",
    "miprof_admin",
    "departmental_validator",
    "departmental_validator_other_departement",
    "territorial_referent",
    "statistician",
    "platform_admin",
]

#: Avec la personne non connectée, pour les matrices d'accès.
EVERYONE = ["anonymous", *PERSONAS]


def acting_as(membership):
    """La personne de l'adhésion, qui agit au nom de cette organisation, comme le pose le middleware
    (`accounts.middleware.CurrentMembershipMiddleware`) : les services et les `visible_to` lisent `user.membership`."""
    membership.user.membership = membership
    return membership.user
