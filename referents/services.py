"""Écritures de la couche de base : les organisations. Celles de l'annuaire sont dans `directory/services.py`."""

import pghistory
from django.db import transaction

from referents.indexing import refresh_search_texts
from referents.models import Organisation


def history_actor(by):
    """Le contexte django-pghistory d'une écriture : l'auteur (identifiant public) ou le système."""
    return {"by": str(by.public_id)} if by is not None else {"by": "système"}


def update_organisation(*, organisation, by, **fields):
    """Modifie une organisation (administration de la plateforme) ; un changement de nom recalcule les textes
    indexés de ses fiches de l'annuaire, dans la même transaction."""
    with transaction.atomic(), pghistory.context(**history_actor(by)):
        renamed = "name" in fields and fields["name"] != Organisation.objects.get(pk=organisation.pk).name
        for field, value in fields.items():
            setattr(organisation, field, value)
        organisation.full_clean()
        organisation.save()
        if renamed:
            refresh_search_texts(organisation=organisation)
    return organisation
