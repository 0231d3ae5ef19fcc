"""Wrong-but-plausible implementations, one module per checks module.

Each module declares the mistakes a learner could plausibly make and that the check must
reject, each pinned to a fragment of the message the check must give for it::

    wrong = Wrongs(__name__)

    # the solution with one exact edit (fails loudly when the solution no longer has the text)
    edit = wrong.edits("sigmoid")
    edit("sigmoid_sign", "np.exp(-z)", "np.exp(z)", expect="the exponent should be -z")
    edit("sigmoid_no_one", "1 / (1 + np.exp(-z))", "1 / np.exp(-z)", expect="forget the 1 +")
    # several edits: a list of (old, new) pairs, applied in order

    # a hand-written mistake, where it is a different algorithm
    @wrong("softmax", expect="You normalised over columns")
    def softmax_columns(x):
        e = np.exp(x - x.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

``tests/checks/test_checks.py`` runs every one against the exercise's extended check and
asserts that the message contains ``expect``: a fragment of the message it gives today, the
part that names the mistake (the specific hint, or what was expected and received).

A wrong function's global names (e.g. a wrong ``model`` that calls ``optimize``) resolve in
the solution's namespace first, then in its own module (see :func:`rebind`); an edit's text
resolves the same way (``math``, a module-level ``train_x``).
"""

from __future__ import annotations

import ast
import linecache
import sys
import textwrap
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from shared_utils.engine.build import BEGIN, discover


def rebind(fn: Callable, namespace: dict) -> Callable:
    """A copy of ``fn`` whose global names resolve in ``namespace`` (then in fn's module)."""
    merged = dict(fn.__globals__)
    merged.update({k: v for k, v in namespace.items() if not k.startswith("__")})
    new = types.FunctionType(fn.__code__, merged, fn.__name__, fn.__defaults__, fn.__closure__)
    new.__kwdefaults__ = fn.__kwdefaults__
    return new


@dataclass(frozen=True)
class Wrong:
    """One plausible mistake: the exercise it answers, its name, and what its message must say."""

    exercise: str
    name: str
    expect: str
    make: Callable[[dict], Callable]  # the solution's namespace -> the learner's object

    def __repr__(self) -> str:
        return f"<wrong {self.exercise}: {self.name}>"


@cache
def solution_sources(module: str) -> dict[str, str]:
    """The source text of every top-level definition in the solution cells of ``module``'s notebook."""
    (notebook,) = [n for n in discover() if n.checks_module == module]
    sources = {}
    for cell in notebook.read().cells:
        if cell.cell_type != "code" or BEGIN not in cell.source:
            continue
        lines = cell.source.splitlines(keepends=True)
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                sources[node.name] = "".join(lines[first - 1 : node.end_lineno])
    return sources


def apply_edits(source: str, edits: list[tuple[str, str]], label: str) -> str:
    """``source`` with each ``old`` replaced by ``new``; each ``old`` must occur exactly once."""
    for old, new in edits:
        count = source.count(old)
        if count != 1:
            raise AssertionError(
                f"{label}: the solution should contain {old!r} exactly once, found it {count} times. "
                "The solution changed: update this edit."
            )
        source = source.replace(old, new)
    return source


class Wrongs:
    """The plausible mistakes of one notebook, in the order they are declared."""

    def __init__(self, module_name: str):
        self.module_name = module_name
        self.module = module_name.rsplit(".", 1)[-1]  # the checks module, e.g. c1_01_python_numpy
        self.cases: list[Wrong] = []

    def __call__(self, exercise: str, expect: str) -> Callable[[Callable], Callable]:
        """Decorator: a hand-written wrong ``exercise`` whose message must contain ``expect``."""

        def register(fn: Callable) -> Callable:
            self.cases.append(Wrong(exercise, fn.__name__, expect, lambda ns: rebind(fn, ns)))
            return fn

        return register

    def edit(
        self,
        exercise: str,
        old: str | list[tuple[str, str]],
        new: str | None = None,
        *,
        name: str,
        expect: str,
    ) -> None:
        """The solution of ``exercise`` with ``old`` replaced by ``new`` (or a list of (old, new) pairs).

        The edit is applied now, so a solution that no longer holds ``old`` exactly once
        fails the import of this module, naming the edit.
        """
        edits = [(old, new)] if isinstance(old, str) else list(old)
        if isinstance(old, str) and new is None:
            raise TypeError(f"{name}: give the new text for {old!r}")
        label = f"{self.module_name}: {name}"
        source = solution_sources(self.module).get(exercise)
        if source is None:
            raise AssertionError(f"{label}: no solution cell of {self.module} defines {exercise!r}")
        edited = textwrap.dedent(apply_edits(source, edits, label))
        filename = f"<wrong {self.module}.{name}>"
        code = compile(edited, filename, "exec")
        # keep the text for tracebacks, as a learner's cell would
        linecache.cache[filename] = (len(edited), None, edited.splitlines(keepends=True), filename)

        def make(namespace: dict) -> Callable:
            merged = dict(vars(sys.modules[self.module_name]))
            merged.update({k: v for k, v in namespace.items() if not k.startswith("__")})
            exec(code, merged)
            obj = merged[exercise]
            obj.__name__ = obj.__qualname__ = name
            return obj

        self.cases.append(Wrong(exercise, name, expect, make))

    def edits(self, exercise: str) -> Callable[..., None]:
        """``edit(name, old, new, expect=...)``: :meth:`edit` for wrong implementations of ``exercise``."""

        def edit(name: str, old: str | list[tuple[str, str]], new: str | None = None, *, expect: str) -> None:
            self.edit(exercise, old, new, name=name, expect=expect)

        return edit

    def table(self) -> dict[str, list[Wrong]]:
        """Exercise name -> its wrong implementations."""
        out: dict[str, list[Wrong]] = {}
        for case in self.cases:
            out.setdefault(case.exercise, []).append(case)
        return out
