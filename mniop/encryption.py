"""Chiffrement applicatif des données d'identité, par enveloppe (`cryptography` : AES-256-GCM et Fernet).

Deux étages de clés :
- **la clé maîtresse** (KEK, *key encryption key*) vient du fournisseur de clés (`IDENTITY_KEY_PROVIDER`). Le
  fournisseur par défaut, `EnvironmentKeyProvider`, lit des clés Fernet dans l'environnement
  (`IDENTITY_ENCRYPTION_KEYS`, séparées par des virgules, la plus récente d'abord) ou dans un fichier
  (`IDENTITY_ENCRYPTION_KEYS_FILE`, une clé par ligne) ; hors production, à défaut, une clé locale est créée une fois
  sous `.local/` (`IDENTITY_ENCRYPTION_LOCAL_KEY_FILE`, jamais versionnée). Jamais dans la base ni dans le dépôt. Un
  KMS ou un HSM se branche en écrivant une sous-classe de `KeyProvider` (`wrap`, `unwrap`, `primary_id`) ;
- **les clés de données** (DEK, `mniop.models.DataKey`) : 256 bits tirés par l'application, rangés en base
  seulement enveloppés par la clé maîtresse. La plus récente chiffre les nouvelles valeurs (AES-256-GCM, nonce de
  96 bits aléatoire, l'identifiant de la clé en données associées).

Une valeur chiffrée est rangée sous la forme `<identifiant de clé de données>:<nonce + texte chiffré, base64 URL>`,
l'identifiant étant `k` suivi de 8 caractères hexadécimaux. Les valeurs de l'ancien format, `<8 hexadécimaux>:<jeton
Fernet>` chiffrées directement par une clé de `IDENTITY_ENCRYPTION_KEYS`, se lisent encore tant que cette clé est
configurée ; le rechiffrement (`rotate_identity_keys`, tâche `mniop.tasks.reencrypt_identity`) les passe sous la clé
de données courante.

Rotations, sans interruption de service (docs/exploitation.md) :
- changer de clé maîtresse réenveloppe les seules clés de données (quelques lignes, quelques secondes) ;
- changer de clé de données : les nouvelles écritures la prennent (chaque processus relit la clé courante au plus
  tard après `IDENTITY_DATA_KEY_REFRESH_SECONDS`), puis le rechiffrement par lots, reprenable, déplace les anciennes
  lignes ; chaque ligne reste lisible pendant toute l'opération.
"""

import base64
import hashlib
import logging
import os
import re
import secrets
import time
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SEPARATOR = ":"
#: Une valeur de l'ancien format : identifiant de clé maîtresse, puis un jeton Fernet (octet de version 0x80).
LEGACY_VALUE = re.compile(r"^[0-9a-f]{8}:gAAAAA")
#: Une valeur chiffrée par une clé de données.
ENVELOPE_VALUE = re.compile(r"^k[0-9a-f]{8}:")
#: Les deux formes en SQL (expressions rationnelles de PostgreSQL).
ENCRYPTED_VALUE_SQL = r"^([0-9a-f]{8}:gAAAAA|k[0-9a-f]{8}:)"
NONCE_BYTES = 12
KEY_SETTINGS = {
    "IDENTITY_ENCRYPTION_KEYS",
    "IDENTITY_ENCRYPTION_KEYS_FILE",
    "IDENTITY_ENCRYPTION_LOCAL_KEY_FILE",
    "IDENTITY_KEY_PROVIDER",
    "IDENTITY_DATA_KEY_REFRESH_SECONDS",
}
#: Verrou consultatif de PostgreSQL : deux processus ne créent pas chacun une clé de données en même temps.
DATA_KEY_LOCK = 7_131_302_001


class UndecryptableValue(Exception):
    """Une valeur chiffrée qu'aucune clé configurée n'ouvre (clé retirée trop tôt, valeur altérée)."""


