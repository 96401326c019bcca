"""L'administration de la Miprof tient le mécanisme (issue 16) : organisations, habilitations (accorder, renouveler,
mettre fin, historique), demandes des organisations, rappels avant la fin, et le dépôt refusé quand elle a pris fin."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AccessAction,
    AccessLog,
    HabilitationReminder,
    HabilitationRequest,
    HabilitationRequestStatus,
)
from accounts.reauth import RECENT_AUTH_SESSION_KEY
from accounts.services_habilitations import (
    end_habilitation,
    grant_habilitation,
    refuse_habilitation_request,
    renew_habilitation,
    request_habilitation,
    send_habilitation_reminders,
    send_habilitation_request_reminders,
)
from accounts.tasks import send_habilitation_reminders as reminders_task
from accounts.tasks import send_habilitation_request_reminders as request_reminders_task
from mniop.roles import Role
from notifications.models import Notification, OutboxMessage
from referents.enums import HabilitationKind, OrganisationKind
from referents.models import Habilitation, HabilitationEvent, Organisation
from signalements.permissions import filing_refusal
from tests.accounts.factories import MembershipFactory
from tests.personas import PERSONAS, acting_as
from tests.referents.factories import HabilitationFactory, OrganisationFactory
from tests.two_factor import login_verified

TODAY = timezone.localdate()
ACT = "Arrêté du 3 mars 2026, NOR ETSX2600001A"


@pytest.fixture
def newcomer(world):
    """Une association sans habilitation, avec son administratrice et un agent."""
    organisation = OrganisationFactory(name="Association Nouvelle Voie", territories=[world.paris])
    admin = MembershipFactory(organisation=organisation, role=Role.ASSOCIATION_ADMIN)
    agent = MembershipFactory(organisation=organisation, role=Role.ASSOCIATION_AGENT)
    return organisation, admin, agent


def habilitations_url(organisation):
    return reverse("accounts:organisation_habilitations", kwargs={"public_id": organisation.public_id})


def grant_url(organisation):
    return reverse("accounts:habilitation_grant", kwargs={"public_id": organisation.public_id})


# Créer une organisation


@pytest.mark.parametrize(
    ("persona", "expected"),
    [(persona, 200 if persona == "miprof_admin" else 403) for persona in PERSONAS],
)
def test_only_the_miprof_admin_opens_the_organisation_creation_page(client_as, persona, expected):
    response = client_as(persona).get(reverse("accounts:organisation_create"))
    assert response.status_code == expected


def test_miprof_admin_creates_an_organisation(world, client_as):
    response = client_as("miprof_admin").post(
        reverse("accounts:organisation_create"),
        {"name": "Association Les Passerelles", "kind": OrganisationKind.ASSOCIATION, "territories": [world.nord.pk]},
    )
    organisation = Organisation.objects.get(name="Association Les Passerelles")
    assert response.status_code == 302
    assert response.url == habilitations_url(organisation)
    assert list(organisation.territories.all()) == [world.nord]
    assert not organisation.habilitations.exists()
    assert AccessLog.objects.filter(action=AccessAction.CREATE, object_id=str(organisation.public_id)).exists()


def test_an_organisation_without_territory_nor_national_scope_is_refused_in_french(client_as):
    response = client_as("miprof_admin").post(
        reverse("accounts:organisation_create"), {"name": "Sans territoire", "kind": OrganisationKind.ASSOCIATION}
    )
    assert response.status_code == 200
    assert "Indiquez au moins un territoire couvert" in response.content.decode()
    assert not Organisation.objects.filter(name="Sans territoire").exists()


# Accorder, renouveler, mettre fin


def test_miprof_admin_grants_an_habilitation_with_its_act_and_the_organisation_is_told(world, client_as, newcomer):
    organisation, admin, _ = newcomer
    miprof_admin = world.user("miprof_admin")
    response = client_as("miprof_admin").post(
        grant_url(organisation),
        {"kind": HabilitationKind.MNIOP, "starts_on": TODAY.isoformat(), "reference": ACT},
    )
    assert response.status_code == 302
    habilitation = Habilitation.objects.get(organisation=organisation)
    assert (habilitation.kind, habilitation.starts_on, habilitation.ends_on) == ("mniop", TODAY, None)
    assert habilitation.reference == ACT
    event = HabilitationEvent.objects.get(pgh_obj=habilitation)
    assert event.pgh_context.metadata["by"] == str(miprof_admin.public_id)
    assert event.pgh_context.metadata["action"] == "accorder"
    assert AccessLog.objects.filter(action=AccessAction.CREATE, object_type="referents.habilitation").exists()
    notification = Notification.objects.get(user=admin.user)
    assert notification.title == "Habilitation MNIOP (dépôt de signalements) accordée à Association Nouvelle Voie"
    assert OutboxMessage.objects.filter(template="habilitation_changed", recipient=admin.user.email).exists()
    assert filing_refusal(acting_as(newcomer[2])) is None


@pytest.mark.parametrize("persona", ["platform_admin", "miprof_agent", "association_admin"])
def test_no_one_but_the_miprof_admin_grants_an_habilitation(world, client_as, persona):
    response = client_as(persona).post(
        grant_url(world.association),
        {"kind": HabilitationKind.OFPRA, "starts_on": TODAY.isoformat(), "reference": ACT},
    )
    assert response.status_code == 403
    assert not Habilitation.objects.filter(kind=HabilitationKind.OFPRA).exists()


def test_the_platform_admin_service_call_is_refused(world, newcomer):
    with pytest.raises(PermissionDenied, match="Seule l'administration de la Miprof"):
        grant_habilitation(
            organisation=newcomer[0],
            kind=HabilitationKind.MNIOP,
            starts_on=TODAY,
            reference=ACT,
            by=world.acting("platform_admin"),
        )


def test_granting_asks_for_a_recent_authentication(client_as, newcomer):
    response = client_as("miprof_admin", recent_auth=False).post(
        grant_url(newcomer[0]), {"kind": HabilitationKind.MNIOP, "starts_on": TODAY.isoformat(), "reference": ACT}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not Habilitation.objects.filter(organisation=newcomer[0]).exists()


def test_a_psp_agrement_needs_its_departement(world, newcomer):
    with pytest.raises(ValidationError, match="indiquez-le"):
        grant_habilitation(
            organisation=newcomer[0],
            kind=HabilitationKind.PSP,
            starts_on=TODAY,
            reference=ACT,
            by=world.acting("miprof_admin"),
        )


def test_an_habilitation_without_its_act_is_refused(world, newcomer):
    with pytest.raises(ValidationError, match="référence de l'acte"):
        grant_habilitation(
            organisation=newcomer[0],
            kind=HabilitationKind.MNIOP,
            starts_on=TODAY,
            reference=" ",
            by=world.acting("miprof_admin"),
        )


def test_a_second_running_habilitation_of_the_same_kind_is_refused(world):
    with pytest.raises(ValidationError, match="renouvelez-la"):
        grant_habilitation(
            organisation=world.association,
            kind=HabilitationKind.MNIOP,
            starts_on=TODAY,
            reference=ACT,
            by=world.acting("miprof_admin"),
        )


def test_renewal_moves_the_end_and_keeps_the_former_act_in_the_history(world, client_as, newcomer):
    organisation = newcomer[0]
    habilitation = HabilitationFactory(
        organisation=organisation, starts_on=TODAY - datetime.timedelta(days=300), ends_on=TODAY, reference="Acte 1"
    )
    new_end = TODAY + datetime.timedelta(days=365)
    response = client_as("miprof_admin").post(
        reverse(
            "accounts:habilitation_renew",
            kwargs={"public_id": organisation.public_id, "habilitation_id": habilitation.public_id},
        ),
        {"ends_on": new_end.isoformat(), "reference": "Acte 2"},
    )
    assert response.status_code == 302
    habilitation.refresh_from_db()
    assert (habilitation.ends_on, habilitation.reference) == (new_end, "Acte 2")
    references = list(
        HabilitationEvent.objects.filter(pgh_obj=habilitation).order_by("pgh_id").values_list("reference", flat=True)
    )
    assert references == ["Acte 1", "Acte 2"]
    page = client_as("miprof_admin").get(habilitations_url(organisation)).content.decode()
    assert "Acte 1" in page and "renouveler" in page


def test_renewal_to_an_earlier_date_is_refused(world, newcomer):
    habilitation = HabilitationFactory(organisation=newcomer[0], ends_on=TODAY + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="doit suivre l'actuelle"):
        renew_habilitation(
            habilitation=habilitation,
            ends_on=TODAY + datetime.timedelta(days=10),
            reference=ACT,
            by=world.acting("miprof_admin"),
        )


def test_ending_an_habilitation_refuses_filing_with_a_clear_message(world, client_as):
    habilitation = world.association.habilitations.get(kind=HabilitationKind.MNIOP)
    yesterday = TODAY - datetime.timedelta(days=1)
    habilitation.starts_on = TODAY - datetime.timedelta(days=100)
    habilitation.save()
    response = client_as("miprof_admin").post(
        reverse(
            "accounts:habilitation_end",
            kwargs={"public_id": world.association.public_id, "habilitation_id": habilitation.public_id},
        ),
        {"ends_on": yesterday.isoformat(), "reason": "Convention non renouvelée"},
    )
    assert response.status_code == 302
    habilitation.refresh_from_db()
    assert habilitation.ends_on == yesterday
    event = HabilitationEvent.objects.filter(pgh_obj=habilitation).latest("pgh_id")
    assert event.pgh_context.metadata["reason"] == "Convention non renouvelée"
    agent = world.acting("association_agent")
    agent.membership.organisation = Organisation.objects.get(pk=world.association.pk)
    assert filing_refusal(agent) == (
        f"L'habilitation MNIOP de votre organisation a pris fin le {yesterday:%d/%m/%Y} : le dépôt de signalements "
        "est impossible. L'administration de votre organisation peut en demander le renouvellement à la Miprof "
        "depuis la page de l'organisation."
    )


def test_ending_without_a_reason_is_refused_in_french(world, client_as):
    habilitation = world.association.habilitations.get(kind=HabilitationKind.MNIOP)
    response = client_as("miprof_admin").post(
        reverse(
            "accounts:habilitation_end",
            kwargs={"public_id": world.association.public_id, "habilitation_id": habilitation.public_id},
        ),
        {"ends_on": TODAY.isoformat(), "reason": ""},
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    habilitation.refresh_from_db()
    assert habilitation.ends_on is None


def test_ending_asks_for_a_recent_authentication(world, client_as):
    habilitation = world.association.habilitations.get(kind=HabilitationKind.MNIOP)
    client = client_as("miprof_admin", recent_auth=False)
    url = reverse(
        "accounts:habilitation_end",
        kwargs={"public_id": world.association.public_id, "habilitation_id": habilitation.public_id},
    )
    response = client.post(url, {"ends_on": TODAY.isoformat(), "reason": "Fin"})
    assert response.status_code == 302
    assert RECENT_AUTH_SESSION_KEY not in client.session
    habilitation.refresh_from_db()
    assert habilitation.ends_on is None


def test_an_habilitation_of_another_organisation_is_not_found(world, client_as):
    habilitation = world.other_association.habilitations.get()
    url = reverse(
        "accounts:habilitation_end",
        kwargs={"public_id": world.association.public_id, "habilitation_id": habilitation.public_id},
    )
    assert client_as("miprof_admin").get(url).status_code == 404


# La page des habilitations


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("miprof_admin", 200),
        ("association_admin", 200),
        ("association_agent", 403),
        ("association_admin_other_org", 404),
        ("platform_admin", 403),
        ("miprof_agent", 403),
        ("departmental_validator", 404),
    ],
)
def test_habilitations_page_access(world, client_as, persona, expected):
    assert client_as(persona).get(habilitations_url(world.association)).status_code == expected


def test_habilitations_page_is_logged_and_its_queries_do_not_grow(world, client_as, django_assert_max_num_queries):
    client = client_as("miprof_admin")
    for days in (400, 300, 200):
        end_habilitation(
            habilitation=world.association.habilitations.get(),
            ends_on=TODAY + datetime.timedelta(days=days),
            reason="Réduction",
            by=world.acting("miprof_admin"),
        )
    with django_assert_max_num_queries(19):
        response = client.get(habilitations_url(world.association))
    assert response.status_code == 200
    assert "Réduction" in response.content.decode()
    assert AccessLog.objects.filter(
        action=AccessAction.READ, object_type="referents.habilitation", object_id=str(world.association.public_id)
    ).exists()


# Demandes d'habilitation


def test_organisation_admin_requests_an_habilitation_and_the_miprof_admin_is_told(world, client_as, newcomer):
    organisation, admin, _ = newcomer
    client = login_verified(Client(), admin.user)
    response = client.post(
        reverse("accounts:habilitation_request_create", kwargs={"public_id": organisation.public_id}),
        {"kind": HabilitationKind.MNIOP, "motivation": "Accueil de jour de victimes d'exploitation."},
    )
    assert response.status_code == 302
    habilitation_request = HabilitationRequest.objects.get(organisation=organisation)
    assert habilitation_request.status == HabilitationRequestStatus.PENDING
    notification = Notification.objects.get(user=world.user("miprof_admin"))
    assert notification.title == "Demande d'habilitation à examiner : Association Nouvelle Voie"
    assert admin.user.last_name not in notification.title
    assert OutboxMessage.objects.filter(
        template="habilitation_requested", recipient=world.user("miprof_admin").email
    ).exists()


def test_an_agent_cannot_request_an_habilitation(world, client_as):
    response = client_as("association_agent").post(
        reverse("accounts:habilitation_request_create", kwargs={"public_id": world.association.public_id}),
        {"kind": HabilitationKind.OFPRA},
    )
    assert response.status_code == 403
    assert not HabilitationRequest.objects.exists()


def test_a_second_pending_request_of_the_same_kind_is_refused(world, newcomer):
    organisation, admin, _ = newcomer
    request_habilitation(organisation=organisation, kind=HabilitationKind.MNIOP, by=acting_as(admin))
    with pytest.raises(ValidationError, match="attend déjà"):
        request_habilitation(organisation=organisation, kind=HabilitationKind.MNIOP, by=acting_as(admin))


def test_miprof_admin_approves_a_request_and_the_organisation_is_told(world, client_as, newcomer):
    organisation, admin, agent = newcomer
    habilitation_request = request_habilitation(
        organisation=organisation, kind=HabilitationKind.MNIOP, by=acting_as(admin)
    )
    response = client_as("miprof_admin").post(
        reverse("accounts:habilitation_request_decide", kwargs={"public_id": habilitation_request.public_id}),
        {"approve": "1", "approve-starts_on": TODAY.isoformat(), "approve-reference": ACT},
    )
    assert response.status_code == 302
    habilitation_request.refresh_from_db()
    assert habilitation_request.status == HabilitationRequestStatus.APPROVED
    assert habilitation_request.habilitation.reference == ACT
    assert habilitation_request.decided_by == world.user("miprof_admin")
    assert Notification.objects.filter(user=admin.user, title__contains="accordée").exists()
    assert filing_refusal(acting_as(agent)) is None


def test_miprof_admin_refuses_a_request_with_a_reason_the_organisation_reads(world, client_as, newcomer):
    organisation, admin, _ = newcomer
    habilitation_request = request_habilitation(
        organisation=organisation, kind=HabilitationKind.MNIOP, by=acting_as(admin)
    )
    response = client_as("miprof_admin").post(
        reverse("accounts:habilitation_request_decide", kwargs={"public_id": habilitation_request.public_id}),
        {"refuse": "1", "refuse-reason": "Statuts sans mission d'accompagnement des victimes."},
    )
    assert response.status_code == 302
    habilitation_request.refresh_from_db()
    assert habilitation_request.status == HabilitationRequestStatus.REFUSED
    assert not Habilitation.objects.filter(organisation=organisation).exists()
    notification = Notification.objects.get(user=admin.user)
    assert notification.title == "Demande d'habilitation de Association Nouvelle Voie refusée"
    assert OutboxMessage.objects.filter(template="habilitation_request_refused", recipient=admin.user.email).exists()


def test_a_refusal_without_reason_is_refused_in_french(world, client_as, newcomer):
    organisation, admin, _ = newcomer
    habilitation_request = request_habilitation(
        organisation=organisation, kind=HabilitationKind.MNIOP, by=acting_as(admin)
    )
    response = client_as("miprof_admin").post(
        reverse("accounts:habilitation_request_decide", kwargs={"public_id": habilitation_request.public_id}),
        {"refuse": "1", "refuse-reason": ""},
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    habilitation_request.refresh_from_db()
    assert habilitation_request.status == HabilitationRequestStatus.PENDING


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("miprof_admin", 200), ("platform_admin", 403), ("miprof_agent", 403), ("association_admin", 403)],
)
def test_pending_requests_list_access(client_as, persona, expected):
    assert client_as(persona).get(reverse("accounts:habilitation_request_list")).status_code == expected


# Rappels avant la fin


def ending_in(organisation, days):
    return HabilitationFactory(
        organisation=organisation,
        kind=HabilitationKind.OFPRA,
        starts_on=TODAY - datetime.timedelta(days=365),
        ends_on=TODAY + datetime.timedelta(days=days),
    )


def test_a_reminder_goes_60_days_before_the_end_to_the_organisation_and_the_miprof_admins(world):
    habilitation = ending_in(world.association, 60)
    assert send_habilitation_reminders(today=TODAY) == 1
    recipients = set(OutboxMessage.objects.filter(template="habilitation_ending").values_list("recipient", flat=True))
    assert recipients == {world.user("association_admin").email, world.user("miprof_admin").email}
    titles = set(Notification.objects.values_list("title", flat=True))
    ends_on = habilitation.ends_on.strftime("%d/%m/%Y")
    assert titles == {f"Habilitation Ofpra (art. L.531-15 CESEDA) de Association Accueil Paris : fin le {ends_on}"}


def test_reminders_are_sent_once_per_step(world):
    habilitation = ending_in(world.association, 60)
    send_habilitation_reminders(today=TODAY)
    assert send_habilitation_reminders(today=TODAY) == 0
    assert send_habilitation_reminders(today=TODAY + datetime.timedelta(days=20)) == 0
    assert send_habilitation_reminders(today=TODAY + datetime.timedelta(days=45)) == 1
    steps = sorted(
        HabilitationReminder.objects.filter(habilitation=habilitation).values_list("days_before", flat=True)
    )
    assert steps == [15, 60]
    assert OutboxMessage.objects.filter(template="habilitation_ending").count() == 4


def test_an_habilitation_entering_the_window_late_gets_one_reminder(world):
    ending_in(world.association, 10)
    assert send_habilitation_reminders(today=TODAY) == 1
    assert send_habilitation_reminders(today=TODAY + datetime.timedelta(days=1)) == 0
    assert OutboxMessage.objects.filter(template="habilitation_ending").count() == 2


def test_no_reminder_far_from_the_end_nor_after_it(world):
    ending_in(world.association, 61)
    ending_in(world.other_association, -1)
    assert send_habilitation_reminders(today=TODAY) == 0
    assert not OutboxMessage.objects.filter(template="habilitation_ending").exists()


def test_a_renewed_habilitation_is_reminded_again_before_its_new_end(world):
    habilitation = ending_in(world.association, 15)
    send_habilitation_reminders(today=TODAY)
    renew_habilitation(
        habilitation=habilitation,
        ends_on=TODAY + datetime.timedelta(days=40),
        reference="Acte 2",
        by=world.acting("miprof_admin"),
    )
    assert send_habilitation_reminders(today=TODAY) == 1


def test_the_reminder_task_is_in_the_beat_schedule_and_calls_the_service(world):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.send_habilitation_reminders" in tasks
    ending_in(world.association, 15)
    assert reminders_task() == 1


def test_the_platform_admin_cannot_add_an_habilitation_in_the_technical_admin(world, client_as, newcomer):
    organisation = newcomer[0]
    url = reverse("admin:referents_organisation_change", args=[organisation.pk])
    client = client_as("platform_admin")
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "territories": [territory.pk for territory in organisation.territories.all()],
        "habilitations-TOTAL_FORMS": "1",
        "habilitations-INITIAL_FORMS": "0",
        "habilitations-0-kind": HabilitationKind.MNIOP,
        "habilitations-0-starts_on": TODAY.isoformat(),
        "habilitations-0-reference": ACT,
    }
    client.post(url, data)
    assert not Habilitation.objects.filter(organisation=organisation).exists()


# Une demande d'habilitation ne reste pas sans réponse (issue 16 : chaque passage de relais a une sortie)

MONDAY = datetime.date(2026, 3, 2)


def pending_request(organisation, admin, *, on=MONDAY):
    habilitation_request = request_habilitation(
        organisation=organisation, kind=HabilitationKind.MNIOP, by=acting_as(admin)
    )
    requested_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    HabilitationRequest.objects.filter(pk=habilitation_request.pk).update(requested_at=requested_at)
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    habilitation_request.refresh_from_db()
    return habilitation_request


def test_a_pending_request_is_reminded_to_the_miprof_admins_after_five_working_days(world, newcomer):
    organisation, admin, _ = newcomer
    habilitation_request = pending_request(organisation, admin)
    assert send_habilitation_request_reminders(today=MONDAY + datetime.timedelta(days=4)) == 0
    assert send_habilitation_request_reminders(today=MONDAY + datetime.timedelta(days=7)) == 1
    emails = OutboxMessage.objects.filter(template="habilitation_request_pending")
    assert set(emails.values_list("recipient", flat=True)) == {world.user("miprof_admin").email}
    assert emails.get().link.endswith(f"/demandes-habilitation/{habilitation_request.public_id}/")
    notification = Notification.objects.get()
    assert notification.user == world.user("miprof_admin")
    assert notification.title == (
        "Demande d'habilitation de Association Nouvelle Voie en attente depuis 5 jours ouvrés"
    )
    assert admin.user.last_name not in notification.title


def test_a_pending_request_is_reminded_once_per_threshold(world, newcomer):
    organisation, admin, _ = newcomer
    habilitation_request = pending_request(organisation, admin)
    assert send_habilitation_request_reminders(today=MONDAY + datetime.timedelta(days=7)) == 1
    assert send_habilitation_request_reminders(today=MONDAY + datetime.timedelta(days=8)) == 0
    assert send_habilitation_request_reminders(today=MONDAY + datetime.timedelta(days=14)) == 1
    assert send_habilitation_request_reminders(today=MONDAY + datetime.timedelta(days=30)) == 0
    steps = sorted(habilitation_request.reminders.values_list("working_days", flat=True))
    assert steps == [5, 10]
    assert OutboxMessage.objects.filter(template="habilitation_request_pending").count() == 2


def test_a_decided_request_is_not_reminded(world, newcomer):
    organisation, admin, _ = newcomer
    habilitation_request = pending_request(organisation, admin)
    refuse_habilitation_request(
        habilitation_request=habilitation_request, reason="Hors champ.", by=world.acting("miprof_admin")
    )
    assert send_habilitation_request_reminders(today=MONDAY + datetime.timedelta(days=30)) == 0
    assert not OutboxMessage.objects.filter(template="habilitation_request_pending").exists()


def test_the_request_reminder_task_is_in_the_beat_schedule_and_calls_the_service(world, newcomer):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.send_habilitation_request_reminders" in tasks
    pending_request(*newcomer[:2], on=TODAY - datetime.timedelta(days=30))
    assert request_reminders_task() == 1


def test_the_pending_requests_list_shows_how_long_each_request_has_waited(world, client_as, newcomer):
    organisation, admin, _ = newcomer
    pending_request(organisation, admin, on=TODAY - datetime.timedelta(days=30))
    page = client_as("miprof_admin").get(reverse("accounts:habilitation_request_list")).content.decode()
    assert "En attente depuis" in page
    assert "jours ouvrés" in page
    assert "À décider" in page


# Les habilitations sont adressées par un identifiant public


def test_habilitation_pages_are_addressed_by_public_id(world, client_as):
    habilitation = world.association.habilitations.get()
    page = client_as("miprof_admin").get(habilitations_url(world.association)).content.decode()
    assert f"/habilitations/{habilitation.public_id}/renouveler/" in page
    assert f"/habilitations/{habilitation.public_id}/fin/" in page
    assert f"/habilitations/{habilitation.pk}/" not in page


@pytest.mark.parametrize("action", ["renouveler", "fin"])
def test_the_former_integer_habilitation_urls_answer_404(world, client_as, action):
    habilitation = world.association.habilitations.get()
    url = f"{habilitations_url(world.association)}{habilitation.pk}/{action}/"
    assert client_as("miprof_admin").get(url).status_code == 404


def test_an_habilitation_of_another_organisation_is_not_found_under_this_one(world, client_as):
    other = world.other_association.habilitations.get()
    url = reverse(
        "accounts:habilitation_renew",
        kwargs={"public_id": world.association.public_id, "habilitation_id": other.public_id},
    )
    assert client_as("miprof_admin").get(url).status_code == 404
