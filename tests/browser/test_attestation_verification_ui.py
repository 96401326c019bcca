"""La page publique de vérification d'une attestation, comme la voit qui scanne le QR code : sans connexion, en
français, dans la mise en page du DSFR, l'état et la date seulement (axe-core la repasse, voir conftest.py)."""

import pytest

from orientation.models import Decision
from orientation.services import decisions, triage
from tests.browser.accessibility import assert_no_axe_violations
from tests.signalements.factories import submitted_signalement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_someone_scanning_the_qr_code_sees_validity_and_date_only(page, world, screenshot):
    signalement = submitted_signalement(world)
    miprof = world.acting("miprof_agent")
    signalement = triage.start_triage(signalement=signalement, by=miprof)
    triage.forward_to_departement(signalement=signalement, by=miprof, departement=world.paris)
    decisions.decide(signalement=signalement, by=world.acting("departmental_validator"), kind="validated")
    code = Decision.objects.get(signalement=signalement).verification_code

    page.goto(f"/verifier-une-attestation/{code}/")
    assert page.get_by_role("heading", name="Attestation valide").is_visible()
    assert signalement.reference not in page.content()
    screenshot(page, "verification-attestation-valide")

    page.get_by_label("Code de vérification").fill("ABCD-EFGH-JKMN-PQRS")
    page.get_by_role("button", name="Vérifier").click()
    assert page.get_by_role("heading", name="Code inconnu").is_visible()
    assert_no_axe_violations(page)
    screenshot(page, "verification-attestation-inconnue")
