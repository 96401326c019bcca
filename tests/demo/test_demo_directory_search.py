"""L'annuaire de démonstration, tel que la référente territoriale le trouve (issue 15, observation 13) : sa fiche
au bout de son nom et dans « Mes fiches », et « traite Lyon » qui trouve les fiches de la page du Rhône."""

import time

from django.test import Client
from django.urls import reverse

from accounts.models import User
from directory.search import search_directory
from referents.models import DirectoryEntry, Territory
from tests.personas import acting_as
from tests.two_factor import login_verified

REFERENT = "referent.marseille@demo.mniop.example"


def logged_in(email):
    client = Client()
    login_verified(client, User.objects.get(email=email))
    return client


def test_the_demo_referent_finds_her_own_entry_by_her_name(seeded, db):
    response = logged_in(REFERENT).get(reverse("directory:directory_search"), {"q": "Élodie Garcia"})

    found = [(entry.title, entry.organisation.name) for entry in response.context["page_obj"]]
    assert ("Magistrat·e référent·e TEH", "Tribunal judiciaire de Marseille") in found


def test_the_demo_referent_keeps_her_entry_from_my_entries(seeded, db):
    response = logged_in(REFERENT).get(reverse("directory:my_entries"))

    assert response.status_code == 200
    assert [entry.holder_email for entry in response.context["page_obj"]] == [REFERENT]


def test_traite_lyon_finds_the_entries_of_the_rhone_page_in_under_a_second(seeded, db):
    user = acting_as(User.objects.get(email=REFERENT).memberships.get())
    visible = DirectoryEntry.objects.visible_to(user)
    listed = set(visible.covering(Territory.objects.get(code="69")).values_list("pk", flat=True))

    started = time.perf_counter()
    result = search_directory(visible, q="traite Lyon")
    found = set(result.entries.values_list("pk", flat=True)[:100])
    elapsed = time.perf_counter() - started

    assert len(listed) >= 15 and listed <= found
    assert elapsed < 1.0
