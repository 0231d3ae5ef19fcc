"""The engine behind every check cell.

A check module (``shared_utils/checks/<notebook>.py``) defines one function per exercise,
decorated with :func:`exercise`.  The notebook calls it with the learner's object::

    check.sigmoid(sigmoid)

The decorated body receives a :class:`Check`, which calls the learner's code safely
(writable copies of read-only inputs, "not implemented yet" for the blank stub, the
learner's own exception reported with the learner's frames only, an argument changed in
place named by its parameter) and compares results with expected values from an
independent oracle, naming the case, what was expected, what came back and a hint: the
specific one when a known mistake is recognised, else the exercise's generic one.  On
success one line is printed; on failure :class:`CheckFailed` (an ``AssertionError``) is raised.

Besides single arrays and numbers, :class:`Check` compares dicts of arrays
(:meth:`Check.dict`) and Keras models layer by layer (:meth:`Check.model`), and can plant
stand-ins for the helpers a learner's function calls (:meth:`Check.planted`).  Expected
values come from :mod:`shared_utils.engine.oracles`.

``extended=True`` (used by the grader, in its own process: see :mod:`shared_utils.engine.grade`) runs
more cases: more sizes, and seeds from a base the grader draws for each run.
"""

from __future__ import annotations

import builtins
import copy
import functools
import inspect
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from shared_utils.engine.remote import KernelFault, RemoteFunction, RemoteRef

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


def _parameter_names(fn: Callable) -> list[str]:
    """The names of ``fn``'s positional parameters, in order ([] where it has no signature)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _difference(what: str, arr: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> str:
    """The message for a wrong array: expected and received, and where they differ.

    A result with NaN says how many and where the first one is; when the few values shown
    look the same, the first index that differs is given with both values at full precision.
    """
    shown_e, shown_a = _describe(expected), _describe(arr)
    text = f"{what} is wrong"
    if arr.dtype.kind in "fc" and np.isnan(arr).any() and not np.isnan(expected).any():
        nan = np.isnan(arr)
        first = tuple(int(i) for i in np.argwhere(nan)[0])
        text += f": it has {int(nan.sum())} NaN value(s) of {arr.size}, the first at index {first}"
    elif arr.dtype.kind in "fiub" and arr.size:
        diff = np.abs(arr.astype(float) - expected.astype(float))
        finite = np.isfinite(diff)
        if finite.any() and np.max(diff[finite]) > 0:
            text += f" (largest difference {np.max(diff[finite]):.3g})"
    text += f".\n  expected: {shown_e}\n  received: {shown_a}"
    if shown_e.split("values", 1)[-1] == shown_a.split("values", 1)[-1] and arr.size:
        with np.errstate(invalid="ignore"):
            bad = ~np.isclose(
                arr.astype(complex if arr.dtype.kind == "c" else float), expected, rtol=rtol, atol=atol
            )
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            text += (
                f"\n  the values shown look alike; they first differ at index {index}: "
                f"expected {expected[index].item()!r}, received {arr[index].item()!r}"
            )
    return text


def _nan_hint(arr: np.ndarray, expected: np.ndarray) -> str | None:
    if arr.dtype.kind in "fc" and np.isnan(arr).any() and not np.isnan(expected).any():
        return "Your result has NaN values: look for log(0), 0/0 or an overflow."
    return None


_UNCHECKED = object()
_ABSENT = object()  # a name that was not in the learner's namespace
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


def _writable(value: Any) -> Any:
    """``value`` with every read-only array in it replaced by a writable copy (containers rebuilt)."""
    if isinstance(value, np.ndarray):
        return value if value.flags.writeable else value.copy()
    if isinstance(value, dict):
        new = {k: _writable(v) for k, v in value.items()}
        return value if all(new[k] is value[k] for k in value) else new
    if isinstance(value, (list, tuple)):
        items = [_writable(v) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        if isinstance(value, list):
            return items
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


def _changed_part(before: Any, after: Any) -> str:
    """Where ``after`` first differs from ``before``: "" for the whole value, '["W1"]' for a dict entry."""
    if isinstance(before, dict) and isinstance(after, dict):
        for k in before:
            if k not in after:
                return f"[{k!r}] (removed)"
            if not _same(before[k], after[k]):
                return f"[{k!r}]" + _changed_part(before[k], after[k])
        extra = [k for k in after if k not in before]
        return f"[{extra[0]!r}] (added)" if extra else ""
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
        for i, (x, y) in enumerate(zip(before, after)):
            if not _same(x, y):
                return f"[{i}]" + _changed_part(x, y)
    return ""


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


def _library_dirs() -> tuple[str, ...]:
    """Folders whose frames are not the learner's: the standard library and installed packages."""
    import site
    import sysconfig

    dirs = {sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs.update(site.getsitepackages() if hasattr(site, "getsitepackages") else [])
    dirs.add(site.getusersitepackages() if hasattr(site, "getusersitepackages") else "")
    return tuple(os.path.normcase(os.path.abspath(d)) + os.sep for d in dirs if d)


def _is_learner_frame(filename: str) -> bool:
    """True for a frame of the learner's code: not the check machinery, NumPy, TensorFlow or Python."""
    if "shared_utils" in filename or filename.startswith("<frozen"):
        return False
    if "site-packages" in filename or "dist-packages" in filename:
        return False
    if filename.startswith("<"):  # a notebook cell, an exec'd source
        return True
    return not os.path.normcase(os.path.abspath(filename)).startswith(_library_dirs())


class _LinesEnough(Exception):
    """Raised by :func:`learner_lines`'s trace once the count is over the cap."""


def learner_lines(fn: Callable, *args: Any, cap: int) -> int:
    """How many lines of the learner's own code run while ``fn(*args)`` runs (a probe for the
    kernel: a Python loop over windows or words runs thousands, vectorized code a handful).

    The run is stopped as soon as the count passes ``cap`` (the rest is not needed), and that
    count is returned. Frames are the learner's as :func:`_is_learner_frame` says."""
    count = 0
    mine: dict[str, bool] = {}

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if count > cap:
                raise _LinesEnough
        return local

    def tracer(frame, event, arg):
        name = frame.f_code.co_filename
        if name not in mine:
            mine[name] = _is_learner_frame(name)
        return local if mine[name] else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn(*args)
    except _LinesEnough:
        pass
    finally:
        sys.settrace(previous)
    return count


def _learner_traceback(exc: BaseException) -> str:
    """The frames of the learner's own code, without the check machinery or the libraries' internals."""
    if getattr(exc, "learner_traceback", None) is not None:  # raised in the kernel, while grading
        return exc.learner_traceback
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_learner_frame(f.filename)]
    if not frames:
        return ""
    lines = [f"    line {f.lineno}, in {f.name}: {f.line}" for f in frames[-3:]]
    return "\n" + "\n".join(lines)


