"""L'identité chiffrée au repos, par enveloppe : la base ne range que du texte chiffré (signalement et historique
django-pghistory) et des clés de données enveloppées par la clé maîtresse ; l'application lit la valeur ; les
rotations (clé maîtresse : réenveloppe ; clé de données : rechiffrement par lots) sont reprenables et sans
interruption ; l'ancien format (Fernet direct) se lit encore et se migre ; la production refuse de démarrer sans
clé."""

import datetime
import io
import os
import re
import subprocess
import sys
import time

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections
from django.urls import reverse

from mniop.encryption import (
    UndecryptableValue,
    UnknownMasterKey,
    configured_keys,
    create_data_key,
    key_id,
    keyring,
    reencrypt_table,
    reset_keyring,
    rotate_data_key,
)
from mniop.models import DataKey
from mniop.tasks import reencrypt_identity
from signalements.models import Signalement
from tests.signalements.factories import SignalementFactory, submitted_signalement

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
COLUMNS = ("first_name", "last_name", "birth_date", "account")
DATA_KEY_ID = re.compile(r"^k[0-9a-f]{8}$")


@pytest.fixture(autouse=True)
def forget_created_data_keys(django_db_setup, django_db_blocker):
    """Les clés de données sont validées à part (jamais annulées avec une transaction) : celles que le test a créées
    sont retirées après l'annulation de sa transaction, et les clés en mémoire oubliées."""
    with django_db_blocker.unblock():
        baseline = DataKey.objects.order_by("-id").values_list("id", flat=True).first() or 0
    reset_keyring()
    yield
    with django_db_blocker.unblock():
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("DELETE FROM mniop_datakey WHERE id > %s", [baseline])
        other.close()
    reset_keyring()


