"""La page « Mes notifications » et le compteur de l'en-tête."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify_user

LIST_URL = reverse("notifications:notification_list")
MARK_ALL_URL = reverse("notifications:notification_mark_all_read")


def mark_url(notification):
    return reverse("notifications:notification_mark_read", args=[notification.public_id])


@pytest.fixture
def agent_notifications(world):
    user = world.user("miprof_agent")
    return [notify_user(user=user, title=f"Nouveau signalement MNIOP-2026-00000{n}", path="/x/") for n in range(3)]


def test_anonymous_is_sent_to_login(client_as):
    response = client_as("anonymous").get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_list_shows_only_my_notifications(world, client_as, agent_notifications):
    notify_user(user=world.user("miprof_admin"), title="Nouveau signalement MNIOP-2026-999999")
    response = client_as("miprof_agent").get(LIST_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "MNIOP-2026-000002" in content
    assert "MNIOP-2026-999999" not in content
    assert list(response.context["page_obj"]) == agent_notifications[::-1]


def test_list_query_count_does_not_grow_with_notifications(world, client_as, django_assert_max_num_queries):
    user = world.user("miprof_agent")
    client = client_as("miprof_agent")
    client.get(LIST_URL)  # la première requête de la session l'enregistre
    counts = []
    for count in (1, 30):
        for n in range(count):
            notify_user(user=user, title=f"Notification {n}")
        with django_assert_max_num_queries(11) as captured:
            assert client.get(LIST_URL).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_marking_one_as_read(world, client_as, agent_notifications):
    notification = agent_notifications[0]
    response = client_as("miprof_agent").post(mark_url(notification))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_marking_someone_elses_notification_is_404(world, client_as, agent_notifications):
    notification = agent_notifications[0]
    response = client_as("miprof_admin").post(mark_url(notification))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_as_read_requires_post(client_as, agent_notifications):
    response = client_as("miprof_agent").get(mark_url(agent_notifications[0]))
    assert response.status_code == 405
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_marking_all_as_read_touches_only_mine(world, client_as, agent_notifications):
    other = notify_user(user=world.user("miprof_admin"), title="Autre")
    response = client_as("miprof_agent").post(MARK_ALL_URL, follow=True)
    assert response.status_code == 200
    assert "Toutes vos notifications sont marquées comme lues." in response.content.decode()
    assert not Notification.objects.filter(user=world.user("miprof_agent"), read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_header_shows_the_unread_count(world, client_as, agent_notifications):
    client_as("miprof_agent").post(mark_url(agent_notifications[0]))
    response = client_as("miprof_agent").get(reverse("home"))
    content = response.content.decode()
    assert 'fr-badge--new fr-ml-1w">2<span class="fr-sr-only"> non lues</span>' in content


def test_header_shows_no_count_when_everything_is_read(world, client_as):
    response = client_as("association_agent").get(reverse("home"))
    content = response.content.decode()
    assert reverse("notifications:notification_list") in content
    assert "non lue" not in content


def test_opening_the_notifications_writes_an_access_log_row(world, client_as, agent_notifications):
    from accounts.models import AccessLog

    assert client_as("miprof_agent").get(LIST_URL).status_code == 200
    log = AccessLog.objects.get(view_name="notifications:notification_list")
    assert (log.user, log.action, log.object_type) == (
        world.user("miprof_agent"),
        "search",
        "notifications.notification",
    )
