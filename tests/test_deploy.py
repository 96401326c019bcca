"""Le déploiement de production (docker-compose.yml, Dockerfile, deploy/caddy/Caddyfile) : conforme à la
spécification Compose, et durci service par service (docs/exploitation.md).

Le client docker de la machine n'a pas le greffon compose : le fichier est validé contre le schéma JSON de la
spécification Compose que publie le paquet check-jsonschema (`--builtin-schema vendor.compose-spec`)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "caddy" / "Caddyfile"
ENV_EXAMPLE = ROOT / ".env.example"

SECRET_NAME = re.compile(r"PASSWORD|SECRET|_KEY$|TOKEN", re.IGNORECASE)
INTERPOLATION = re.compile(r"^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$")
URL_CREDENTIALS = re.compile(r"://[^/@\s]*:(?P<password>[^@\s]+)@")


def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())  # les ancres et les clés de fusion « << » sont résolues


def services():
    return compose()["services"]


def long_running_services():
    return {name: service for name, service in services().items() if service.get("restart") != "no"}


def check_compose_spec(path):
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_compose_file_follows_the_compose_specification():
    result = check_compose_spec(COMPOSE_FILE)

    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_validation_rejects_a_misspelt_service_key(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE_FILE.read_text().replace("    healthcheck:\n", "    helthcheck:\n", 1))

    result = check_compose_spec(broken)

    assert result.returncode == 1
    assert "helthcheck" in result.stdout


def test_the_stack_has_proxy_web_workers_database_and_broker():
    assert set(services()) >= {"proxy", "web", "worker", "beat", "migrate", "postgres", "redis"}


@pytest.mark.parametrize("name", ["proxy", "web", "worker", "beat", "postgres", "redis"])
def test_every_long_running_service_has_a_healthcheck(name):
    healthcheck = long_running_services()[name]["healthcheck"]

    assert healthcheck["test"] and not healthcheck.get("disable")
    assert {"interval", "timeout", "retries"} <= set(healthcheck)


def test_every_service_declares_a_restart_policy_and_one_shots_are_awaited():
    all_services = services()
    one_shots = {name for name, service in all_services.items() if service["restart"] == "no"}

    assert all(service["restart"] == "unless-stopped" for service in long_running_services().values())
    assert one_shots == {"migrate"}
    for name in ("web", "worker", "beat"):
        assert all_services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_migrate_runs_migrations_and_reference_data_once_the_database_is_healthy():
    migrate = services()["migrate"]
    command = " ".join(migrate["command"])

    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert command.index("migrate --noinput") < command.index("load_reference_data")
    assert "load_signalement_references" in command


@pytest.mark.parametrize("name", sorted(yaml.safe_load(COMPOSE_FILE.read_text())["services"]))
def test_every_service_runs_as_a_non_root_user(name):
    user = str(services()[name].get("user", ""))

    assert re.fullmatch(r"[1-9][0-9]*:[1-9][0-9]*", user), f"{name} : user numérique non root attendu, pas {user!r}"


@pytest.mark.parametrize("name", sorted(yaml.safe_load(COMPOSE_FILE.read_text())["services"]))
def test_every_service_is_read_only_without_capabilities_nor_privilege_escalation(name):
    service = services()[name]

    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]
    assert "cap_add" not in service
    assert "no-new-privileges:true" in service["security_opt"]
    assert not service.get("privileged")
    assert "/tmp" in service["tmpfs"]


@pytest.mark.parametrize("name", sorted(yaml.safe_load(COMPOSE_FILE.read_text())["services"]))
def test_every_service_has_cpu_and_memory_limits(name):
    limits = services()[name]["deploy"]["resources"]["limits"]

    assert float(limits["cpus"]) > 0
    assert re.fullmatch(r"[0-9]+[MG]", limits["memory"])


def test_database_and_broker_are_reachable_only_on_the_internal_network():
    spec = compose()

    assert spec["networks"]["backend"] == {"internal": True}
    for name in ("postgres", "redis"):
        assert spec["services"][name]["networks"] == ["backend"]
        assert "ports" not in spec["services"][name]


def test_only_the_proxy_publishes_ports():
    published = {name for name, service in services().items() if service.get("ports")}

    assert published == {"proxy"}
    assert services()["proxy"]["networks"] == ["frontend"]


def test_the_broker_requires_a_password_and_never_evicts_messages():
    redis = services()["redis"]
    command = " ".join(redis["command"])

    assert "requirepass" in command and "--maxmemory-policy noeviction" in command
    assert "redis://:${REDIS_PASSWORD:?" in services()["web"]["environment"]["REDIS_URL"]


def test_beat_cannot_run_twice():
    beat = services()["beat"]

    assert beat["container_name"] == "mniop-beat"  # `--scale beat=2` échoue sur un nom de conteneur fixe


def environment_entries():
    for name, service in services().items():
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(entry.split("=", 1) for entry in environment)
        for key, value in environment.items():
            yield name, key, str(value)


def test_no_secret_is_written_in_the_compose_file():
    for service, key, value in environment_entries():
        if SECRET_NAME.search(key):
            assert INTERPOLATION.match(value), f"{service}.{key} doit venir de .env, pas du fichier"
        for match in URL_CREDENTIALS.finditer(value):
            assert match["password"].startswith("${"), f"{service}.{key} contient un mot de passe en clair"


def test_the_secret_check_catches_a_literal_password():
    assert not INTERPOLATION.match("motdepasse-en-clair")
    assert URL_CREDENTIALS.search("postgres://mniop:motdepasse@postgres:5432/mniop")["password"] == "motdepasse"


def test_every_variable_the_compose_file_requires_is_in_env_example():
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE_FILE.read_text()))
    example = dict(
        line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines() if re.match(r"^[A-Z0-9_]+=", line)
    )

    assert required >= {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "SITE_DOMAIN", "CADDY_TLS"}
    assert required <= set(example)
    for key, value in example.items():
        if SECRET_NAME.search(key):
            assert value == "CHANGEZ-MOI", f"{key} : .env.example ne contient que des CHANGEZ-MOI"


def dockerfile_stages():
    """Les instructions de chaque étape du Dockerfile, par nom d'étape."""
    stages, current = {}, None
    for instruction in DockerfileParser(path=str(ROOT / "Dockerfile")).structure:
        if instruction["instruction"] == "FROM":
            words = instruction["value"].split()
            current = words[-1] if len(words) == 3 and words[1].upper() == "AS" else "(défaut)"
            stages[current] = []
        elif current:
            stages[current].append((instruction["instruction"], instruction["value"]))
    return stages


