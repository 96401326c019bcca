"""Clés d'accès (WebAuthn, django-otp-webauthn) : ajoutées depuis une session vérifiée, elles valident ensuite une
connexion comme un code. Un authentificateur logiciel (clé P-256, attestation « none ») joue le rôle du navigateur
et de la clé, au niveau des points d'entrée."""

import base64
import hashlib
import json
import os
import struct

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from accounts.reauth import RECENT_AUTH_SESSION_KEY
from accounts.services_two_factor import reset_second_factor
from tests.two_factor import MODEL_BACKEND

ORIGIN = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sha256(data):
    return hashlib.sha256(data).digest()


class SoftAuthenticator:
    """Ce que ferait le navigateur avec une clé d'accès : créer la clé, puis signer les défis."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0
        self.user_handle = None

    def cose_public_key(self):
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def client_data(self, kind, challenge):
        return json.dumps({"type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": False}).encode()

    def create(self, options):
        self.user_handle = options["user"]["id"]
        client_data = self.client_data("webauthn.create", options["challenge"])
        auth_data = (
            sha256(options["rp"]["id"].encode())
            + bytes([0x45])  # présence, vérification de la personne, données de la clé jointes
            + struct.pack(">I", 0)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self.cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(self, options):
        client_data = self.client_data("webauthn.get", options["challenge"])
        self.sign_count += 1
        auth_data = sha256(options["rpId"].encode()) + bytes([0x05]) + struct.pack(">I", self.sign_count)
        signature = self.key.sign(auth_data + sha256(client_data), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": self.user_handle,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }


def post_json(client, name, data=None):
    return client.post(reverse(f"otp_webauthn:{name}"), json.dumps(data or {}), content_type="application/json")


def register(client, authenticator):
    options = post_json(client, "credential-registration-begin").json()
    return post_json(client, "credential-registration-complete", authenticator.create(options))


def password_only(user):
    """Une session ouverte par le mot de passe seul (la personne relue : l'ajout de la clé a fermé ses sessions)."""
    user.refresh_from_db()
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def enrolled(world, client_as):
    """L'agent de l'association, avec une clé d'accès ajoutée depuis sa session vérifiée."""
    authenticator = SoftAuthenticator()
    response = register(client_as("association_agent"), authenticator)
    assert response.status_code == 200, response.content
    return authenticator


def test_a_verified_person_adds_a_passkey(world, enrolled):
    credential = WebAuthnCredential.objects.get()
    assert credential.user == world.user("association_agent")
    assert credential.confirmed


def test_adding_a_passkey_ends_the_other_sessions(world, client_as):
    other = client_as("association_agent")
    assert other.get(reverse("accounts:account_detail")).status_code == 200  # la session est ouverte
    register(client_as("association_agent"), SoftAuthenticator())
    assert other.get(reverse("accounts:account_detail")).url.startswith(reverse("accounts:login"))


def test_a_passkey_verifies_a_password_login(world, enrolled):
    client = password_only(world.user("association_agent"))
    assert client.get(reverse("accounts:account_detail")).status_code == 302
    verify_page = client.get(reverse("accounts:two_factor_verify")).content.decode()
    assert "Utiliser ma clé d&#x27;accès" in verify_page or "Utiliser ma clé d'accès" in verify_page
    options = post_json(client, "credential-authentication-begin").json()
    response = post_json(client, "credential-authentication-complete", enrolled.get(options))
    assert response.status_code == 200, response.content
    assert client.session[DEVICE_ID_SESSION_KEY] == WebAuthnCredential.objects.get().persistent_id
    assert RECENT_AUTH_SESSION_KEY in client.session
    assert client.get(reverse("accounts:account_detail")).status_code == 200


def test_a_forged_signature_does_not_verify_the_session(world, enrolled):
    client = password_only(world.user("association_agent"))
    options = post_json(client, "credential-authentication-begin").json()
    assertion = enrolled.get(options)
    assertion["response"]["signature"] = b64url(b"\x30\x06\x02\x01\x01\x02\x01\x01")
    response = post_json(client, "credential-authentication-complete", assertion)
    assert response.status_code >= 400
    assert client.get(reverse("accounts:account_detail")).status_code == 302


def test_a_session_without_second_factor_cannot_add_a_passkey(world, enrolled):
    client = password_only(world.user("association_agent"))
    response = post_json(client, "credential-registration-begin")
    assert response.status_code == 302
    assert WebAuthnCredential.objects.count() == 1


def test_the_admin_reset_removes_the_passkeys(world, enrolled):
    reset_second_factor(membership=world.memberships["association_agent"], by=world.acting("association_admin"))
    assert not WebAuthnCredential.objects.exists()


def test_the_account_page_lists_the_passkeys(world, client_as, enrolled):
    content = client_as("association_agent").get(reverse("accounts:account_detail")).content.decode()
    assert "Ajouter une clé d" in content
    assert "ajoutée le" in content
