"""The engine behind every check cell.

A check module (``shared_utils/checks/<notebook>.py``) defines one function per exercise,
decorated with :func:`exercise`.  The notebook calls it with the learner's object::

    check.sigmoid(sigmoid)

The decorated body receives a :class:`Check`, which calls the learner's code safely
(copies of the inputs, "not implemented yet" for the blank stub, the learner's own
exception reported plainly, inputs mutated in place detected) and compares results with
expected values from an independent oracle, naming the case, what was expected, what
came back and a hint.  On success one line is printed; on failure :class:`CheckFailed`
(an ``AssertionError``) is raised.

``extended=True`` (used by the grader) runs more cases: more sizes and seeds.
"""

from __future__ import annotations

import copy
import functools
import inspect
import io
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np

GOLDEN_DIR = Path(__file__).resolve().parent / "checks" / "golden"
RECORD_ENV = "WORKBOOK_GOLDEN_RECORD"

# module name -> ordered list of exercise names
REGISTRY: dict[str, list[str]] = {}


class CheckFailed(AssertionError):
    """Raised by a check cell when the learner's code is not right yet."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback through the check's internals
        return [f"\x1b[31m❌ {type(self).__name__}\x1b[0m", *str(self).splitlines()]


class NotImplementedYet(CheckFailed):
    pass


def _describe(value: Any, limit: int = 6) -> str:
    """A short, readable description of a value: type, shape, dtype and a few numbers."""
    if value is None:
        return "None"
    if hasattr(value, "numpy") and callable(value.numpy):  # tf.Tensor / tf.Variable
        value = value.numpy()
    if isinstance(value, np.ndarray):
        flat = value.ravel()
        shown = np.array2string(flat[:limit], precision=5, separator=", ")
        more = ", ..." if flat.size > limit else ""
        return f"array of shape {value.shape}, dtype {value.dtype}, values {shown[:-1]}{more}]"
    if isinstance(value, dict):
        return "dict with keys " + ", ".join(repr(k) for k in value)
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of length {len(value)}"
    if isinstance(value, (float, np.floating)):
        return f"{type(value).__name__} {float(value):.6g}"
    text = repr(value)
    return f"{type(value).__name__} {text[:80]}"


_UNCHECKED = object()
_DATA = (np.ndarray, np.generic, dict, list, tuple, int, float, complex, str, bytes, type(None))


def _is_data(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_data(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_is_data(v) for v in value)
    return isinstance(value, _DATA)


def _snapshot(value: Any) -> Any:
    """A copy of a data argument, to detect changes made in place.

    Only data (arrays, numbers, and dicts, lists and tuples of them) is copied: models,
    optimizers and strategies are meant to change state and are not compared.
    """
    if not _is_data(value):
        return _UNCHECKED
    try:
        return copy.deepcopy(value)
    except Exception:  # data that cannot be copied is not compared
        return _UNCHECKED


def _same(a: Any, b: Any) -> bool:
    if a is _UNCHECKED:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
        except (TypeError, ValueError):
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b)
    except Exception:
        return True


def _learner_traceback(exc: BaseException) -> str:
    """The frames of the learner's own code, without the check machinery."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "shared_utils" not in f.filename]
    if not frames:
        return ""
    lines = [f"    line {f.lineno}, in {f.name}: {f.line}" for f in frames[-3:]]
    return "\n" + "\n".join(lines)


