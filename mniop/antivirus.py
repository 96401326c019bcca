"""L'analyse antivirus des pièces jointes par le démon ClamAV (`clamd`, paquet Debian `clamav-daemon`), par son
protocole INSTREAM (bibliothèque `clamav-client`) : le contenu est envoyé par la socket, jamais un chemin.

Réglage `CLAMD_ADDRESS` : le chemin d'une socket Unix (`/run/clamav/clamd.ctl`) ou `hôte:port`. En développement et
dans les tests, `tools/devenv.py` démarre un clamd privé à l'arbre de travail avec une petite base de signatures
locale (EICAR) et donne son adresse ; en production, clamd lit les bases de `freshclam` (docs/exploitation.md).

N'importe aucune application."""

import io
from dataclasses import dataclass

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket, ResponseError
from django.conf import settings


class ScannerUnavailable(Exception):
    """clamd ne répond pas (arrêté, socket absente, délai dépassé) : rien n'est décidé, l'analyse sera reprise."""


@dataclass(frozen=True)
class Verdict:
    status: str  # « OK », « FOUND » ou « ERROR », tel que clamd le dit
    signature: str = ""  # le nom de la signature trouvée, ou la raison de l'erreur

    @property
    def is_clean(self):
        return self.status == "OK"

    @property
    def is_infected(self):
        return self.status == "FOUND"


def client(address=None, timeout=None):
    address = address or settings.CLAMD_ADDRESS
    if not address:
        raise ScannerUnavailable("Aucun antivirus configuré (CLAMD_ADDRESS).")
    timeout = timeout or settings.CLAMD_TIMEOUT
    if address.startswith("/"):
        return ClamdUnixSocket(path=address, timeout=timeout)
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ScannerUnavailable(f"Adresse de clamd invalide : {address!r} (chemin de socket ou hôte:port).")
    return ClamdNetworkSocket(host=host, port=int(port), timeout=timeout)


def is_available(address=None):
    try:
        return client(address, timeout=2).ping() == "PONG"
    except (ScannerUnavailable, ClamdError, OSError):
        return False


def scan_bytes(data, address=None):
    """Analyse un contenu ; lève `ScannerUnavailable` si clamd ne répond pas."""
    try:
        report = client(address).instream(io.BytesIO(data))
    except ScannerUnavailable:
        raise
    except ResponseError as error:
        # clamd a répondu par une erreur (taille au-delà de StreamMaxLength…) : l'analyse a échoué, sans verdict.
        return Verdict(status="ERROR", signature=str(error)[:200])
    except (ClamdError, OSError) as error:
        raise ScannerUnavailable(str(error)) from error
    status, detail = report.get("stream", (None, None))
    if status not in ("OK", "FOUND", "ERROR"):
        raise ScannerUnavailable(f"Réponse inattendue de clamd : {report!r}")
    return Verdict(status=status, signature=detail or "")
