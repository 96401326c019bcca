"""Une entrée mal formée dans une adresse ou un filtre donne une page normale ou un 404, jamais une erreur 500."""

import pytest
from django.urls import reverse

MISSING_UUID = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize("query", [{"categorie": "inconnue"}, {"categorie": "<script>"}, {"page": "abc"}])
def test_malformed_list_filters_still_show_the_page(world, client_as, query):
    client = client_as("miprof_admin")
    assert client.get(reverse("signalements:reference_value_list"), query).status_code == 200
    assert client.get(reverse("accounts:access_log_list"), {"since": "pas-une-date", **query}).status_code == 200
    assert client.get(reverse("accounts:organisation_list"), query).status_code == 200


def test_unknown_or_malformed_identifiers_are_404(world, client_as):
    client = client_as("miprof_admin")
    assert client.get(f"/referentiels/{MISSING_UUID}/modifier/").status_code == 404
    assert client.post(reverse("accounts:membership_switch"), {"membership": "pas-un-uuid"}).status_code == 404
