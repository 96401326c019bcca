"""Le suivi statistique d'un signalement déposé : les champs que l'enquête annuelle de la Miprof et la grille du GRETA
demandent et qui évoluent pendant le parcours (repérée ou accompagnée, tuteur, indemnisation, retour volontaire).

Le contenu déposé ne change plus ; ces champs-là seuls se mettent à jour, par ce service, avec un événement."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mniop.roles import NATIONAL_CASE_ROLES, SIGNALEMENT_AUTHOR_ROLES, current_membership
from signalements.iso_codes import countries
from signalements.models import Signalement
from signalements.services.drafts import statistical_field_errors
from signalements.services.events import apply_transition

#: Les champs que le suivi statistique modifie après le dépôt.
FOLLOW_UP_FIELDS = ("support_level", "has_guardian", "compensation_status", "compensation_payer", "return_country")


def can_update_statistical_fields(user, signalement):
    """L'organisation déclarante (rôles de structure) et la Miprof, pour un signalement qu'elles voient."""
    membership = current_membership(user)
    if membership is None:
        return False
    if membership.role in SIGNALEMENT_AUTHOR_ROLES and membership.organisation_id != signalement.organisation_id:
        return False
    if membership.role not in SIGNALEMENT_AUTHOR_ROLES | NATIONAL_CASE_ROLES:
        return False
    return Signalement.objects.visible_to(user).filter(pk=signalement.pk).exists()


@transaction.atomic
def update_statistical_fields(*, signalement, by, **fields):
    unknown = set(fields) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus du suivi statistique : {', '.join(sorted(unknown))}")
    signalement = Signalement.objects.select_for_update().get(pk=signalement.pk)
    if not can_update_statistical_fields(by, signalement):
        raise PermissionDenied("Vous ne pouvez pas mettre à jour le suivi statistique de ce signalement.")
    if (code := fields.get("return_country")) and code.upper() not in countries():
        raise ValidationError({"return_country": "Le pays de retour s'indique par son code pays à deux lettres."})
    changed = []
    for name, value in fields.items():
        value = value.upper() if name == "return_country" else value
        if getattr(signalement, name) != value:
            setattr(signalement, name, value)
            changed.append(name)
    if not changed:
        return signalement
    errors = statistical_field_errors(signalement, is_minor=signalement.is_minor)
    if errors:
        raise ValidationError(errors)
    apply_transition(signalement, "update_statistical_fields", by=by, data={"fields": sorted(changed)}, fields=changed)
    return signalement
