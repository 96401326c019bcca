"""Ce que coûte, en requêtes SQL, la résolution d'une requête connectée (session, personne, second facteur,
adhésion avec ses départements), et ce qui doit rester vrai dès la requête suivante : un second facteur retiré,
une adhésion désactivée, une habilitation arrivée à son terme."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mniop.roles import departement_ids

#: Session, personne, dispositif du second facteur, adhésion (avec organisation, fuseau et départements).
RESOLUTION_QUERIES = 4


def resolution_queries(client):
    """Les requêtes d'une page publique sans donnée (« Accessibilité ») ouverte par une session connectée : la
    résolution de la requête, puis ce que l'en-tête lit pour toute page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_logged_in_request_resolves_its_membership_and_departements_in_one_query(world, client_as):
    client = client_as("departmental_validator")
    resolution_queries(client)  # la première requête peut noter l'activité de la session
    queries = resolution_queries(client)
    membership_reads = [sql for sql in queries if 'FROM "accounts_membership"' in sql]
    assert len(membership_reads) == 1
    departements_join = 'FROM "referents_territory" INNER JOIN "accounts_membership_departements"'
    assert not any(departements_join in sql for sql in queries)
    first_page_queries = [sql for sql in queries if "accounts_membership" in sql or "django_session" in sql]
    assert len(first_page_queries) == 2  # la session, puis l'adhésion


def test_the_logged_in_request_resolution_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    client = client_as("miprof_agent")
    resolution_queries(client)
    # Plus le compteur de notifications de l'en-tête, dans son point de sauvegarde (3 requêtes).
    with django_assert_max_num_queries(RESOLUTION_QUERIES + 3):
        client.get(reverse("accessibility"))


def test_the_departements_read_with_the_membership_are_those_of_the_membership(world, client_as):
    client = client_as("departmental_validator")
    client.get(reverse("accessibility"))
    membership = client.get(reverse("accessibility")).wsgi_request.membership
    assert membership.departement_ids == [world.paris.pk]
    assert departement_ids(world.memberships["departmental_validator"]) == [world.paris.pk]


def test_a_departement_removed_from_a_validator_is_out_of_the_queue_on_the_next_request(world, client_as):
    client = client_as("departmental_validator")
    assert client.get(reverse("orientation:departement_queue")).wsgi_request.membership.departement_ids == [
        world.paris.pk
    ]
    world.memberships["departmental_validator"].departements.set([world.nord])
    membership = client.get(reverse("orientation:departement_queue")).wsgi_request.membership
    assert membership.departement_ids == [world.nord.pk]


def test_a_removed_second_factor_device_takes_effect_on_the_next_request(world, client_as):
    client = client_as("miprof_agent")
    assert client.get(reverse("orientation:miprof_queue")).status_code == 200
    TOTPDevice.objects.filter(user=world.user("miprof_agent")).delete()
    response = client.get(reverse("orientation:miprof_queue"))
    assert response.status_code == 302
    assert reverse("orientation:miprof_queue") not in response["Location"].split("?")[0]


def test_a_deactivated_membership_takes_effect_on_the_next_request(world, client_as):
    client = client_as("miprof_agent")
    assert client.get(reverse("orientation:miprof_queue")).status_code == 200
    membership = world.memberships["miprof_agent"]
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    response = client.get(reverse("orientation:miprof_queue"))
    assert response.status_code == 403
    assert response.wsgi_request.membership is None


def test_an_ended_habilitation_takes_effect_on_the_next_request(world, client_as):
    client = client_as("association_agent")
    assert client.get(reverse("signalements:draft_create")).status_code == 200
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    world.association.habilitations.update(ends_on=yesterday)
    response = client.get(reverse("signalements:draft_create"))
    assert response.status_code == 403
    assert f"a pris fin le {yesterday.strftime('%d/%m/%Y')}" in response.content.decode()