def raw_rows(table="signalements_signalement", order="id"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM {table} ORDER BY {order}")
        return cursor.fetchall()


def key_ids_in(table="signalements_signalement", order="id"):
    return {value.partition(":")[0] for row in raw_rows(table, order) for value in row if value}


def make_case(world, number=0):
    return submitted_signalement(
        world,
        first_name=f"Ljubica{number}",
        last_name="Petrović",
        birth_date=datetime.date(1995, 7, 14),
        account="Elle dit avoir été recrutée à Belgrade.",
    )


def first_names():
    return sorted(Signalement.objects.values_list("first_name", flat=True))


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_identity_keys", *args, stdout=out)
    return out.getvalue()


def test_identity_is_stored_encrypted_under_a_data_key_and_read_in_clear(world):
    case = make_case(world)

    (stored,) = raw_rows()
    assert DATA_KEY_ID.match(keyring().primary_id)
    assert all(value.startswith(f"{keyring().primary_id}:") for value in stored)
    assert "Petrović" not in "".join(stored)
    assert "1995" not in "".join(stored)
    case = Signalement.objects.get(pk=case.pk)
    assert (case.first_name, case.last_name, case.birth_date) == ("Ljubica0", "Petrović", datetime.date(1995, 7, 14))
    assert case.account == "Elle dit avoir été recrutée à Belgrade."


def test_the_same_value_is_never_stored_twice_the_same(world):
    make_case(world, 1)
    make_case(world, 1)
    first, second = raw_rows()
    assert first[0] != second[0]


def test_data_keys_are_stored_only_wrapped_by_the_master_key(world, settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [OLD_KEY]
    identifier = rotate_data_key()
    make_case(world)

    data_key = DataKey.objects.get(key_id=identifier)
    assert data_key.kek_id == key_id(OLD_KEY)
    clear = Fernet(OLD_KEY).decrypt(data_key.wrapped_key.encode())
    assert len(clear) == 32
    assert clear.hex() not in data_key.wrapped_key and clear not in data_key.wrapped_key.encode()
    assert key_ids_in() == {identifier}


def test_history_snapshots_hold_only_ciphertext(world):
    case = make_case(world)

    assert key_ids_in("signalements_signalementhistory", "pgh_id") == {keyring().primary_id}
    assert case.history.order_by("pgh_id").last().last_name == "Petrović"


def test_the_age_rules_still_work_in_sql(world):
    minor = SignalementFactory(birth_date=datetime.date(2015, 1, 1))
    SignalementFactory(birth_date=datetime.date(1980, 1, 1))
    assert list(Signalement.objects.minors()) == [minor]
    assert minor.birth_age == minor.age


def test_an_encrypted_column_refuses_sql_comparisons(world):
    with pytest.raises(FieldError, match="ne se compare pas"):
        list(Signalement.objects.filter(last_name="Petrović"))


def test_a_value_under_an_unknown_data_key_or_altered_is_refused_not_shown(world):
    case = make_case(world)
    (stored,) = raw_rows()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE signalements_signalement SET last_name = %s, first_name = %s WHERE id = %s",
            ["k00000000" + stored[1][9:], stored[0][:-4] + "AAAA", case.pk],
        )
    with pytest.raises(UndecryptableValue, match="clé de données inconnue"):
        keyring().decrypt("k00000000" + stored[1][9:])
    with pytest.raises(UndecryptableValue, match="altérée"):
        Signalement.objects.get(pk=case.pk)


def legacy_value(key, text):
    return f"{key_id(key)}:{Fernet(key).encrypt(text.encode()).decode()}"


def test_values_of_the_former_fernet_format_still_decrypt_and_are_moved_by_the_reencryption(world):
    master = configured_keys()[0]
    case = make_case(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE signalements_signalement SET first_name = %s, birth_date = %s WHERE id = %s",
            [legacy_value(master, "Milica"), legacy_value(master, "1999-02-03"), case.pk],
        )
    case = Signalement.objects.get(pk=case.pk)
    assert (case.first_name, case.last_name, case.birth_date) == ("Milica", "Petrović", datetime.date(1999, 2, 3))
    assert "signalements.Signalement : 1 ligne(s) restante(s)" in rotate("--check")

    output = rotate()

    assert "Total : 0 ligne(s) restante(s)" in output
    assert key_ids_in() == {keyring().primary_id}
    case = Signalement.objects.get(pk=case.pk)
    assert (case.first_name, case.birth_date) == ("Milica", datetime.date(1999, 2, 3))


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
    assert "Jovanović" not in "".join(raw_rows()[0])
    case.refresh_from_db()
    assert (case.last_name, case.birth_date) == ("Jovanović", datetime.date(1999, 2, 3))
    # Chiffrées à l'ancien format par la migration, ces valeurs passent ensuite sous la clé de données courante.
    assert reencrypt_table(table="signalements_signalement", pk="id", columns=COLUMNS) == 1
    assert key_ids_in() == {keyring().primary_id}
    case.refresh_from_db()
    assert case.last_name == "Jovanović"


def test_rotation_refuses_a_plaintext_value(world):
    case = make_case(world)
    rotate_data_key()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE signalements_signalement SET last_name = 'Jovanović' WHERE id = %s", [case.pk])
    with pytest.raises(UndecryptableValue):
        reencrypt_table(table="signalements_signalement", pk="id", columns=COLUMNS)


# Rotation de la clé de données : les nouvelles écritures la prennent, le rechiffrement déplace les anciennes lignes.


def test_a_new_data_key_encrypts_new_writes_while_old_rows_still_read(world):
    old = keyring().primary_id
    make_case(world, 0)

    new = rotate_data_key()
    make_case(world, 1)

    assert new != old
    assert [row[0][:9] for row in raw_rows()] == [old, new]
    assert first_names() == ["Ljubica0", "Ljubica1"]


def test_other_processes_take_a_new_data_key_after_the_refresh_delay(world, settings):
    settings.IDENTITY_DATA_KEY_REFRESH_SECONDS = 1
    old = keyring().primary_id

    new = create_data_key()  # comme la commande de rotation, lancée dans un autre processus

    assert keyring().primary_id == old
    time.sleep(1.1)
    assert keyring().primary_id == new
    make_case(world)
    assert key_ids_in() == {new}


def test_an_interrupted_rotation_leaves_every_row_readable_and_resumes(world):
    old = keyring().primary_id
    cases = [make_case(world, number) for number in range(4)]

    # Interrompue après deux lignes par table : les unes sous la nouvelle clé, les autres sous l'ancienne.
    output = rotate("--new-data-key", "--limit", "2", "--batch-size", "1")

    new = keyring().primary_id
    assert key_ids_in() == {new, old}
    assert "signalements.Signalement : 2 ligne(s) rechiffrée(s), 2 ligne(s) restante(s)" in output
    assert first_names() == [f"Ljubica{number}" for number in range(4)]

    output = rotate()

    assert "Total : 0 ligne(s) restante(s)" in output
    assert key_ids_in() == {new}
    assert key_ids_in("signalements_signalementhistory", "pgh_id") == {new}
    assert first_names() == [f"Ljubica{number}" for number in range(4)]
    assert {entry.last_name for entry in cases[0].history.all()} == {"Petrović"}


def test_a_rotation_killed_in_the_middle_of_a_batch_loses_nothing_and_resumes(world):
    """Une panne en plein lot (ici, PostgreSQL refuse la 3e ligne) : le lot en cours est annulé en entier, les lots
    validés restent acquis, chaque ligne reste lisible ; relancée, la rotation termine."""
    old = keyring().primary_id
    cases = [make_case(world, number) for number in range(5)]
    versions = [case.history.count() for case in cases]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_coupure() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'coupure'; END $$ "
            "LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER test_coupure BEFORE UPDATE ON signalements_signalement FOR EACH ROW "
            f"WHEN (OLD.id = {cases[2].pk}) EXECUTE FUNCTION test_coupure()"
        )

    with pytest.raises(DatabaseError, match="coupure"):
        rotate("--new-data-key", "--batch-size", "2")

    new = keyring().primary_id
    assert [row[0][:9] for row in raw_rows()] == [new, new, old, old, old]
    assert first_names() == [f"Ljubica{number}" for number in range(5)]
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER test_coupure ON signalements_signalement")

    assert "Total : 0 ligne(s) restante(s)" in rotate()

    assert key_ids_in() == {new}
    assert Signalement.objects.count() == 5
    assert first_names() == [f"Ljubica{number}" for number in range(5)]
    # La rotation n'écrit pas de version dans l'historique : elle ne modifie pas le signalement.
    assert [case.history.count() for case in cases] == versions


