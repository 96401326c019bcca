"""Le journal d'accès inviolable : chaque ligne porte une empreinte SHA-256 chaînée à la précédente.

`chain_hash = sha256(previous_hash + "\\n" + access_log_canonical(ligne))`, calculée par la base elle-même
(déclencheur `access_log_hash_chain` de `accounts.models.AccessLog`) au COMMIT de la transaction qui écrit la ligne :
un déclencheur de contrainte différé prend alors le verrou consultatif de la chaîne (`pg_advisory_xact_lock`), lit la
dernière ligne chaînée (par rang, `chain_position`), pose le rang suivant, l'empreinte précédente et celle de la
ligne ; le verrou est relâché à la fin du COMMIT. Une requête qui écrit sa ligne tôt n'attend donc personne pendant
le reste de son travail : seules les validations passent une par une. L'ordre de la chaîne est celui des validations,
pas celui des identifiants (tirés à l'insertion). Aucun chemin de l'application ne peut écrire une ligne hors chaîne ;
la seule modification qu'accepte la base est celle du déclencheur (rang et empreintes d'une ligne encore hors chaîne).
Modifier, supprimer ou insérer une ligne en contournant les déclencheurs (SQL de superutilisateur) casse la chaîne au
premier maillon touché : `manage.py verify_access_log` le trouve, en recalculant chaque empreinte en Python à partir
du contenu canonique. La tête de chaîne est exportée chaque jour hors de la base (`export_chain_head`, tâche beat) :
réécrire toute la chaîne se verrait en la comparant aux têtes exportées.

Une purge des plus anciennes lignes (durée de conservation) garde une chaîne vérifiable : la vérification part de la
première ligne restante, dont l'empreinte précédente sert d'ancre.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import AccessLog

GENESIS = ""
logger = logging.getLogger("mniop.access_log")

#: Le contenu canonique d'une ligne (date en UTC à la microseconde, indépendante du fuseau de la session) et
#: l'empreinte d'un maillon : deux fonctions SQL lues par le déclencheur. `FUNCTIONS_SQL` est leur première forme
#: (format 1), posée par la migration `accounts.0008_access_log_hash_chain` et gardée telle quelle pour elle.
FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION access_log_canonical(entry accounts_accesslog) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT json_build_array(
        to_char(entry.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        entry.user_id, entry.organisation_id, entry.role, entry.action, entry.object_type, entry.object_id,
        entry.view_name, entry.path, entry.method, coalesce(host(entry.ip_address), ''), entry.request_id
    )::text
$$;
CREATE OR REPLACE FUNCTION access_log_link_hash(previous text, entry accounts_accesslog) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(previous || E'\n' || access_log_canonical(entry), 'UTF8')), 'hex')
$$;
"""
#: Les formats d'empreinte (colonne `hash_version` de chaque ligne). Format 1 : le contenu ci-dessus. Format 2
#: (migration `accounts.access_log_hash_v2`) : le même, suivi de `concerns_minor` et du numéro de format ; une ligne
#: écrite avant le passage garde son format 1 et reste vérifiable, toute ligne écrite après est au format 2.
HASH_VERSION_1 = 1
HASH_VERSION_2 = 2
CURRENT_HASH_VERSION = HASH_VERSION_2
#: Le contenu canonique selon le format de la ligne (posé par la migration `accounts.access_log_hash_v2`).
CANONICAL_V2_SQL = r"""
CREATE OR REPLACE FUNCTION access_log_canonical(entry accounts_accesslog) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN entry.hash_version = 1 THEN json_build_array(
        to_char(entry.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        entry.user_id, entry.organisation_id, entry.role, entry.action, entry.object_type, entry.object_id,
        entry.view_name, entry.path, entry.method, coalesce(host(entry.ip_address), ''), entry.request_id
    )::text ELSE json_build_array(
        to_char(entry.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        entry.user_id, entry.organisation_id, entry.role, entry.action, entry.object_type, entry.object_id,
        entry.view_name, entry.path, entry.method, coalesce(host(entry.ip_address), ''), entry.request_id,
        entry.concerns_minor, entry.hash_version
    )::text END
$$;
"""
DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS access_log_link_hash(text, accounts_accesslog);
DROP FUNCTION IF EXISTS access_log_canonical(accounts_accesslog);
"""
#: Chaîne les lignes écrites avant la chaîne, dans l'ordre des identifiants (migration
#: `accounts.0008_access_log_hash_chain` ; la migration `access_log_chain_at_commit` leur donne ensuite leur rang
#: dans cet ordre).
CHAIN_EXISTING_ROWS_SQL = """
DO $$
DECLARE
    entry accounts_accesslog;
    previous text := '';
