"""Toute la démonstration est chargée une seule fois pour le paquet (`seed_demo`, comme `make run`, avec 40
signalements et 5 brouillons), dans une transaction annulée à la fin : chaque test travaille dans un point de
sauvegarde (fixture `db`), comme d'habitude. Le document joint de démonstration est rangé dans un dossier temporaire,
pas dans `.local/pieces-jointes`."""

import pytest
from django.db import transaction
from django.test import override_settings

from demo.seeding import seed_demo

SIGNALEMENTS = 40
DRAFTS = 5


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    attachments = override_settings(ATTACHMENTS_ROOT=str(tmp_path_factory.mktemp("pieces-jointes")))
    with attachments, django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(signalements=SIGNALEMENTS, drafts=DRAFTS, force=True)
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo):
    """Le compte rendu des organisations, habilitations, comptes et fiches de l'annuaire."""
    return demo.base
