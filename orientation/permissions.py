"""Prédicats `can_<verbe>_<nom>(user, signalement)` de l'instruction et de la validation départementale."""

from mniop.roles import NATIONAL_CASE_ROLES, Role, current_membership, current_role
from signalements.enums import SignalementStatus
from signalements.permissions import SIGNALEMENT_AUTHOR_ROLES

#: Les états où la Miprof instruit : l'instruction commencée, ou suspendue par une demande de complément.
TRIAGE_STATUSES = frozenset({SignalementStatus.IN_TRIAGE, SignalementStatus.INFORMATION_REQUESTED})
#: Les états où une mesure urgente peut être enregistrée : avant la décision (domaine §11.3).
URGENT_MEASURE_STATUSES = frozenset(
    {
        SignalementStatus.SUBMITTED,
        SignalementStatus.IN_TRIAGE,
        SignalementStatus.INFORMATION_REQUESTED,
        SignalementStatus.FORWARDED,
        SignalementStatus.REDIRECTED,
    }
)


def is_miprof(user):
    return current_role(user) in NATIONAL_CASE_ROLES


def can_triage_signalement(user):
    """Instruire (commencer, attribuer, qualifier, demander un complément, clore, transmettre) : la Miprof."""
    return is_miprof(user)


def decides_for(user, signalement):
    """Vrai si la personne est valideur·se d'un département dont relève le signalement."""
    membership = current_membership(user)
    if membership is None or membership.role != Role.DEPARTMENTAL_VALIDATOR:
        return False
    departement_id = signalement.competent_departement_id or signalement.departement_id
    return membership.departements.filter(pk=departement_id).exists()


def can_decide_signalement(user, signalement):
    return decides_for(user, signalement)


def can_request_reconsideration(user, signalement):
    """Le réexamen se demande par l'organisation déclarante (ses agents et administrateurs)."""
    membership = current_membership(user)
    return (
        membership is not None
        and membership.role in SIGNALEMENT_AUTHOR_ROLES
        and membership.organisation_id == signalement.organisation_id
    )


def can_record_urgent_measure(user, signalement):
    return is_miprof(user) or decides_for(user, signalement)


def can_download_decision_letter(user, signalement):
    """L'attestation : l'organisation déclarante, la Miprof, l'autorité qui a décidé."""
    return is_miprof(user) or decides_for(user, signalement) or can_request_reconsideration(user, signalement)


def can_manage_clock_settings(user):
    return current_role(user) == Role.MIPROF_ADMIN


#: Les états où le parcours se suit : mesures enregistrées et mises à jour, dossier clos (domaine §11.3).
JOURNEY_STATUSES = frozenset({SignalementStatus.VALIDATED, SignalementStatus.FOLLOW_UP})


def follows_case(user, signalement):
    """Suivre le parcours (mesures, clôture, réouverture, fiche d'information des droits) : l'organisation
    déclarante (ses membres qui voient le dossier), la Miprof et l'autorité du département."""
    return is_miprof(user) or decides_for(user, signalement) or can_request_reconsideration(user, signalement)


def can_record_measure(user, signalement):
    return follows_case(user, signalement)


def can_close_case(user, signalement):
    return follows_case(user, signalement)


def can_download_rights_sheet(user, signalement):
    return follows_case(user, signalement)
