"""Every check passes the solution, fails the blank stub, and fails plausible mistakes."""

from __future__ import annotations

import importlib
from functools import cache

import pytest

from shared_utils.engine.build import discover
from shared_utils.engine.checking import CheckFailed, NotImplementedYet, exercises
from tests.checks.wrong import rebind
from tests.namespaces import learner_namespace, solution_namespace

NOTEBOOKS = discover()
CASES = [(n.key, n.checks_module, name) for n in NOTEBOOKS for name in exercises(n.checks_module)]
IDS = [f"{m}.{name}" for _, m, name in CASES]


@cache
def _solution(key: str) -> dict:
    return solution_namespace(key)


@cache
def _learner(key: str) -> dict:
    return learner_namespace(key)


def _check(module: str, name: str):
    return getattr(importlib.import_module(f"shared_utils.checks.{module}"), name)


def _wrong(module: str) -> dict:
    try:
        return importlib.import_module(f"tests.checks.wrong.{module}").WRONG
    except ModuleNotFoundError:
        return {}


@pytest.mark.parametrize("key,module,name", CASES, ids=IDS)
def test_solution_passes_extended_check(key, module, name):
    _check(module, name)(_solution(key)[name], extended=True, quiet=True)


@pytest.mark.parametrize("key,module,name", CASES, ids=IDS)
def test_blank_stub_says_not_implemented(key, module, name):
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        _check(module, name)(_learner(key)[name])


@pytest.mark.parametrize("key,module,name", CASES, ids=IDS)
def test_plausible_mistakes_fail(key, module, name):
    wrong = _wrong(module).get(name, [])
    assert len(wrong) >= 2, f"tests/wrong/{module}.py needs at least two wrong {name} implementations"
    for fn in wrong:
        bound = rebind(fn, _solution(key))
        with pytest.raises(CheckFailed) as info:
            _check(module, name)(bound, extended=True, quiet=True)
        assert not isinstance(info.value, NotImplementedYet)
        message = str(info.value)
        assert message.startswith(name), message
        assert "case" in message or "should" in message, f"{fn.__name__}: message names no case: {message}"
