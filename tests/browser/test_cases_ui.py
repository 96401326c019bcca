"""Parcours dans Chromium headless : « Mes signalements », la page d'un signalement, la réponse à une demande de
complément et le partage avec un·e collègue."""

import pytest

from mniop.roles import Role
from signalements.enums import SignalementStatus
from signalements.models import SignalementUserObjectPermission
from tests.accounts.factories import MembershipFactory
from tests.browser.test_foundation_ui import login
from tests.signalements.factories import InformationRequestFactory, SubmittedSignalementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_answers_an_information_request_and_shares_the_signalement(page, live_server, world, screenshot):
    agent = world.user("association_agent")
    signalement = SubmittedSignalementFactory(
        organisation=world.association,
        created_by=agent,
        departement=world.paris,
        status=SignalementStatus.INFORMATION_REQUESTED,
        pseudonym="Hélène",
        urgent=True,
    )
    InformationRequestFactory(signalement=signalement, requested_by=world.user("miprof_agent"))
    colleague = MembershipFactory(organisation=world.association, role=Role.ASSOCIATION_AGENT).user

    login(page, live_server, agent.email)
    page.get_by_role("link", name="Mes signalements").first.click()
    page.get_by_label("Rechercher").fill("helene")
    page.get_by_role("button", name="Rechercher").click()
    screenshot(page, "mes-signalements")
    page.get_by_role("link", name=signalement.reference).click()

    page.get_by_label("Votre réponse").fill("Elle est arrivée en mars 2025.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    assert "Votre réponse a été transmise à la Miprof." in page.content()
    signalement.refresh_from_db()
    assert signalement.status == SignalementStatus.IN_TRIAGE

    page.get_by_role("link", name="Partager avec des collègues de votre structure").click()
    page.get_by_label("Collègue").select_option(str(colleague.public_id))
    page.get_by_role("button", name="Partager").click()
    assert f"Le signalement est partagé avec {colleague}." in page.content()
    assert SignalementUserObjectPermission.objects.filter(content_object=signalement, user=colleague).exists()
    screenshot(page, "signalement-detail")
