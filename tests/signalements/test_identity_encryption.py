"""L'identité chiffrée au repos : la base ne range que du texte chiffré (signalement et historique django-pghistory),
l'application lit la valeur, la rotation des clés est reprenable, la production refuse de démarrer sans clé."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from mniop.encryption import UndecryptableValue, key_id, keyring, reencrypt_table
from signalements.models import Signalement
from tests.signalements.factories import SignalementFactory, submitted_signalement

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
COLUMNS = ("first_name", "last_name", "birth_date", "account")


def raw_rows(table="signalements_signalement", order="id"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM {table} ORDER BY {order}")
        return cursor.fetchall()


def make_case(world, number=0):
    return submitted_signalement(
        world,
        first_name=f"Ljubica{number}",
        last_name="Petrović",
        birth_date=datetime.date(1995, 7, 14),
        account="Elle dit avoir été recrutée à Belgrade.",
    )


def test_identity_is_stored_encrypted_and_read_in_clear(world):
    case = make_case(world)

    (stored,) = raw_rows()
    assert all(value.startswith(f"{keyring().primary_id}:gAAAAA") for value in stored)
    assert "Petrović" not in "".join(stored)
    assert "1995" not in "".join(stored)
    case = Signalement.objects.get(pk=case.pk)
    assert (case.first_name, case.last_name, case.birth_date) == ("Ljubica0", "Petrović", datetime.date(1995, 7, 14))
    assert case.account == "Elle dit avoir été recrutée à Belgrade."


def test_history_snapshots_hold_only_ciphertext(world):
    case = make_case(world)

    history = raw_rows("signalements_signalementhistory", "pgh_id")
    assert history
    assert all(
        value == "" or value is None or value.startswith(f"{keyring().primary_id}:")
        for row in history
        for value in row
    )
    assert case.history.order_by("pgh_id").last().last_name == "Petrović"


def test_the_age_rules_still_work_in_sql(world):
    minor = SignalementFactory(birth_date=datetime.date(2015, 1, 1))
    SignalementFactory(birth_date=datetime.date(1980, 1, 1))
    assert list(Signalement.objects.minors()) == [minor]
    assert minor.birth_age == minor.age


def test_an_encrypted_column_refuses_sql_comparisons(world):
    with pytest.raises(FieldError, match="ne se compare pas"):
        list(Signalement.objects.filter(last_name="Petrović"))


def test_a_value_under_an_unknown_key_is_refused_not_shown(world, settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [OLD_KEY]
    case = make_case(world)
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(UndecryptableValue):
        Signalement.objects.get(pk=case.pk)


def test_plaintext_rows_are_encrypted_by_the_data_migration_function(world):
    case = make_case(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE signalements_signalement SET first_name = 'Milica', last_name = 'Jovanović', "
            "birth_date = '1999-02-03', account = 'Récit en clair' WHERE id = %s",
            [case.pk],
        )

    rewritten = reencrypt_table(table="signalements_signalement", pk="id", columns=COLUMNS, encrypt_plaintext=True)

    assert rewritten == 1
    assert all(value.startswith(f"{keyring().primary_id}:") for value in raw_rows()[0])
    case.refresh_from_db()
    assert (case.last_name, case.birth_date) == ("Jovanović", datetime.date(1999, 2, 3))


def test_rotation_refuses_a_plaintext_value(world):
    case = make_case(world)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE signalements_signalement SET last_name = 'Jovanović' WHERE id = %s", [case.pk])
    with pytest.raises(UndecryptableValue):
        reencrypt_table(table="signalements_signalement", pk="id", columns=COLUMNS)


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_identity_keys", *args, stdout=out)
    return out.getvalue()


def test_an_interrupted_rotation_leaves_every_row_readable_and_resumes(world, settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [OLD_KEY]
    cases = [make_case(world, number) for number in range(4)]
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    # Interrompue après deux lignes par table : les unes sous la nouvelle clé, les autres sous l'ancienne.
    output = rotate("--limit", "2", "--batch-size", "1")

    prefixes = {value[:8] for row in raw_rows() for value in row}
    assert prefixes == {key_id(NEW_KEY), key_id(OLD_KEY)}
    assert "signalements.Signalement : 2 ligne(s) restante(s)" in output
    names = sorted(Signalement.objects.values_list("first_name", flat=True))
    assert names == [f"Ljubica{number}" for number in range(4)]

    output = rotate()

    assert "Total : 0 ligne(s) restante(s)" in output
    assert {value[:8] for row in raw_rows() for value in row} == {key_id(NEW_KEY)}
    history = raw_rows("signalements_signalementhistory", "pgh_id")
    assert {value[:8] for row in history for value in row if value} == {key_id(NEW_KEY)}
    # La rotation n'écrit pas de version dans l'historique : elle ne modifie pas le signalement.
    assert cases[0].history.count() == Signalement.objects.get(pk=cases[0].pk).history.count()
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY]
    assert sorted(Signalement.objects.values_list("first_name", flat=True)) == names
    assert {entry.last_name for entry in cases[0].history.all()} == {"Petrović"}


def test_rotation_does_not_add_history_versions(world, settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [OLD_KEY]
    case = make_case(world)
    versions = case.history.count()
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    rotate()
    assert case.history.count() == versions


def test_the_check_option_counts_without_writing(world, settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [OLD_KEY]
    make_case(world)
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "signalements.Signalement : 1 ligne(s) restante(s)" in rotate("--check")
    assert {value[:8] for row in raw_rows() for value in row} == {key_id(OLD_KEY)}


def test_keys_can_come_from_a_file(world, settings, tmp_path):
    path = tmp_path / "cles"
    path.write_text(f"# la plus récente d'abord\n{NEW_KEY}\n{OLD_KEY}\n")
    settings.IDENTITY_ENCRYPTION_KEYS = []
    settings.IDENTITY_ENCRYPTION_KEYS_FILE = str(path)
    assert keyring().primary_id == key_id(NEW_KEY)
    assert len(keyring().fernets) == 2


def test_production_settings_refuse_to_start_without_encryption_keys():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("IDENTITY_ENCRYPTION_KEYS", "IDENTITY_ENCRYPTION_KEYS_FILE")
    }
    env |= {
        "SECRET_KEY": "x" * 50,
        "DUPLICATE_HMAC_KEY": "k" * 40,
        "ALLOWED_HOSTS": "mniop.example.gouv.fr",
        "SITE_URL": "https://mniop.example.gouv.fr",
    }
    code = "import mniop.settings.prod as s; print(len(s.IDENTITY_ENCRYPTION_KEYS))"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "IDENTITY_ENCRYPTION_KEYS" in refused.stderr
    accepted = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"IDENTITY_ENCRYPTION_KEYS": f"{NEW_KEY},{OLD_KEY}"},
        capture_output=True,
        text=True,
    )
    assert accepted.stdout.strip() == "2"
