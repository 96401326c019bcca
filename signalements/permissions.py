"""Prédicats `can_<verbe>_<nom>(user, ...)` du signalement."""

from django.conf import settings

from mniop.roles import (
    NATIONAL_CASE_ROLES,
    OVERSIGHT_ROLES,
    SIGNALEMENT_AUTHOR_ROLES,
    Role,
    current_membership,
    current_role,
)
from referents.enums import HabilitationKind
from signalements.enums import SignalementStatus
from signalements.models import IdentityOpening, Signalement

NOT_AN_AUTHOR = "Seuls les agents et administrateurs d'une structure habilitée rédigent des signalements."
NO_HABILITATION = "Votre organisation n'a pas d'habilitation MNIOP valide : le dépôt est impossible."
HABILITATION_ENDED = (
    "L'habilitation MNIOP de votre organisation a pris fin le {ended_on:%d/%m/%Y} : le dépôt de signalements est "
    "impossible. L'administration de votre organisation peut en demander le renouvellement à la Miprof depuis la page "
    "de l'organisation."
)
NOT_A_PILOT_ORGANISATION = (
    "Pendant l'expérimentation, seules les organisations pilotes déposent des signalements : la vôtre n'en fait pas "
    "partie. Contactez la Miprof pour la rejoindre."
)
NOT_IN_PILOT_DEPARTEMENTS = (
    "Pendant l'expérimentation, le dépôt est réservé aux départements pilotes : votre organisation n'intervient dans "
    "aucun d'eux."
)


def pilot_organisations():
    """Les identifiants publics des organisations pilotes (`MNIOP["PILOT_ORGANISATIONS"]`) ; vide : aucune limite."""
    return {str(value).strip().lower() for value in settings.MNIOP.get("PILOT_ORGANISATIONS") or [] if value}


def pilot_departements():
    """Les codes INSEE des départements pilotes (`MNIOP["PILOT_DEPARTEMENTS"]`) ; vide : aucune limite."""
    return {str(value).strip().upper() for value in settings.MNIOP.get("PILOT_DEPARTEMENTS") or [] if value}


def filing_refusal(user):
    """Pourquoi cette personne ne peut pas rédiger ni déposer de signalement (message en français), ou None.

    Il faut être agent ou administrateur d'une organisation qui a une habilitation MNIOP valide et, pendant
    l'expérimentation, que l'organisation soit pilote et intervienne dans un département pilote."""
    membership = current_membership(user)
    if membership is None or membership.role not in SIGNALEMENT_AUTHOR_ROLES:
        return NOT_AN_AUTHOR
    organisation = membership.organisation
    if not organisation.has_valid_habilitation(HabilitationKind.MNIOP):
        ended = organisation.last_ended_habilitation(HabilitationKind.MNIOP)
        return HABILITATION_ENDED.format(ended_on=ended.ends_on) if ended else NO_HABILITATION
    organisations = pilot_organisations()
    if organisations and str(organisation.public_id) not in organisations:
        return NOT_A_PILOT_ORGANISATION
    departements = pilot_departements()
    if departements and not organisation.territories.filter(code__in=departements).exists():
        return NOT_IN_PILOT_DEPARTEMENTS
    return None


def can_manage_reference_values(user):
    """Les listes de référence sont administrées par la Miprof (et les administrateurs de la plateforme)."""
    return current_role(user) in OVERSIGHT_ROLES


def can_create_signalement(user):
    """Les agents et administrateurs d'une organisation habilitée (et pilote, pendant l'expérimentation) rédigent des
    brouillons au nom de leur organisation courante."""
    return filing_refusal(user) is None


def can_edit_signalement(user, signalement):
    """Un brouillon se modifie par une personne de son organisation qui le voit (l'auteur, ou l'administrateur)."""
    membership = current_membership(user)
    if membership is None or membership.role not in SIGNALEMENT_AUTHOR_ROLES:
        return False
    if membership.organisation_id != signalement.organisation_id or signalement.status != SignalementStatus.DRAFT:
        return False
    return Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()


def can_submit_signalement(user, signalement):
    """Déposer : les personnes qui peuvent modifier le brouillon, si elles peuvent aussi rédiger (habilitation MNIOP
    valide, organisation et département pilotes)."""
    return can_edit_signalement(user, signalement) and filing_refusal(user) is None


def in_scope(signalement, user):
    """Retient que ce signalement vient de `visible_to(user)` : les prédicats n'ont pas à le redemander."""
    signalement.__dict__.setdefault("_seen_by", {})[user.pk] = True
    return signalement


