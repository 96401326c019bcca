"""L'urgence voyage : un dossier urgent ou qui a besoin d'un hébergement ce soir est marqué dans les files, sur les
pages de l'orientation et dans les notifications ; sa retenue de place dure des heures, pas des jours ; la structure
et l'astreinte de la Miprof sont prévenues aussitôt, sans donnée personnelle."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import set_on_call
from notifications.models import Notification, OutboxMessage
from orientation.services import referrals
from tests.two_factor import login_verified


def test_shelter_tonight_makes_the_signalement_urgent_at_submit(make_submitted):
    signalement = make_submitted(urgent=False, needs_shelter_tonight=True)

    signalement.refresh_from_db()
    assert signalement.urgent
    assert OutboxMessage.objects.filter(template="signalement_urgent").exists()


def test_an_urgent_orientation_holds_the_place_for_hours_not_days(make_validated, shelters, validator):
    case = make_validated(urgent=True, needs_shelter_tonight=True)
    before = timezone.now()

    referral = referrals.request_referral(signalement=case, by=validator, shelter=shelters.paris)

    assert settings.ORIENTATION_URGENT_REFERRAL_HOLD_HOURS == 4
    assert referral.hold_expires_at <= before + timedelta(hours=4, minutes=1)
    assert referral.hold_expires_at >= before + timedelta(hours=4)


def test_an_ordinary_orientation_keeps_its_two_days(make_validated, shelters, validator):
    referral = referrals.request_referral(signalement=make_validated(), by=validator, shelter=shelters.paris)
    assert referral.hold_expires_at > timezone.now() + timedelta(hours=47)


def test_the_shelter_and_the_on_call_list_are_told_at_once_without_personal_data(
    make_validated, shelters, validator, world
):
    set_on_call(membership=world.memberships["miprof_agent"], is_on_call=True, by=world.acting("miprof_admin"))
    case = make_validated(urgent=True, needs_shelter_tonight=True, pseudonym="Rosalie", first_name="Awa")

    referral = referrals.request_referral(signalement=case, by=validator, shelter=shelters.paris)

    urgent = OutboxMessage.objects.filter(template="referral_urgent")
    assert set(urgent.values_list("recipient", flat=True)) == {
        shelters.paris_agent.email,
        world.user("miprof_agent").email,
    }
    shelter_notice = Notification.objects.get(user=shelters.paris_agent)
    assert (
        shelter_notice.title == f"[URGENT] {case.reference} : orientation vers votre structure à accepter ou refuser"
    )
    assert shelter_notice.is_urgent
    assert shelter_notice.link == f"/orientations/{referral.public_id}/#action-accepter"
    for text in [*urgent.values_list("link", flat=True), *Notification.objects.values_list("title", flat=True)]:
        assert "Rosalie" not in text and "Awa" not in text


def test_the_shelter_sees_the_urgency_on_its_list_and_on_the_referral_page(
    client, make_validated, shelters, validator
):
    case = make_validated(urgent=True, needs_shelter_tonight=True)
    referral = referrals.request_referral(signalement=case, by=validator, shelter=shelters.paris)
    login_verified(client, shelters.paris_agent)

    for url in (
        reverse("orientation:shelter_home"),
        reverse("orientation:referral_detail", args=[referral.public_id]),
    ):
        page = client.get(url).content.decode()
        assert 'fr-badge--error">Urgent</p>' in page, url
        assert "Hébergement ce soir" in page, url
    detail = client.get(reverse("orientation:referral_detail", args=[referral.public_id])).content.decode()
    assert 'id="action-accepter"' in detail


def test_the_urgency_is_marked_in_the_miprof_queue_and_on_the_case_page(client_as, make_submitted):
    signalement = make_submitted(urgent=True, needs_shelter_tonight=True)
    miprof = client_as("miprof_agent")

    queue = miprof.get(reverse("orientation:miprof_queue")).content.decode()
    case_page = miprof.get(reverse("orientation:case_detail", args=[signalement.public_id])).content.decode()

    for page in (queue, case_page):
        assert "Urgent" in page and "Hébergement ce soir" in page


def test_an_urgent_notification_is_badged_in_the_list(client_as, make_submitted):
    make_submitted(urgent=True)
    page = client_as("miprof_agent").get(reverse("notifications:notification_list")).content.decode()
    assert "[URGENT] MNIOP-" in page
    assert 'fr-badge--error">Urgent</p>' in page
