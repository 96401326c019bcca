"""Le contrat de toute l'API `/api/v1/`, vérifié par schemathesis contre le schéma servi par `/api/schema/` : pour
chaque opération, des requêtes générées (valides et invalides) avec le jeton d'une organisation, puis avec la
session d'une agente de la Miprof (jeton CSRF compris). Aucune erreur serveur, aucun statut, type de contenu, en-tête
ou corps de réponse hors du schéma, et toute requête qui viole le schéma est refusée (4xx). Les données : un
brouillon, un dossier validé et ses mesures, une orientation, une fiche de l'annuaire ; les chemins générés visent
ces objets réels."""

import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from orientation.services import referrals
from signalements.services.drafts import create_draft
from tests.api_tokens import issue_token
from tests.referents.factories import DirectoryEntryFactory
from tests.two_factor import login_verified

CHECKS = [
    not_a_server_error,
    negative_data_rejection,
    status_code_conformance,
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
]
#: Assez pour passer par chaque champ, valide et invalide, en gardant la suite courte (~1 min sur 2 cœurs).
MAX_EXAMPLES = 5


@pytest.fixture
def api_schema(db):
    """Le schéma servi par l'application elle-même. Comme le client de test de Django, les requêtes ne ferment pas
    la connexion à la base à la fin (elle porte la transaction du test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
        schema.config.phases.coverage.enabled = False
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def existing(world, validated, shelters, validator, filer):
    """Les identifiants d'objets réels, mis à la place des UUID générés dans les chemins (sans quoi presque chaque
    requête finirait en 404) : un brouillon, le dossier validé, une de ses mesures, une orientation en attente."""
    DirectoryEntryFactory(organisation=world.association, territories=[world.paris])
    draft = create_draft(organisation=world.association, by=filer, pseudonym="A.")
    referral = referrals.request_referral(signalement=validated, by=validator, shelter=shelters.paris)
    return {
        "/api/v1/signalements/": draft.public_id,
        "/api/v1/orientation/dossiers/": validated.public_id,
        "/api/v1/orientation/orientations/": referral.public_id,
        "measure_id": validated.measures.first().public_id,
    }


def use_existing_ids(case, existing):
    """Remplace chaque identifiant valide du chemin par celui d'un objet réel ; les valeurs invalides (génération
    négative) restent telles quelles."""
    for name, value in (case.path_parameters or {}).items():
        try:
            uuid.UUID(str(value))
        except ValueError:
            continue
        key = name if name in existing else next((p for p in existing if case.path.startswith(p)), None)
        if key is not None:
            case.path_parameters[name] = str(existing[key])


@pytest.fixture
def credentials(world):
    _, secret = issue_token(world.association, "Contrat")
    client = Client()
    login_verified(client, world.user("miprof_agent"))
    csrf = _get_new_csrf_string()
    return [
        {"headers": {"Authorization": f"Token {secret}"}},
        {
            "headers": {"X-CSRFToken": csrf},
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        },
    ]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_honours_the_schema(case, credentials, existing):
    use_existing_ids(case, existing)
    for credential in credentials:
        case.call_and_validate(checks=CHECKS, **credential)
