"""Values between the grader and the learner's kernel, as data: one ``.npz`` file, never a pickle.

The grader (:mod:`shared_utils.engine.remote`) and the kernel's agent
(:mod:`shared_utils.engine.agent`) exchange requests and replies as files written by
:func:`dump` and read by :func:`load`.  A value is turned into a tree of JSON (kept in the file
as a unicode array) and the arrays it holds, each stored under its own key; ``numpy.load`` reads
the file with ``allow_pickle=False``, so an object array, or anything else that would need
unpickling, is refused.

What travels as data: NumPy arrays and scalars, Python numbers, strings, ``None``, and lists,
tuples and dicts (string or integer keys) of them; TensorFlow tensors and variables (as their
values, rebuilt on the other side as tensors or variables); module-level functions named by
module and qualified name, and ``functools.partial`` of them (:class:`Named`).  Anything else
becomes a reference (:class:`Ref`): the object stays in the process that made it, and the other
side sees its type, a short description and, for a Keras model, the summary the model check
compares (:func:`shared_utils.engine.checking.model_summary`).
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

TREE = "__tree__"
MAX_DEPTH = 20


class NotTransferable(TypeError):
    """A value that cannot cross between the grader and the kernel as data."""


@dataclass
class Ref:
    """An object that stays where it was made, named by ``id`` in that process's table."""

    id: int
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Named:
    """A module-level function, sent by name (the other side imports it), with partial arguments."""

    module: str
    qualname: str
    args: tuple = ()
    kwargs: tuple = ()  # (name, value) pairs

    @classmethod
    def of(cls, fn: Any) -> Named:
        args: tuple = ()
        kwargs: tuple = ()
        if isinstance(fn, functools.partial):
            args, kwargs = fn.args, tuple(sorted(fn.keywords.items()))
            fn = fn.func
        module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", "")
        if (
            not inspect.isfunction(fn)
            or not module
            or not qualname
            or "<locals>" in qualname
            or "<lambda>" in qualname
        ):
            raise NotTransferable(f"{fn!r} is not a module-level function, so it cannot be sent by name")
        return cls(module, qualname, args, kwargs)

    def resolve(self) -> Any:
        import importlib

        obj: Any = importlib.import_module(self.module)
        for part in self.qualname.split("."):
            obj = getattr(obj, part)
        if self.args or self.kwargs:
            return functools.partial(obj, *self.args, **dict(self.kwargs))
        return obj


def _tensorflow():
    import sys

    return sys.modules.get("tensorflow")


def _is_tf(value: Any) -> bool:
    tf = _tensorflow()
    return tf is not None and isinstance(value, (tf.Tensor, tf.Variable))


class Encoder:
    """Turns values into a JSON tree; arrays go to :attr:`arrays`; other objects to ``make_ref``."""

    def __init__(self, make_ref: Any = None, known: dict[int, list] | None = None):
        self.arrays: dict[str, np.ndarray] = {}
        self.make_ref = make_ref
        self.known = known or {}  # id of an argument (or a part of one) -> its path in the arguments
        self._seen: dict[int, int] = {}  # id -> index: an object met twice is sent once, then aliased
        self._kept: list[Any] = []  # keeps the objects alive, so that their ids stay theirs

    def _alias(self, value: Any, use_known: bool) -> dict | None:
        if use_known and id(value) in self.known:
            return {"t": "arg", "p": self.known[id(value)]}
        if id(value) in self._seen:
            return {"t": "alias", "i": self._seen[id(value)]}
        self._seen[id(value)] = len(self._kept)
        self._kept.append(value)
        return None

    def _array(self, arr: np.ndarray) -> str:
        if arr.dtype.kind in "OV":
            raise NotTransferable(f"an array of dtype {arr.dtype} cannot be sent as data")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = arr
        return key

    def encode(self, value: Any, depth: int = 0, use_known: bool = False) -> Any:
        """The tree of ``value``; with ``use_known``, a part that is one of the arguments is sent
        as its path among them, so that the other side can give back its own object."""
        if depth > MAX_DEPTH:
            raise NotTransferable("the value is nested too deeply")
        if value is None or isinstance(value, (bool, str)):
            return {"t": "py", "v": value}
        if isinstance(value, int) and not isinstance(value, bool):
            return {"t": "py", "v": value} if abs(value) < 2**53 else {"t": "bigint", "v": str(value)}
        if isinstance(value, complex) and not isinstance(value, np.generic):
            return {"t": "complex", "re": self.encode(value.real), "im": self.encode(value.imag)}
        if isinstance(value, (np.ndarray, list, dict)):
            alias = self._alias(value, use_known)
            if alias is not None:
                return alias
            index = self._seen[id(value)]
        if isinstance(value, np.ndarray):
            return {"t": "nd", "k": self._array(value), "i": index}
        if isinstance(value, np.generic):
            return {"t": "np", "k": self._array(np.asarray(value))}
        if isinstance(value, float):
            if math.isfinite(value):
                return {"t": "py", "v": value}
            return {"t": "float", "v": repr(value)}
        if _is_tf(value):
            tf = _tensorflow()
            variable = isinstance(value, tf.Variable)
            node = {"t": "tf", "k": self._array(np.asarray(value.numpy())), "var": variable}
            if variable:
                node["trainable"] = bool(value.trainable)
            return node
        if isinstance(value, tuple) and not hasattr(value, "_fields"):
            return {"t": "tuple", "v": [self.encode(v, depth + 1, use_known) for v in value]}
        if isinstance(value, list):
            return {"t": "list", "v": [self.encode(v, depth + 1, use_known) for v in value], "i": index}
        if isinstance(value, dict) and all(
            isinstance(k, str) or (isinstance(k, int) and not isinstance(k, bool)) for k in value
        ):
            return {
                "t": "dict",
                "k": list(value.keys()),
                "v": [self.encode(v, depth + 1, use_known) for v in value.values()],
                "i": index,
            }
        if isinstance(value, Ref):
            return {"t": "ref", "id": value.id}
        if isinstance(value, Named):
            return {
                "t": "named",
                "module": value.module,
                "qualname": value.qualname,
                "args": self.encode(value.args, depth + 1),
                "kwargs": self.encode(dict(value.kwargs), depth + 1),
            }
        if self.make_ref is not None:
            ref = self.make_ref(value)
            return {"t": "ref", "id": ref.id, "info": ref.info}
        raise NotTransferable(f"a {type(value).__name__} cannot be sent as data")


