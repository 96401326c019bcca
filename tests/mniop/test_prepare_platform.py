"""`prepare_platform` : ce que `make run` fait avant de servir, en un processus, sans refaire ce qui est déjà fait
à cette version des sources."""

import io

import pytest
from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import User
from mniop import preparation
from mniop.management.commands.prepare_platform import DEMO_COMMANDS, REFERENCE_COMMANDS
from mniop.models import SetupStamp
from referents.models import Territory

pytestmark = pytest.mark.django_db


def prepare(*args):
    progress, banner = io.StringIO(), io.StringIO()
    call_command("prepare_platform", *args, stdout=banner, stderr=progress)
    return progress.getvalue(), banner.getvalue()


def test_first_run_loads_reference_data_and_remembers_it():
    progress, banner = prepare()
    assert Territory.objects.filter(code="75").exists()
    assert "Données de référence : étape terminée" in progress
    assert SetupStamp.objects.get(step="reference_data").fingerprint == preparation.loading_fingerprint(
        REFERENCE_COMMANDS
    )
    assert banner == ""


def test_second_run_skips_what_is_already_done():
    prepare()
    Territory.objects.filter(code="75").delete()  # preuve que rien n'est rechargé
    progress, _ = prepare()
    assert "Données de référence : déjà à jour pour cette version" in progress
    assert not Territory.objects.filter(code="75").exists()


def test_changed_sources_reload_without_duplicates():
    prepare()
    count = Territory.objects.count()
    SetupStamp.objects.filter(step="reference_data").update(fingerprint="une autre version")
    progress, _ = prepare()
    assert "Données de référence : étape terminée" in progress
    assert Territory.objects.count() == count


def test_again_redoes_every_step():
    prepare()
    progress, _ = prepare("--again")
    assert "Données de référence : étape terminée" in progress


def test_demo_already_seeded_at_this_version_is_skipped_and_accounts_go_to_the_banner():
    prepare()
    SetupStamp.objects.create(
        step="demo_data",
        fingerprint=preparation.loading_fingerprint(REFERENCE_COMMANDS + DEMO_COMMANDS),
        completed_at="2026-01-01T00:00Z",
    )
    progress, banner = prepare("--demo", "--accounts")
    assert "Données de démonstration : déjà à jour pour cette version" in progress
    assert not User.objects.exists()
    assert "agent.association@demo.mniop.example" in banner
    assert "Migrations" not in banner


def test_fingerprint_covers_the_seeding_code_its_imports_and_its_data_files():
    files = {path.relative_to(preparation.ROOT).as_posix() for path in preparation.source_files(DEMO_COMMANDS)}
    assert "demo/management/commands/seed_demo.py" in files
    assert "demo/triage.py" in files  # importé par demo.seeding
    assert "signalements/services/drafts.py" in files  # importé de proche en proche
    assert "demo/departements.csv" in files  # donnée à côté d'un module importé
    assert not any(path.startswith("tests/") for path in files)


def test_fingerprint_changes_with_applied_migrations():
    before = preparation.loading_fingerprint(REFERENCE_COMMANDS)
    MigrationRecorder.Migration.objects.create(app="mniop", name="9999_hypothetical")
    assert preparation.loading_fingerprint(REFERENCE_COMMANDS) != before
