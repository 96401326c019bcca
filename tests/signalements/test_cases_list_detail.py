"""« Mes signalements » et l'espace de travail d'un signalement déposé (la seule page d'un dossier ; l'ancienne
adresse `/signalements/<uuid>/` y renvoie) : portée, filtres, récit restreint, journal, requêtes."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AccessAction, AccessLog
from referents.enums import Zone
from signalements.enums import ReferenceCategory, SignalementEventKind, SignalementStatus
from signalements.models import Signalement, SignalementEvent
from signalements.permissions import can_read_account
from signalements.presentation import GROUPS
from signalements.services.events import record_event
from tests.personas import EVERYONE, PERSONAS, with_first_line
from tests.referents.factories import RegionFactory, TerritoryFactory
from tests.signalements.factories import (
    InformationRequestFactory,
    ReferenceValueFactory,
    SignalementFactory,
    SubmittedSignalementFactory,
)

LIST_URL = reverse("signalements:signalement_list")
ACCOUNT = "Récit confidentiel de la personne"


def matrix(**expected):
    expected = with_first_line(expected)
    assert set(expected) == set(EVERYONE), set(EVERYONE) ^ set(expected)
    return pytest.mark.parametrize("persona, expected_status", list(expected.items()))


def submitted(world, persona="association_agent", **fields):
    """Un signalement déposé par un persona de l'association de Paris."""
    return SubmittedSignalementFactory(
        **{
            "organisation": world.association,
            "created_by": world.user(persona),
            "departement": world.paris,
            "account": ACCOUNT,
        }
        | fields
    )


def detail_url(signalement):
    """L'espace de travail du dossier."""
    return reverse("orientation:case_detail", args=[signalement.public_id])


def old_url(signalement):
    """L'ancienne page du signalement, que les anciens liens et notifications ouvrent encore."""
    return reverse("signalements:signalement_detail", args=[signalement.public_id])


def listed(response):
    return {signalement.pk for signalement in response.context["page_obj"]}


# La liste


@matrix(
    anonymous=302,
    association_agent=200,
    association_admin=200,
    association_agent_other_org=200,
    association_admin_other_org=200,
    miprof_agent=200,
    miprof_admin=200,
    departmental_validator=200,
    departmental_validator_other_departement=200,
    territorial_referent=200,
    statistician=200,
    platform_admin=200,
)
def test_list_access(world, client_as, persona, expected_status):
    assert client_as(persona).get(LIST_URL).status_code == expected_status


@pytest.mark.parametrize(
    "persona, sees_own, sees_colleague",
    [
        ("association_agent", True, False),
        ("association_admin", True, True),
        ("association_agent_other_org", False, False),
        ("association_admin_other_org", False, False),
        ("miprof_agent", True, True),
        ("departmental_validator", False, False),
        ("territorial_referent", False, False),
        ("statistician", False, False),
        ("platform_admin", False, False),
    ],
)
def test_list_shows_what_visible_to_gives(world, client_as, persona, sees_own, sees_colleague):
    own = submitted(world)
    colleague = submitted(world, "association_admin")
    expected = {signalement.pk for signalement, seen in [(own, sees_own), (colleague, sees_colleague)] if seen}
    assert listed(client_as(persona).get(LIST_URL)) == expected


def test_list_writes_a_search_row_in_the_access_log(world, client_as):
    client_as("association_admin").get(LIST_URL)
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_type, entry.user) == (
        AccessAction.SEARCH,
        "signalements.signalement",
        world.user("association_admin"),
    )


def test_list_links_a_draft_to_its_draft_page(world, client_as):
    draft = SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))
    content = client_as("association_agent").get(LIST_URL).content.decode()
    assert f'href="{reverse("signalements:draft_resume", args=[draft.public_id])}">Brouillon</a>' in content


def test_list_links_a_submitted_signalement_to_its_detail_page(world, client_as):
    signalement = submitted(world)
    content = client_as("association_agent").get(LIST_URL).content.decode()
    assert f'href="{detail_url(signalement)}">{signalement.reference}</a>' in content


