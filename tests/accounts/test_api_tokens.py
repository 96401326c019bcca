"""Jetons d'API : services, authentification, et la page des administrateurs."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog, ApiToken, Membership, User
from accounts.services_api_tokens import approve_api_token, create_api_token, hash_secret, revoke_api_token
from mniop.roles import Role
from notifications.models import OutboxMessage
from signalements.models import Signalement
from tests.accounts.factories import MembershipFactory
from tests.personas import EVERYONE, FIRST_LINE_PERSONAS, acting_as
from tests.problems import problem
from tests.two_factor import login_verified

LIST_URL = "/api/v1/signalements/"


def api_get(secret, path=LIST_URL, scheme="Token"):
    return Client().get(path, headers={"Authorization": f"{scheme} {secret}"})


@pytest.fixture
def token_and_secret(world):
    return create_api_token(
        organisation=world.association, name="Logiciel de suivi", by=world.acting("association_admin")
    )


def test_create_api_token_keeps_only_the_hash_of_the_secret(world, token_and_secret):
    token, secret = token_and_secret
    assert token.key_hash == hash_secret(secret)
    assert secret not in {token.key_hash, token.prefix}
    assert secret.startswith(token.prefix)
    assert token.organisation == world.association
    assert token.created_by == world.user("association_admin")


def test_create_api_token_makes_a_technical_user_who_cannot_log_in(world, token_and_secret):
    token, _ = token_and_secret
    user = token.membership.user
    assert re.fullmatch(r"api-[0-9a-f-]{36}@api\.mniop\.invalid", user.email)
    assert not user.has_usable_password()
    assert token.membership.role == Role.ASSOCIATION_ADMIN
    assert token.membership.organisation == world.association
    # django-axes (actif dans les tests) veut la requête : celle du client de test n'existe pas encore.
    assert not Client().login(request=HttpRequest(), username=user.email, password="")


def test_other_organisation_admin_cannot_create_a_token(world):
    with pytest.raises(PermissionDenied):
        create_api_token(organisation=world.association, name="X", by=world.acting("association_admin_other_org"))
    assert not ApiToken.objects.exists()


def test_two_active_tokens_cannot_share_a_name(world, token_and_secret):
    with pytest.raises(ValidationError) as error:
        create_api_token(organisation=world.association, name="logiciel de suivi", by=world.acting("miprof_admin"))
    assert error.value.message_dict["name"] == ["Un jeton actif porte déjà ce nom dans l'organisation."]


def test_revoke_api_token_deactivates_its_membership(world, token_and_secret):
    token, _ = token_and_secret
    revoke_api_token(token=token, by=world.acting("association_admin"))
    token.refresh_from_db()
    assert token.revoked_at is not None
    membership = Membership.objects.get(pk=token.membership_id)
    assert not membership.is_active
    assert not User.objects.get(pk=membership.user_id).is_active


def test_revoking_twice_is_refused(world, token_and_secret):
    token, _ = token_and_secret
    revoke_api_token(token=token, by=world.acting("association_admin"))
    with pytest.raises(ValidationError):
        revoke_api_token(token=token, by=world.acting("association_admin"))


def test_valid_token_authenticates_and_records_last_use(token_and_secret):
    token, secret = token_and_secret
    response = api_get(secret)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(token_and_secret):
    token, secret = token_and_secret
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        api_get(secret)
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        traveller.shift(timedelta(seconds=30))
        api_get(secret)
        assert ApiToken.objects.get(pk=token.pk).last_used_at == first
        traveller.shift(timedelta(seconds=31))
        api_get(secret)
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_missing_token_gets_401_in_french(world):
    response = Client().get(LIST_URL)
    assert problem(response, 401)["detail"] == "Informations d'authentification non fournies."
    assert response["WWW-Authenticate"] == "Token"


def test_unknown_token_gets_401(token_and_secret):
    response = api_get("mniop_pas-un-vrai-jeton")
    assert problem(response, 401)["detail"] == "Jeton d'API invalide."


def test_malformed_authorization_header_gets_401(token_and_secret):
    _, secret = token_and_secret
    response = Client().get(LIST_URL, headers={"Authorization": f"Token {secret} en-trop"})
    assert problem(response, 401)["detail"] == "En-tête Authorization mal formé : attendu « Token <secret> »."


def test_revoked_token_gets_401(world, token_and_secret):
    token, secret = token_and_secret
    revoke_api_token(token=token, by=world.acting("association_admin"))
    response = api_get(secret)
    assert problem(response, 401)["detail"] == "Ce jeton d'API a été révoqué."


def test_token_of_an_inactive_organisation_gets_401(world, token_and_secret):
    _, secret = token_and_secret
    world.association.is_active = False
    world.association.save(update_fields=["is_active"])
    response = api_get(secret)
    assert problem(response, 401)["detail"] == "Ce jeton d'API n'est plus actif."


def test_a_session_opens_the_api_with_the_same_scope(client_as):
    response = client_as("association_admin").get(LIST_URL)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_session_write_without_the_csrf_token_gets_403_in_french(world):
    client = Client(enforce_csrf_checks=True)
    login_verified(client, world.user("association_admin"))
    response = client.post(LIST_URL, "{}", content_type="application/json")
    assert problem(response, 403)["detail"].startswith("Jeton CSRF absent ou invalide")


# --- La page des jetons ------------------------------------------------------------------------------------------

PAGE_STATUS = {
    "anonymous": 302,
    "association_agent": 403,
    "association_admin": 200,
    "association_agent_other_org": 404,
    "association_admin_other_org": 404,
    "miprof_agent": 403,
    "miprof_admin": 200,
    "departmental_validator": 404,
    "departmental_validator_other_departement": 404,
    "territorial_referent": 404,
    "statistician": 404,
    "platform_admin": 403,
} | {persona: 404 for persona in FIRST_LINE_PERSONAS}


def test_page_matrix_covers_everyone():
    assert set(PAGE_STATUS) == set(EVERYONE)


@pytest.mark.parametrize("persona, expected_status", PAGE_STATUS.items())
def test_api_token_page_access(world, client_as, persona, expected_status):
    response = client_as(persona).get(reverse("accounts:api_token_list", args=[world.association.public_id]))
    assert response.status_code == expected_status


def test_api_token_page_shows_the_secret_once_after_a_redirect(world, client_as):
    client = client_as("association_admin")
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    response = client.post(url, {"name": "Logiciel de suivi", "scopes": ["signalements:read"]})
    assert response.status_code == 302
    assert response["Location"] == url
    shown = client.get(url)
    assert "no-store" in shown["Cache-Control"]
    secret = re.search(r'<code id="api-token-secret">([^<]+)</code>', shown.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_secret(secret)
    assert AccessLog.objects.filter(action="create", object_id=str(token.public_id)).exists()
    assert secret not in client.get(url).content.decode()
    assert "api_token_secret" not in client.session


def test_reloading_after_creating_a_token_does_not_create_a_second_one(world, client_as):
    client = client_as("association_admin")
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    response = client.post(url, {"name": "Logiciel de suivi", "scopes": ["signalements:read"]}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    client.get(url)
    assert ApiToken.objects.count() == 1


def test_the_new_secret_is_not_shown_on_another_organisations_token_page(world, client_as):
    client = client_as("miprof_admin")
    client.post(
        reverse("accounts:api_token_list", args=[world.association.public_id]),
        {"name": "Logiciel", "scopes": ["signalements:read"]},
    )
    other = client.get(reverse("accounts:api_token_list", args=[world.other_association.public_id]))
    assert 'id="api-token-secret"' not in other.content.decode()
    shown = client.get(reverse("accounts:api_token_list", args=[world.association.public_id]))
    assert 'id="api-token-secret"' in shown.content.decode()


def test_api_token_page_shows_a_french_error_next_to_the_name(world, client_as):
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    response = client_as("association_admin").post(url, {"name": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_api_token_page_lists_tokens_and_logs_the_read(
    world, client_as, token_and_secret, django_assert_max_num_queries
):
    for index in range(3):
        create_api_token(organisation=world.association, name=f"Système {index}", by=world.acting("miprof_admin"))
    client = client_as("association_admin")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("accounts:api_token_list", args=[world.association.public_id]))
    assert response.content.decode().count("Révoquer</a>") == 4
    assert AccessLog.objects.filter(action="read", object_type="accounts.apitoken").count() == 1


def test_revoke_page_revokes_the_token(world, client_as, token_and_secret):
    token, secret = token_and_secret
    url = reverse("accounts:api_token_revoke", args=[world.association.public_id, token.public_id])
    response = client_as("association_admin").post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AccessLog.objects.filter(action="update", object_id=str(token.public_id)).exists()
    assert api_get(secret).status_code == 401


def test_other_organisation_admin_cannot_revoke(world, client_as, token_and_secret):
    token, _ = token_and_secret
    url = reverse("accounts:api_token_revoke", args=[world.association.public_id, token.public_id])
    response = client_as("association_admin_other_org").post(url)
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Les systèmes partenaires sur la page des membres --------------------------------------------------------------


def members_page(client_as, world):
    return client_as("association_admin").get(
        reverse("accounts:organisation_members", args=[world.association.public_id])
    )


def test_members_page_lists_partner_systems_apart_without_a_deactivate_link(world, client_as, token_and_secret):
    token, _ = token_and_secret
    response = members_page(client_as, world)
    memberships = {membership.pk for membership in response.context["memberships"]}
    assert token.membership_id not in memberships
    assert list(response.context["partner_tokens"]) == [token]
    page = response.content.decode()
    deactivate = reverse("accounts:member_deactivate", args=[world.association.public_id, token.membership.public_id])
    assert deactivate not in page
    assert "Systèmes partenaires" in page
    assert reverse("accounts:api_token_list", args=[world.association.public_id]) in page


def test_a_partner_system_membership_cannot_be_deactivated_as_a_member(world, client_as, token_and_secret):
    token, _ = token_and_secret
    url = reverse("accounts:member_deactivate", args=[world.association.public_id, token.membership.public_id])
    assert client_as("association_admin").post(url).status_code == 404
    assert Membership.objects.get(pk=token.membership_id).is_active


def test_organisation_list_counts_people_not_partner_systems(world, client_as, token_and_secret):
    response = client_as("miprof_agent").get(reverse("accounts:organisation_list"), {"q": world.association.name})
    (association,) = response.context["page_obj"]
    people = Membership.objects.filter(organisation=world.association, is_active=True, api_token__isnull=True)
    assert association.active_members == people.count()


def test_partner_systems_receive_no_filing_organisation_notification(world, token_and_secret):
    from accounts.recipients import filing_organisation
    from tests.signalements.factories import SubmittedSignalementFactory

    token, _ = token_and_secret
    signalement = SubmittedSignalementFactory(
        organisation=world.association, created_by=world.user("association_agent")
    )
    assert token.membership.user not in filing_organisation(signalement)
    assert world.user("association_admin") in filing_organisation(signalement)


# --- Qui crée un jeton (constats 1 et 2), portées, expiration, adresses sources -----------------------------------


def test_the_platform_admin_cannot_create_a_token_for_an_organisation(world):
    with pytest.raises(PermissionDenied):
        create_api_token(organisation=world.association, name="X", by=world.acting("platform_admin"))
    assert not ApiToken.objects.exists()


def test_the_platform_admin_cannot_post_to_the_token_page(world, client_as):
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    response = client_as("platform_admin").post(url, {"name": "X", "scopes": ["signalements:read"]})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_created_by_the_organisation_admin_is_active_at_once(token_and_secret):
    token, secret = token_and_secret
    assert token.approved_at is not None and token.approved_by is None
    assert api_get(secret).status_code == 200


@pytest.fixture
def second_miprof_admin(world):
    return acting_as(MembershipFactory(organisation=world.miprof, role=Role.MIPROF_ADMIN))


def test_a_miprof_token_for_another_organisation_waits_for_a_second_approver(world, second_miprof_admin):
    token, secret = create_api_token(organisation=world.association, name="Suivi", by=world.acting("miprof_admin"))
    assert token.is_pending
    assert "second administrateur" in problem(api_get(secret), 401)["detail"]
    [notice] = OutboxMessage.objects.filter(template="api_token_created_by_miprof")
    assert notice.recipient == world.user("association_admin").email
    assert notice.link.endswith(reverse("accounts:api_token_list", args=[world.association.public_id]))
    with pytest.raises(PermissionDenied):
        approve_api_token(token=token, by=world.acting("miprof_admin"))
    approve_api_token(token=token, by=second_miprof_admin)
    token.refresh_from_db()
    assert token.approved_by == second_miprof_admin
    assert api_get(secret).status_code == 200


def test_the_second_miprof_admin_approves_on_the_token_page(world, client_as, second_miprof_admin):
    token, _ = create_api_token(organisation=world.association, name="Suivi", by=second_miprof_admin)
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    page = client_as("association_admin").get(url).content.decode()
    assert "En attente d'un second approbateur" in page
    assert ">Approuver</button>" not in page
    assert ">Approuver</button>" in client_as("miprof_admin").get(url).content.decode()
    approve = reverse("accounts:api_token_approve", args=[world.association.public_id, token.public_id])
    assert client_as("association_admin").post(approve).status_code == 403
    assert client_as("miprof_admin").post(approve).status_code == 302
    token.refresh_from_db()
    assert token.approved_by == world.user("miprof_admin")
    log = AccessLog.objects.get(action="update", object_id=str(token.public_id))
    assert log.user == world.user("miprof_admin")


def test_an_expired_token_gets_401_in_french(token_and_secret):
    token, secret = token_and_secret
    assert token.expires_at.date() == (timezone.now() + timedelta(days=365)).date()
    with time_machine.travel(token.expires_at + timedelta(seconds=1)):
        detail = problem(api_get(secret), 401)["detail"]
    assert detail.startswith("Ce jeton d'API a expiré le ")


def test_a_token_cannot_live_more_than_a_year(world):
    with pytest.raises(ValidationError) as error:
        create_api_token(
            organisation=world.association,
            name="X",
            by=world.acting("association_admin"),
            expires_at=timezone.now() + timedelta(days=400),
        )
    assert "un an" in error.value.message_dict["expires_on"][0]


def test_a_read_only_token_cannot_post(world):
    _, secret = create_api_token(
        organisation=world.association,
        name="Lecture",
        by=world.acting("association_admin"),
        scopes=["signalements:read"],
    )
    headers = {"Authorization": f"Token {secret}"}
    assert Client().get(LIST_URL, headers=headers).status_code == 200
    response = Client().post(LIST_URL, "{}", content_type="application/json", headers=headers)
    assert "écriture" in problem(response, 403)["detail"]
    assert not Signalement.objects.exists()


def test_a_token_without_the_orientation_scope_cannot_read_the_queues(world):
    _, secret = create_api_token(
        organisation=world.association,
        name="Lecture",
        by=world.acting("association_admin"),
        scopes=["signalements:read"],
    )
    problem(api_get(secret, "/api/v1/orientation/file-miprof/"), 403)


def test_a_token_from_a_disallowed_address_gets_403(world):
    token, secret = create_api_token(
        organisation=world.association,
        name="Restreint",
        by=world.acting("association_admin"),
        allowed_networks=["203.0.113.0/24", "2001:db8::/32"],
    )
    headers = {"Authorization": f"Token {secret}"}
    response = Client(REMOTE_ADDR="198.51.100.7").get(LIST_URL, headers=headers)
    assert "adresse" in problem(response, 403)["detail"]
    assert Client(REMOTE_ADDR="203.0.113.9").get(LIST_URL, headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_from == "203.0.113.9"


def test_an_invalid_network_is_a_french_error(world):
    with pytest.raises(ValidationError) as error:
        create_api_token(
            organisation=world.association,
            name="X",
            by=world.acting("association_admin"),
            allowed_networks=["10.0.0/x"],
        )
    assert "Adresse ou réseau invalide" in error.value.message_dict["allowed_networks"][0]


def test_the_token_page_creates_a_scoped_restricted_token_and_shows_its_expiry(world, client_as):
    client = client_as("association_admin")
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    expires_on = (timezone.localdate() + timedelta(days=90)).strftime("%Y-%m-%d")
    data = {
        "name": "Suivi",
        "scopes": ["signalements:read"],
        "expires_on": expires_on,
        "allowed_networks": "203.0.113.7",
    }
    assert client.post(url, data).status_code == 302
    token = ApiToken.objects.get()
    assert (token.scopes, token.allowed_networks) == (["signalements:read"], ["203.0.113.7/32"])
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d") == expires_on
    content = client.get(url).content.decode()
    assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in content
    assert "203.0.113.7/32" in content


def test_the_token_page_shows_a_french_error_for_a_bad_network(world, client_as):
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    response = client_as("association_admin").post(
        url, {"name": "Suivi", "scopes": ["signalements:read"], "allowed_networks": "pas-une-adresse"}
    )
    assert response.status_code == 200
    assert "Adresse ou réseau invalide" in response.content.decode()
    assert not ApiToken.objects.exists()
