"""Dans Chromium headless : la Miprof voit le compteur de notifications, ouvre la page et marque comme lu."""

import pytest

from notifications.models import Notification
from tests.browser.test_foundation_ui import login
from tests.signalements.factories import submitted_signalement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_miprof_agent_sees_the_unread_count_and_marks_the_notification_read(page, live_server, world, screenshot):
    signalement = submitted_signalement(world)
    login(page, live_server, world.user("miprof_agent").email)
    badge = page.locator(".fr-header__tools .fr-badge--new")
    assert badge.inner_text().startswith("1")
    screenshot(page, "en-tete-notification-non-lue")

    page.get_by_role("link", name="Notifications").first.click()
    assert page.get_by_role("heading", name=f"{signalement.reference} : nouveau signalement à instruire").is_visible()
    screenshot(page, "mes-notifications")
    page.get_by_role("button", name="Marquer comme lue").click()

    assert page.locator(".fr-header__tools .fr-badge--new").count() == 0
    assert Notification.objects.get(user=world.user("miprof_agent")).read_at is not None