def _raiser(exc: BaseException) -> str:
    """The qualified name of the function that raised ``exc`` (the last frame of its traceback):
    ``helper``, or ``MultiHeadAttention.__init__`` for a method, so that a class's own method is
    told from another exercise's. Nested functions lose their ``outer.<locals>.`` prefix."""
    tb = exc.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_qualname.rsplit("<locals>.", 1)[-1]


class Check:
    """State of one exercise's check: the learner's object, the current case, the mode."""

    def __init__(
        self,
        name: str,
        module: str,
        obj: Any,
        extended: bool,
        hints: list[str],
        in_place: str | builtins.dict[str, str] | None = None,
        seed_base: int = 0,
    ):
        self.name = name
        self.module = module
        self.obj = obj
        self.extended = extended
        self.hints = hints
        self.in_place = in_place
        self.case_name = ""
        self.cases_run = 0
        self.seed_base = seed_base  # 0 in a check cell; drawn afresh by the grader for each run

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
        """Seeds to try: a few in a check cell, more when grading (from a base the grader draws)."""
        return range(self.seed_base, self.seed_base + (extended if self.extended else basic))

    def pick(self, basic: list, extended: list) -> list:
        """Cases for the check cell, plus more when grading."""
        return basic + extended if self.extended else basic

    # ----- failing ---------------------------------------------------------------
    def fail(self, what: str, hint: str | None = None) -> None:
        """Raise :class:`CheckFailed` naming the case; ``hint``, the specific mistake recognised,
        replaces the exercise's generic hints, which are shown only when no specific hint is given."""
        where = f" [case: {self.case_name}]" if self.case_name else ""
        msg = f"{self.name}{where}: {what}"
        hints = [hint] if hint else list(self.hints)
        if hints:
            msg += "\nHint: " + "\nHint: ".join(hints)
        raise CheckFailed(msg)

    # ----- calling the learner's code -----------------------------------------------
    def call(self, *args: Any, fn: Callable | None = None, **kwargs: Any) -> Any:
        """Call the learner's function on copies of the inputs; report errors plainly."""
        fn = self.obj if fn is None else fn
        # read-only inputs are handed over as writable copies: a change made in place is then
        # reported as such, not as NumPy's "assignment destination is read-only"
        args = tuple(_writable(a) for a in args)
        kwargs = {k: _writable(v) for k, v in kwargs.items()}
        originals = [_snapshot(a) for a in args]
        kw_originals = {k: _snapshot(v) for k, v in kwargs.items()}
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError as exc:
            raiser = getattr(exc, "raiser", None) or _raiser(exc) or self.name
            own = (self.name, getattr(fn, "__name__", self.name), "<lambda>", "<module>")
            if raiser.split(".")[0] not in own:  # its own function, or a method of its own class
                raise NotImplementedYet(
                    f"{self.name}: not implemented yet: it calls `{raiser}`, which still raises "
                    f"NotImplementedError. Complete `{raiser}` and run its cell first."
                ) from None
            raise NotImplementedYet(
                f"{self.name}: not implemented yet. Replace `raise NotImplementedError()` "
                "with your code, run that cell, then run this check again."
            ) from None
        except (CheckFailed, KernelFault):
            raise
        except Exception as exc:  # the learner's code raised: say which and where
            self.fail(f"your code raised {type(exc).__name__}: {exc}{_learner_traceback(exc)}")
        names = _parameter_names(fn)
        changed = [
            (i, names[i] if i < len(names) else None, b, a) for i, (b, a) in enumerate(zip(originals, args))
        ]
        changed += [(None, k, b, kwargs[k]) for k, b in kw_originals.items()]
        for i, name, before, after in changed:
            if not _same(before, after):
                self._changed_in_place(i, name, before, after)
        return result

    def _changed_in_place(self, index: int | None, name: str | None, before: Any, after: Any) -> None:
        """Fail naming the argument the learner's function changed in place, with the fix."""
        label = f"`{name}`" if name else f"#{index + 1}"
        part = _changed_part(before, after)
        where = f" ({name or 'it'}{part} changed)" if part else ""
        hint = self.in_place.get(name) if isinstance(self.in_place, dict) else self.in_place
        if hint is None:
            var = name or "x"
            if isinstance(after, dict):
                hint = (
                    f"Work on a copy (e.g. `{var} = copy.deepcopy({var})`) or build a new dict: "
                    f"assigning into `{var}[...]` or `{var}[...] -= ...` changes the caller's dict."
                )
            elif isinstance(after, list):
                hint = (
                    f"Work on a copy (e.g. `{var} = list({var})`): `{var}.pop()`, `{var}.append(...)`, "
                    f"`{var}.sort()` or `{var}[...] = ...` change the caller's list."
                )
            else:
                hint = (
                    f"Work on a copy (e.g. `{var} = {var}.copy()`) or build a new array "
                    f"(`{var} = {var} - ...` rather than `{var} -= ...` or `{var}[...] = ...`)."
                )
        self.fail(f"your function changed its argument {label} in place{where}.", hint)

    # ----- comparing -------------------------------------------------------------
    def shape(
        self,
        got: Any,
        shape: tuple[int, ...],
        what: str = "the output",
        hint: str | None = None,
        lists: bool = False,
    ) -> np.ndarray:
        """The learner's array-like value as an ndarray of the given shape; fail if it is not one.

        ``hint``, where given, replaces the generic hint for a wrong shape.  A list or tuple is
        refused unless ``lists`` says the exercise accepts one.
        """
        if got is None:
            self.fail(
                f"{what} is None; expected an array of shape {shape}.",
                "Did you forget the `return` statement, or return before computing?",
            )
        if hasattr(got, "numpy") and callable(got.numpy):
            got = got.numpy()
        if isinstance(got, (list, tuple)) and not lists:
            self.fail(
                f"{what} should be a NumPy array, got {type(got).__name__}: {_describe(got)}.",
                "Return an array: build it with NumPy operations, or wrap the list in np.array(...).",
            )
        if not isinstance(got, (np.ndarray, np.generic, float, int, list, tuple)):
            self.fail(f"{what} should be a NumPy array, got {type(got).__name__}: {_describe(got)}.")
        try:
            arr = np.asarray(got, dtype=None)
        except Exception:
            self.fail(f"{what} could not be turned into an array: {_describe(got)}.")
        shape = tuple(shape)
        if arr.shape != shape:
            if hint is None:
                size = int(np.prod(shape))
                if arr.shape == shape[::-1] and arr.ndim == 2:
                    hint = "The shape is transposed: check the order of your dimensions (or a missing `.T`)."
                elif arr.size == size and arr.ndim == len(shape) + 1 and 1 in arr.shape:
                    hint = (
                        "There is an extra dimension of size 1: check a reshape, keepdims=True, or a "
                        "(1, C) row where a vector of shape (C,) is asked (np.squeeze / tf.reshape)."
                    )
                elif arr.size == size:
                    hint = "Same number of values, different shape: check your reshape or keepdims."
                elif arr.ndim == 0 and len(shape) >= 1:
                    hint = (
                        "A single number came back where an array was asked: np.dot (or a sum) where an "
                        "element-wise product `*` belongs?"
                    )
                elif arr.ndim < len(shape):
                    hint = "Fewer dimensions than expected: did a sum/mean drop an axis? Try keepdims=True."
            self.fail(f"{what} has shape {arr.shape}; expected shape {shape}.", hint)
        return arr

    def array(
        self,
        got: Any,
        expected: Any,
        what: str = "the output",
        rtol: float = 1e-5,
        atol: float = 1e-7,
        mistakes: dict[str, Any] | None = None,
        dtype_kind: str | None = "f",
        lists: bool = False,
    ) -> np.ndarray:
        """Compare an array-like result with the expected one; return it as an ndarray.

        ``mistakes`` maps a hint to the value a known mistake would produce; when the
        learner's value matches one, that hint is shown.  A list or tuple is refused unless
        ``lists`` says the exercise accepts one.
        """
        expected = np.asarray(expected)
        if got is None:
            self.fail(
                f"{what} is None; expected {_describe(expected)}.",
                "Did you forget the `return` statement, or return before computing?",
            )
        arr = self.shape(got, expected.shape, what, lists=lists)
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
            self.fail(_difference(what, arr, expected, rtol, atol), hint or _nan_hint(arr, expected))
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
        try:
            arr = np.asarray(got) if not isinstance(got, (str, dict)) else None
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.dtype.kind not in "fiu" or arr.size != 1:
            hint = None
            if arr is not None and arr.dtype.kind in "fiu" and arr.size > 1:
                hint = (
                    f"{arr.size} values came back where one number is asked: a sum or mean over the "
                    "examples (np.sum / np.mean) is missing, or taken over one axis only."
                )
            elif arr is not None and arr.dtype.kind in "fiu" and arr.size == 0:
                hint = "An empty array came back: check the slicing or the axis of your sum."
            self.fail(f"{what} should be a single number, got {_describe(got)}.", hint)
        value = float(arr.reshape(()))
        if not np.isclose(value, expected, rtol=rtol, atol=atol):
            hint = None
            for mistake_hint, wrong in (mistakes or {}).items():
                if np.isclose(value, wrong, rtol=rtol, atol=atol):
                    hint = mistake_hint
                    break
            shown_e, shown_v = f"{expected:.8g}", f"{value:.8g}"
            if shown_e == shown_v:
                shown_e, shown_v = repr(float(expected)), repr(value)
            if np.isnan(value) and hint is None:
                hint = "Your result is NaN: look for log(0), 0/0 or an overflow."
            self.fail(f"{what} is wrong.\n  expected: {shown_e}\n  received: {shown_v}", hint)
        return value

    def that(self, condition: bool, what: str, hint: str | None = None) -> None:
        """Fail with ``what`` unless ``condition`` holds."""
        if not condition:
            self.fail(what, hint)

    def instance(self, got: Any, kind: type | tuple, what: str = "the output") -> Any:
        if not (isinstance(got, kind) or (isinstance(got, RemoteRef) and got.is_a(kind))):
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

    def returns(self, got: Any, names: str, hint: str | None = None, what: str | None = None) -> tuple:
        """The learner's result as the tuple of values ``names`` (e.g. "w, b"); fail if it is not.

        The hint defaults to the return statement the exercise expects.  ``what`` names a
        part of the result that must be such a tuple (e.g. "the cache") instead of the result.
        """
        n = len(names.split(","))
        if not isinstance(got, (tuple, list)) or len(got) != n:
            self.fail(
                f"{what} should be a tuple of {n} values ({names}), got {_describe(got)}."
                if what
                else f"should return {n} values ({names}), got {_describe(got)}.",
                hint or f"End the function with `return {names}`.",
            )
        return tuple(got)

    def keys(self, got: Any, expected: list[str], what: str = "the output") -> dict:
        self.instance(got, dict, what)
        missing = [k for k in expected if k not in got]
        if missing:
            self.fail(
                f"{what} is missing the key(s) {', '.join(map(repr, missing))}; "
                f"it has {', '.join(map(repr, got))}."
            )
        return got

    def dict(
        self,
        got: Any,
        expected: builtins.dict[str, Any],
        what: str,
        mistakes: builtins.dict[str, builtins.dict[str, Any]] | None = None,
        rtol: float = 1e-5,
        atol: float = 1e-7,
    ) -> builtins.dict:
        """Compare a dict of arrays (or numbers) with the expected one, entry by entry.

        ``got`` must hold every key of ``expected`` (:meth:`keys`); the entries are then
        compared in ``expected``'s order, each as ``what["key"]``: with :meth:`scalar` where the
        expected entry is a Python or NumPy number, with :meth:`array` otherwise.
        ``mistakes`` maps a hint to the dict a known mistake would give; an entry that dict
        lacks gets no such hint.
        """
        self.keys(got, list(expected), what)
        for key, value in expected.items():
            wrong = {hint: values[key] for hint, values in (mistakes or {}).items() if key in values}
            label = f'{what}["{key}"]'
            if isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)):
                self.scalar(got[key], float(value), what=label, rtol=rtol, atol=atol, mistakes=wrong)
            else:
                self.array(got[key], value, what=label, rtol=rtol, atol=atol, mistakes=wrong)
        return got

    def in_kernel(self, probe: Callable, *args: Any, **kwargs: Any) -> Any:
        """``probe(learner_function, *args, **kwargs)``, run where the learner's function lives.

        For the parts of a check that hand the learner's code live objects (a Keras model, a
        strategy, a dataset) rather than data: ``probe``, a module-level function of the check
        module, builds them, calls the learner's function and returns data, which the check
        then compares.  In a check cell it runs here; when grading, in the kernel.
        """
        obj = self.obj

        def run(*a: Any, **k: Any) -> Any:
            if isinstance(obj, RemoteFunction):
                return obj.probe(probe, a, k)
            return probe(obj, *a, **k)

        run.__name__ = getattr(obj, "__name__", self.name)
        try:  # the probe's parameters after the learner's function: named in an in-place message
            params = list(inspect.signature(probe).parameters.values())[1:]
            run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            pass
        return self.call(*args, fn=run, **kwargs)

    # ----- the learner's namespace -------------------------------------------------
    @contextmanager
    def planted(self, **stand_ins: Any) -> Iterator[None]:
        """Stand-ins for names the learner's function looks up in its module's globals.

        For the duration, each keyword's value replaces the global of that name (e.g. a
        helper with a known output or a known bug, ``initialize_parameters=known_start``);
        afterwards the learner's own values are put back, and names that did not exist are
        removed, even when the check fails.
        """
        if isinstance(self.obj, RemoteFunction):  # grading: the stand-ins are planted in the kernel
            with self.obj.planted(stand_ins):
                yield
            return
        namespace = getattr(self.obj, "__globals__", None)
        if not isinstance(namespace, builtins.dict):
            self.fail(
                f"should be a function defined with `def` in the notebook, got {type(self.obj).__name__}.",
                "Keep the `def` line given in the notebook.",
            )
        saved = {name: namespace.get(name, _ABSENT) for name in stand_ins}
        namespace.update(stand_ins)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is _ABSENT:
                    namespace.pop(name, None)
                else:
                    namespace[name] = value

    # ----- Keras models ------------------------------------------------------------
    def model(
        self, got: Any, expected: Any, what: str = "your model", input_shape: tuple | None = None
    ) -> None:
        """Compare a Keras model with the expected one, layer by layer, by the public Keras API.

        ``expected`` is a Keras model or a list of layer specifications as
        :func:`layer_summary` gives them (dicts with "class" and any of the
        :data:`LAYER_FIELDS`, "output_shape", "params"); only the entries a specification holds
        are compared.  Input layers are ignored.  In this order:

        1. the input: the shape of one batch the model takes (``input_shape`` where given, else
           the expected model's, else the "input_shape" of the first specification);
        2. the kinds of layer in order, aligned with the expected ones (an edit distance over
           the classes and configurations), so that a missing layer, an extra layer, two
           layers swapped or a layer of another kind is named as such, wherever it is;
        3. each layer's configuration (filters, kernel size, strides, padding, pool size,
           activation, ...), then its output shape and parameter count.

        The first difference is reported: which layer, what was expected and what came back.
        """
        import keras

        self.instance(got, keras.Model, what)
        specs = model_summary(expected) if isinstance(expected, keras.Model) else [dict(e) for e in expected]
        if isinstance(got, RemoteRef):  # grading: the kernel described the learner's model
            described = got.info.get("model", {})
            built, has_outputs = described.get("built", False), described.get("has_outputs", False)
            if built and has_outputs and "summary" not in described:
                self.fail(f"{what} could not be described: {described.get('error')}")
        else:
            built, has_outputs = got.built, _has_outputs(got)
        if not built or not has_outputs:
            self.fail(
                f"{what} has not been built, so its layers have no output shapes yet.",
                "Start the model with keras.Input(shape=...), or build it before returning it.",
            )
        layers = got.info["model"]["summary"] if isinstance(got, RemoteRef) else model_summary(got)
        layers = [{k: _normal_field(v) for k, v in layer.items()} for layer in layers]  # the wire sends lists
        if input_shape is not None:
            wanted_input = (None, *tuple(input_shape)) if len(input_shape) and input_shape[0] else input_shape
        else:
            wanted_input = specs[0].get("input_shape") if specs else None
        self._model_input(layers, wanted_input, what)
        count = ""
        if len(layers) != len(specs):
            count = f" {what[:1].upper()}{what[1:]} has {len(layers)} layer(s); expected {len(specs)}."
        ops = _align(specs, layers)
        for op, i, j in ops:
            if op != "match":
                self._model_structure(op, i, j, specs, layers, what, count)
        for _op, i, j in ops:  # only matches are left
            self._model_fields(specs[i], layers[j], j, what)

    def _model_input(self, layers: list[dict], wanted: Any, what: str) -> None:
        """Fail when the model's input shape (its first layer's) is not ``wanted``."""
        if wanted is None or not layers or "input_shape" not in layers[0]:
            return
        have = _normal_field(layers[0]["input_shape"])
        wanted = _normal_field(tuple(wanted))
        if have != wanted:
            example = tuple(wanted[1:])
            self.fail(
                f"{what} takes inputs of shape {have}; expected {wanted} (a batch of examples of "
                f"shape {example}).\n  expected input: {wanted}\n  received input: {have}",
                f"Give the input layer the shape of one example, without the batch axis: "
                f"keras.Input(shape={example}).",
            )

    def _model_structure(
        self, op: str, i: int, j: int, specs: list[dict], layers: list[dict], what: str, count: str
    ) -> None:
        """Fail naming a layer that is missing, extra, swapped or of another kind."""
        if op == "missing":
            spec = specs[i]
            if j >= len(layers):  # nothing of the learner's model after it
                self.fail(
                    f"{what} stops after layer {len(layers)}: layer {i + 1} is missing.{count}\n"
                    f"  expected: {_describe_layer(spec)}\n"
                    f"  received: {_last_layer(layers)}",
                    "Add the missing layer(s) at the end, in the order the exercise gives.",
                )
            after = f"after layer {j} ({layers[j - 1]['name']})" if j else "first"
            hint = "Add it where the exercise puts it."
            folded = _folded_activation(spec, layers)
            if folded:
                hint = (
                    f"Your {folded} applies the activation itself; the exercise asks for a separate "
                    f"{spec.get('class')} layer here."
                )
            self.fail(
                f"{what} is missing {_article(spec.get('class', 'layer'))} layer: the expected "
                f"layer {i + 1} should come {after}, before layer {j + 1} ({layers[j]['name']}).{count}\n"
                f"  expected: {_describe_layer(spec)}\n"
                f"  received: {_describe_layer(layers[j])} as layer {j + 1}",
                hint,
            )
        if op == "extra":
            extra = layers[j]
            if i >= len(specs):
                self.fail(
                    f"{what} has an extra layer {j + 1} ({extra['name']}) after the expected ones.{count}\n"
                    f"  expected: nothing after {_describe_layer(specs[-1], shapes=False)}\n"
                    f"  received: {_describe_layer(extra)}",
                    "Remove the layer(s) the exercise does not ask for.",
                )
            self.fail(
                f"{what} has an extra layer {j + 1} ({extra['name']}), "
                f"{_article(extra.get('class', 'layer'))} layer the exercise does not ask for "
                f"before {_describe_layer(specs[i])}.{count}\n"
                f"  received: {_describe_layer(extra)}",
                "Remove the layer(s) the exercise does not ask for.",
            )
        if op == "swapped":
            first, second = layers[j], layers[j + 1]
            self.fail(
                f"layers {j + 1} and {j + 2} of {what} ({first['name']}, {second['name']}) are swapped: "
                f"expected {_describe_layer(specs[i], shapes=False)} then "
                f"{_describe_layer(specs[i + 1], shapes=False)}.\n"
                f"  expected: {_describe_layer(specs[i], shapes=False)}, "
                f"{_describe_layer(specs[i + 1], shapes=False)}\n"
                f"  received: {_describe_layer(first, shapes=False)}, "
                f"{_describe_layer(second, shapes=False)}",
                "Put the layers in the order the exercise gives.",
            )
        # another kind of layer in this place
        spec, mine = specs[i], layers[j]
        hint = None
        if {mine.get("class"), spec.get("class")} == {"ReLU", "Activation"}:
            hint = (
                f"keras.layers.ReLU() and keras.layers.Activation('relu') compute the same; the "
                f"exercise asks for {spec.get('class')}."
            )
        self.fail(
            f"layer {j + 1} of {what} ({mine['name']}) is {_article(mine.get('class'))} layer; expected "
            f"{_article(spec.get('class'))} layer.{count}\n"
            f"  expected: {_describe_layer(spec)}\n"
            f"  received: {_describe_layer(mine)}",
            hint,
        )

    def _model_fields(self, spec: dict, mine: dict, j: int, what: str) -> None:
        """Fail at the first field of one layer that differs from its specification."""
        fields = [f for f in _COMPARED if f in spec]
        fields += [f for f in spec if f not in _COMPARED and f not in ("name", "input_shape")]
        for field in fields:
            wanted = spec[field]
            have = mine.get(field, _MISSING_FIELD)
            if _same_field(have, wanted):
                continue
            hint = None
            if field == "output_shape" and "params" in spec and mine.get("params") == spec["params"]:
                hint = "The layer is right but its input is not: look at the layers before it."
            shown = "nothing" if have is _MISSING_FIELD else repr(have)
            self.fail(
                f"layer {j + 1} of {what} ({mine['name']}) has {_FIELD_NAMES.get(field, field)} {shown}; "
                f"expected {wanted!r}.\n"
                f"  expected: {_describe_layer(spec)}\n"
                f"  received: {_describe_layer(mine)}",
                hint,
            )


