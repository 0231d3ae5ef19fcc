"""The learner's functions as the grader's process sees them: stand-ins that call into the kernel.

A check (``shared_utils/checks/<notebook>.py``) is written once, against the learner's function.
In a check cell that function is the learner's own object.  When grading, the check runs in the
grader's process and receives a :class:`RemoteFunction` instead: calling it sends the arguments
the check chose to the kernel's agent (:mod:`shared_utils.engine.agent`) and returns what the
learner's function returned there, as data (:mod:`shared_utils.engine.wire`).  Arrays, dicts and
lists passed in are updated with what they hold afterwards in the kernel, so that the check sees
a change made in place exactly as it would locally.  An object that is not data (a Keras model a
function returns, a function it returns) comes back as a :class:`RemoteRef`, whose attributes and
calls are fetched from the kernel in turn.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from shared_utils.engine import wire


class RemoteError(Exception):
    """The learner's code raised in the kernel; :attr:`learner_traceback` holds its own frames."""

    learner_traceback = ""
    raiser = ""


class KernelFault(Exception):
    """The kernel did not answer: it timed out, died, or its agent is gone.  Fails the exercise."""


_ERROR_CLASSES: dict[str, type] = {}


def _error_class(name: str) -> type:
    """An exception class named like the learner's (``ValueError``), so the message reads the same;
    it derives from the built-in exception of that name where there is one (``hasattr`` on a
    reference then sees an ``AttributeError`` as such)."""
    if name == "NotImplementedError":
        return NotImplementedError
    if name not in _ERROR_CLASSES:
        import builtins

        base = getattr(builtins, name, None)
        bases: tuple = (RemoteError,)
        if isinstance(base, type) and issubclass(base, Exception) and base is not Exception:
            bases = (RemoteError, base)
        try:
            _ERROR_CLASSES[name] = type(name, bases, {"__str__": _message})
        except TypeError:  # a built-in whose layout cannot be mixed in
            _ERROR_CLASSES[name] = type(name, (RemoteError,), {"__str__": _message})
    return _ERROR_CLASSES[name]


def _message(self: BaseException) -> str:
    return getattr(self, "message_text", "")


def raise_remote(error: dict[str, Any]) -> None:
    if error.get("transfer"):
        raise KernelFault(f"the result could not be sent back as data: {error.get('message')}")
    kind = _error_class(str(error.get("type", "Exception")))
    text = str(error.get("message", ""))
    exc = kind(text)
    exc.message_text = text
    exc.learner_traceback = error.get("traceback", "")
    exc.raiser = error.get("raiser", "")
    raise exc


