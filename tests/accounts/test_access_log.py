import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from pghistory.models import Events

from accounts.models import AccessAction, AccessLog


def test_reading_an_organisation_writes_an_access_log_row(world, client_as):
    client_as("association_agent").get(reverse("accounts:organisation_detail", args=[world.association.public_id]))

    entry = AccessLog.objects.get()
    assert entry.user == world.user("association_agent")
    assert entry.organisation == world.association
    assert entry.role == "association_agent"
    assert entry.action == AccessAction.READ
    assert entry.object_type == "referents.organisation"
    assert entry.object_id == str(world.association.public_id)
    assert entry.view_name == "accounts:organisation_detail"
    assert entry.method == "GET"


def test_out_of_scope_read_writes_no_access_log_row(world, client_as):
    url = reverse("accounts:organisation_detail", args=[world.association.public_id])
    assert client_as("association_agent_other_org").get(url).status_code == 404
    assert not AccessLog.objects.exists()


def test_reading_the_member_list_is_logged(world, client_as):
    client_as("association_admin").get(reverse("accounts:organisation_members", args=[world.association.public_id]))
    entry = AccessLog.objects.get()
    assert entry.object_type == "accounts.membership"
    assert entry.object_id == str(world.association.public_id)


def test_searching_the_access_log_is_itself_logged(world, client_as):
    client_as("miprof_admin").get(reverse("accounts:access_log_list"), {"email": "personne"})
    assert AccessLog.objects.filter(action=AccessAction.SEARCH, object_type="accounts.accesslog").count() == 1


def test_access_log_search_filters_by_object(world, client_as):
    client_as("association_agent").get(reverse("accounts:organisation_detail", args=[world.association.public_id]))
    client_as("miprof_agent").get(reverse("accounts:organisation_detail", args=[world.miprof.public_id]))

    response = client_as("miprof_admin").get(
        reverse("accounts:access_log_list"), {"object_id": str(world.association.public_id)}
    )

    assert response.context["page_obj"].paginator.count == 1
    assert world.user("association_agent").email in response.content.decode()


def test_access_log_rows_cannot_be_updated(world, client_as):
    client_as("association_agent").get(reverse("accounts:organisation_detail", args=[world.association.public_id]))
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.update(object_id="falsifié")
    assert AccessLog.objects.get().object_id == str(world.association.public_id)


def test_access_log_rows_cannot_be_deleted(world, client_as):
    client_as("association_agent").get(reverse("accounts:organisation_detail", args=[world.association.public_id]))
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1


def test_access_log_is_read_only_in_django_admin(world, client_as):
    client = client_as("platform_admin")
    client.get(reverse("accounts:organisation_detail", args=[world.association.public_id]))
    entry = AccessLog.objects.get()
    assert client.get(reverse("admin:accounts_accesslog_changelist")).status_code == 200
    assert client.post(reverse("admin:accounts_accesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AccessLog.objects.count() == 1


def test_organisation_changes_are_kept_in_history(world):
    world.association.name = "Association Accueil Paris et Île-de-France"
    world.association.save()
    history = Events.objects.tracks(world.association).order_by("pgh_created_at")
    assert [e.pgh_data["name"] for e in history][-2:] == [
        "Association Accueil Paris",
        "Association Accueil Paris et Île-de-France",
    ]


def test_access_log_page_count_matches_the_rows_shown(world, client_as):
    client = client_as("miprof_admin")
    client.get(reverse("accounts:organisation_detail", args=[world.association.public_id]))
    response = client.get(reverse("accounts:access_log_list"))
    page = response.context["page_obj"]
    assert page.paginator.count == len(page.object_list) == 2