class UnknownMasterKey(UndecryptableValue):
    """Une clé de données enveloppée par une clé maîtresse que le fournisseur ne connaît plus."""


def key_id(key):
    """L'identifiant public d'une clé Fernet : 8 caractères hexadécimaux de son empreinte."""
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
    """Les clés maîtresses de l'environnement ou du fichier, la plus récente d'abord. `ImproperlyConfigured` sinon."""
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


class KeyProvider:
    """L'interface d'un fournisseur de clé maîtresse (KMS, HSM, environnement). La clé maîtresse ne sort jamais du
    fournisseur : l'application lui confie une clé de données à envelopper ou à désenvelopper.

    - `primary_id` : l'identifiant de la clé maîtresse qui enveloppe les nouvelles clés de données ;
    - `wrap(data_key)` : `data_key` (octets) enveloppée par la clé maîtresse courante, en texte ;
    - `unwrap(kek_id, wrapped)` : les octets de la clé de données ; `UnknownMasterKey` si `kek_id` n'est plus connue,
      `UndecryptableValue` si l'enveloppe est altérée.
    `legacy_fernets()` ne sert qu'aux valeurs de l'ancien format (chiffrées directement par la clé maîtresse) : un
    fournisseur de KMS renvoie `{}`."""

    primary_id = None

    def wrap(self, data_key):
        raise NotImplementedError

    def unwrap(self, kek_id, wrapped):
        raise NotImplementedError

    def legacy_fernets(self):
        return {}


class EnvironmentKeyProvider(KeyProvider):
    """Les clés maîtresses Fernet de `IDENTITY_ENCRYPTION_KEYS` (ou du fichier) : la première enveloppe, toutes
    désenveloppent."""

    def __init__(self, keys=None):
        keys = keys if keys is not None else configured_keys()
        try:
            self.fernets = {key_id(key): Fernet(key) for key in keys}
        except ValueError as error:
            raise ImproperlyConfigured(
                "Une clé de chiffrement de l'identité est invalide : 32 octets en base64 URL (Fernet.generate_key())."
            ) from error
        self.primary_id = key_id(keys[0])

    def wrap(self, data_key):
        return self.fernets[self.primary_id].encrypt(data_key).decode()

    def unwrap(self, kek_id, wrapped):
        fernet = self.fernets.get(kek_id)
        if fernet is None:
            raise UnknownMasterKey(
                f"La clé de données est enveloppée par la clé maîtresse {kek_id!r}, absente de la configuration "
                "(IDENTITY_ENCRYPTION_KEYS) : remettez-la, puis réenveloppez (rotate_identity_keys --rewrap)."
            )
        try:
            return fernet.decrypt(wrapped.encode())
        except InvalidToken as error:
            raise UndecryptableValue(f"Enveloppe de clé de données altérée (clé maîtresse {kek_id}).") from error

    def legacy_fernets(self):
        return self.fernets


def key_provider():
    return import_string(settings.IDENTITY_KEY_PROVIDER)()


def _committed_connection():
    """Une connexion à part, en validation automatique : une clé de données créée n'est jamais annulée avec la
    transaction de la requête qui l'a demandée (sinon des lignes validées pourraient porter une clé disparue)."""
    return connections.create_connection(DEFAULT_DB_ALIAS)


def create_data_key(provider=None, *, only_if_none=False):
    """Tire une clé de données, l'enveloppe par la clé maîtresse courante et la range, validée tout de suite.
    `only_if_none` : ne rien créer s'il en existe déjà une (première écriture d'une base neuve). Renvoie son
    identifiant (ou celui de la clé existante)."""
    from mniop.models import DataKey  # noqa: PLC0415 (les modèles ne se chargent pas à l'import des réglages)

    provider = provider or key_provider()
    table = connection.ops.quote_name(DataKey._meta.db_table)
    other = _committed_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DATA_KEY_LOCK])
            if only_if_none:
                cursor.execute(f"SELECT key_id FROM {table} ORDER BY id DESC LIMIT 1")
                row = cursor.fetchone()
                if row:
                    cursor.execute("COMMIT")
                    return row[0]
            identifier = f"k{secrets.token_hex(4)}"
            wrapped = provider.wrap(AESGCM.generate_key(bit_length=256))
            cursor.execute(
                f"INSERT INTO {table} (key_id, wrapped_key, kek_id, created_at) VALUES (%s, %s, %s, %s)",
                [identifier, wrapped, provider.primary_id, timezone.now()],
            )
            cursor.execute("COMMIT")
    finally:
        other.close()
    logger.info("Clé de données créée", extra={"data_key": identifier, "kek": provider.primary_id})
    return identifier


