"""Chiffrement applicatif des données d'identité (Fernet de `cryptography` : AES-128-CBC + HMAC-SHA256, authentifié).

Les clés viennent de l'environnement (`IDENTITY_ENCRYPTION_KEYS`, séparées par des virgules, la plus récente
d'abord) ou d'un fichier (`IDENTITY_ENCRYPTION_KEYS_FILE`, une clé par ligne, la plus récente d'abord) ; jamais de la
base ni du dépôt. Hors production, à défaut, une clé locale est créée une fois sous `.local/`
(`IDENTITY_ENCRYPTION_LOCAL_KEY_FILE`, jamais versionnée).

Une valeur chiffrée est rangée sous la forme `<identifiant de clé>:<jeton Fernet>` : l'identifiant (8 caractères de
l'empreinte SHA-256 de la clé, qui ne la révèle pas) dit quelle clé a chiffré la ligne, ce qui rend la rotation
(`manage.py rotate_identity_keys`) mesurable et reprenable : une ligne se déchiffre avec n'importe quelle clé encore
configurée, la plus récente chiffre les nouvelles valeurs.
"""

import hashlib
import os
import re
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection, transaction

SEPARATOR = ":"
#: Une valeur déjà chiffrée : identifiant de clé, puis un jeton Fernet (octet de version 0x80 : « gAAAAA »).
ENCRYPTED_VALUE = re.compile(r"^[0-9a-f]{8}:gAAAAA")
KEY_SETTINGS = {"IDENTITY_ENCRYPTION_KEYS", "IDENTITY_ENCRYPTION_KEYS_FILE", "IDENTITY_ENCRYPTION_LOCAL_KEY_FILE"}


class UndecryptableValue(Exception):
    """Une valeur chiffrée qu'aucune clé configurée n'ouvre (clé retirée trop tôt, valeur altérée)."""


def key_id(key):
    """L'identifiant public d'une clé : 8 caractères hexadécimaux de son empreinte."""
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(raw).hexdigest()[:8]


def _read_key_file(path):
    lines = Path(path).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _local_key(path):
    """La clé locale (développement, tests, `make run`) : créée une fois, atomiquement, lisible du seul compte."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(Fernet.generate_key().decode() + "\n")
    return _read_key_file(path)


def configured_keys():
    """Les clés, la plus récente d'abord. Lève `ImproperlyConfigured` s'il n'y en a aucune."""
    keys = [key.strip() for key in settings.IDENTITY_ENCRYPTION_KEYS if key.strip()]
    if not keys and settings.IDENTITY_ENCRYPTION_KEYS_FILE:
        keys = _read_key_file(settings.IDENTITY_ENCRYPTION_KEYS_FILE)
    if not keys and settings.IDENTITY_ENCRYPTION_LOCAL_KEY_FILE:
        keys = _local_key(settings.IDENTITY_ENCRYPTION_LOCAL_KEY_FILE)
    if not keys:
        raise ImproperlyConfigured(
            "Aucune clé de chiffrement de l'identité : renseignez IDENTITY_ENCRYPTION_KEYS ou "
            "IDENTITY_ENCRYPTION_KEYS_FILE (docs/exploitation.md)."
        )
    return keys