def test_list_shows_status_badge_and_markers(world, client_as):
    signalement = submitted(
        world, status=SignalementStatus.INFORMATION_REQUESTED, urgent=True, is_mna=True, estimated_age=16
    )
    InformationRequestFactory(signalement=signalement)
    content = client_as("association_agent").get(LIST_URL).content.decode()
    assert 'fr-badge--warning">Complément demandé</p>' in content
    assert ">Urgent</p>" in content
    assert ">Mineur</p>" in content
    assert ">Complément attendu</p>" in content


def test_list_counts_signalements_per_status(world, client_as):
    submitted(world)
    submitted(world)
    submitted(world, status=SignalementStatus.IN_TRIAGE)
    response = client_as("association_admin").get(LIST_URL, {"status": SignalementStatus.IN_TRIAGE})
    counts = {item["value"]: item["count"] for item in response.context["status_counts"]}
    assert counts == {SignalementStatus.SUBMITTED: 2, SignalementStatus.IN_TRIAGE: 1}
    assert response.context["page_obj"].paginator.count == 1


@pytest.mark.parametrize(
    "filters, matching, other",
    [
        ({"status": "in_triage"}, {"status": SignalementStatus.IN_TRIAGE}, {}),
        ({"urgent": "on"}, {"urgent": True}, {}),
        ({"minor": "on"}, {"is_mna": True}, {}),
        ({"minor": "on"}, {"estimated_age": 15}, {"estimated_age": 25}),
        ({"minor": "on"}, {"birth_date": datetime.date(2015, 3, 1)}, {"birth_date": datetime.date(1990, 3, 1)}),
        ({"q": "helene"}, {"pseudonym": "Hélène"}, {"pseudonym": "Rose"}),
        ({"q": "HÉLÈNE"}, {"pseudonym": "Helene"}, {"pseudonym": "Rose"}),
        ({"q": "laetitia"}, {"pseudonym": "Lætitia"}, {"pseudonym": "Rose"}),
        ({"q": "coeur"}, {"pseudonym": "Cœur"}, {"pseudonym": "Rose"}),
        ({"q": "MNIOP-2026-123456"}, {"reference": "MNIOP-2026-123456"}, {}),
    ],
)
def test_list_filters(world, client_as, filters, matching, other):
    match = submitted(world, **matching)
    submitted(world, **{"pseudonym": "Rose"} | other)
    assert listed(client_as("association_agent").get(LIST_URL, filters)) == {match.pk}


def test_list_filters_signalements_with_a_pending_information_request(world, client_as):
    pending = InformationRequestFactory(signalement=submitted(world)).signalement
    InformationRequestFactory(signalement=submitted(world), answered_at=timezone.now())
    submitted(world)
    response = client_as("association_agent").get(LIST_URL, {"pending_request": "on"})
    assert listed(response) == {pending.pk}


def test_list_filters_signalements_created_by_me(world, client_as):
    mine = submitted(world, "association_admin")
    submitted(world, "association_agent")
    assert listed(client_as("association_admin").get(LIST_URL, {"mine": "on"})) == {mine.pk}


def test_list_filters_by_creation_date_range(world, client_as):
    inside = submitted(world)
    outside = submitted(world)
    Signalement.objects.filter(pk=inside.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 3, 10)))
    Signalement.objects.filter(pk=outside.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 4, 10)))
    response = client_as("association_agent").get(LIST_URL, {"since": "2026-03-01", "until": "2026-03-31"})
    assert listed(response) == {inside.pk}


def test_list_refuses_a_date_range_that_ends_before_it_starts(world, client_as):
    response = client_as("association_agent").get(LIST_URL, {"since": "2026-03-31", "until": "2026-03-01"})
    assert response.status_code == 200
    assert "La date de fin doit être postérieure à la date de début." in response.content.decode()


def test_list_ignores_an_invalid_filter_and_applies_the_others(world, client_as):
    urgent = submitted(world, urgent=True)
    submitted(world)
    response = client_as("association_agent").get(LIST_URL, {"status": "inconnu", "urgent": "on"})
    assert response.status_code == 200
    assert listed(response) == {urgent.pk}
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_list_is_paginated(world, client_as):
    for _ in range(27):
        submitted(world)
    response = client_as("association_agent").get(LIST_URL, {"page": 2})
    assert len(response.context["page_obj"]) == 2


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_signalements(world, client_as, django_assert_max_num_queries, count):
    client = client_as("association_agent")
    for index in range(count):
        InformationRequestFactory(signalement=submitted(world, urgent=index % 2 == 0))
    with django_assert_max_num_queries(14):  # +1 : le compteur de notifications non lues de l'en-tête
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(count, 25)


