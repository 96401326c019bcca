"""Prédicats `can_<verbe>_<nom>(user, signalement)` de l'instruction et de la validation départementale."""

from accounts.membership import validators_for
from mniop.roles import (
    LAW_ENFORCEMENT_ROLES,
    NATIONAL_CASE_ROLES,
    SIGNALEMENT_AUTHOR_ROLES,
    Role,
    current_membership,
    current_role,
    departement_ids,
)
from referents.enums import OrganisationKind
from signalements.models import Signalement

# Les états où chaque action est possible sont dans la table du cycle de vie (`signalements.lifecycle`) : ces
# prédicats ne disent que qui peut agir.


def is_miprof(user):
    return current_role(user) in NATIONAL_CASE_ROLES


def is_validator(user):
    membership = current_membership(user)
    return membership is not None and membership.role == Role.DEPARTMENTAL_VALIDATOR


def can_triage_signalement(user):
    """Instruire (commencer, attribuer, qualifier, demander un complément, clore, transmettre) : la Miprof."""
    return is_miprof(user)


def decides_for(user, signalement):
    """Vrai si la personne est valideur·se d'un département dont relève le signalement ; à défaut de tout·e
    valideur·se actif·ve pour ce département, l'administration de la Miprof décide (repli national)."""
    membership = current_membership(user)
    if membership is None:
        return False
    if membership.role == Role.MIPROF_ADMIN:
        return not validators_for(signalement.responsible_departement).exists()
    if membership.role != Role.DEPARTMENTAL_VALIDATOR:
        return False
    return signalement.responsible_departement_id in departement_ids(membership)


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


def can_activate_acse_on_the_spot(user, signalement):
    """Activer Ac.Sé sur place (001:1656-1661) : l'unité de police ou de gendarmerie qui a déposé le signalement."""
    membership = current_membership(user)
    return (
        membership is not None
        and membership.role in LAW_ENFORCEMENT_ROLES
        and membership.organisation_id == signalement.organisation_id
    )


def can_download_decision_letter(user, signalement):
    """L'attestation : l'organisation déclarante, la Miprof, l'autorité qui a décidé."""
    return is_miprof(user) or decides_for(user, signalement) or can_request_reconsideration(user, signalement)


def can_manage_clock_settings(user):
    return current_role(user) == Role.MIPROF_ADMIN


# --- Hébergement et orientation ----------------------------------------------------------------------------------


def organisation_kind(user):
    membership = current_membership(user)
    return membership.organisation.kind if membership else None


def is_acse_coordination(user):
    return organisation_kind(user) == OrganisationKind.ACSE


def is_shelter_member(user, shelter=None):
    """Membre d'une structure d'hébergement (de celle-ci si elle est donnée)."""
    membership = current_membership(user)
    if membership is None or membership.organisation.kind != OrganisationKind.SHELTER:
        return False
    return shelter is None or shelter.organisation_id == membership.organisation_id


def can_edit_shelter_profile(user, profile):
    """Le profil d'une structure (critères, langues, position, adresse scellée, places) : ses administrateur·rices."""
    return current_role(user) == Role.ASSOCIATION_ADMIN and is_shelter_member(user, profile)


def can_manage_shelters(user):
    """Créer le profil d'une structure d'hébergement, la marquer partenaire Ac.Sé : l'administration de la Miprof."""
    return current_role(user) == Role.MIPROF_ADMIN


def can_propose_referral(user, signalement):
    """Proposer une orientation : la Miprof, l'autorité du département compétent."""
    return is_miprof(user) or decides_for(user, signalement)


def can_dispatch_referral(user, referral):
    return is_acse_coordination(user) and referral.channel == "acse"


def can_approve_distancing_waiver(user, waiver):
    """La seconde approbation d'un placement hors règle d'éloignement : une autre personne que celle qui l'a
    demandé, de la coordination Ac.Sé ou de l'administration de la Miprof."""
    if user is None or waiver.requested_by_id == user.pk:
        return False
    return is_acse_coordination(user) or current_role(user) == Role.MIPROF_ADMIN


