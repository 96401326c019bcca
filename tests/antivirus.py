"""L'antivirus des tests : le clamd que `tools/devenv.py` démarre (CLAMD_ADDRESS), avec sa signature de test EICAR.

Sans clamd (poste de développement sans le paquet clamav-daemon) : hors CI, les tests qui en ont besoin sont ignorés
avec une raison claire et une ligne dans le résumé final ; avec CI=true, ils échouent."""

import os

import pytest

from mniop import antivirus

#: Le fichier de test EICAR (https://www.eicar.org) : inoffensif, reconnu par tout antivirus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MISSING = "clamd injoignable"


def missing_clamd_reason(address):
    return (
        f"{MISSING} (CLAMD_ADDRESS={address!r}) : tests antivirus ignorés. Pour les lancer : "
        "apt-get install clamav-daemon, puis `make test` (tools/devenv.py démarre clamd)."
    )


@pytest.fixture
def clamd(settings):
    """L'adresse d'un clamd qui répond ; ignore le test sans clamd (échoue en CI)."""
    address = os.environ.get("CLAMD_ADDRESS", "") or settings.CLAMD_ADDRESS
    if not antivirus.is_available(address):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"clamd injoignable ({address!r}) alors que CI=true : apt-get install clamav-daemon")
        pytest.skip(missing_clamd_reason(address))
    settings.CLAMD_ADDRESS = address
    return address


def report_skipped(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if MISSING in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} test(s) antivirus ignoré(s)", yellow=True, bold=True)
        terminalreporter.write_line(missing_clamd_reason(os.environ.get("CLAMD_ADDRESS", "")), yellow=True)
