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
    # Les acteurs institutionnels de première ligne (issue 16).
    "police_officer",
    "police_officer_other_unit",
    "gendarme",
    "labour_inspector",
    "child_protection_agent",
    "parquet_magistrate",
]
#: Les acteurs institutionnels qui déposent des signalements comme les associations.
FIRST_LINE_PERSONAS = [
    "police_officer",
    "police_officer_other_unit",
    "gendarme",
    "labour_inspector",
    "child_protection_agent",
    "parquet_magistrate",
]

#: Avec la personne non connectée, pour les matrices d'accès.
EVERYONE = ["anonymous", *PERSONAS]


def acting_as(membership):
    """La personne de l'adhésion, qui agit au nom de cette organisation, comme le pose le middleware
    (`accounts.middleware.CurrentMembershipMiddleware`) : les services et les `visible_to` lisent `user.membership`."""
    membership.user.membership = membership
    return membership.user


def with_first_line(expected, like="association_agent_other_org"):
    """Complète une matrice d'accès pour les acteurs institutionnels qu'elle ne nomme pas : ils sont traités comme
    le persona `like` (par défaut l'agent d'une autre organisation : ni auteur du dossier, ni dans sa portée).
    Une matrice qui les nomme garde ses valeurs."""
    return {persona: expected[like] for persona in FIRST_LINE_PERSONAS if like in expected} | expected