class Keyring:
    """Les clés de données désenveloppées (en mémoire du processus seulement) : la plus récente chiffre, toutes
    déchiffrent ; les valeurs de l'ancien format se lisent par la clé maîtresse qui les a chiffrées."""

    def __init__(self, provider):
        self.provider = provider
        self.ciphers = {}
        self._primary_id = None
        self._primary_read_at = None

    @property
    def refresh_seconds(self):
        return settings.IDENTITY_DATA_KEY_REFRESH_SECONDS

    @property
    def primary_id(self):
        """La clé de données courante, relue en base au plus toutes les `IDENTITY_DATA_KEY_REFRESH_SECONDS` (0 :
        jamais, sauf réinitialisation) ; créée si la base n'en a aucune."""
        stale = self._primary_id is None or (
            self.refresh_seconds and time.monotonic() - self._primary_read_at > self.refresh_seconds
        )
        if stale:
            from mniop.models import DataKey  # noqa: PLC0415

            latest = DataKey.objects.order_by("-id").values_list("key_id", flat=True).first()
            self._primary_id = latest or create_data_key(self.provider, only_if_none=True)
            self._primary_read_at = time.monotonic()
        return self._primary_id

    def cipher(self, identifier):
        if identifier not in self.ciphers:
            from mniop.models import DataKey  # noqa: PLC0415

            row = DataKey.objects.filter(key_id=identifier).values_list("kek_id", "wrapped_key").first()
            if row is None:
                raise UndecryptableValue(f"Valeur chiffrée par une clé de données inconnue ({identifier!r}).")
            self.ciphers[identifier] = AESGCM(self.provider.unwrap(*row))
        return self.ciphers[identifier]

    def encrypt(self, text):
        identifier = self.primary_id
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.cipher(identifier).encrypt(nonce, text.encode(), identifier.encode())
        return f"{identifier}{SEPARATOR}{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored):
        identifier, _, token = stored.partition(SEPARATOR)
        if LEGACY_VALUE.match(stored):
            return self._decrypt_legacy(identifier, token)
        if not ENVELOPE_VALUE.match(stored) or not token:
            raise UndecryptableValue("Une valeur qui devrait être chiffrée est en clair ou altérée.")
        try:
            raw = base64.urlsafe_b64decode(token.encode())
            return self.cipher(identifier).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], identifier.encode()).decode()
        except (InvalidTag, ValueError) as error:
            raise UndecryptableValue(f"Valeur chiffrée altérée (clé de données {identifier}).") from error

    def _decrypt_legacy(self, identifier, token):
        fernet = self.provider.legacy_fernets().get(identifier)
        if fernet is None:
            raise UndecryptableValue(f"Valeur chiffrée par une clé inconnue ({identifier[:8]!r}).")
        try:
            return fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise UndecryptableValue(f"Valeur chiffrée altérée (clé {identifier}).") from error

    def encrypt_legacy(self, text):
        """L'ancien format (la clé maîtresse courante, directement) : seulement pour la migration initiale
        `signalements 0009`, qui peut passer avant la création de la table des clés de données ; le rechiffrement
        déplace ensuite ces valeurs sous une clé de données."""
        fernets = self.provider.legacy_fernets()
        token = fernets[self.provider.primary_id].encrypt(text.encode()).decode()
        return f"{self.provider.primary_id}{SEPARATOR}{token}"

    def is_current(self, stored):
        return stored.startswith(f"{self.primary_id}{SEPARATOR}")

    def rotate(self, stored):
        """La même valeur chiffrée par la clé de données courante ; inchangée si elle l'est déjà."""
        if self.is_current(stored):
            return stored
        return self.encrypt(self.decrypt(stored))


