"""Les rôles du MNIOP (domaine §11.2). Module partagé sans dépendance : toutes les applications le lisent.

Un rôle appartient à une adhésion (`accounts.Membership`), c'est-à-dire au couple personne + organisation.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    ASSOCIATION_AGENT = "association_agent", "Agent de structure"
    ASSOCIATION_ADMIN = "association_admin", "Administrateur·rice de structure"
    MIPROF_AGENT = "miprof_agent", "Agent de la Miprof"
    MIPROF_ADMIN = "miprof_admin", "Administrateur·rice de la Miprof"
    DEPARTMENTAL_VALIDATOR = "departmental_validator", "Valideur·se départemental·e"
    TERRITORIAL_REFERENT = "territorial_referent", "Référent·e territorial·e"
    STATISTICIAN = "statistician", "Statisticien·ne"
    PLATFORM_ADMIN = "platform_admin", "Administrateur·rice de la plateforme"
    # Les acteurs de première ligne autres que les associations (issue 16, domaine §2 et §3.3).
    POLICE_OFFICER = "police_officer", "Enquêteur·rice d'une unité de police nationale"
    GENDARME = "gendarme", "Enquêteur·rice d'une unité de gendarmerie"
    LABOUR_INSPECTOR = "labour_inspector", "Inspecteur·rice ou contrôleur·se du travail"
    CHILD_PROTECTION_AGENT = "child_protection_agent", "Agent de l'ASE / CRIP du conseil départemental"
    PARQUET_MAGISTRATE = "parquet_magistrate", "Magistrat·e référent·e TEH du parquet"


#: Rôles de portée nationale : ils voient les organisations de tout le territoire.
NATIONAL_ROLES = frozenset({Role.MIPROF_AGENT, Role.MIPROF_ADMIN, Role.PLATFORM_ADMIN})
#: Rôles qui lisent les dossiers de tout le territoire. L'administration technique de la plateforme n'en fait pas
#: partie : elle ne lit jamais le contenu d'un dossier.
NATIONAL_CASE_ROLES = frozenset({Role.MIPROF_AGENT, Role.MIPROF_ADMIN})
#: Rôles qui administrent les membres d'une organisation. L'administration technique de la plateforme n'en fait pas
#: partie : administrer une organisation, c'est en voir les dossiers (jetons d'API, rôles des membres).
ORGANISATION_ADMIN_ROLES = frozenset({Role.ASSOCIATION_ADMIN, Role.MIPROF_ADMIN})
#: Rôles qui administrent toutes les organisations (habilitations, invitations du premier administrateur).
MIPROF_ADMIN_ROLES = frozenset({Role.MIPROF_ADMIN})
#: Rôles qui tiennent ce qui n'est pas le contenu d'un dossier : listes de référence, modération de l'annuaire,
#: consultation du journal d'accès. L'administration technique de la plateforme y garde la main.
OVERSIGHT_ROLES = frozenset({Role.MIPROF_ADMIN, Role.PLATFORM_ADMIN})
#: Les acteurs institutionnels de première ligne : chacun dépose des signalements au nom de son unité ou de son
#: service, et voit tous ceux de son organisation (jamais ceux d'une autre unité).
FIRST_LINE_ROLES = frozenset(
    {Role.POLICE_OFFICER, Role.GENDARME, Role.LABOUR_INSPECTOR, Role.CHILD_PROTECTION_AGENT, Role.PARQUET_MAGISTRATE}
)
#: Les acteurs des forces de l'ordre : ils peuvent activer Ac.Sé sur place pendant une opération (001:1656-1661).
LAW_ENFORCEMENT_ROLES = frozenset({Role.POLICE_OFFICER, Role.GENDARME})
#: Rôles qui rédigent et déposent les signalements d'une organisation habilitée.
SIGNALEMENT_AUTHOR_ROLES = frozenset({Role.ASSOCIATION_AGENT, Role.ASSOCIATION_ADMIN}) | FIRST_LINE_ROLES
#: Rôles limités à un ou plusieurs départements.
DEPARTEMENT_SCOPED_ROLES = frozenset({Role.DEPARTMENTAL_VALIDATOR})


def current_membership(user):
    """L'adhésion courante d'un utilisateur : posée par `accounts.middleware` ou l'authentification de l'API.

    Sans adhésion courante (utilisateur anonyme, désactivé, ou contexte sans requête), rien n'est visible.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_active:
        return None
    return membership


def departement_ids(membership):
    """Les identifiants des départements de compétence d'une adhésion : lus avec l'adhésion par
    `accounts.membership.resolve_current_membership` (annotation `departement_ids`, sans requête de plus), sinon
    demandés à la base."""
    ids = getattr(membership, "departement_ids", None)
    if ids is None:
        ids = list(membership.departements.values_list("pk", flat=True))
    return ids


def current_role(user):
    membership = current_membership(user)
    return membership.role if membership else None


def role_required(allowed):
    """Le décorateur de vue commun des droits : 403 si la personne n'a pas le droit d'ouvrir la page.

    `allowed` est un ensemble de rôles (`NATIONAL_ROLES`…), comparé au rôle de l'adhésion courante, ou un prédicat
    `can_<verbe>_<nom>(user)`. La connexion n'est pas vérifiée ici : `LoginRequiredMiddleware` l'exige pour toute
    vue qui n'est pas déclarée publique (`login_not_required`).
    """
    if isinstance(allowed, (set, frozenset, list, tuple)):
        roles = frozenset(allowed)

        def predicate(user):
            return current_role(user) in roles
    else:
        predicate = allowed

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
