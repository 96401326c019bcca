"""Le journal d'accès inviolable : chaque ligne porte une empreinte SHA-256 chaînée à la précédente.

`chain_hash = sha256(previous_hash + "\\n" + contenu canonique de la ligne)`. L'empreinte est calculée dans la
transaction qui écrit la ligne, sous un verrou consultatif (`pg_advisory_xact_lock`) : deux écritures concurrentes
gardent une seule chaîne, dans l'ordre des identifiants. Modifier, supprimer ou insérer une ligne en contournant
l'application (SQL de superutilisateur) casse la chaîne au premier maillon touché : `manage.py verify_access_log` le
trouve. La tête de chaîne est exportée chaque jour hors de la base (`export_chain_head`, tâche beat) : réécrire toute
la chaîne depuis le début se verrait en la comparant aux têtes exportées.

Une purge des plus anciennes lignes (durée de conservation) garde une chaîne vérifiable : la vérification part de la
première ligne restante, dont l'empreinte précédente sert d'ancre.
"""

import datetime
import hashlib
import ipaddress
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import AccessLog

#: La clé du verrou consultatif de la chaîne (« MNIOP-AL » en hexadécimal, tronqué à 63 bits).
CHAIN_LOCK_KEY = 0x4D4E494F50414C
GENESIS = ""
logger = logging.getLogger("mniop.access_log")


def canonical(entry):
    """Le contenu d'une ligne, dans un ordre et un format fixes (date en UTC à la microseconde)."""
    at = entry.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    ip_address = str(ipaddress.ip_address(entry.ip_address)) if entry.ip_address else ""
    values = [
        at,
        entry.user_id,
        entry.organisation_id,
        entry.role,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.view_name,
        entry.path,
        entry.method,
        ip_address,
        entry.request_id,
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def link_hash(previous_hash, entry):
    return hashlib.sha256(f"{previous_hash}\n{canonical(entry)}".encode()).hexdigest()


def lock_chain():
    """Le verrou de la chaîne, jusqu'à la fin de la transaction en cours."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def seal(entry):
    """Pose `previous_hash` et `chain_hash` d'une ligne pas encore écrite. À appeler dans une transaction."""
    lock_chain()
    previous = AccessLog.objects.order_by("-id").values_list("chain_hash", flat=True).first()
    entry.previous_hash = previous or GENESIS
    entry.chain_hash = link_hash(entry.previous_hash, entry)
    return entry


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


def verify_chain(chunk_size=2000):
    """Recalcule toute la chaîne ; s'arrête au premier maillon cassé (`broken_id`, `reason` en français)."""
    checked, first_id, previous = 0, None, None
    head = None
    for entry in AccessLog.objects.order_by("id").iterator(chunk_size=chunk_size):
        if first_id is None:
            first_id = entry.id
        elif entry.previous_hash != previous.chain_hash:
            return Verification(
                checked,
                first_id,
                previous.id,
                previous.chain_hash,
                entry.id,
                f"le maillon ne suit pas la ligne {previous.id} : une ligne a été supprimée, insérée ou réécrite "
                "entre les deux",
            )
        if link_hash(entry.previous_hash, entry) != entry.chain_hash:
            head_id, head_hash = (previous.id, previous.chain_hash) if previous else (None, "")
            return Verification(
                checked, first_id, head_id, head_hash, entry.id, "le contenu de la ligne a été modifié"
            )
        checked += 1
        previous = head = entry
    return Verification(checked, first_id, head.id if head else None, head.chain_hash if head else GENESIS)


def export_chain_head():
    """Écrit la tête de chaîne (dernier identifiant, son empreinte, date) dans un fichier du dossier
    `ACCESS_LOG_CHAIN_EXPORT_DIR`, hors de la base, et dans une ligne de journal. Renvoie le chemin du fichier."""
    head = AccessLog.objects.order_by("-id").values("id", "at", "chain_hash").first()
    now = timezone.now()
    record = {
        "exported_at": now.isoformat(),
        "head_id": head["id"] if head else None,
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