# ----- Keras models, layer by layer --------------------------------------------------------

# what a layer's specification may hold, from its get_config(), in the order they are compared
LAYER_FIELDS = (
    "units",
    "filters",
    "kernel_size",
    "pool_size",
    "strides",
    "padding",
    "dilation_rate",
    "size",
    "cropping",
    "activation",
    "rate",
    "return_sequences",
    "use_bias",
    "input_dim",
    "output_dim",
)
_FIELD_NAMES = {"output_shape": "output shape", "params": "parameter count"}
_MISSING_FIELD = object()
_COMPARED = ("class", *LAYER_FIELDS, "output_shape", "params")  # in this order; "name" is not compared


def layer_summary(layer: Any) -> dict[str, Any]:
    """What :meth:`Check.model` compares of one Keras layer, by the public Keras API.

    "name", "class" (e.g. "Conv2D"), the :data:`LAYER_FIELDS` its ``get_config()`` holds,
    "input_shape" and "output_shape" (``layer.input.shape``, ``layer.output.shape``, where the
    layer has been called on one input) and "params" (``count_params()``).
    """
    config = layer.get_config()
    out: dict[str, Any] = {"name": layer.name, "class": type(layer).__name__}
    for field in LAYER_FIELDS:
        if field in config:
            out[field] = _normal_field(config[field])
    for field, attribute in (("input_shape", "input"), ("output_shape", "output")):
        try:
            out[field] = _normal_field(tuple(getattr(layer, attribute).shape))
        except (AttributeError, ValueError, RuntimeError, TypeError):
            pass
    out["params"] = int(layer.count_params()) if layer.built else 0
    return out