@cache
def keyring():
    return Keyring(key_provider())


def reset_keyring():
    """Oublie les clés en mémoire : la prochaine écriture relit la clé de données courante en base."""
    keyring.cache_clear()


def _reset_keyring(*, setting, **kwargs):
    if setting in KEY_SETTINGS:
        reset_keyring()


setting_changed.connect(_reset_keyring)


def rotate_data_key():
    """Crée une nouvelle clé de données, courante dès maintenant dans ce processus (les autres la prennent au plus
    tard après `IDENTITY_DATA_KEY_REFRESH_SECONDS`). Renvoie son identifiant."""
    identifier = create_data_key(keyring().provider)
    reset_keyring()
    return identifier


def rewrap_data_keys():
    """Réenveloppe par la clé maîtresse courante les clés de données enveloppées par une autre : aucune ligne de
    données n'est réécrite. Renvoie le nombre de clés réenveloppées. `UnknownMasterKey` si une clé de données est
    enveloppée par une clé maîtresse déjà retirée (la remettre dans la configuration, relancer)."""
    from mniop.models import DataKey  # noqa: PLC0415

    provider = keyring().provider
    count = 0
    with transaction.atomic():
        for data_key in DataKey.objects.select_for_update().exclude(kek_id=provider.primary_id):
            clear = provider.unwrap(data_key.kek_id, data_key.wrapped_key)
            data_key.wrapped_key = provider.wrap(clear)
            data_key.kek_id = provider.primary_id
            data_key.rewrapped_at = timezone.now()
            data_key.save(update_fields=["wrapped_key", "kek_id", "rewrapped_at"])
            logger.info("Clé de données réenveloppée", extra={"data_key": data_key.key_id, "kek": data_key.kek_id})
            count += 1
    reset_keyring()
    return count


def data_keys_under_other_master_keys():
    """Les identifiants des clés de données qui ne sont pas enveloppées par la clé maîtresse courante."""
    from mniop.models import DataKey  # noqa: PLC0415

    provider = keyring().provider
    return list(DataKey.objects.exclude(kek_id=provider.primary_id).values_list("key_id", flat=True))


def pending_condition(columns, *, encrypt_plaintext=False):
    """La condition SQL (et ses paramètres) des lignes à rechiffrer : une colonne non vide qui n'est pas sous la clé
    de données courante ; pour la migration initiale, une colonne non vide qui n'est pas chiffrée."""
    quoted = [connection.ops.quote_name(column) for column in columns]
    if encrypt_plaintext:
        condition = " OR ".join(f"({column} <> '' AND {column} !~ %s)" for column in quoted)
        return condition, [ENCRYPTED_VALUE_SQL] * len(columns)
    prefix = f"{keyring().primary_id}{SEPARATOR}%"
    condition = " OR ".join(f"({column} <> '' AND {column} NOT LIKE %s)" for column in quoted)
    return condition, [prefix] * len(columns)


