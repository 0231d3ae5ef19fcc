"""The data layout of course 5's recurrent cells, checked with a message that says what is wrong.

Sequences are (features, examples, time): ``x`` (n_x, m, T_x), hidden states ``a`` (n_a, m,
T_x), an initial state ``a0`` (n_a, m).  Keras and most data loaders use (examples, time,
features) instead, and an array in that layout often has a legal shape for NumPy's
broadcasting, so a mistake shows up steps later as a shape error somewhere else, or not at
all.  :func:`sequence_dims` compares the arrays with the parameters' shapes first and names
the problem; :func:`cell_cache` and :func:`sequence_caches` do the same for the caches the
backward passes read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# what each cell's cache holds, in order (the notebook's contract)
CACHE_FIELDS = {
    "rnn": ("a_next", "a_prev", "xt", "parameters"),
    "lstm": ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters"),
    "gru": ("a_next", "a_prev", "rt", "ut", "cct", "xt", "parameters"),
}
_PARAMETER_KEYS = {"rnn": ("Wax", "Waa", "ba"), "lstm": ("Wf", "Wi", "Wc", "Wo"), "gru": ("Wr", "Wu", "Wc")}


def cell_kind(parameters: Any) -> str:
    """ "rnn", "lstm" or "gru", from the keys of a parameters dict."""
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters should be a dict of arrays, got {type(parameters).__name__}")
    for kind, keys in _PARAMETER_KEYS.items():
        if all(k in parameters for k in keys):
            return kind
    raise KeyError(
        "parameters should hold Wax, Waa, ba (RNN), Wf, Wi, Wc, Wo (LSTM) or Wr, Wu, Wc (GRU); "
        f"it holds {', '.join(map(str, parameters))}"
    )


def sizes(parameters: dict) -> tuple[int, int, int]:
    """(n_x, n_a, n_y) of a cell's parameters."""
    kind = cell_kind(parameters)
    if kind == "rnn":
        n_a, n_x = np.shape(parameters["Wax"])
        n_y = np.shape(parameters["Wya"])[0] if "Wya" in parameters else 0
    else:
        W = parameters["Wf" if kind == "lstm" else "Wu"]
        n_a = np.shape(W)[0]
        n_x = np.shape(W)[1] - n_a
        n_y = np.shape(parameters["Wy"])[0] if "Wy" in parameters else 0
    return int(n_x), int(n_a), int(n_y)


def sequence_dims(x: Any, a0: Any, parameters: dict) -> tuple[int, int, int, int, int]:
    """(n_x, m, T_x, n_a, n_y) of a sequence ``x`` (n_x, m, T_x) and an initial state ``a0`` (n_a, m).

    Raises ValueError naming the problem when ``x`` is not three-dimensional, when its time
    axis is in the wrong place (Keras's (m, T_x, n_x), or (n_x, T_x, m)), when its first axis
    does not match the parameters' input size, or when ``a0`` is not (n_a, m).
    """
    n_x, n_a, n_y = sizes(parameters)
    shape = tuple(np.shape(x))
    if len(shape) != 3:
        raise ValueError(
            f"x should be a sequence of shape (n_x, m, T_x) = ({n_x}, m, T_x); it has shape {shape}. "
            "One time step is xt of shape (n_x, m); a whole sequence has a third axis for time."
        )
    if shape[0] != n_x:
        if shape[2] == n_x:
            fix = (
                f"x has shape {shape}: that is (m, T_x, n_x), the (batch, time, features) layout of Keras. "
                f"This notebook's layout is (n_x, m, T_x): use np.transpose(x, (2, 0, 1)), which gives "
                f"shape {(shape[2], shape[0], shape[1])}."
            )
        elif shape[1] == n_x:
            fix = (
                f"x has shape {shape}: its features are on axis 1. This notebook's layout is "
                f"(n_x, m, T_x) with n_x = {n_x} first."
            )
        else:
            fix = (
                f"x has shape {shape}, but the parameters take n_x = {n_x} input features "
                f"(x should be ({n_x}, m, T_x)): are these the parameters meant for this x?"
            )
        raise ValueError(fix)
    m, T_x = shape[1], shape[2]
    a0_shape = tuple(np.shape(a0))
    if a0_shape != (n_a, m):
        if a0_shape == (m, n_a):
            problem = "it is transposed: rows are hidden units, columns examples"
        else:
            problem = f"the parameters have n_a = {n_a} hidden units and x has m = {m} examples"
        raise ValueError(f"a0 should have shape (n_a, m) = ({n_a}, {m}); it has shape {a0_shape}: {problem}.")
    return n_x, m, T_x, n_a, n_y


def _describe(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def cell_cache(cache: Any, kind: str) -> tuple:
    """The cache of one ``kind`` cell ("rnn", "lstm", "gru") as a tuple, or a ValueError saying what it is.

    The fields are :data:`CACHE_FIELDS` [kind]; the last one is the parameters dict.
    """
    fields = CACHE_FIELDS[kind]
    expected = f"({', '.join(fields)})"
    if not isinstance(cache, (tuple, list)):
        raise ValueError(
            f"a {kind.upper()} cell's cache should be the tuple {expected}; got {_describe(cache)}."
        )
    if len(cache) != len(fields) or not isinstance(cache[-1], dict):
        others = [k for k, f in CACHE_FIELDS.items() if k != kind and len(f) == len(cache)]
        guess = f" That is the length of a {others[0].upper()} cell's cache." if others else ""
        if len(cache) == 2 and isinstance(cache[0], (list, tuple)):
            guess = " It looks like a whole sequence's caches (list_of_caches, x): pick one step's cache."
        raise ValueError(
            f"a {kind.upper()} cell's cache should be the tuple of {len(fields)} items {expected}; "
            f"got {_describe(cache)}.{guess}"
        )
    return tuple(cache)


def sequence_caches(caches: Any, kind: str) -> tuple[list, np.ndarray]:
    """``caches`` = (list of one cell cache per step, x), checked: the list and x, or a ValueError."""
    what = f"the caches of a {kind.upper()} sequence should be the pair (list_of_caches, x)"
    if not isinstance(caches, (tuple, list)) or len(caches) != 2 or not isinstance(caches[0], (list, tuple)):
        raise ValueError(f"{what}; got {_describe(caches)}.")
    steps, x = caches
    if not isinstance(x, np.ndarray) or x.ndim != 3:
        raise ValueError(f"{what}, x of shape (n_x, m, T_x); its second item is {_describe(x)}.")
    if len(steps) != np.shape(x)[2]:
        raise ValueError(
            f"{what}: one cache per time step, so {np.shape(x)[2]} for x of shape {np.shape(x)}; "
            f"the list holds {len(steps)}."
        )
    for step in steps:
        cell_cache(step, kind)
    return list(steps), np.asarray(x)
