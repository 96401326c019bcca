"""Ré-authentification avant un acte dangereux (`accounts.reauth`) : sans mot de passe et second facteur saisis dans
les 5 dernières minutes, la page « Confirmer votre identité » ; après, l'acte ; une fois la fenêtre passée, à
nouveau la page. Une table couvre chaque acte que nomme l'exigence (ticket 12) : bris de glace, création d'un jeton
d'API, exports de données de cas, changements de rôle des membres, données de référence de la Miprof."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessAction, AccessLog, ApiToken, Invitation, Membership, RoleGrant, RoleGrantStatus
from accounts.reauth import RECENT_AUTH_SESSION_KEY
from accounts.services_api_tokens import create_api_token
from accounts.services_role_grants import request_role_grant
from mniop.roles import Role
from observatoire.models import ExportJob
from orientation.models import BreakGlassAccess, ClockSettings, ShelterProfile
from referents.enums import OrganisationKind
from signalements.models import ReferenceValue
from tests.accounts.factories import PASSWORD, MembershipFactory
from tests.orientation.test_sealed_location import hosted  # noqa: F401
from tests.personas import acting_as
from tests.referents.factories import OrganisationFactory
from tests.two_factor import current_totp_code, login_verified, totp_device

REAUTH = reverse("accounts:reauthenticate")
CLOCKS = {
    "triage_days": 4,
    "triage_urgent_days": 0,
    "decision_days": 6,
    "decision_urgent_days": 1,
    "reconsideration_days": 5,
    "information_days": 5,
    "information_urgent_days": 1,
    "reminder_hours_before": 12,
    "admin_escalation_hours_after": 48,
    "inactivity_alert_days": 10,
}


def exported(action, obj):
    """L'export a eu lieu : sa ligne au journal d'accès (téléchargement ou export) est écrite."""
    return lambda: AccessLog.objects.filter(action=action, object_id=str(obj.public_id)).exists()


@pytest.fixture
def actions(world, request):
    """Chaque acte protégé : (personne, méthode, URL, données, requête qui dit s'il a eu lieu). Les fixtures lourdes
    (dossier validé, hébergement) ne sont construites que pour les actes qui en ont besoin."""
    name = request.node.callspec.params["action"]
    association = world.association
    if name == "api_token":
        url = reverse("accounts:api_token_list", args=[association.public_id])
        data = {"name": "Logiciel de suivi", "scopes": ["signalements:read"]}
        return world.user("association_admin"), "post", url, data, lambda: ApiToken.objects.exists()
    if name == "api_token_approve":
        second_admin = acting_as(MembershipFactory(organisation=world.miprof, role=Role.MIPROF_ADMIN))
        token, _ = create_api_token(organisation=association, name="Suivi", by=second_admin)
        url = reverse("accounts:api_token_approve", args=[association.public_id, token.public_id])
        happened = lambda: not ApiToken.objects.get(pk=token.pk).is_pending  # noqa: E731
        return world.user("miprof_admin"), "post", url, {}, happened
    if name == "member_invite":
        url = reverse("accounts:member_invite", args=[association.public_id])
        data = {"email": "nouvelle@example.org", "role": Role.ASSOCIATION_AGENT}
        return world.user("association_admin"), "post", url, data, lambda: Invitation.objects.exists()
    if name == "member_deactivate":
        member = MembershipFactory(organisation=association, role=Role.ASSOCIATION_AGENT)
        url = reverse("accounts:member_deactivate", args=[association.public_id, member.public_id])
        happened = lambda: not Membership.objects.get(pk=member.pk).is_active  # noqa: E731
        return world.user("association_admin"), "post", url, {}, happened
    if name == "member_second_factor_reset":
        member = world.memberships["association_agent"]
        totp_device(member.user)
        url = reverse("accounts:member_second_factor_reset", args=[association.public_id, member.public_id])
        happened = lambda: not TOTPDevice.objects.filter(user=member.user).exists()  # noqa: E731
        return world.user("association_admin"), "post", url, {}, happened
    if name == "role_grant_request":
        url = reverse("admin:accounts_rolegrant_add")
        data = {
            "user": world.user("association_agent").pk,
            "organisation": association.pk,
            "role": Role.ASSOCIATION_ADMIN,
        }
        return world.user("platform_admin"), "post", url, data, lambda: RoleGrant.objects.exists()
    if name == "role_grant_approve":
        other = acting_as(MembershipFactory(organisation=world.miprof, role=Role.PLATFORM_ADMIN))
        grant = request_role_grant(
            user=world.user("association_agent"), organisation=association, role=Role.ASSOCIATION_ADMIN, by=other
        )
        url = reverse("admin:accounts_rolegrant_changelist")
        data = {"action": "approve", "_selected_action": [grant.pk]}
        happened = lambda: RoleGrant.objects.get(pk=grant.pk).status == RoleGrantStatus.APPROVED  # noqa: E731
        return world.user("platform_admin"), "post", url, data, happened
    if name == "reference_value":
        url = reverse("signalements:reference_value_create")
        data = {"category": "sector", "label": "Pêche", "code": ""}
        happened = lambda: ReferenceValue.objects.filter(code="peche").exists()  # noqa: E731
        return world.user("miprof_admin"), "post", url, data, happened
    if name == "clock_settings":
        happened = lambda: ClockSettings.current().triage_days == CLOCKS["triage_days"]  # noqa: E731
        return world.user("miprof_admin"), "post", reverse("orientation:clock_settings"), CLOCKS, happened
    if name == "shelter_create":
        organisation = OrganisationFactory(name="Foyer des Tilleuls", kind=OrganisationKind.SHELTER)
        data = {"creer-organisation": organisation.public_id, "creer-departement": world.paris.code}
        happened = lambda: ShelterProfile.objects.filter(organisation=organisation).exists()  # noqa: E731
        return world.user("miprof_admin"), "post", reverse("orientation:shelter_list"), data, happened
    if name == "shelter_acse_partner":
        profile = request.getfixturevalue("shelters").paris
        url = reverse("orientation:shelter_acse_partner", args=[profile.public_id])
        happened = lambda: ShelterProfile.objects.get(pk=profile.pk).is_acse_partner  # noqa: E731
        return world.user("miprof_admin"), "post", url, {"is_acse_partner": "1"}, happened
    if name == "break_glass":
        referral = request.getfixturevalue("hosted")
        url = reverse("orientation:break_glass", args=[referral.signalement.public_id])
        data = {"bris-reason": "La police signale un danger immédiat : la personne doit être jointe sans délai."}
        return world.user("departmental_validator"), "post", url, data, lambda: BreakGlassAccess.objects.exists()
    if name == "referral_sheet_pdf":
        referral = request.getfixturevalue("hosted")
        url = reverse("orientation:referral_sheet", args=[referral.public_id])
        shelter_agent = request.getfixturevalue("shelters").south_agent
        return shelter_agent, "get", url, {}, exported(AccessAction.DOWNLOAD, referral)
    if name in {"rights_export_json", "rights_export_pdf"}:
        case = request.getfixturevalue("validated")
        url = reverse("privacy:dpo_export", args=[case.public_id, name.rsplit("_", 1)[1]])
        return world.user("miprof_admin"), "get", url, {}, exported(AccessAction.EXPORT, case)
    if name == "microdata_request":
        url = reverse("observatoire:statistics_microdata")
        return world.user("statistician"), "post", url, {}, lambda: ExportJob.objects.exists()
    if name == "microdata_download":
        job = ExportJob.objects.create(
            requested_by=world.user("statistician"),
            kind="microdata",
            status=ExportJob.Status.DONE,
            filename="microdonnees.csv",
            content=b"yearOfRegistration\n2026\n",
        )
        url = reverse("observatoire:export_job_download", args=[job.public_id])
        return world.user("statistician"), "get", url, {}, exported(AccessAction.EXPORT, job)
    raise AssertionError(name)


ACTIONS = [
    "break_glass",
    "api_token",
    "api_token_approve",
    "referral_sheet_pdf",
    "rights_export_json",
    "rights_export_pdf",
    "microdata_request",
    "microdata_download",
    "member_invite",
    "member_deactivate",
    "member_second_factor_reset",
    "role_grant_request",
    "role_grant_approve",
    "reference_value",
    "clock_settings",
    "shelter_create",
    "shelter_acse_partner",
]


def act(user, method, url, data, *, recent_auth=True):
    client = login_verified(Client(), user, recent_auth=recent_auth)
    return getattr(client, method)(url, data, headers={"referer": f"http://testserver{url}"})


def asks_reauthentication(response):
    return response.status_code == 302 and response.url.startswith(f"{REAUTH}?next=")


@pytest.mark.parametrize("action", ACTIONS)
def test_without_recent_authentication_the_act_asks_for_password_and_code(world, actions, action):
    user, method, url, data, happened = actions
    response = act(user, method, url, data, recent_auth=False)
    assert asks_reauthentication(response)
    assert not happened()


@pytest.mark.parametrize("action", ACTIONS)
def test_with_recent_authentication_the_act_happens(world, actions, action):
    user, method, url, data, happened = actions
    response = act(user, method, url, data)
    assert response.status_code in (200, 302)
    assert not asks_reauthentication(response)
    assert happened()


@pytest.mark.parametrize("action", ACTIONS)
def test_after_the_window_the_act_asks_again(world, actions, action):
    user, method, url, data, happened = actions
    client = login_verified(Client(), user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = getattr(client, method)(url, data)
    assert asks_reauthentication(response)
    assert not happened()


def test_the_page_holding_the_form_stays_readable(world, client_as):
    url = reverse("accounts:api_token_list", args=[world.association.public_id])
    assert client_as("association_admin", recent_auth=False).get(url).status_code == 200


@pytest.mark.parametrize("action", ["api_token"])
def test_reauthentication_with_password_and_code_allows_the_act(world, actions, action):
    user, method, url, data, happened = actions
    client = login_verified(Client(), user, recent_auth=False)
    response = client.post(REAUTH, {"password": PASSWORD, "code": current_totp_code(user), "next": url})
    assert response.url == url
    assert RECENT_AUTH_SESSION_KEY in client.session
    assert client.post(url, data).status_code == 302
    assert happened()
    assert AccessLog.objects.filter(object_type="accounts.apitoken").exists()


def test_reauthentication_with_a_wrong_password_is_refused_in_french(world, client_as):
    user = world.user("association_admin")
    client = client_as("association_admin", recent_auth=False)
    response = client.post(REAUTH, {"password": "faux", "code": current_totp_code(user)})
    assert response.status_code == 200
    assert "Mot de passe ou code incorrect" in response.content.decode()
    assert RECENT_AUTH_SESSION_KEY not in client.session


def test_reauthentication_with_a_wrong_code_is_refused_in_french(world, client_as):
    client = client_as("association_admin", recent_auth=False)
    response = client.post(REAUTH, {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert RECENT_AUTH_SESSION_KEY not in client.session
