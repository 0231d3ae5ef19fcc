"""Every check passes the solution, fails the blank stub, and fails plausible mistakes with their message."""

from __future__ import annotations

import ast
import importlib
from functools import cache

import pytest

from shared_utils.engine.build import BEGIN, discover
from shared_utils.engine.checking import CheckFailed, NotImplementedYet, exercises
from tests.checks.wrong import Wrong
from tests.loopback import remote_function
from tests.namespaces import learner_namespace, solution_namespace

# Each check is tried on the learner's object itself ("local", as a check cell does) and as the
# grader calls it ("remote": inputs and outputs cross the wire as data, served by the agent).
MODES = ["local", "remote"]

NOTEBOOKS = discover()
CASES = [(n.key, n.checks_module, name) for n in NOTEBOOKS for name in exercises(n.checks_module)]
IDS = [f"{m}.{name}" for _, m, name in CASES]

# Solution regions that no check grades, each with its reason: (notebook key, what) -> why.
# ``what`` is a function or class defined in a cell with a solution region, or, for a region
# outside any definition (a markdown answer, a top-level statement), the region's first line.
NOT_GRADED: dict[tuple[str, str], str] = {}


@cache
def _solution(key: str) -> dict:
    return solution_namespace(key)


@cache
def _learner(key: str) -> dict:
    return learner_namespace(key)


def _check(module: str, name: str):
    return getattr(importlib.import_module(f"shared_utils.checks.{module}"), name)


def _as(mode: str, name: str, fn):
    """The object a check receives: the function itself, or the grader's stand-in for it."""
    return fn if mode == "local" else remote_function(name, fn)


def _wrongs(module: str) -> dict[str, list[Wrong]]:
    try:
        wrong_module = importlib.import_module(f"tests.checks.wrong.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"tests.checks.wrong.{module}":
            raise
        return {}
    return wrong_module.wrong.table()


MISTAKES = [
    (n.key, n.checks_module, w) for n in NOTEBOOKS for ws in _wrongs(n.checks_module).values() for w in ws
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key,module,name", CASES, ids=IDS)
def test_solution_passes_extended_check(key, module, name, mode):
    _check(module, name)(_as(mode, name, _solution(key)[name]), extended=True, quiet=True)


@pytest.mark.parametrize("key,module,name", CASES, ids=IDS)
def test_solution_passes_with_inputs_from_another_seed(key, module, name):
    """The grader draws its seeds afresh for each run: the solution passes on any of them."""
    _check(module, name)(_as("remote", name, _solution(key)[name]), extended=True, quiet=True, seed_base=7919)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key,module,name", CASES, ids=IDS)
def test_blank_stub_says_not_implemented(key, module, name, mode):
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        _check(module, name)(_as(mode, name, _learner(key)[name]))


@pytest.mark.parametrize("key,module,name", CASES, ids=IDS)
def test_every_exercise_has_plausible_mistakes(key, module, name):
    wrong = _wrongs(module).get(name, [])
    assert len(wrong) >= 2, f"tests/checks/wrong/{module}.py needs at least two wrong {name} implementations"


@pytest.mark.parametrize("module", sorted({m for _, m, _ in CASES}))
def test_plausible_mistakes_name_real_exercises(module):
    table = _wrongs(module)
    assert not set(table) - set(exercises(module)), f"{module}: wrong implementations of no exercise"
    names = [w.name for ws in table.values() for w in ws]
    assert len(names) == len(set(names)), f"{module}: two wrong implementations share a name"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "key,module,wrong", MISTAKES, ids=[f"{m}.{w.exercise}.{w.name}" for _, m, w in MISTAKES]
)
def test_plausible_mistake_fails_with_its_message(key, module, wrong, mode):
    with pytest.raises(CheckFailed) as info:
        made = wrong.make(_solution(key))
        _check(module, wrong.exercise)(_as(mode, wrong.exercise, made), extended=True, quiet=True)
    assert not isinstance(info.value, NotImplementedYet)
    message = str(info.value)
    assert message.startswith(wrong.exercise), message
    assert "case" in message or "should" in message, f"{wrong.name}: message names no case: {message}"
    assert wrong.expect in message, f"{wrong.name}: the message no longer says {wrong.expect!r}:\n{message}"


def _regions(source: str) -> list[tuple[int, str]]:
    """(line number, first line of its text) of each solution region in one cell."""
    lines = source.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip().startswith(BEGIN)]
    return [(i + 1, next((t.strip() for t in lines[i + 1 :] if t.strip()), "")) for i in starts]


def _ungraded_regions(notebook) -> list[str]:
    """What the solution regions of ``notebook`` define that its check module does not grade."""
    graded = set(exercises(notebook.checks_module))
    found = []
    for cell in notebook.read().cells:
        if BEGIN not in cell.source:
            continue
        if cell.cell_type != "code":
            found += [first for _, first in _regions(cell.source)]
            continue
        defs = [n for n in ast.parse(cell.source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        found += [d.name for d in defs if d.name not in graded]
        for line, first in _regions(cell.source):
            if not any(d.lineno <= line <= d.end_lineno for d in defs):
                found.append(first)
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.key for n in NOTEBOOKS])
def test_every_solution_region_has_a_check(notebook):
    missing = [what for what in _ungraded_regions(notebook) if (notebook.key, what) not in NOT_GRADED]
    assert not missing, (
        f"{notebook.source.name}: solution regions with no check in shared_utils/checks/"
        f"{notebook.checks_module}.py: {missing}; add a check, or list them in NOT_GRADED with the reason"
    )


def test_not_graded_lists_only_what_exists():
    found = {(n.key, what) for n in NOTEBOOKS for what in _ungraded_regions(n)}
    assert not set(NOT_GRADED) - found, f"NOT_GRADED names regions that are gone: {set(NOT_GRADED) - found}"