class Channel:
    """How requests reach the kernel: :meth:`request` is provided by the grading session."""

    def request(self, message: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover - interface
        raise NotImplementedError


def _sync(before: Any, after: Any) -> None:
    """Make ``before`` (an argument the check passed) hold ``after`` (its value in the kernel)."""
    if after is None:
        return
    if isinstance(before, np.ndarray) and isinstance(after, np.ndarray):
        if before.shape == after.shape and before.flags.writeable:
            with np.errstate(all="ignore"):
                np.copyto(before, after, casting="unsafe")
    elif isinstance(before, dict) and isinstance(after, dict):
        for key in list(before):
            if key not in after:
                del before[key]
        for key, value in after.items():
            if key in before and isinstance(before[key], (np.ndarray, dict, list)):
                old = before[key]
                _sync(old, value)
                same_shape = not isinstance(old, np.ndarray) or (
                    isinstance(value, np.ndarray) and old.shape == value.shape
                )
                if not same_shape:
                    before[key] = value
            else:
                before[key] = value
    elif isinstance(before, list) and isinstance(after, list):
        before[:] = after
    elif hasattr(before, "assign") and hasattr(after, "numpy"):  # a tf.Variable
        before.assign(after)


def _is_data(value: Any) -> bool:
    try:
        wire.Encoder().encode(value)
    except wire.NotTransferable:
        return False
    return True


class _Remote:
    def __init__(self, channel: Channel):
        self._channel = channel

    def _reply(self, message: dict[str, Any]) -> Any:
        reply = self._channel.request(message)
        if not reply.get("ok"):
            raise_remote(reply["error"])
        return self._wrap(reply.get("result"))

    def _wrap(self, value: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        """References made proxies, and arguments that came back made the check's own objects.

        Lists and dicts are changed in place, so that an object the reply holds twice stays one.
        """
        if isinstance(value, wire.Ref):
            return RemoteRef(self._channel, value)
        if isinstance(value, wire.ArgPath):
            here: Any = {"args": args, "kwargs": kwargs or {}}
            for step in value.path:
                here = here[step]
            return here
        if isinstance(value, list):
            value[:] = [self._wrap(v, args, kwargs) for v in value]
        elif isinstance(value, tuple):
            return tuple(self._wrap(v, args, kwargs) for v in value)
        elif isinstance(value, dict):
            for k in value:
                value[k] = self._wrap(value[k], args, kwargs)
        return value

    def _invoke(self, target: Any, args: tuple, kwargs: dict, probe: wire.Named | None = None) -> Any:
        originals, kwarg_originals = args, kwargs
        args = tuple(_unwrap(a) for a in args)
        kwargs = {k: _unwrap(v) for k, v in kwargs.items()}
        values = [*args, *kwargs.values()]
        # each argument once: a reference or a function sent by name, data, or neither
        by_name = [isinstance(v, (wire.Ref, wire.Named)) for v in values]
        data = [not named and _is_data(v) for v, named in zip(values, by_name)]
        for value, named, is_data in zip(values, by_name, data):
            if not (named or is_data):
                raise KernelFault(
                    f"the grader cannot send a {type(value).__name__} to the kernel "
                    "(a check that needs it must run that part in the kernel: Check.in_kernel)"
                )
        data_args = data[: len(args)]
        data_kwargs = [k for k, is_data in zip(kwargs, data[len(args) :]) if is_data]
        message = {
            "op": "call" if probe is None else "probe",
            "target": target,
            "probe": probe,
            "exercise": getattr(self, "__name__", None),
            "args": list(args),
            "kwargs": kwargs,
            "data_args": data_args,
            "data_kwargs": data_kwargs,
        }
        reply = self._channel.request(message)
        for before, after in zip(originals, reply.get("args_after") or []):
            _sync(before, after)
        for key, after in (reply.get("kwargs_after") or {}).items():
            _sync(kwarg_originals[key], after)
        if not reply.get("ok"):
            raise_remote(reply["error"])
        return self._wrap(reply.get("result"), originals, kwarg_originals)


def _unwrap(value: Any) -> Any:
    if isinstance(value, RemoteRef):
        return value._ref
    if isinstance(value, RemoteFunction):
        raise KernelFault("the learner's function cannot be passed back to itself")
    if callable(value) and not isinstance(value, (np.ndarray, np.generic)) and not hasattr(value, "numpy"):
        try:
            return wire.Named.of(value)
        except wire.NotTransferable:
            return value
    if isinstance(value, (list, tuple, dict)) and not hasattr(value, "_fields"):
        items = list(value.values()) if isinstance(value, dict) else list(value)
        new = [_unwrap(v) for v in items]
        if all(a is b for a, b in zip(new, items)):
            return value  # the check's own object, so that a change in place reaches it
        if isinstance(value, dict):
            return dict(zip(value.keys(), new))
        return new if isinstance(value, list) else tuple(new)
    return value


class RemoteRef(_Remote):
    """An object living in the kernel (a model, a returned function): attributes fetched on demand."""

    def __init__(self, channel: Channel, ref: wire.Ref):
        super().__init__(channel)
        self._ref = ref

    @property
    def info(self) -> dict[str, Any]:
        return self._ref.info

    def is_a(self, kind: type | tuple) -> bool:
        """Whether the kernel's object is an instance of ``kind`` (compared by qualified names)."""
        kinds = kind if isinstance(kind, tuple) else (kind,)
        names = set(self._ref.info.get("mro", []))
        return any(f"{k.__module__}.{k.__qualname__}" in names for k in kinds)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_ref", "_channel"):
            raise AttributeError(name)
        return self._reply({"op": "getattr", "target": self._ref, "name": name})

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._invoke(self._ref, args, kwargs)

    def __repr__(self) -> str:
        return self._ref.info.get("repr") or f"<{self._ref.info.get('type', 'object')} in the kernel>"


class RemoteFunction(_Remote):
    """The learner's function ``name``, called in the kernel with the check's inputs."""

    def __init__(self, channel: Channel, name: str, description: dict[str, Any]):
        super().__init__(channel)
        self.__name__ = name
        self.__qualname__ = description.get("qualname") or name
        self.description = description
        params = description.get("signature")
        if params is not None:
            parameters = []
            for p in params:
                default = p.get("default", inspect.Parameter.empty)
                if "default_repr" in p:
                    default = _Shown(p["default_repr"])
                kind = type(inspect.Parameter.POSITIONAL_ONLY)(p["kind"])
                parameters.append(inspect.Parameter(p["name"], kind, default=default))
            try:
                self.__signature__ = inspect.Signature(parameters)
            except ValueError:
                pass

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._invoke(self.__name__, args, kwargs)

    def probe(self, probe: Callable, args: tuple, kwargs: dict) -> Any:
        """Run the check module's ``probe(learner_function, *args)`` in the kernel; its result back."""
        return self._invoke(None, args, kwargs, probe=wire.Named.of(probe))

    @contextlib.contextmanager
    def planted(self, stand_ins: dict[str, Any]) -> Iterator[None]:
        """Module-level stand-ins (sent by name) for globals of the learner's function, for now."""
        named = {k: wire.Named.of(v) for k, v in stand_ins.items()}
        reply = self._channel.request({"op": "plant", "exercise": self.__name__, "stand_ins": named})
        if not reply.get("ok"):
            raise_remote(reply["error"])
        try:
            yield
        finally:
            self._channel.request({"op": "unplant", "exercise": self.__name__, "token": reply["token"]})

    def __repr__(self) -> str:
        return f"<your function {self.__name__}, run in the notebook's kernel>"


class _Shown:
    """A default value that is not data, shown by its repr."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__