class Keyring:
    """Les clés configurées : la première chiffre, toutes déchiffrent."""

    def __init__(self, keys):
        try:
            self.fernets = {key_id(key): Fernet(key) for key in keys}
        except ValueError as error:
            raise ImproperlyConfigured(
                "Une clé de chiffrement de l'identité est invalide : 32 octets en base64 URL (Fernet.generate_key())."
            ) from error
        self.primary_id = key_id(keys[0])
        self.multi = MultiFernet(list(self.fernets.values()))

    def encrypt(self, text):
        token = self.fernets[self.primary_id].encrypt(text.encode())
        return f"{self.primary_id}{SEPARATOR}{token.decode()}"

    def decrypt(self, stored):
        identifier, _, token = stored.partition(SEPARATOR)
        fernet = self.fernets.get(identifier)
        if fernet is None or not token:
            raise UndecryptableValue(f"Valeur chiffrée par une clé inconnue ({identifier[:8]!r}).")
        try:
            return fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise UndecryptableValue(f"Valeur chiffrée altérée (clé {identifier}).") from error

    def is_current(self, stored):
        return stored.startswith(f"{self.primary_id}{SEPARATOR}")

    def rotate(self, stored):
        """La même valeur chiffrée par la clé la plus récente (`MultiFernet.rotate`) ; inchangée si elle l'est déjà."""
        if self.is_current(stored):
            return stored
        identifier, _, token = stored.partition(SEPARATOR)
        if identifier not in self.fernets:
            raise UndecryptableValue(f"Valeur chiffrée par une clé inconnue ({identifier[:8]!r}).")
        try:
            rotated = self.multi.rotate(token.encode())
        except InvalidToken as error:
            raise UndecryptableValue(f"Valeur chiffrée altérée (clé {identifier}).") from error
        return f"{self.primary_id}{SEPARATOR}{rotated.decode()}"


@cache
def keyring():
    return Keyring(configured_keys())


def _reset_keyring(*, setting, **kwargs):
    if setting in KEY_SETTINGS:
        keyring.cache_clear()


setting_changed.connect(_reset_keyring)


def reencrypt_table(*, table, pk, columns, batch_size=500, limit=None, encrypt_plaintext=False):
    """Rechiffre par la clé la plus récente les colonnes d'une table, par lots, chaque lot dans sa transaction.

    Reprenable : un lot validé est acquis, un lot interrompu est annulé en entier ; à tout moment chaque ligne est
    chiffrée par une clé encore configurée, donc lisible. Ne sélectionne que les lignes qui ne sont pas déjà sous la
    clé la plus récente : relancer après une interruption reprend là où l'on s'était arrêté.
    `encrypt_plaintext` (migration initiale seulement) chiffre une valeur encore en clair ; sinon une valeur qui n'a
    pas la forme d'une valeur chiffrée lève `UndecryptableValue`. `limit` : s'arrêter après ce nombre de lignes (une
    rotation par tranches, la nuit). Renvoie le nombre de lignes réécrites."""
    ring = keyring()
    prefix = f"{ring.primary_id}{SEPARATOR}%"
    quoted = [connection.ops.quote_name(column) for column in columns]
    pending = " OR ".join(f"({column} <> '' AND {column} NOT LIKE %s)" for column in quoted)
    select = (
        f"SELECT {connection.ops.quote_name(pk)}, {', '.join(quoted)} FROM {connection.ops.quote_name(table)} "
        f"WHERE {connection.ops.quote_name(pk)} > %s AND ({pending}) ORDER BY 1 LIMIT %s"
    )
    assignments = ", ".join(f"{column} = %s" for column in quoted)
    update = f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE {connection.ops.quote_name(pk)} = %s"
    rewritten, last = 0, None
    while limit is None or rewritten < limit:
        size = batch_size if limit is None else min(batch_size, limit - rewritten)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, [last if last is not None else -1, *[prefix] * len(columns), size])
            rows = cursor.fetchall()
            for row_pk, *values in rows:
                cursor.execute(update, [*(_reencrypt(ring, value, encrypt_plaintext) for value in values), row_pk])
        rewritten += len(rows)
        if len(rows) < size:
            break
        last = rows[-1][0]
    return rewritten


def _reencrypt(ring, value, encrypt_plaintext):
    if value is None or value == "" or ring.is_current(value):
        return value
    if ENCRYPTED_VALUE.match(value):
        return ring.rotate(value)
    if encrypt_plaintext:
        return ring.encrypt(value)
    raise UndecryptableValue("Une valeur qui devrait être chiffrée est en clair ou altérée.")