class Decoder:
    """The inverse of :class:`Encoder`; ``resolve_ref`` turns a reference into an object."""

    def __init__(self, arrays: Any, resolve_ref: Any = None, resolve_named: bool = False):
        self.arrays = arrays
        self.resolve_ref = resolve_ref
        self.resolve_named = resolve_named
        self.seen: dict[int, Any] = {}

    def _keep(self, node: dict, value: Any) -> Any:
        if "i" in node:
            self.seen[node["i"]] = value
        return value

    def decode(self, node: Any) -> Any:
        kind = node["t"]
        if kind == "py":
            return node["v"]
        if kind == "bigint":
            return int(node["v"])
        if kind == "float":
            return float(node["v"])
        if kind == "complex":
            return complex(self.decode(node["re"]), self.decode(node["im"]))
        if kind == "nd":
            return self._keep(node, np.array(self.arrays[node["k"]]))  # writable, not the file's buffer
        if kind == "alias":
            return self.seen[node["i"]]
        if kind == "arg":
            return ArgPath(tuple(node["p"]))
        if kind == "np":
            return self.arrays[node["k"]][()]
        if kind == "tf":
            import tensorflow as tf

            arr = np.array(self.arrays[node["k"]])
            if node.get("var"):
                return tf.Variable(arr, trainable=node.get("trainable", True))
            return tf.constant(arr)
        if kind == "tuple":
            return tuple(self.decode(v) for v in node["v"])
        if kind == "list":
            out: list = self._keep(node, [])
            out.extend(self.decode(v) for v in node["v"])
            return out
        if kind == "dict":
            mapping: dict = self._keep(node, {})
            for k, v in zip(node["k"], node["v"]):
                mapping[k] = self.decode(v)
            return mapping
        if kind == "named":
            args = self.decode(node["args"])
            kwargs = tuple(sorted(self.decode(node["kwargs"]).items()))
            named = Named(node["module"], node["qualname"], args, kwargs)
            return named.resolve() if self.resolve_named else named
        if kind == "ref":
            ref = Ref(int(node["id"]), node.get("info", {}))
            return self.resolve_ref(ref) if self.resolve_ref is not None else ref
        raise NotTransferable(f"unknown kind of value {kind!r}")


@dataclass(frozen=True)
class ArgPath:
    """A part of a reply that is one of the request's own arguments: its path among them."""

    path: tuple


def dump(
    path: str | Path, message: dict[str, Any], make_ref: Any = None, known: dict[int, list] | None = None
) -> None:
    """Write ``message`` (a dict of values) to ``path`` as one ``.npz`` file, atomically.

    ``known`` maps the ids of the request's arguments (and their parts) to their paths: where
    ``message["result"]`` holds one of them, the path is sent instead (see :class:`ArgPath`).
    """
    encoder = Encoder(make_ref, known)
    keys = list(message)
    values = [encoder.encode(message[k], 1, use_known=(k == "result")) for k in keys]
    tree = {"t": "dict", "k": keys, "v": values}
    text = json.dumps(tree, allow_nan=False)
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "wb") as f:
        np.savez(f, **{TREE: np.array(text)}, **encoder.arrays)
    os.replace(tmp, path)


def load(path: str | Path, resolve_ref: Any = None, resolve_named: bool = False) -> dict[str, Any]:
    """Read a message written by :func:`dump` (pickles refused)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    tree = json.loads(str(arrays.pop(TREE)))
    return Decoder(arrays, resolve_ref, resolve_named).decode(tree)