def can_answer_referral(user, referral):
    """Accepter, refuser, confirmer l'arrivée, enregistrer le départ : la structure qui accueille."""
    return referral.shelter_id is not None and is_shelter_member(user, referral.shelter)


def can_see_location(user, referral):
    """Le lieu scellé : la structure qui accueille et la coordination Ac.Sé, rien qu'elles (le bris de glace est
    vérifié à part, `orientation.services.break_glass.has_active_access`)."""
    if referral.shelter_id is None:
        return False
    return is_shelter_member(user, referral.shelter) or (referral.channel == "acse" and is_acse_coordination(user))


def can_break_glass(user, signalement):
    """L'accès d'urgence : les personnes qui suivent le dossier (Miprof, autorité départementale, déclarant)."""
    return is_miprof(user) or decides_for(user, signalement) or can_request_reconsideration(user, signalement)


def can_record_minor_protection(user, signalement):
    return is_miprof(user) or decides_for(user, signalement)


def follows_case(user, signalement):
    """Suivre le parcours (mesures, clôture, réouverture, fiche d'information des droits) : l'organisation
    déclarante (ses membres qui voient le dossier), la Miprof et l'autorité du département."""
    return is_miprof(user) or decides_for(user, signalement) or can_request_reconsideration(user, signalement)


def is_child_protection_for(user, signalement):
    """L'ASE / CRIP ou le parquet d'un dossier du circuit des mineurs de son département (sa portée le dit)."""
    membership = current_membership(user)
    if membership is None or membership.role not in (Role.CHILD_PROTECTION_AGENT, Role.PARQUET_MAGISTRATE):
        return False
    return Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()


def can_answer_child_protection(user, signalement):
    """Répondre (prise en charge, placement, OPP, enquête) : l'ASE / CRIP et le parquet du département."""
    return is_child_protection_for(user, signalement)


def can_entrust_to_child_protection(user, signalement):
    """Clore « confié à la protection de l'enfance » : l'ASE / CRIP du département, ou la Miprof."""
    return is_miprof(user) or (
        current_role(user) == Role.CHILD_PROTECTION_AGENT and is_child_protection_for(user, signalement)
    )


def can_record_measure(user, signalement):
    """Les mesures : ceux qui suivent le parcours, et pour un mineur confié au circuit des mineurs, l'ASE / CRIP et
    le parquet du département."""
    return follows_case(user, signalement) or is_child_protection_for(user, signalement)


def can_close_case(user, signalement):
    return follows_case(user, signalement)


def can_download_rights_sheet(user, signalement):
    return follows_case(user, signalement)


# --- Procédures judiciaires et protection des témoins ----------------------------------------------------------


def is_parquet_for(user, signalement):
    """Le parquet d'un dossier : la magistrate ou le magistrat référent qui voit ce dossier (sa portée le dit)."""
    return current_role(user) == Role.PARQUET_MAGISTRATE and (
        Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()
    )


def can_edit_procedure(user, signalement):
    """Les procédures judiciaires : l'organisation déclarante (dont l'unité de police ou de gendarmerie qui a déposé),
    la Miprof, et le parquet qui voit le dossier."""
    return is_miprof(user) or can_request_reconsideration(user, signalement) or is_parquet_for(user, signalement)


def can_see_service_address(user, measure):
    """L'adresse scellée d'une élection de domicile : l'organisation auprès de qui le domicile est élu (opératrice de
    la mesure) et le parquet du dossier, rien qu'eux (le bris de glace est vérifié à part, comme pour le lieu
    d'hébergement)."""
    membership = current_membership(user)
    if membership is None or not measure.service_address:
        return False
    if measure.operator_id is not None and membership.organisation_id == measure.operator_id:
        return True
    return is_parquet_for(user, measure.signalement)


def can_add_attachment(user, signalement):
    """Joindre un document au dossier : l'organisation déclarante, la Miprof, le parquet qui voit le dossier (comme
    les procédures judiciaires)."""
    return can_edit_procedure(user, signalement)


def can_read_attachments(user, signalement):
    """Lire les documents du dossier : qui peut en joindre, et l'autorité départementale qui décide du dossier (elle
    lit, sans joindre)."""
    return can_add_attachment(user, signalement) or decides_for(user, signalement)
