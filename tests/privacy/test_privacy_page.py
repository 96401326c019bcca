"""La page publique « Données personnelles » dit ce que la plateforme fait : ses durées viennent des réglages
appliqués par la tâche de conservation, pas d'un texte à part."""

import copy

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_the_privacy_page_states_the_periods_the_job_applies(client):
    page = client.get("/donnees-personnelles/").content.decode()

    assert "supprimé après 90 jours sans modification" in page
    assert "identité effacée 5 ans après la clôture" in page
    assert "liste des personnes qui ont consulté son dossier" in page
    assert settings.MNIOP["DPO_CONTACT"] in page


def test_a_changed_period_changes_the_page(client):
    mniop = copy.deepcopy(settings.MNIOP)
    mniop["RETENTION"]["CLOSED_CASE_DAYS"] = 3 * 365
    with override_settings(MNIOP=mniop):
        page = client.get("/donnees-personnelles/").content.decode()
    assert "identité effacée 3 ans après la clôture" in page