def reencrypt_table(*, table, pk, columns, batch_size=500, limit=None, encrypt_plaintext=False):
    """Rechiffre par la clé de données courante les colonnes d'une table, par lots, chaque lot dans sa transaction.

    Reprenable et idempotent : un lot validé est acquis, un lot interrompu est annulé en entier ; à tout moment chaque
    ligne est chiffrée par une clé encore lisible. Ne sélectionne que les lignes qui ne sont pas déjà sous la clé
    courante : relancer après une interruption reprend là où l'on s'était arrêté. `encrypt_plaintext` (migration
    initiale seulement) chiffre une valeur encore en clair, à l'ancien format ; sinon une valeur qui n'a pas la forme
    d'une valeur chiffrée lève `UndecryptableValue`. `limit` : s'arrêter après ce nombre de lignes (une rotation par
    tranches). Chaque lot est journalisé (table, lignes). Renvoie le nombre de lignes réécrites."""
    quoted_table, quoted_pk = connection.ops.quote_name(table), connection.ops.quote_name(pk)
    quoted = [connection.ops.quote_name(column) for column in columns]
    pending, parameters = pending_condition(columns, encrypt_plaintext=encrypt_plaintext)
    select = (
        f"SELECT {quoted_pk}, {', '.join(quoted)} FROM {quoted_table} "
        f"WHERE {quoted_pk} > %s AND ({pending}) ORDER BY 1 LIMIT %s FOR UPDATE"
    )
    assignments = ", ".join(f"{column} = new_values.{column}" for column in quoted)
    row_values = f"(%s::bigint, {', '.join(['%s::text'] * len(columns))})"
    update = (
        f"UPDATE {quoted_table} SET {assignments} FROM (VALUES {{rows}}) AS new_values(row_pk, {', '.join(quoted)}) "
        f"WHERE {quoted_table}.{quoted_pk} = new_values.row_pk"
    )
    transform = _encrypt_plaintext if encrypt_plaintext else _reencrypt
    rewritten, last = 0, None
    while limit is None or rewritten < limit:
        size = batch_size if limit is None else min(batch_size, limit - rewritten)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, [last if last is not None else -1, *parameters, size])
            rows = cursor.fetchall()
            if rows:
                # Une seule instruction par lot, pas une par ligne.
                placeholders = ", ".join([row_values] * len(rows))
                parameters_of_rows = [item for row_pk, *values in rows for item in (row_pk, *map(transform, values))]
                cursor.execute(update.format(rows=placeholders), parameters_of_rows)
        rewritten += len(rows)
        if rows:
            logger.info("Rechiffrement : lot validé", extra={"table": table, "rows": len(rows), "total": rewritten})
        if len(rows) < size:
            break
        last = rows[-1][0]
    return rewritten


def _reencrypt(value):
    if value is None or value == "":
        return value
    return keyring().rotate(value)


def _encrypt_plaintext(value):
    if value is None or value == "" or LEGACY_VALUE.match(value) or ENVELOPE_VALUE.match(value):
        return value
    return keyring().encrypt_legacy(value)


def encrypt_bytes(data):
    """Un contenu binaire (une pièce jointe) chiffré par la clé de données courante (AES-256-GCM, nonce aléatoire,
    l'identifiant de la clé en données associées) : `<identifiant de clé>:` suivi du nonce et du texte chiffré, en
    octets bruts (pas de base64 : un fichier de 10 Mo reste à 10 Mo)."""
    ring = keyring()
    identifier = ring.primary_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.cipher(identifier).encrypt(nonce, data, identifier.encode())
    return identifier.encode() + SEPARATOR.encode() + nonce + sealed


def encrypted_bytes_key_id(stored):
    """L'identifiant de la clé de données qui a chiffré ce contenu (rotation des fichiers)."""
    return stored.partition(SEPARATOR.encode())[0].decode(errors="replace")


def decrypt_bytes(stored):
    """Le contenu d'un fichier chiffré par `encrypt_bytes`, avec n'importe quelle clé de données encore connue."""
    identifier = encrypted_bytes_key_id(stored)
    raw = stored[len(identifier) + len(SEPARATOR) :]
    if not ENVELOPE_VALUE.match(f"{identifier}{SEPARATOR}") or len(raw) <= NONCE_BYTES:
        raise UndecryptableValue("Un fichier qui devrait être chiffré est en clair ou altéré.")
    try:
        return keyring().cipher(identifier).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], identifier.encode())
    except InvalidTag as error:
        raise UndecryptableValue(f"Fichier chiffré altéré (clé de données {identifier}).") from error