BEGIN
    FOR entry IN SELECT * FROM accounts_accesslog ORDER BY id LOOP
        UPDATE accounts_accesslog
        SET previous_hash = previous, chain_hash = access_log_link_hash(previous, entry)
        WHERE id = entry.id
        RETURNING chain_hash INTO previous;
    END LOOP;
END $$;
"""


def link_hash(previous_hash, canonical):
    """L'empreinte d'un maillon, recalculée en Python (la même formule que `access_log_link_hash`)."""
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


@dataclass
class Verification:
    checked: int
    first_id: int | None
    head_id: int | None
    head_hash: str
    broken_id: int | None = None
    reason: str = ""

    @property
    def is_intact(self):
        return self.broken_id is None


def _rows(chunk_size):
    """(id, format, previous_hash, chain_hash, contenu canonique) de chaque ligne chaînée, dans l'ordre de la
    chaîne."""
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT chain_position, id, hash_version, previous_hash, chain_hash, access_log_canonical(entry) "
                "FROM accounts_accesslog entry WHERE chain_position > %s ORDER BY chain_position LIMIT %s",
                [last, chunk_size],
            )
            rows = cursor.fetchall()
        yield from (row[1:] for row in rows)
        if len(rows) < chunk_size:
            return
        last = rows[-1][0]


def verify_chain(chunk_size=5000):
    """Recalcule toute la chaîne ; s'arrête au premier maillon cassé (`broken_id`, `reason` en français).

    Une ligne validée sans rang a été insérée en contournant les déclencheurs : elle est signalée après la chaîne.
    Les formats d'empreinte ne font que monter le long de la chaîne : une ligne au format 1 après une ligne au
    format 2 (format abaissé pour sortir `concerns_minor` de l'empreinte) casse la chaîne."""
    checked, first_id, previous, version = 0, None, None, HASH_VERSION_1
    for row_id, row_version, previous_hash, chain_hash, canonical in _rows(chunk_size):
        head = (previous[0], previous[2]) if previous else (None, GENESIS)
        if first_id is None:
            first_id = row_id
        elif previous_hash != previous[2]:
            reason = (
                f"le maillon ne suit pas la ligne {previous[0]} : une ligne a été supprimée, insérée ou réécrite "
                "entre les deux"
            )
            return Verification(checked, first_id, *head, row_id, reason)
        if row_version not in (HASH_VERSION_1, HASH_VERSION_2):
            return Verification(checked, first_id, *head, row_id, f"format d'empreinte inconnu ({row_version})")
        if row_version < version:
            reason = f"format d'empreinte {row_version} après une ligne au format {version} : la ligne a été réécrite"
            return Verification(checked, first_id, *head, row_id, reason)
        version = row_version
        if link_hash(previous_hash, canonical) != chain_hash:
            return Verification(checked, first_id, *head, row_id, "le contenu de la ligne a été modifié")
        checked += 1
        previous = (row_id, previous_hash, chain_hash)
    head = (previous[0], previous[2]) if previous else (None, GENESIS)
    outside = AccessLog.objects.filter(chain_position__isnull=True).order_by("id").values_list("id", flat=True).first()
    if outside is not None:
        return Verification(checked, first_id, *head, outside, "la ligne a été insérée hors de la chaîne (sans rang)")
    return Verification(checked, first_id, *head)


def export_chain_head():
    """Écrit la tête de chaîne (dernière ligne chaînée : identifiant, rang, empreinte, date) dans un fichier du dossier
    `ACCESS_LOG_CHAIN_EXPORT_DIR`, hors de la base, et dans une ligne de journal. Renvoie le chemin du fichier."""
    head = (
        AccessLog.objects.filter(chain_position__isnull=False)
        .order_by("-chain_position")
        .values("id", "chain_position", "at", "chain_hash")
        .first()
    )
    now = timezone.now()
    record = {
        "exported_at": now.isoformat(),
        "head_id": head["id"] if head else None,
        "head_position": head["chain_position"] if head else None,
        "head_at": head["at"].isoformat() if head else None,
        "chain_hash": head["chain_hash"] if head else GENESIS,
    }
    directory = Path(settings.ACCESS_LOG_CHAIN_EXPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"tete-de-chaine-{now:%Y-%m-%dT%H%M%S}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    logger.info(
        "Tête de chaîne du journal d'accès exportée : ligne %s, empreinte %s", record["head_id"], record["chain_hash"]
    )
    return path
