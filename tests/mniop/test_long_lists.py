"""Les longues listes de territoires hors du formulaire de signalement sont elles aussi des listes à saisie assistée
(`mniop.forms.ComboboxSelect`, `static/js/combobox.js`, chargé par toute page), qui restent des listes déroulantes
sans JavaScript."""

import re

import pytest
from django.urls import reverse

from accounts.forms import InvitationForm
from mniop.roles import Role


@pytest.mark.parametrize(
    ("persona", "url", "field", "multiple"),
    [
        ("association_admin", lambda world: reverse("directory:entry_create"), "territories", True),
        ("association_agent", lambda world: reverse("directory:directory_search"), "territoire", False),
    ],
)
def test_territory_lists_are_type_ahead_lists(world, client_as, persona, url, field, multiple):
    html = client_as(persona).get(url(world)).text
    select = re.search(rf'<select name="{field}"[^>]*>', html).group(0)
    assert "data-combobox" in select
    assert ("multiple" in select) is multiple
    assert "js/combobox.js" in html
    assert "Maintenez Ctrl" not in html


def test_the_departements_of_a_validator_invitation_are_a_type_ahead_list(db):
    form = InvitationForm(roles=[Role.DEPARTMENTAL_VALIDATOR])
    html = str(form["departements"].as_field_group())
    assert re.search(r'<select name="departements"[^>]*data-combobox[^>]*multiple', html)
