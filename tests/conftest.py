"""Personas partagés par tous les tests : un par rôle, plus « même rôle, autre organisation » et
« même rôle, autre département ». Les matrices d'accès s'écrivent avec `client_as(nom_du_persona)`."""

import io
import json
import logging
import os
import shutil
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from mniop.observability.logging import JsonFormatter
from mniop.roles import Role
from referents.enums import HabilitationKind, OrganisationKind
from tests.accounts.factories import MembershipFactory
from tests.antivirus import clamd, report_skipped  # noqa: F401 - fixture des tests antivirus
from tests.personas import PERSONAS, acting_as  # noqa: F401 - PERSONAS : la liste, importable par les tests
from tests.referents.factories import HabilitationFactory, OrganisationFactory, RegionFactory, TerritoryFactory
from tests.two_factor import login_verified

# Les dossiers prêts à instruire, valider, orienter : fixtures partagées par tous les dossiers de tests.
pytest_plugins = ["tests.orientation.case_fixtures", "tests.orientation.journey_fixtures"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def empty_cache():
    """Les compteurs des limites de débit (Redis, base des tests) repartent de zéro à chaque test."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    """Les organisations et territoires autour des personas."""

    paris: object
    nord: object
    bouches_du_rhone: object
    association: object
    other_association: object
    miprof: object
    prefecture_paris: object
    prefecture_nord: object
    tribunal_marseille: object
    memberships: dict
    #: Les acteurs institutionnels de première ligne (issue 16), par persona.
    actors: dict = field(default_factory=dict)

    def user(self, persona):
        return self.memberships[persona].user

    def acting(self, persona):
        """La personne du persona, avec son adhésion courante : pour appeler un service ou un `visible_to`."""
        return acting_as(self.memberships[persona])


@pytest.fixture
def world(db):
    idf = RegionFactory(code="11", name="Île-de-France")
    hdf = RegionFactory(code="32", name="Hauts-de-France")
    paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    paris = TerritoryFactory(code="75", name="Paris", region=idf)
    nord = TerritoryFactory(code="59", name="Nord", region=hdf, latitude=50.45, longitude=3.2)
    bdr = TerritoryFactory(code="13", name="Bouches-du-Rhône", region=paca, latitude=43.54, longitude=5.09)

    association = OrganisationFactory(name="Association Accueil Paris", territories=[paris])
    HabilitationFactory(organisation=association, kind=HabilitationKind.MNIOP)
    other = OrganisationFactory(name="Solidarités Nord", territories=[nord])
    HabilitationFactory(organisation=other, kind=HabilitationKind.MNIOP)
    miprof = OrganisationFactory(name="Miprof", kind=OrganisationKind.MIPROF, is_national=True, territories=[paris])
    pref_paris = OrganisationFactory(name="Préfecture de Paris", kind=OrganisationKind.PREFECTURE, territories=[paris])
    pref_nord = OrganisationFactory(name="Préfecture du Nord", kind=OrganisationKind.PREFECTURE, territories=[nord])
    tribunal = OrganisationFactory(
        name="Tribunal judiciaire de Marseille", kind=OrganisationKind.TRIBUNAL, territories=[bdr]
    )

    def actor(name, kind, territory):
        organisation = OrganisationFactory(name=name, kind=kind, territories=[territory])
        HabilitationFactory(organisation=organisation, kind=HabilitationKind.MNIOP)
        return organisation

    actors = {
        "police_officer": actor("Commissariat du 18e arrondissement", OrganisationKind.POLICE, paris),
        "police_officer_other_unit": actor("Brigade de répression du proxénétisme", OrganisationKind.POLICE, paris),
        "gendarme": actor("Groupement de gendarmerie du Nord", OrganisationKind.GENDARMERIE, nord),
        "labour_inspector": actor("Inspection du travail de Paris", OrganisationKind.LABOUR_INSPECTION, paris),
        "child_protection_agent": actor("CRIP de Paris", OrganisationKind.DEPARTEMENT_COUNCIL, paris),
        "parquet_magistrate": actor("Parquet du tribunal judiciaire de Paris", OrganisationKind.TRIBUNAL, paris),
    }
    actor_roles = {
        "police_officer": Role.POLICE_OFFICER,
        "police_officer_other_unit": Role.POLICE_OFFICER,
        "gendarme": Role.GENDARME,
        "labour_inspector": Role.LABOUR_INSPECTOR,
        "child_protection_agent": Role.CHILD_PROTECTION_AGENT,
        "parquet_magistrate": Role.PARQUET_MAGISTRATE,
    }

    def member(org, role, departements=None):
        return MembershipFactory(organisation=org, role=role, departements=departements)

    memberships = {
        "association_agent": member(association, Role.ASSOCIATION_AGENT),
        "association_admin": member(association, Role.ASSOCIATION_ADMIN),
        "association_agent_other_org": member(other, Role.ASSOCIATION_AGENT),
        "association_admin_other_org": member(other, Role.ASSOCIATION_ADMIN),
        "miprof_agent": member(miprof, Role.MIPROF_AGENT),
        "miprof_admin": member(miprof, Role.MIPROF_ADMIN),
        "departmental_validator": member(pref_paris, Role.DEPARTMENTAL_VALIDATOR, [paris]),
        "departmental_validator_other_departement": member(pref_nord, Role.DEPARTMENTAL_VALIDATOR, [nord]),
        "territorial_referent": member(tribunal, Role.TERRITORIAL_REFERENT),
        "statistician": member(miprof, Role.STATISTICIAN),
        "platform_admin": member(miprof, Role.PLATFORM_ADMIN),
    } | {persona: member(actors[persona], role) for persona, role in actor_roles.items()}
    return World(paris, nord, bdr, association, other, miprof, pref_paris, pref_nord, tribunal, memberships, actors)


@pytest.fixture
def client_as(world):
    """`client_as("miprof_agent")` : un client connecté sous ce persona, second facteur vérifié ;
    `client_as("anonymous")` : personne ; `client_as("miprof_agent", verified=False)` : connecté par mot de passe
    seulement (la session qui n'atteint que le second facteur) ; `recent_auth=False` : une session vérifiée mais
    ouverte depuis plus de 5 minutes (les actes dangereux redemandent mot de passe et code, `accounts.reauth`)."""

    def make(persona, *, verified=True, recent_auth=True):
        client = Client()
        if persona == "anonymous":
            return client
        if verified:
            return login_verified(client, world.user(persona), recent_auth=recent_auth)
        client.force_login(world.user(persona), backend=MODEL_BACKEND)
        return client

    return make


class LogCapture:
    """Ce que les gestionnaires de journaux configurés (LOGGING, formateur JSON) écrivent, ligne par ligne."""

    def __init__(self):
        self.buffer = io.StringIO()

    def lines(self):
        return self.buffer.getvalue().splitlines()

    def records(self, logger=None):
        """Chaque ligne lue comme du JSON (échoue sur une ligne qui n'en est pas), filtrée par journal."""
        records = [json.loads(line) for line in self.lines()]
        return [r for r in records if logger is None or r["logger"] == logger]


@pytest.fixture
def log_output():
    """Redirige vers un tampon les gestionnaires JSON du journal racine, avec leurs filtres et leur formateur."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert handlers, "aucun gestionnaire JSON configuré sur le journal racine (réglage LOGGING)"
    capture = LogCapture()
    previous = [handler.setStream(capture.buffer) for handler in handlers]
    yield capture
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


@pytest.fixture
def chain_at_each_statement(db):
    """Le déclencheur de la chaîne est différé au COMMIT ; un test sans `transaction=True` ne valide jamais : on le
    fait passer à la fin de chaque instruction (même fonction, même verrou). Le chaînage au COMMIT lui-même est
    prouvé par tests/accounts/test_access_chain_concurrency.py."""
    if not connection.in_atomic_block:  # transaction=True : chaque écriture valide, le déclencheur passe au COMMIT
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture(scope="session")
def compiled_catalogs():
    """Comme `make messages` : les `.mo` (fiche des droits, notice) sont compilés au build, pas versionnés."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) absent")
    call_command("compilemessages", ignore_patterns=[".venv", ".local", "node_modules", "staticfiles"], verbosity=0)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Les tests antivirus ignorés faute de clamd se voient dans le résumé final (`tests/antivirus.py`)."""
    report_skipped(terminalreporter)
