"""L'exercice de restauration (`make restore-drill`, `tools/restore_drill.py`) en petit, dans la suite de tests.

Il crée ses propres grappes PostgreSQL (production, restaurations) dans un dossier temporaire : la base des tests
n'est ni lue ni touchée. Environ une minute, presque toute dans les migrations de la grappe neuve."""

import copy
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parent.parent


def restore_drill():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        return importlib.import_module("restore_drill")
    finally:
        sys.path.remove(str(ROOT / "tools"))


@pytest.mark.restore_drill
def test_restore_drill_gives_back_every_row_written_after_the_base_backup():
    with tempfile.TemporaryDirectory(prefix="mniop-test-exercice-") as tmp:
        workdir, report_path = Path(tmp) / "exercice", Path(tmp) / "compte-rendu.json"
        command = [sys.executable, str(ROOT / "tools" / "restore_drill.py"), "--workdir", str(workdir)]
        result = subprocess.run(
            [*command, "--intakes", "2", "--report", str(report_path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        report = json.loads(report_path.read_text(encoding="utf-8"))
        assert not workdir.exists()  # grappes arrêtées et effacées

    latest, at_t = report["restauration_dernier_wal"], report["restauration_instant_t"]
    # Jusqu'au dernier WAL : tout, y compris les lots A et B écrits après la sauvegarde de base.
    assert latest["lignes_identiques"] == report["lignes"]
    # Jusqu'à T : le lot B (deux dépôts, leurs événements, leur journal d'accès…) n'y est pas.
    assert at_t["lignes_identiques"] < latest["lignes_identiques"]
    assert at_t["tables_identiques"] == latest["tables_identiques"] == report["tables"]
    assert report["dernier_signalement"]["statut"] == "submitted"
    assert report["dernier_signalement"]["reference"].startswith("MNIOP-")
    assert report["journal_acces"]["lignes"] >= 3 * 6  # création, dépôt, lecture de 3 × 2 signalements
    assert report["wal_archives"] >= 1
    assert "Exercice de restauration réussi" in result.stdout


def state(rows=3, access_log=10):
    return {
        "tables": {
            "signalements_signalement": {"lignes": rows, "empreinte": "123"},
            "accounts_accesslog": {"lignes": access_log, "empreinte": "456"},
        },
        "dernier_signalement": {"public_id": "u", "reference": "MNIOP-2026-000003", "empreinte": "abc"},
        "journal_acces": {"lignes": access_log, "dernier_id": access_log, "dernier_acces": "2026-12-07"},
    }


def test_identical_states_have_no_difference():
    assert restore_drill().differences(state(), state()) == []


def test_a_lost_row_is_a_difference():
    found = restore_drill().differences(state(rows=3), state(rows=2))
    assert found == ["table signalements_signalement : 3 lignes attendues, 2 restaurées"]


def test_a_changed_row_is_a_difference():
    changed = copy.deepcopy(state())
    changed["tables"]["signalements_signalement"]["empreinte"] = "124"
    assert restore_drill().differences(state(), changed) == [
        "table signalements_signalement : même nombre de lignes (3) mais contenu différent"
    ]


def test_a_missing_table_and_a_shorter_access_log_are_differences():
    restored = state(access_log=9)
    del restored["tables"]["signalements_signalement"]
    found = restore_drill().differences(state(), restored)
    assert "table signalements_signalement : absente après restauration" in found
    assert "table accounts_accesslog : 10 lignes attendues, 9 restaurées" in found
    assert any(line.startswith("journal_acces : ") for line in found)


#: Le seul champ fichier : le logo de l'opérateur de la configuration de django-dsfr (administration), une image
#: publique que le MNIOP n'utilise pas et qui se téléverse de nouveau au besoin ; rien à sauvegarder hors de la base.
FILE_FIELDS_WITHOUT_DATA = {"dsfr.DsfrConfig.operator_logo_file"}


def test_no_model_stores_case_files_outside_the_database():
    """La sauvegarde de PostgreSQL est toute la sauvegarde des données : aucun fichier déposé n'est gardé hors de la
    base (volume media). Un champ fichier ajouté un jour doit venir avec la sauvegarde de son stockage
    (docs/exploitation.md, « Ce qui est sauvegardé »)."""
    file_fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert file_fields == FILE_FIELDS_WITHOUT_DATA