# L'espace de travail d'un signalement déposé


@matrix(
    anonymous=302,
    association_agent=200,
    association_admin=200,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=200,
    miprof_admin=200,
    departmental_validator=404,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=404,
)
def test_detail_access_of_a_submitted_signalement(world, client_as, persona, expected_status):
    assert client_as(persona).get(detail_url(submitted(world))).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=200,
    association_admin=200,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=200,
    miprof_admin=200,
    departmental_validator=200,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=404,
)
def test_detail_access_of_a_forwarded_signalement(world, client_as, persona, expected_status):
    signalement = submitted(world, status=SignalementStatus.FORWARDED)
    assert client_as(persona).get(detail_url(signalement)).status_code == expected_status


@matrix(
    anonymous=302,
    association_agent=200,
    association_admin=200,
    association_agent_other_org=404,
    association_admin_other_org=404,
    miprof_agent=200,
    miprof_admin=200,
    departmental_validator=200,
    departmental_validator_other_departement=404,
    territorial_referent=404,
    statistician=404,
    platform_admin=404,
)
def test_the_old_signalement_page_redirects_to_the_workspace_for_whoever_sees_it(
    world, client_as, persona, expected_status
):
    """Statut attendu de l'espace de travail : qui le voit est renvoyé (302) de l'ancienne adresse, les autres ont
    404 comme avant ; la personne non connectée va à la connexion."""
    signalement = submitted(world, status=SignalementStatus.FORWARDED)
    response = client_as(persona).get(old_url(signalement))
    if expected_status == 200:
        assert (response.status_code, response["Location"]) == (302, detail_url(signalement))
    else:
        assert response.status_code == expected_status
        assert persona != "anonymous" or response["Location"].startswith(reverse("accounts:login"))
    assert not AccessLog.objects.filter(action=AccessAction.READ).exists()


def test_the_old_page_of_a_draft_leads_to_its_intake_pages(world, client_as):
    draft = SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))
    client = client_as("association_agent")
    draft_page = reverse("signalements:draft_resume", args=[draft.public_id])
    assert client.get(old_url(draft))["Location"] == draft_page
    assert client.get(detail_url(draft))["Location"] == draft_page


def test_detail_of_another_agents_signalement_is_404_for_an_agent(world, client_as):
    signalement = submitted(world, "association_admin")
    assert client_as("association_agent").get(detail_url(signalement)).status_code == 404


def test_detail_writes_a_read_row_in_the_access_log(world, client_as):
    signalement = submitted(world)
    client_as("miprof_agent").get(detail_url(signalement))
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_id, entry.view_name) == (
        AccessAction.READ,
        str(signalement.public_id),
        "orientation:case_detail",
    )


@pytest.mark.parametrize(
    "persona, reads",
    [
        ("association_agent", True),
        ("association_admin", True),
        ("miprof_agent", True),
        ("miprof_admin", True),
        ("departmental_validator", False),
    ],
)
def test_account_is_shown_only_to_the_filing_organisation_and_the_miprof(world, client_as, persona, reads):
    signalement = submitted(world, status=SignalementStatus.FORWARDED)
    content = client_as(persona).get(detail_url(signalement)).content.decode()
    assert (ACCOUNT in content) is reads


@pytest.mark.parametrize(
    "persona, allowed",
    [
        (persona, persona in {"association_agent", "association_admin", "miprof_agent", "miprof_admin"})
        for persona in PERSONAS
    ],
)
def test_can_read_account_matrix(world, persona, allowed):
    signalement = submitted(world, status=SignalementStatus.FORWARDED)
    assert can_read_account(world.acting(persona), signalement) is allowed


def test_agent_does_not_read_the_account_of_a_colleagues_signalement(world):
    signalement = submitted(world, "association_admin")
    assert can_read_account(world.acting("association_agent"), signalement) is False