class Check:
    """State of one exercise's check: the learner's object, the current case, the mode."""

    def __init__(self, name: str, module: str, obj: Any, extended: bool, hints: list[str]):
        self.name = name
        self.module = module
        self.obj = obj
        self.extended = extended
        self.hints = hints
        self.case_name = ""
        self.cases_run = 0

    # ----- cases -----------------------------------------------------------------
    @contextmanager
    def case(self, description: str) -> Iterator[None]:
        previous, self.case_name = self.case_name, description
        try:
            yield
        finally:
            self.case_name = previous
            self.cases_run += 1

    def seeds(self, basic: int = 2, extended: int = 6) -> range:
        """Seeds to try: a few in a check cell, more when grading."""
        return range(extended if self.extended else basic)

    def pick(self, basic: list, extended: list) -> list:
        """Cases for the check cell, plus more when grading."""
        return basic + extended if self.extended else basic

    # ----- failing ---------------------------------------------------------------
    def fail(self, what: str, hint: str | None = None) -> None:
        where = f" [case: {self.case_name}]" if self.case_name else ""
        msg = f"{self.name}{where}: {what}"
        hints = [hint] if hint else []
        hints += self.hints
        if hints:
            msg += "\nHint: " + "\nHint: ".join(hints)
        raise CheckFailed(msg)

    # ----- calling the learner's code -----------------------------------------------
    def call(self, *args: Any, fn: Callable | None = None, **kwargs: Any) -> Any:
        """Call the learner's function on copies of the inputs; report errors plainly."""
        fn = self.obj if fn is None else fn
        originals = [_snapshot(a) for a in args]
        kw_originals = {k: _snapshot(v) for k, v in kwargs.items()}
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            raiser = frames[-1].name if frames else self.name
            if raiser not in (self.name, fn.__name__, "<lambda>", "<module>"):
                raise NotImplementedYet(
                    f"{self.name}: not implemented yet: it calls `{raiser}`, which still raises "
                    f"NotImplementedError. Complete `{raiser}` and run its cell first."
                ) from None
            raise NotImplementedYet(
                f"{self.name}: not implemented yet. Replace `raise NotImplementedError()` "
                "with your code, run that cell, then run this check again."
            ) from None
        except CheckFailed:
            raise
        except Exception as exc:  # the learner's code raised: say which and where
            self.fail(f"your code raised {type(exc).__name__}: {exc}{_learner_traceback(exc)}")
        for i, (before, after) in enumerate(zip(originals, args)):
            if not _same(before, after):
                self.fail(
                    f"your function changed its argument #{i + 1} in place.",
                    "Work on a copy (e.g. `x = x.copy()`) or build a new array instead of "
                    "assigning into the input.",
                )
        for k, before in kw_originals.items():
            if not _same(before, kwargs[k]):
                self.fail(f"your function changed its argument `{k}` in place.", "Work on a copy.")
        return result

    # ----- comparing -------------------------------------------------------------
    def array(
        self,
        got: Any,
        expected: Any,
        what: str = "the output",
        rtol: float = 1e-5,
        atol: float = 1e-7,
        mistakes: dict[str, Any] | None = None,
        dtype_kind: str | None = "f",
    ) -> np.ndarray:
        """Compare an array-like result with the expected one; return it as an ndarray.

        ``mistakes`` maps a hint to the value a known mistake would produce; when the
        learner's value matches one, that hint is shown.
        """
        expected = np.asarray(expected)
        if got is None:
            self.fail(
                f"{what} is None; expected {_describe(expected)}.",
                "Did you forget the `return` statement, or return before computing?",
            )
        if hasattr(got, "numpy") and callable(got.numpy):
            got = got.numpy()
        if not isinstance(got, (np.ndarray, np.generic, float, int, list, tuple)):
            self.fail(f"{what} should be a NumPy array, got {type(got).__name__}: {_describe(got)}.")
        try:
            arr = np.asarray(got, dtype=None)
        except Exception:
            self.fail(f"{what} could not be turned into an array: {_describe(got)}.")
        if arr.shape != expected.shape:
            hint = None
            if arr.shape == expected.shape[::-1] and arr.ndim == 2:
                hint = "The shape is transposed: check the order of your dimensions (or a missing `.T`)."
            elif arr.size == expected.size:
                hint = "Same number of values, different shape: check your reshape or keepdims."
            elif arr.ndim < expected.ndim:
                hint = "Fewer dimensions than expected: did a sum/mean drop an axis? Try keepdims=True."
            self.fail(f"{what} has shape {arr.shape}; expected shape {expected.shape}.", hint)
        if dtype_kind == "f" and arr.dtype.kind not in "fc":
            self.fail(
                f"{what} has dtype {arr.dtype}; expected a floating-point array.",
                "Integer arithmetic loses the fractions: make sure you divide floats.",
            )
        if dtype_kind and dtype_kind != "f" and arr.dtype.kind not in dtype_kind:
            self.fail(f"{what} has dtype {arr.dtype}; expected kind {dtype_kind!r} like {expected.dtype}.")
        try:
            ok = np.allclose(arr, expected, rtol=rtol, atol=atol, equal_nan=False)
        except TypeError:
            ok = False
        if not ok:
            hint = None
            for mistake_hint, value in (mistakes or {}).items():
                value = np.asarray(value)
                if value.shape == arr.shape and np.allclose(arr, value, rtol=rtol, atol=atol):
                    hint = mistake_hint
                    break
            if hint is None and arr.dtype.kind in "fc" and np.isnan(arr).any():
                hint = "Your result has NaN values: look for log(0), 0/0 or an overflow."
            worst = ""
            if arr.dtype.kind in "fiub" and arr.size:
                diff = np.abs(arr.astype(float) - expected.astype(float))
                if np.isfinite(diff).any():
                    worst = f" (largest difference {np.max(diff[np.isfinite(diff)]):.3g})"
            self.fail(
                f"{what} is wrong{worst}.\n  expected: {_describe(expected)}\n  received: {_describe(arr)}",
                hint,
            )
        return arr

    def scalar(
        self,
        got: Any,
        expected: float,
        what: str = "the output",
        rtol: float = 1e-5,
        atol: float = 1e-8,
        mistakes: dict[str, float] | None = None,
    ) -> float:
        """Compare a single number (Python float, NumPy scalar or 0-d/size-1 array)."""
        if got is None:
            self.fail(f"{what} is None; expected {expected:.6g}.", "Did you forget to `return` it?")
        if hasattr(got, "numpy") and callable(got.numpy):
            got = got.numpy()
        arr = np.asarray(got) if not isinstance(got, (str, dict)) else None
        if arr is None or arr.dtype.kind not in "fiu" or arr.size != 1:
            self.fail(
                f"{what} should be a single number, got {_describe(got)}.",
                "Use np.squeeze() or float() if you have an array with one value.",
            )
        value = float(arr.reshape(()))
        if not np.isclose(value, expected, rtol=rtol, atol=atol):
            hint = None
            for mistake_hint, wrong in (mistakes or {}).items():
                if np.isclose(value, wrong, rtol=rtol, atol=atol):
                    hint = mistake_hint
                    break
            self.fail(f"{what} is wrong.\n  expected: {expected:.8g}\n  received: {value:.8g}", hint)
        return value

    def that(self, condition: bool, what: str, hint: str | None = None) -> None:
        """Fail with ``what`` unless ``condition`` holds."""
        if not condition:
            self.fail(what, hint)

    def instance(self, got: Any, kind: type | tuple, what: str = "the output") -> Any:
        if not isinstance(got, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            hint = "Did you forget the `return` statement?" if got is None else None
            self.fail(f"{what} should be a {names}, got {_describe(got)}.", hint)
        return got

    def defaults(self, expected: dict[str, Any]) -> None:
        """The learner's function keeps the default values its signature was given."""
        try:
            params = inspect.signature(self.obj).parameters
        except (TypeError, ValueError):
            return
        with self.case("the default values in the signature"):
            for name, value in expected.items():
                got = params[name].default if name in params else None
                self.that(
                    got == value,
                    f"the default value of `{name}` should be {value}, got {got!r}.",
                    "Keep the signature given in the notebook.",
                )

    def returns(self, got: Any, names: str, hint: str | None = None) -> tuple:
        """The learner's result as the tuple of values ``names`` (e.g. "w, b"); fail if it is not.

        The hint defaults to the return statement the exercise expects.
        """
        n = len(names.split(","))
        if not isinstance(got, (tuple, list)) or len(got) != n:
            self.fail(
                f"should return {n} values ({names}), got {_describe(got)}.",
                hint or f"End the function with `return {names}`.",
            )
        return tuple(got)

    def keys(self, got: Any, expected: list[str], what: str = "the output") -> dict:
        self.instance(got, dict, what)
        missing = [k for k in expected if k not in got]
        if missing:
            self.fail(
                f"{what} is missing the key(s) {', '.join(map(repr, missing))}; it has {', '.join(map(repr, got))}."
            )
        return got

    # ----- golden values (from the solution, recorded by the build) --------------
    def golden(self, key: str, got: Any) -> Any:
        """Expected value recorded from the solution for ``key``.

        In record mode (``python -m shared_utils golden``) the solution's value is stored
        and returned; otherwise the stored value is returned.
        """
        path = GOLDEN_DIR / f"{self.module}.npz"
        full = f"{self.name}/{key}"
        if os.environ.get(RECORD_ENV):
            _record_golden(path, full, np.asarray(got))
            return np.asarray(got)
        if not path.exists():
            raise RuntimeError(f"golden values {path.name} are missing: run `python -m shared_utils golden`")
        with np.load(path, allow_pickle=False) as data:
            if full not in data:
                raise RuntimeError(f"golden value {full!r} is missing: run `python -m shared_utils golden`")
            return data[full]


def _record_golden(path: Path, key: str, value: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            values = {k: data[k] for k in data.files}
    values[key] = value
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **values)
    tmp.replace(path)


def _signature_problem(obj: Any, params: tuple[str, ...]) -> str | None:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    positional = [
        p for p in sig.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if any(p.kind == p.VAR_POSITIONAL for p in sig.parameters.values()):
        return None
    required = [p for p in positional if p.default is p.empty]
    if len(required) > len(params) or len(positional) < len(params):
        theirs = ", ".join(p.name for p in positional) or "none"
        return (
            f"should take {len(params)} argument(s) ({', '.join(params)}), "
            f"but yours takes ({theirs}). Keep the signature given in the notebook."
        )
    return None


def exercise(
    params: tuple[str, ...] | None = None, hints: list[str] | None = None, kind: str = "function"
) -> Callable:
    """Register a check function for the exercise of the same name.

    ``params`` names the learner's function's expected positional parameters (checked
    before anything runs); ``hints`` are shown with every failure of this exercise.
    """

    def decorate(body: Callable[[Check], None]) -> Callable:
        module = body.__module__.rsplit(".", 1)[-1]
        REGISTRY.setdefault(module, [])
        if body.__name__ not in REGISTRY[module]:
            REGISTRY[module].append(body.__name__)

        @functools.wraps(body)
        def run(obj: Any, extended: bool = False, quiet: bool = False) -> None:
            name = body.__name__
            if obj is None or (kind == "function" and not callable(obj)):
                raise CheckFailed(
                    f"{name}: expected your {kind} `{name}`, got {_describe(obj)}. "
                    f"Pass the {kind} itself: check.{name}({name})."
                )
            if params is not None:
                problem = _signature_problem(obj, params)
                if problem:
                    raise CheckFailed(f"{name}: {problem}")
            ck = Check(name, module, obj, extended, list(hints or []))
            body(ck)
            if not quiet:
                print(f"✅ {name}: all {ck.cases_run} checks passed.")

        run.exercise = body.__name__
        return run

    return decorate


def exercises(module: str) -> list[str]:
    """Names of the exercises a check module defines, in notebook order."""
    import importlib

    importlib.import_module(f"shared_utils.checks.{module}")
    return list(REGISTRY.get(module, []))


GRADE_MARK = "@@WORKBOOK-GRADE@@"


def grade(namespace: dict, module: str) -> list[dict]:
    """Run every exercise's extended check against the objects in ``namespace``."""
    import importlib

    mod = importlib.import_module(f"shared_utils.checks.{module}")
    results = []
    for name in exercises(module):
        entry = {"exercise": name, "passed": False, "message": ""}
        if name not in namespace:
            entry["message"] = f"`{name}` is not defined: its cell did not run or was renamed."
        else:
            buf = io.StringIO()
            try:
                with redirect_stdout(buf):
                    getattr(mod, name)(namespace[name], extended=True, quiet=True)
                entry["passed"] = True
                entry["message"] = "correct"
            except NotImplementedYet:
                entry["message"] = "not implemented yet"
            except CheckFailed as exc:
                entry["message"] = str(exc)
            except Exception as exc:  # a bug in the learner's object the check could not classify
                entry["message"] = f"the check could not run your code: {type(exc).__name__}: {exc}"
        results.append(entry)
    return results


def grade_and_print(namespace: dict, module: str) -> None:
    """Used by the grader inside the learner's kernel: one JSON line on stdout."""
    sys.stdout.write(GRADE_MARK + json.dumps(grade(namespace, module)) + "\n")
    sys.stdout.flush()
