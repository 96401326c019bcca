"""Qui voit quels chiffres : le seul endroit qui le dit pour l'observatoire (comme `visible_to` pour les dossiers).

- la Miprof (agents, administration) : les chiffres nationaux, et ceux d'un département au choix ;
- le ou la valideur·se départemental·e : ses départements seulement ;
- l'administration d'une structure : l'activité de sa propre organisation ;
- le ou la statisticien·ne : les agrégats nationaux seulement (jamais un dossier, jamais un filtre par territoire).

Un chiffre hors de la portée d'une personne n'est jamais calculé pour elle : les cumuls lus sont ceux de sa portée
(`RollupCell.scope_kind` / `scope_key`)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from mniop.roles import NATIONAL_CASE_ROLES, Role, current_membership
from referents.models import Territory

STATISTICS_ROLES = frozenset(
    {*NATIONAL_CASE_ROLES, Role.DEPARTMENTAL_VALIDATOR, Role.ASSOCIATION_ADMIN, Role.STATISTICIAN}
)


@dataclass(frozen=True)
class Scope:
    kind: str  # national, departement, organisation
    keys: tuple  # codes des départements ou identifiant de l'organisation ; vide pour le national
    label: str
    can_filter_territory: bool = False
    can_see_cases: bool = False

    @property
    def champ(self):
        return {
            "national": "France entière (hexagone et outre-mer)",
            "departement": f"Département{'s' if len(self.keys) > 1 else ''} {self.label}",
            "organisation": f"Signalements déposés par {self.label}",
        }[self.kind]

    def describe(self):
        """Le périmètre en clair pour le journal d'accès et les exports (sans donnée personnelle)."""
        return f"{self.kind}:{','.join(self.keys)}" if self.keys else self.kind


def can_view_statistics(user):
    membership = current_membership(user)
    return membership is not None and membership.role in STATISTICS_ROLES


def statistics_scope(user, *, departement=None):
    """La portée des chiffres d'une personne ; `departement` : le code demandé par le filtre de territoire (la Miprof
    seulement ; pour les autres, un filtre hors de leur portée est refusé : 403)."""
    membership = current_membership(user)
    if membership is None or membership.role not in STATISTICS_ROLES:
        raise PermissionDenied("Vous n'avez pas accès aux statistiques.")
    role = membership.role
    if role in NATIONAL_CASE_ROLES:
        if departement:
            territory = Territory.objects.filter(code=departement).first()
            if territory is None:
                raise PermissionDenied("Ce département n'existe pas.")
            return Scope("departement", (territory.code,), f"{territory.name} ({territory.code})", True, True)
        return Scope("national", (), "France entière", can_filter_territory=True, can_see_cases=True)
    if departement:
        raise PermissionDenied("Le filtre par département est réservé à la Miprof.")
    if role == Role.DEPARTMENTAL_VALIDATOR:
        territories = list(membership.departements.order_by("code"))
        label = ", ".join(f"{territory.name} ({territory.code})" for territory in territories)
        return Scope("departement", tuple(territory.code for territory in territories), label, can_see_cases=True)
    if role == Role.ASSOCIATION_ADMIN:
        return Scope("organisation", (str(membership.organisation_id),), membership.organisation.name)
    return Scope("national", (), "France entière")
