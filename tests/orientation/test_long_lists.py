"""Les longues listes de l'instruction et des files (départements, agent·es) sont des listes à saisie assistée
(`mniop.forms.ComboboxSelect`, `static/js/combobox.js`) ; sans JavaScript, la liste déroulante reste."""

import re

import pytest
from django.urls import reverse


def select_of(page, name):
    match = re.search(rf"<select[^>]*name=\"(\w+-)?{name}\"[^>]*>", page)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize(
    ("action", "field"),
    [("transmettre", "departement"), ("qualifier", "competent_departement")],
)
def test_the_departement_lists_of_triage_are_type_ahead_lists(client_as, in_triage, action, field):
    url = reverse("orientation:case_action", args=[in_triage.public_id, action])
    response = client_as("miprof_agent").get(url)
    assert response.status_code == 200
    assert "data-combobox" in select_of(response.content.decode(), field)


def test_the_redirect_departement_is_a_type_ahead_list(client_as, forwarded):
    url = reverse("orientation:case_action", args=[forwarded.public_id, "decider"])
    page = client_as("departmental_validator").get(url).content.decode()
    assert "data-combobox" in select_of(page, "redirected_to")


def test_the_queue_filters_use_type_ahead_lists(client_as):
    miprof_page = client_as("miprof_agent").get(reverse("orientation:miprof_queue")).content.decode()
    assert "data-combobox" in select_of(miprof_page, "agent")
    departement_page = client_as("departmental_validator").get(reverse("orientation:departement_queue"))
    assert "data-combobox" in select_of(departement_page.content.decode(), "departement")