def _sees(user, signalement):
    """Le signalement est-il dans la portée de la personne ? Retenu sur l'objet pour la durée de la requête : la
    règle de l'identité, le récit et les droits d'agir le demandent chacun (une requête au lieu de trois)."""
    seen = signalement.__dict__.setdefault("_seen_by", {})
    if user.pk not in seen:
        seen[user.pk] = Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()
    return seen[user.pk]


def _filing_member(user, signalement):
    """Une personne de l'organisation déclarante, avec un rôle de structure, qui voit ce signalement."""
    membership = current_membership(user)
    if membership is None or membership.role not in SIGNALEMENT_AUTHOR_ROLES:
        return False
    return membership.organisation_id == signalement.organisation_id and _sees(user, signalement)


#: Qui lit l'identité de la personne (noms, date de naissance, récit ; domaine §10) : `identity_rule`.
IDENTITY_OPEN = "open"  # l'organisation déclarante ; la Miprof pour une personne majeure
IDENTITY_WITH_REASON = "with_reason"  # le valideur départemental ; la Miprof pour une personne mineure
IDENTITY_SEALED = "sealed"  # tout autre lecteur du dossier


#: Hors de l'organisation déclarante, ceux qui décident ou prennent en charge sur une vue pseudonymisée et n'ouvrent
#: l'identité qu'avec un motif : le valideur départemental, et pour le circuit des mineurs l'ASE / CRIP et le parquet.
IDENTITY_WITH_REASON_ROLES = frozenset(
    {Role.DEPARTMENTAL_VALIDATOR, Role.CHILD_PROTECTION_AGENT, Role.PARQUET_MAGISTRATE}
)


def identity_rule(user, signalement):
    """La règle de lecture de l'identité pour cette personne et ce signalement (une des trois constantes)."""
    membership = current_membership(user)
    if membership is None or not _sees(user, signalement):
        return IDENTITY_SEALED
    if membership.role in SIGNALEMENT_AUTHOR_ROLES and membership.organisation_id == signalement.organisation_id:
        return IDENTITY_OPEN
    if membership.role in NATIONAL_CASE_ROLES:
        return IDENTITY_WITH_REASON if signalement.is_minor else IDENTITY_OPEN
    if membership.role in IDENTITY_WITH_REASON_ROLES:
        return IDENTITY_WITH_REASON
    return IDENTITY_SEALED


def active_identity_opening(user, signalement):
    """L'ouverture de l'identité en cours de cette personne sur ce signalement, ou None."""
    return (
        IdentityOpening.objects.active()
        .filter(signalement_id=signalement.pk, user_id=user.pk)
        .order_by("-expires_at")
        .first()
    )


def can_open_identity(user, signalement):
    """Ouvrir l'identité avec un motif : seulement pour qui doit le justifier."""
    return identity_rule(user, signalement) == IDENTITY_WITH_REASON


def can_read_identity(user, signalement):
    rule = identity_rule(user, signalement)
    return rule == IDENTITY_OPEN or (
        rule == IDENTITY_WITH_REASON and active_identity_opening(user, signalement) is not None
    )


def can_read_account(user, signalement):
    """Le récit, d'accès restreint : l'organisation déclarante, et la Miprof quand elle lit l'identité (pour une
    personne mineure, après avoir donné un motif). Jamais le valideur départemental."""
    role = current_role(user)
    if role in NATIONAL_CASE_ROLES:
        return can_read_identity(user, signalement)
    return _filing_member(user, signalement)


def can_answer_information_request(user, information_request):
    """Répondre à une demande de complément : une personne de l'organisation déclarante qui voit le signalement."""
    return _filing_member(user, information_request.signalement)


def can_share_signalement(user, signalement):
    """Partager avec un·e collègue, ou retirer le partage : l'auteur du signalement ou l'administrateur de la
    structure déclarante."""
    if not _filing_member(user, signalement):
        return False
    return current_role(user) == Role.ASSOCIATION_ADMIN or signalement.created_by_id == user.pk


def can_record_consent(user, signalement):
    """Enregistrer ou retirer un consentement : l'organisation déclarante (qui a recueilli la parole de la personne)
    et la Miprof, pour un signalement qu'elles voient."""
    if current_role(user) in NATIONAL_CASE_ROLES:
        return _sees(user, signalement)
    return _filing_member(user, signalement)