def model_summary(model: Any) -> list[dict[str, Any]]:
    """:func:`layer_summary` of every layer of a Keras model but its input layers, in order."""
    return [layer_summary(layer) for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _has_outputs(model: Any) -> bool:
    try:
        return bool(model.outputs)
    except (AttributeError, ValueError, RuntimeError):
        return False


def _normal_field(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_normal_field(v) for v in value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _same_field(have: Any, wanted: Any) -> bool:
    have, wanted = _normal_field(have), _normal_field(wanted)
    if isinstance(wanted, int) and not isinstance(wanted, bool) and isinstance(have, tuple):
        return bool(have) and all(h == wanted for h in have)  # kernel_size=3 means (3, 3)
    if isinstance(have, int) and not isinstance(have, bool) and isinstance(wanted, tuple):
        return bool(wanted) and all(w == have for w in wanted)
    return bool(have == wanted)


# costs of the alignment of the learner's layers with the expected ones (integers: no ties
# broken by rounding): a layer of the right kind with another configuration is cheaper than two
# swapped layers, which are cheaper than a layer of another kind, a missing or an extra one
_COST_CONFIG, _COST_SWAP, _COST_OTHER_KIND, _COST_GAP = 2, 3, 10, 10


def _config_cost(spec: dict, mine: dict) -> int | None:
    """0 where ``mine`` is the layer ``spec`` describes (kind and configuration), _COST_CONFIG where
    only its configuration differs, None where it is another kind of layer."""
    if "class" in spec and spec["class"] != mine.get("class"):
        return None
    same = all(_same_field(mine.get(f, _MISSING_FIELD), spec[f]) for f in LAYER_FIELDS if f in spec)
    return 0 if same else _COST_CONFIG


def _align(specs: list[dict], layers: list[dict]) -> list[tuple[str, int, int]]:
    """The cheapest edit script turning the expected layers into the learner's: a list of
    (op, i, j) in order, op one of "match" (specs[i] ~ layers[j], maybe configured otherwise),
    "other" (another kind of layer), "missing" (specs[i] absent before layers[j]), "extra"
    (layers[j] not asked for, before specs[i]) and "swapped" (specs[i], specs[i + 1] as
    layers[j + 1], layers[j]).  A Damerau-Levenshtein distance over layers."""
    n, m = len(specs), len(layers)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[str | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            options = []
            if i and j:
                c = _config_cost(specs[i - 1], layers[j - 1])
                options.append((cost[i - 1][j - 1] + c, 0, "match") if c is not None else None)
            if i >= 2 and j >= 2:
                a = _config_cost(specs[i - 2], layers[j - 1])
                b = _config_cost(specs[i - 1], layers[j - 2])
                if a is not None and b is not None and _config_cost(specs[i - 2], specs[i - 1]) != 0:
                    options.append((cost[i - 2][j - 2] + _COST_SWAP + a + b, 1, "swapped"))
            if i and j:
                options.append((cost[i - 1][j - 1] + _COST_OTHER_KIND, 2, "other"))
            if i:
                options.append((cost[i - 1][j] + _COST_GAP, 3, "missing"))
            if j:
                options.append((cost[i][j - 1] + _COST_GAP, 4, "extra"))
            options = [o for o in options if o is not None]
            if options:
                best = min(options)
                cost[i][j], step[i][j] = best[0], best[2]
    ops: list[tuple[str, int, int]] = []
    i, j = n, m
    while i or j:
        op = step[i][j]
        if op in ("match", "other"):
            i, j = i - 1, j - 1
            ops.append((op, i, j))
        elif op == "swapped":
            i, j = i - 2, j - 2
            ops.append((op, i, j))
        elif op == "missing":
            i -= 1
            ops.append((op, i, j))
        else:
            j -= 1
            ops.append((op, i, j))
    ops.reverse()
    return ops


def _folded_activation(spec: dict, layers: list[dict]) -> str | None:
    """The name of a learner's layer that applies, itself, the activation a missing
    activation layer (``spec``) computes, e.g. Conv2D(..., activation="relu") for a missing ReLU."""
    kind = spec.get("class")
    wanted = {"ReLU": "relu"}.get(kind, spec.get("activation") if kind == "Activation" else None)
    if wanted is None:
        return None
    for layer in layers:
        if layer.get("class") not in ("ReLU", "Activation") and layer.get("activation") == wanted:
            return f"layer {layer['name']} ({layer.get('class')}, activation={wanted!r})"
    return None


def _last_layer(layers: list[dict]) -> str:
    if not layers:
        return "no layer after the input"
    return f"nothing after layer {len(layers)} ({layers[-1]['name']})"


def _article(kind: Any) -> str:
    """'an Embedding', 'a Dense', and for a name read letter by letter, 'an LSTM', 'a GRU'."""
    kind = str(kind)
    spelled = kind[:2].isupper()  # LSTM, GRU, RNN: said as letters, 'el', 'gee', 'ar'
    vowel_sound = "AEFHILMNORSX" if spelled else "AEIOU"
    return f"an {kind}" if kind[:1].upper() in vowel_sound else f"a {kind}"


def _describe_layer(spec: dict[str, Any], shapes: bool = True) -> str:
    args = ", ".join(f"{k}={spec[k]!r}" for k in LAYER_FIELDS if k in spec)
    text = f"{spec.get('class', 'a layer')}({args})"
    if shapes and "output_shape" in spec:
        text += f", output shape {spec['output_shape']}"
    if shapes and "params" in spec:
        text += f", {spec['params']} parameters"
    return text


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
    params: tuple[str, ...] | None = None,
    hints: list[str] | None = None,
    in_place: str | dict[str, str] | None = None,
) -> Callable:
    """Register a check function for the exercise of the same name.

    ``params`` names the learner's function's expected positional parameters (checked
    before anything runs); ``hints`` (the idea, never the answer's code) are shown with a
    failure for which no specific hint was recognised.  ``in_place`` is the fix, in the
    notebook's own terms, for an argument changed in place: one text, or one per parameter
    name (e.g. ``{"w": "Write `w = w - learning_rate * dw`, not `w -= ...`."}``).
    """

    def decorate(body: Callable[[Check], None]) -> Callable:
        module = body.__module__.rsplit(".", 1)[-1]
        REGISTRY.setdefault(module, [])
        if body.__name__ not in REGISTRY[module]:
            REGISTRY[module].append(body.__name__)

        @functools.wraps(body)
        def run(obj: Any, extended: bool = False, quiet: bool = False, seed_base: int = 0) -> None:
            name = body.__name__
            if obj is None or not callable(obj):
                raise CheckFailed(
                    f"{name}: expected your function `{name}`, got {_describe(obj)}. "
                    f"Pass the function itself: check.{name}({name})."
                )
            if params is not None:
                problem = _signature_problem(obj, params)
                if problem:
                    raise CheckFailed(f"{name}: {problem}")
            ck = Check(name, module, obj, extended, list(hints or []), in_place, seed_base)
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
