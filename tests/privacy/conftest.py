"""Les dossiers du monde des personas (Paris, Nord), repris des tests de l'orientation."""

from tests.orientation.conftest import *  # noqa: F403 - les fixtures des dossiers (submitted, validated, shelters…)
from tests.orientation.journey_fixtures import case, closure_reason, make_validated  # noqa: F401
