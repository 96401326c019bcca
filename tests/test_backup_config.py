"""La sauvegarde continue de production (deploy/compose.backup.yaml, deploy/backup/) tient ses promesses écrites
dans docs/exploitation.md : RPO (archive_timeout), dépôt chiffré, rétention, secrets hors des fichiers."""

import configparser
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "deploy" / "compose.backup.yaml"
PGBACKREST_CONF = ROOT / "deploy" / "backup" / "pgbackrest.conf"
RPO_SECONDS = 5 * 60


def services():
    return yaml.safe_load(OVERLAY.read_text())["services"]


def settings_of(command):
    """Les réglages `-c nom=valeur` d'une commande `postgres`."""
    return dict(value.split("=", 1) for flag, value in zip(command, command[1:], strict=False) if flag == "-c")


def postgres_settings():
    return settings_of(services()["postgres"]["command"])


def pgbackrest_conf():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(PGBACKREST_CONF.read_text())
    return parser


def test_every_wal_segment_is_archived_by_pgbackrest_within_the_rpo():
    settings = postgres_settings()

    assert settings["wal_level"] == "replica"
    assert settings["archive_mode"] == "on"
    assert settings["archive_command"] == "pgbackrest --stanza=mniop archive-push %p"
    assert int(settings["archive_timeout"]) <= 60 < RPO_SECONDS


def test_the_repository_is_encrypted_with_a_passphrase_from_the_environment_only():
    conf = pgbackrest_conf()

    assert conf["global"]["repo1-cipher-type"] == "aes-256-cbc"
    assert not any("cipher-pass" in key for section in conf.sections() for key in conf[section])
    for name in ("postgres", "backup", "restore"):
        environment = services()[name]["environment"]
        assert re.fullmatch(r"\$\{PGBACKREST_REPO1_CIPHER_PASS:\?.+\}", environment["PGBACKREST_REPO1_CIPHER_PASS"])


def test_backups_are_kept_four_weeks_and_checked_daily():
    conf = pgbackrest_conf()
    backup = services()["backup"]

    assert int(conf["global"]["repo1-retention-full"]) >= 4
    assert backup["healthcheck"]["test"] == ["CMD", "sauvegarde-recente.sh"]
    assert backup["restart"] == "unless-stopped"


def test_backup_services_run_unprivileged_on_read_only_file_systems():
    for name in ("backup", "restore"):
        service = services()[name]
        assert service["user"] == "999:999"
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
    assert "postgres-data:/var/lib/postgresql:ro" in services()["backup"]["volumes"]


def test_restore_never_starts_with_the_stack():
    assert services()["restore"]["profiles"] == ["restauration"]


def test_pgbackrest_reaches_the_data_directory_of_the_postgres_18_image():
    conf = pgbackrest_conf()

    assert conf["mniop"]["pg1-path"] == "/var/lib/postgresql/18/docker"
    assert (
        f"unix_socket_directories=/var/run/postgresql,{conf['mniop']['pg1-socket-path']}"
        in (services()["postgres"]["command"])
    )


def test_the_overlay_keeps_every_setting_of_the_base_postgres_command():
    base = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["postgres"]["command"]

    assert settings_of(base).items() <= postgres_settings().items()


def test_backup_overlay_follows_the_compose_specification():
    from tests.test_deploy import check_compose_spec

    result = check_compose_spec(OVERLAY)

    assert result.returncode == 0, result.stdout + result.stderr