def test_detail_shows_every_group_with_readable_labels(world, client_as):
    retired = ReferenceValueFactory(
        category=ReferenceCategory.SECTOR, code="ancien_secteur", label="Ancien secteur", retired_at=timezone.now()
    )
    signalement = submitted(world, needs_interpreter=True, nationalities=["NG"])
    signalement.sectors.set([retired])
    content = client_as("association_agent").get(detail_url(signalement)).content.decode()
    for title, _ in GROUPS:
        assert f">{escape(title)}</h3>" in content
    assert "Exploitation sexuelle" in content
    assert "Ancien secteur (valeur retirée)" in content
    assert "Consentement recueilli" in content
    assert "Paris (75)" in content
    assert re.search(r">\s*Nationalités\s*<", content)  # des mots, pas « (ISO 3166 alpha-2) »
    assert "ISO 3166" not in content
    assert "Procureur·e de la République informé·e (art. 40 CPP)" in content
    assert "Besoin d&#x27;interprète" in content


def event_at(world, signalement, at, kind=SignalementEventKind.SUBMITTED):
    """Une ligne du journal à une date donnée (le journal est en ajout seul : la date se pose à la création)."""
    return SignalementEvent.objects.create(
        signalement=signalement,
        kind=kind,
        at=at,
        actor=world.user("association_agent"),
        organisation=world.association,
    )


def test_timeline_shows_french_labels_actor_and_organisation(world, client_as):
    signalement = submitted(world)
    event_at(world, signalement, timezone.now())
    content = client_as("association_agent").get(detail_url(signalement)).content.decode()
    assert "Signalement soumis" in content
    assert f"par {world.user('association_agent')}" in content
    assert "(Association Accueil Paris)" in content


def test_timeline_shows_dates_in_paris_time_for_a_paris_organisation(world, client_as):
    signalement = submitted(world)
    event_at(world, signalement, datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.UTC))
    content = client_as("association_agent").get(detail_url(signalement)).content.decode()
    assert "15/01/2026 à 10:30" in content


def test_timeline_shows_dates_in_the_time_zone_of_the_users_organisation(world, client_as):
    reunion = TerritoryFactory(
        code="974",
        name="La Réunion",
        zone=Zone.OUTRE_MER,
        region=RegionFactory(code="04", name="La Réunion"),
        time_zone="Indian/Reunion",
    )
    world.association.territories.set([reunion])
    signalement = submitted(world)
    event_at(world, signalement, datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.UTC))
    content = client_as("association_agent").get(detail_url(signalement)).content.decode()
    assert "15/01/2026 à 13:30" in content


@pytest.mark.parametrize("count", [1, 10])
def test_detail_query_count_does_not_grow_with_events(world, client_as, django_assert_max_num_queries, count):
    signalement = submitted(world)
    InformationRequestFactory(signalement=signalement)
    InformationRequestFactory(signalement=signalement, answered_at=timezone.now(), answer="Réponse")
    for _ in range(count):
        record_event(signalement=signalement, kind=SignalementEventKind.ASSIGNED, by=world.acting("miprof_agent"))
    client = client_as("association_agent")
    # +1 : le second facteur de la session (django-otp) ; +1 : le compteur de notifications non lues de l'en-tête ;
    # +1 : les consentements par finalité
    with django_assert_max_num_queries(37):  # contenu, procédures, orientation, rapprochements, 2 SET LOCAL
        response = client.get(detail_url(signalement))
    assert response.status_code == 200
    assert len(response.context["timeline"]) + len(response.context["older_timeline"]) == count


@pytest.mark.parametrize(
    "query", [{"since": "pas-une-date"}, {"page": "abc"}, {"page": "999"}, {"q": "x" * 500}, {"status": "<script>"}]
)
def test_malformed_list_filters_still_show_the_page(world, client_as, query):
    submitted(world)
    assert client_as("association_agent").get(LIST_URL, query).status_code == 200


def test_unknown_identifiers_are_404(world, client_as):
    signalement = submitted(world)
    missing = "00000000-0000-0000-0000-000000000000"
    client = client_as("association_agent")
    assert client.get(f"/signalements/{missing}/").status_code == 404
    assert client.get(f"/dossiers/{missing}/").status_code == 404
    assert client.post(f"/dossiers/{signalement.public_id}/complements/{missing}/repondre/").status_code == 404
    assert client.post(f"/signalements/{signalement.public_id}/partages/{missing}/retirer/").status_code == 404
