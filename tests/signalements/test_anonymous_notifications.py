"""La notification statistique anonyme : une personne majeure refuse son consentement ; l'acteur de première ligne la
fait compter sans l'identifier. Jamais instruite (ni file, ni dossier, ni notification), aucun champ d'identité
accepté, lectures dans la portée, chaque accès journalisé."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import AccessAction, AccessLog
from notifications.models import Notification, OutboxMessage
from signalements.enums import ReferenceCategory
from signalements.models import AnonymousNotification, Signalement
from signalements.services.anonymous_notifications import file_anonymous_notification
from tests.api_tokens import issue_token
from tests.problems import field_errors
from tests.signalements.factories import ReferenceValueFactory

CREATE_URL = "/notifications-statistiques/nouvelle/"
API_URL = "/api/v1/notifications-statistiques/"


@pytest.fixture
def labour(db):
    return ReferenceValueFactory(code="travail_force", label="Travail forcé", eurostat_category="Forced labour")


def form_data(world, labour, **extra):
    return {
        "age_band": "25-34",
        "sex": "male",
        "nationalities": ["RO"],
        "nationality_residual": "",
        "exploitation_forms": [labour.pk],
        "departement": world.paris.pk,
        "place_of_exploitation": "france_only",
        "exploitation_started_year": "2025",
        "exploitation_ended_year": "",
        "identifying_body": "",
        "trafficking_scope": "transnational",
    } | extra


def file(world, labour, persona="police_officer"):
    return file_anonymous_notification(
        by=world.acting(persona),
        age_band="18-24",
        sex="female",
        nationalities=["NG"],
        exploitation_forms=[labour],
        departement=world.paris,
        place_of_exploitation="france_only",
    )


def test_the_intake_start_page_offers_the_anonymous_notification(client_as):
    response = client_as("police_officer").get("/signalements/nouveau/")

    assert response.status_code == 200
    assert "Faire une notification statistique anonyme" in response.content.decode()
    assert CREATE_URL in response.content.decode()


def test_a_police_officer_files_an_anonymous_notification_without_a_case(world, client_as, labour):
    response = client_as("police_officer").post(CREATE_URL, form_data(world, labour))

    notification = AnonymousNotification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/notifications-statistiques/{notification.public_id}/"
    assert notification.organisation == world.actors["police_officer"]
    assert notification.age_band == "25-34"
    assert list(notification.exploitation_forms.all()) == [labour]
    assert AccessLog.objects.filter(
        action=AccessAction.CREATE,
        object_type="signalements.anonymousnotification",
        object_id=str(notification.public_id),
    ).exists()
    # Jamais instruite : aucun signalement, aucune notification, aucun courriel.
    assert not Signalement.objects.exists()
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_form_says_in_french_what_is_missing(world, client_as, labour):
    response = client_as("police_officer").post(CREATE_URL, form_data(world, labour, departement=""))

    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not AnonymousNotification.objects.exists()


def test_an_end_before_the_start_is_refused_in_french(world, client_as, labour):
    data = form_data(world, labour, exploitation_started_year="2025", exploitation_ended_year="2020")

    response = client_as("police_officer").post(CREATE_URL, data)

    assert response.status_code == 400
    assert "La fin de l&#x27;exploitation ne peut pas précéder son début." in response.content.decode()


def test_the_service_refuses_any_identity_field(world, labour):
    with pytest.raises(ValidationError) as error:
        file_anonymous_notification(
            by=world.acting("police_officer"), departement=world.paris, first_name="Awa", birth_date="2000-01-01"
        )

    assert set(error.value.message_dict) == {"first_name", "birth_date"}
    assert not AnonymousNotification.objects.exists()


def test_a_persona_who_cannot_file_is_refused(client_as, world, labour):
    response = client_as("departmental_validator").post(CREATE_URL, form_data(world, labour))

    assert response.status_code == 403
    assert not AnonymousNotification.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("police_officer", 200),
        ("police_officer_other_unit", 404),
        ("association_agent", 404),
        ("miprof_agent", 200),
        ("departmental_validator", 404),
    ],
)
def test_who_reads_an_anonymous_notification(world, client_as, labour, persona, expected):
    notification = file(world, labour)

    response = client_as(persona).get(f"/notifications-statistiques/{notification.public_id}/")

    assert response.status_code == expected
    if expected == 200:
        assert AccessLog.objects.filter(action=AccessAction.READ, object_id=str(notification.public_id)).exists()


def test_the_notification_is_not_in_the_miprof_queue(world, client_as, labour):
    notification = file(world, labour)

    response = client_as("miprof_agent").get("/miprof/file/")

    assert response.status_code == 200
    assert str(notification.public_id) not in response.content.decode()
    assert not Signalement.objects.exists()


def api_client(organisation):
    _, secret = issue_token(organisation)
    return Client(headers={"Authorization": f"Token {secret}"})


def test_the_api_files_a_notification(world, labour):
    client = api_client(world.association)
    body = {"age_band": "45+", "sex": "female", "departement": "75", "exploitation_forms": ["travail_force"]}

    response = client.post(API_URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 201, response.content
    notification = AnonymousNotification.objects.get()
    assert response.json()["id"] == str(notification.public_id)
    assert response.json()["exploitation_forms"] == ["travail_force"]
    assert notification.organisation == world.association
    assert not Signalement.objects.exists()


def test_the_api_refuses_an_identity_field_in_french(world, labour):
    client = api_client(world.association)
    body = {"departement": "75", "last_name": "Diallo", "phone": "0600000000"}

    response = client.post(API_URL, json.dumps(body), content_type="application/json")

    errors = field_errors(response)
    assert errors["last_name"] == ["Une notification anonyme ne contient aucune donnée d'identité ni ce champ."]
    assert "phone" in errors
    assert not AnonymousNotification.objects.exists()


def test_the_api_lists_only_the_organisation_s_notifications(world, labour):
    own = file(world, labour, persona="association_agent")
    file(world, labour, persona="association_agent_other_org")

    response = api_client(world.association).get(API_URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(own.public_id)]


def test_a_notification_cannot_be_changed(world, labour):
    from django.db import ProgrammingError, transaction

    notification = file(world, labour)

    with pytest.raises(ProgrammingError), transaction.atomic():
        AnonymousNotification.objects.filter(pk=notification.pk).update(sex="male")


def test_an_identifying_body_from_another_list_is_refused(world, labour):
    wrong = ReferenceValueFactory(category=ReferenceCategory.EXPLOITATION_FORM, code="autre")

    with pytest.raises(ValidationError) as error:
        file_anonymous_notification(by=world.acting("police_officer"), departement=world.paris, identifying_body=wrong)

    assert "identifying_body" in error.value.message_dict
