"""Le second facteur de démonstration : chaque compte de démonstration a l'application d'authentification de clé
`DEMO_TOTP_SECRET` ; `manage.py demo_totp <adresse>` donne le code du moment, jamais pour un compte réel."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.people import DEMO_ACCOUNTS
from demo.safety import DEMO_TOTP_SECRET, demo_totp_key
from tests.accounts.factories import UserFactory
from tests.two_factor import totp_device


def test_every_demo_account_has_the_demo_second_factor(seeded, db):
    emails = {account.email for account in DEMO_ACCOUNTS}
    devices = TOTPDevice.objects.filter(user__email__in=emails, confirmed=True)
    assert {device.user.email for device in devices} == emails
    assert {device.key for device in devices} == {demo_totp_key()}


def test_demo_totp_prints_a_code_the_login_accepts(seeded, db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_totp", DEMO_ACCOUNTS[0].email, stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    device = TOTPDevice.objects.get(user__email=DEMO_ACCOUNTS[0].email)
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)


def test_demo_totp_never_reads_a_real_account(seeded, db, settings):
    settings.DEBUG = True
    user = UserFactory()
    totp_device(user)
    with pytest.raises(CommandError, match="pas un compte de démonstration"):
        call_command("demo_totp", user.email, stdout=StringIO())


def test_demo_totp_is_refused_without_debug(seeded, db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo_totp", DEMO_ACCOUNTS[0].email, stdout=StringIO())


def test_the_accounts_banner_tells_how_to_get_the_codes(seeded, db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--accounts", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()
    assert "manage.py demo_totp <adresse>" in out.getvalue()
