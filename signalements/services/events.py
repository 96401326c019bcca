"""Le journal métier du signalement (`SignalementEvent`), en ajout seul, et la seule écriture de son état :
`apply_transition`, qui lit la table du cycle de vie (`signalements.lifecycle`) et exécute les effets de la
transition (les délais) dans la même transaction."""

from django.db import transaction

from mniop.roles import current_membership
from signalements import lifecycle, status_counts
from signalements.models import SignalementEvent


def record_event(*, signalement, kind, by, data=None, show_organisation=True):
    """Ajoute une ligne au journal du signalement, au nom de l'organisation courante de l'acteur. `data` : jamais de
    donnée personnelle (des noms de champs, des références, pas des valeurs saisies). `show_organisation=False` :
    l'organisation de l'acteur n'est pas inscrite (une structure d'hébergement : son nom situerait la personne)."""
    membership = current_membership(by) if show_organisation else None
    return SignalementEvent.objects.create(
        signalement=signalement,
        kind=kind,
        actor=by,
        organisation_id=membership.organisation_id if membership else None,
        data=data or {},
    )


def apply_transition(signalement, name, *, by, data=None, fields=(), show_organisation=True):
    """Applique la transition `name` de la table du cycle de vie au signalement (verrouillé par l'appelant) :
    vérifie l'état de départ (ValidationError en français), pose l'état d'arrivée, enregistre le signalement (l'état
    et les `fields` que le service a modifiés), écrit la ligne du journal, puis exécute les effets enregistrés de la
    transition (`lifecycle.register_effect` : ouvrir, suspendre, reprendre, arrêter les délais), dans la transaction
    de l'appelant : l'échéance est juste dès la validation. Renvoie l'événement."""
    row = lifecycle.transition(name)
    lifecycle.check(signalement, name)
    update_fields = list(fields)
    if row.target is not None:
        signalement.status = row.target
        update_fields.append("status")
        transaction.on_commit(status_counts.bump_version)
    if update_fields:
        signalement.save(update_fields=sorted({*update_fields, "updated_at"}))
    event = record_event(
        signalement=signalement, kind=row.event, by=by, data=data, show_organisation=show_organisation
    )
    for effect in lifecycle.effects_of(name):
        effect(signalement, event)
    return event