def test_the_check_option_counts_without_writing(world):
    old = keyring().primary_id
    make_case(world)
    rotate_data_key()
    output = rotate("--check")
    assert "signalements.Signalement : 1 ligne(s) restante(s)" in output
    assert key_ids_in() == {old}


def test_the_background_task_reencrypts_by_slices_and_schedules_itself_until_done(
    world, django_capture_on_commit_callbacks
):
    for number in range(3):
        make_case(world, number)
    rotate_data_key()

    with django_capture_on_commit_callbacks() as scheduled:
        remaining = reencrypt_identity(rows_per_run=2)
    assert remaining > 0
    assert len(scheduled) == 1
    runs = 1
    while remaining:
        with django_capture_on_commit_callbacks() as scheduled:
            remaining = reencrypt_identity(rows_per_run=2)
        runs += 1
    assert scheduled == []
    assert runs > 2
    assert key_ids_in() == {keyring().primary_id}
    assert key_ids_in("signalements_signalementhistory", "pgh_id") == {keyring().primary_id}


def test_the_command_can_hand_the_reencryption_to_the_background_task(world, django_capture_on_commit_callbacks):
    make_case(world)
    output = rotate("--new-data-key", "--background")
    assert "Rechiffrement confié à la tâche" in output
    assert len(key_ids_in()) == 1 and keyring().primary_id not in key_ids_in()


# Rotation de la clé maîtresse : seules les clés de données sont réenveloppées.


def test_master_key_rotation_rewraps_the_data_keys_only_and_the_old_master_key_can_go(world, settings):
    current = configured_keys()[0]
    make_case(world)
    before = raw_rows()
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY, current]

    output = rotate("--rewrap")

    assert f"par la clé maîtresse {key_id(NEW_KEY)}" in output
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {key_id(NEW_KEY)}
    assert raw_rows() == before  # aucune ligne de données réécrite
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY]
    assert first_names() == ["Ljubica0"]
    assert "Clés de données sous une ancienne clé maîtresse : 0." in rotate("--check")


def test_a_data_key_wrapped_by_a_removed_master_key_gives_a_clear_error(world, settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [OLD_KEY]
    rotate_data_key()
    case = make_case(world)
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(UnknownMasterKey, match=f"clé maîtresse '{key_id(OLD_KEY)}', absente de la configuration"):
        Signalement.objects.get(pk=case.pk)
    with pytest.raises(CommandError, match="remettez-la"):
        rotate("--rewrap")


def test_a_page_whose_identity_cannot_be_decrypted_answers_503_in_french_not_500(world, settings, client_as):
    settings.IDENTITY_ENCRYPTION_KEYS = [OLD_KEY]
    rotate_data_key()
    case = make_case(world)
    settings.IDENTITY_ENCRYPTION_KEYS = [NEW_KEY]
    client = client_as("association_agent")
    client.raise_request_exception = False

    response = client.get(reverse("signalements:signalement_detail", args=[case.public_id]))

    assert response.status_code == 503
    assert "ne peut pas être déchiffrée" in response.content.decode()
    assert "Petrović" not in response.content.decode()
    response = client.get(reverse("signalements_api:signalement_detail", args=[case.public_id]))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert "ne peut pas être déchiffrée" in response.json()["detail"]


def test_keys_can_come_from_a_file(world, settings, tmp_path):
    path = tmp_path / "cles"
    path.write_text(f"# la plus récente d'abord\n{NEW_KEY}\n{OLD_KEY}\n")
    settings.IDENTITY_ENCRYPTION_KEYS = []
    settings.IDENTITY_ENCRYPTION_KEYS_FILE = str(path)
    assert keyring().provider.primary_id == key_id(NEW_KEY)
    assert len(keyring().provider.fernets) == 2


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
