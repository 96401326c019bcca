"""Le journal métier du signalement (`SignalementEvent`), en ajout seul."""

from mniop.roles import current_membership
from signalements.models import SignalementEvent


def record_event(*, signalement, kind, by, data=None):
    """Ajoute une ligne au journal du signalement, au nom de l'organisation courante de l'acteur. `data` : jamais de
    donnée personnelle (des noms de champs, des références, pas des valeurs saisies)."""
    membership = current_membership(by)
    return SignalementEvent.objects.create(
        signalement=signalement,
        kind=kind,
        actor=by,
        organisation_id=membership.organisation_id if membership else None,
        data=data or {},
    )
