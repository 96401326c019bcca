"""Des mots, pas des codes, partout où une personne lit : langues de la page d'une orientation, libellés des champs du
dossier, langue de la notice sur la page des consentements."""

import pytest
from django.test import Client
from django.urls import reverse

from orientation.services import referrals
from signalements.models import Consent
from signalements.presentation import signalement_groups
from tests.two_factor import login_verified


@pytest.fixture
def pending(validated, shelters, validator):
    validated.languages = ["en", "fr"]
    validated.save(update_fields=["languages"])
    return referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)


def test_the_referral_page_names_the_languages(pending, shelters):
    client = Client()
    login_verified(client, shelters.paris_agent)
    page = client.get(f"/orientations/{pending.public_id}/").text
    assert "Langues : Anglais, Français" in page
    assert "en, fr" not in page


def test_the_case_fields_are_labelled_in_words(validated):
    validated.nationalities = ["NG"]
    labels = {label: values for _, rows in signalement_groups(validated) for label, values in rows}
    assert labels["Nationalités"] == ["Nigeria"]
    assert not [label for label in labels if "ISO" in label]


def test_the_consents_page_names_the_notice_language(validated, client_as):
    Consent.objects.filter(signalement=validated).update(notice_language="en")
    page = client_as("association_agent").get(reverse("privacy:consents", args=[validated.public_id])).text
    assert "notice : anglais" in page
    assert "notice : en" not in page
