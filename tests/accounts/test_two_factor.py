"""Le second facteur : enrôlement à la première connexion, vérification à chaque connexion, codes de secours, et
aucune page de dossier, aucun jeton d'API, aucune page d'administration sans lui."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessLog, ApiToken
from accounts.services_api_tokens import create_api_token
from accounts.services_two_factor import regenerate_recovery_codes
from accounts.two_factor import IDP_MFA_SESSION_KEY
from tests.accounts.factories import PASSWORD
from tests.problems import problem
from tests.two_factor import current_totp_code, totp_device

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


def password_login(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def code_for(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_first_login_leads_to_the_enrolment_page_with_an_inline_qr_code(world, client):
    user = world.user("association_agent")
    response = password_login(client, user)
    assert response.url == f"{SETUP}?next=%2F"
    page = client.get(SETUP)
    content = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in content and "<img" not in content.split("mniop-qr-code")[1].split("</div>")[0]
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert "otpauth://" not in content  # le QR code est dessiné, l'adresse n'est pas affichée en clair


def test_enrolment_with_a_right_code_confirms_the_device_and_shows_recovery_codes_once(world, client):
    user = world.user("association_agent")
    password_login(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"code": code_for(device), "next": "/signalements/"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("accounts:account_detail")).status_code == 200
    assert client.get(SETUP).status_code == 302  # déjà enrôlé : les codes ne sont plus jamais montrés


def test_enrolment_with_a_wrong_code_says_so_in_french_and_confirms_nothing(world, client):
    user = world.user("association_agent")
    password_login(client, user)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get(reverse("accounts:account_detail")).status_code == 302


def test_login_with_a_device_asks_for_the_code_then_opens_the_requested_page(world, client):
    user = world.user("association_agent")
    totp_device(user)
    client.get(reverse("accounts:account_detail"))
    response = client.post(
        reverse("accounts:login") + "?next=/mon-compte/", {"username": user.email, "password": PASSWORD}
    )
    assert response.url == f"{VERIFY}?next=%2Fmon-compte%2F"
    response = client.post(VERIFY, {"code": current_totp_code(user), "next": "/mon-compte/"})
    assert response.url == "/mon-compte/"
    assert client.get("/mon-compte/").status_code == 200


def test_a_totp_code_cannot_be_used_twice(world):
    user = world.user("association_agent")
    code = current_totp_code(user)
    first, second = Client(), Client()
    password_login(first, user)
    password_login(second, user)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert second.get(reverse("accounts:account_detail")).status_code == 302


def test_a_wrong_code_is_refused_and_slows_the_next_tries(world, client):
    user = world.user("association_agent")
    device = totp_device(user)
    password_login(client, user)
    assert "Code incorrect ou expiré" in client.post(VERIFY, {"code": "123456"}).content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    response = client.post(VERIFY, {"code": current_totp_code(user)})
    assert "Trop d&#x27;essais incorrects" in response.content.decode()


def test_a_recovery_code_opens_the_session_once(world, client):
    user = world.user("association_agent")
    totp_device(user)
    code = regenerate_recovery_codes(user=user)[0]
    password_login(client, user)
    response = client.post(VERIFY, {"code": code.upper()}, follow=True)
    assert "il vous en reste 9" in response.content.decode()
    assert not StaticToken.objects.filter(device__user=user, token=code).exists()
    other = Client()
    password_login(other, user)
    assert "Code incorrect" in other.post(VERIFY, {"code": code}).content.decode()


@pytest.mark.parametrize(
    "url",
    ["/", "/signalements/", "/mon-compte/", "/journal-acces/", "/notifications/", "/admin/"],
)
def test_a_session_without_second_factor_reaches_no_data_page(world, client_as, url):
    client = client_as("miprof_admin", verified=False)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    assert not AccessLog.objects.exists()


def test_a_session_without_second_factor_cannot_create_an_api_token(world, client_as):
    client = client_as("association_admin", verified=False)
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    response = client.post(url, {"name": "Logiciel"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_the_api_refuses_a_session_without_second_factor_in_french(world, client_as):
    response = client_as("association_agent", verified=False).get("/api/v1/signalements/")
    assert problem(response, 403)["detail"].startswith("Second facteur requis")
    assert not AccessLog.objects.exists()


def test_a_partner_token_is_not_a_session_and_needs_no_second_factor(world):
    _, secret = create_api_token(organisation=world.association, name="Logiciel", by=world.acting("association_admin"))
    response = Client().get("/api/v1/signalements/", headers={"Authorization": f"Token {secret}"})
    assert response.status_code == 200


def test_public_pages_and_logout_stay_open_without_second_factor(world, client_as):
    client = client_as("association_agent", verified=False)
    for name in ["accessibility", "legal_notices", "privacy"]:
        assert client.get(reverse(name)).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:account_detail")).url.startswith(reverse("accounts:login"))


def test_a_second_factor_asserted_by_the_identity_provider_counts(world, client_as):
    client = client_as("association_agent", verified=False)
    session = client.session
    session[IDP_MFA_SESSION_KEY] = True
    session.save()
    assert client.get(reverse("accounts:account_detail")).status_code == 200


def test_the_admin_site_needs_a_verified_second_factor(world, client_as, rf):
    user = world.user("platform_admin")
    request = rf.get("/admin/")
    request.user = user
    user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    user.is_verified = lambda: True
    assert admin.site.has_permission(request)
    assert client_as("platform_admin").get("/admin/").status_code == 200


def test_the_enrolment_page_shows_no_menu_before_the_second_factor(world, client_as):
    content = client_as("association_agent", verified=False).get(SETUP).content.decode()
    assert "Mes signalements" not in content
    assert client_as("association_agent").get(reverse("home")).content.decode().count("Mes signalements") >= 1
