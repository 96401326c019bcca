"""La table du cycle de vie (`signalements.lifecycle`) : complète, cohérente, et la seule à parler des états.

Les premiers tests lisent la table ; les suivants lisent le code source (ast) pour prouver qu'aucun autre module ne
construit d'ensemble d'états ni n'écrit le journal sans passer par `apply_transition`."""

import ast
import pathlib

import pytest
from django.core.exceptions import ValidationError

from signalements import lifecycle
from signalements.enums import SignalementEventKind, SignalementStatus
from signalements.models import SignalementEvent
from signalements.services.events import apply_transition
from tests.signalements.factories import SignalementFactory

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "benchmarks",
    "demo",
    "directory",
    "mniop",
    "notifications",
    "orientation",
    "privacy",
    "referents",
    "signalements",
]
#: Les seuls modules qui énumèrent les états : leur déclaration et la table.
TABLE_MODULES = {"signalements/enums.py", "signalements/lifecycle.py"}


def source_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, ast.parse(path.read_text(), filename=relative)


def test_every_state_is_reachable_from_the_initial_state():
    assert lifecycle.reachable() == set(SignalementStatus)


def test_every_event_kind_has_a_family_from_the_table():
    assert set(lifecycle.FAMILY_OF_EVENT) == set(SignalementEventKind)
    assert set(lifecycle.FAMILY_OF_EVENT.values()) <= set(lifecycle.FAMILIES) - {"other"}


def test_an_event_kind_written_by_several_transitions_keeps_one_family():
    families = {}
    for row in lifecycle.TRANSITIONS.values():
        families.setdefault(row.event, set()).add(row.family)
    assert {kind: found for kind, found in families.items() if len(found) > 1} == {}


def test_every_state_has_a_badge_and_every_group_is_made_of_states():
    assert set(lifecycle.BADGES) == set(SignalementStatus)
    for name, group in lifecycle.GROUPS.items():
        assert group and set(group) <= set(SignalementStatus), name
        assert list(group) == [state for state in SignalementStatus if state in group], f"{name} : ordre du cycle"


def test_every_transition_has_sources_a_known_target_and_a_french_label():
    for row in lifecycle.TRANSITIONS.values():
        assert row.sources, row.name
        assert row.target is None or row.target in SignalementStatus.values, row.name
        assert row.label and row.label == row.label.lower()[:1] + row.label[1:], row.name
        assert row.title[0].isupper()
        assert row.badge == ("" if row.target is None else lifecycle.BADGES[row.target])


def test_every_transition_of_the_table_is_applied_by_some_module():
    """Une ligne que nul n'applique serait une règle morte : chaque nom figure en chaîne hors de la table."""
    used = set()
    for relative, tree in source_files():
        if relative in TABLE_MODULES:
            continue
        used |= {
            node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    assert set(lifecycle.TRANSITIONS) - used == set()


def _status_names(tree):
    """Les noms sous lesquels le module importe `SignalementStatus`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "SignalementStatus"}
    return names


def _mentions_status(node, names):
    return any(
        isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name) and child.value.id in names
        for child in ast.walk(node)
    )


def status_collections(tree):
    """Les ensembles, listes, tuples et dictionnaires d'états, et les compréhensions qui parcourent les états."""
    names = _status_names(tree)
    if not names:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Set | ast.List | ast.Tuple):
            elements = node.elts
        elif isinstance(node, ast.Dict):
            elements = [key for key in node.keys if key is not None] + node.values
        elif isinstance(node, ast.comprehension):
            if isinstance(node.iter, ast.Name) and node.iter.id in names:
                found.append(node.iter.lineno)
            continue
        else:
            continue
        if any(
            isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name) and element.value.id in names
            for element in elements
        ):
            found.append(node.lineno)
    return found


def test_no_module_outside_the_table_builds_a_collection_of_statuses():
    offenders = {
        relative: lines
        for relative, tree in source_files()
        if relative not in TABLE_MODULES and (lines := status_collections(tree))
    }
    assert offenders == {}


def test_the_scan_would_catch_a_set_of_statuses():
    """Le contrôle ci-dessus n'est pas vide : il reconnaît les formes qu'il interdit."""
    for snippet in (
        "from signalements.enums import SignalementStatus\nOPEN = {SignalementStatus.SUBMITTED}",
        "from signalements.enums import SignalementStatus as S\nOPEN = [S.SUBMITTED, S.IN_TRIAGE]",
        "from signalements.enums import SignalementStatus\nB = {SignalementStatus.DRAFT: ''}",
        "from signalements.enums import SignalementStatus\nA = [s for s in SignalementStatus if s]",
    ):
        assert status_collections(ast.parse(snippet)), snippet


def test_only_apply_transition_writes_the_case_journal():
    """Hors de `signalements/services/events.py`, nul n'appelle `record_event` ni ne crée de `SignalementEvent`."""
    offenders = []
    for relative, tree in source_files():
        if relative == "signalements/services/events.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            if isinstance(function, ast.Name) and function.id == "record_event":
                offenders.append((relative, node.lineno))
            if (
                isinstance(function, ast.Attribute)
                and function.attr in {"create", "bulk_create"}
                and "SignalementEvent" in ast.unparse(function.value)
            ):
                offenders.append((relative, node.lineno))
    assert offenders == []


# --- apply_transition --------------------------------------------------------------------------------------------


@pytest.fixture
def draft(world):
    return SignalementFactory(organisation=world.association, created_by=world.user("association_agent"))


def test_apply_transition_sets_the_target_state_and_writes_the_event(draft, world):
    agent = world.acting("association_agent")
    event = apply_transition(draft, "submit", by=agent, data={"reference": "MNIOP-TEST"})
    draft.refresh_from_db()
    assert draft.status == SignalementStatus.SUBMITTED
    assert (event.kind, event.data, event.organisation) == (
        "submitted",
        {"reference": "MNIOP-TEST"},
        world.association,
    )


def test_apply_transition_refuses_a_wrong_state_in_french_and_writes_nothing(draft, world):
    miprof = world.acting("miprof_agent")
    with pytest.raises(
        ValidationError, match="Impossible de commencer l'instruction : le signalement est à l'état « Brouillon »"
    ):
        apply_transition(draft, "start_triage", by=miprof)
    draft.refresh_from_db()
    assert draft.status == SignalementStatus.DRAFT
    assert not SignalementEvent.objects.filter(signalement=draft).exists()


def test_a_transition_that_keeps_the_state_only_writes_the_event(draft, world):
    agent = world.acting("association_agent")
    apply_transition(draft, "save_draft", by=agent, data={"fields": ["pseudonym"]})
    draft.refresh_from_db()
    assert draft.status == SignalementStatus.DRAFT
    assert list(SignalementEvent.objects.filter(signalement=draft).values_list("kind", flat=True)) == ["draft_saved"]


def test_every_state_says_what_it_waits_for_and_no_closure_moves_a_case_forward():
    assert set(lifecycle.OUTLOOK) == set(lifecycle.ALL)
    for outlook in lifecycle.OUTLOOK.values():
        assert outlook.waiting
        for name in outlook.forward:
            assert lifecycle.transition(name).family != "closure"