@pytest.mark.parametrize("stage", ["app", "proxy"])
def test_every_image_runs_as_a_non_root_user_with_a_healthcheck(stage):
    instructions = dockerfile_stages()[stage]
    users = [value for kind, value in instructions if kind == "USER"]

    assert users and not re.match(r"^(0|root)\b", users[-1])
    assert any(kind == "HEALTHCHECK" for kind, _ in instructions)


def test_the_default_image_is_the_application():
    assert "(défaut)" in dockerfile_stages()
    assert DockerfileParser(path=str(ROOT / "Dockerfile")).baseimage == "app"


def test_no_secret_is_baked_into_an_image():
    for stage, instructions in dockerfile_stages().items():
        for kind, value in instructions:
            if kind in ("ENV", "ARG"):
                assert not SECRET_NAME.search(value.split("=", 1)[0]), f"{stage} : {kind} {value}"
    assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()


@pytest.fixture
def caddy_config(monkeypatch):
    """La configuration JSON que Caddy tire du Caddyfile (`caddy adapt`), avec un certificat fourni."""
    caddy = shutil.which("caddy")
    if caddy is None:
        message = "caddy introuvable (paquet Debian caddy) : Caddyfile non vérifié"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    monkeypatch.setenv("SITE_DOMAIN", "mniop.example.gouv.fr")
    monkeypatch.setenv("CADDY_TLS", "/certs/fullchain.pem /certs/privkey.pem")
    result = subprocess.run(
        [caddy, "adapt", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def http_config_text(config):
    return json.dumps(config["apps"]["http"])


def test_the_proxy_serves_the_site_over_tls_with_the_provided_certificate(caddy_config):
    server = next(iter(caddy_config["apps"]["http"]["servers"].values()))

    assert server["listen"] == [":443"]
    assert server["routes"][0]["match"] == [{"host": ["mniop.example.gouv.fr"]}]
    assert caddy_config["apps"]["tls"]["certificates"]["load_files"][0]["certificate"] == "/certs/fullchain.pem"


def test_the_proxy_sets_hsts_and_compresses(caddy_config):
    text = http_config_text(caddy_config)

    assert '"Strict-Transport-Security": ["max-age=31536000; includeSubDomains; preload"]' in text
    assert '"X-Content-Type-Options": ["nosniff"]' in text
    assert '"handler": "encode"' in text and '"gzip"' in text


def test_the_proxy_serves_static_files_with_long_cache_and_proxies_the_rest_to_gunicorn(caddy_config):
    text = http_config_text(caddy_config)

    assert '"root": "/srv/static"' in text
    assert '"precompressed"' in text
    assert '"Cache-Control": ["public, max-age=31536000, immutable"]' in text
    assert '"dial": "web:8000"' in text


def test_the_proxy_waits_for_a_restarting_web_container_instead_of_failing(caddy_config):
    text = http_config_text(caddy_config)

    assert '"try_duration": 20000000000' in text


def test_production_settings_read_the_previous_secret_keys_for_rotation():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mniop.settings.prod",
        "SECRET_KEY": "cle-nouvelle",
        "SECRET_KEY_FALLBACKS": "cle-ancienne,cle-plus-ancienne",
        "DUPLICATE_HMAC_KEY": "cle-des-empreintes",
        "IDENTITY_ENCRYPTION_KEYS": "cle-de-chiffrement",
        "ALLOWED_HOSTS": "mniop.example.gouv.fr",
        "SITE_URL": "https://mniop.example.gouv.fr/",
    }
    code = "from django.conf import settings; print(','.join(settings.SECRET_KEY_FALLBACKS))"

    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cle-ancienne,cle-plus-ancienne"


def test_production_settings_refuse_to_start_without_site_url():
    environment = {
        **{key: value for key, value in os.environ.items() if key not in ("SITE_URL", "WEB_PORT")},
        "DJANGO_SETTINGS_MODULE": "mniop.settings.prod",
        "SECRET_KEY": "cle-nouvelle",
        "DUPLICATE_HMAC_KEY": "cle-des-empreintes",
        "IDENTITY_ENCRYPTION_KEYS": "cle-de-chiffrement",
        "ALLOWED_HOSTS": "mniop.example.gouv.fr",
    }
    code = "from django.conf import settings; print(settings.SITE_URL)"
    run = lambda env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    refused = run(environment)
    assert refused.returncode != 0
    assert "SITE_URL" in refused.stderr
    accepted = run(environment | {"SITE_URL": "https://mniop.example.gouv.fr/"})
    assert accepted.stdout.strip() == "https://mniop.example.gouv.fr"
