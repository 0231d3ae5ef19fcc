"""Checks for course 5, notebook 1: recurrent networks, step by step.

Oracles (all in float64):

* forward passes: Keras's own layers holding the learner's parameters, mapped onto their
  weights by :mod:`shared_utils.course5.rnn_keras_map` (``SimpleRNN``; ``LSTM``, gates i, f, c,
  o; ``GRU(reset_after=False)``, whose update block holds ``-Wu``, ``-bu``), and a softmax
  ``Dense`` layer for the predictions.  The mapping is a permutation of entries (and one sign),
  so the comparison is exact to round-off; ``tests/course5/test_rnn_keras_map.py`` pins it.
  The gates an LSTM or GRU cache must hold are computed with TensorFlow's ops
  (``tf.sigmoid``, ``tf.tanh``, ``tf.matmul``) from the parameters.
* backward passes: ``tf.GradientTape`` through the same Keras layers, differentiating
  ``sum(a * da)`` (plus ``sum(c_T * dc_next)`` for one LSTM step), with the kernel gradients
  mapped back to the learner's parameters; a cell's backward step is a layer run over one
  step from the cache's state.  The caches handed to the backward functions are built here,
  in the structure the notebook documents, so they do not depend on the learner's forward pass.

The values of known mistakes (shown as specific hints, never used to pass) come from small
NumPy variants of the formulas.  Cases vary every size: hidden size unlike the input size
and equal to it (where swapped matrices would go unnoticed by their shapes), batch 1, one
time step.  A result whose axes are a permutation of the expected ones is reported as a
time axis in the wrong place; a cache of the wrong structure is described item by item.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from scipy.special import softmax

from shared_utils.course5 import rnn_keras_map as km
from shared_utils.course5 import rnn_params
from shared_utils.course5.rnn_layout import CACHE_FIELDS
from shared_utils.engine.checking import Check, CheckFailed, _describe, exercise

KIND_ID = {"rnn": 1, "lstm": 2, "gru": 3}
# (n_x, n_a, n_y, m, T_x): unequal sizes first, so that a permuted result is recognised
BASIC = [(3, 5, 2, 4, 6), (4, 4, 3, 1, 3), (2, 6, 4, 3, 1)]
EXTENDED = [(5, 3, 2, 2, 5), (1, 2, 3, 7, 2)]
TOL = {"rtol": 1e-7, "atol": 1e-10}
LAYOUT = {"x": "(n_x, m, T_x)", "a": "(n_a, m, T_x)", "y": "(n_y, m, T_x)", "c": "(n_a, m, T_x)"}


def _sigmoid(z):
    from scipy.special import expit

    return expit(z)


def _frozen(value):
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, dict):
        for v in value.values():
            _frozen(v)
    return value


def _try(compute: Callable):
    try:
        return compute()
    except (ValueError, IndexError):
        return np.nan


# ----- cases ------------------------------------------------------------------------------


class _Case(dict):
    """The inputs of one case; the Keras layer's outputs for them computed on first use.

    "seq": the layer over the whole sequence from a0 (and c = 0); "step": one step from a0
    (and c0, for the LSTM).  Each holds "a", "y" and, for the LSTM, "c".
    """

    def __init__(self, kind: str, **inputs):
        super().__init__(inputs)
        self.kind = kind

    def __missing__(self, key: str):
        if key == "seq":
            value = km.forward(self.kind, self["x"], self["a0"], self["p"])
        elif key == "step":
            value = km.forward(self.kind, self["x"][:, :, :1], self["a0"], self["p"], c0=self["c0"])
        else:
            raise KeyError(key)
        self[key] = _frozen(value)
        return value


@functools.lru_cache(maxsize=128)
def _data(kind: str, sizes: tuple, seed: int) -> _Case:
    """The inputs of one case (read-only arrays), drawn from the seed, the kind and the sizes."""
    n_x, n_a, n_y, m, T = sizes
    rng = np.random.default_rng([seed, KIND_ID[kind], *sizes])
    p = rnn_params.random_parameters(kind, n_x, n_a, n_y, seed=int(rng.integers(2**31)))
    d = _Case(
        kind,
        p=p,
        x=rng.normal(size=(n_x, m, T)),
        a0=rng.normal(0, 0.8, (n_a, m)),
        c0=rng.normal(0, 0.8, (n_a, m)),
        da=rng.normal(size=(n_a, m, T)),
        dc=rng.normal(size=(n_a, m)),
    )
    for value in d.values():
        _frozen(value)
    return d


def _cases(ck: Check, basic: int = 1, extended: int = 2):
    for seed in ck.seeds(basic, extended):
        for sizes in ck.pick(BASIC, EXTENDED):
            yield seed, sizes


def _gates(kind: str, p: dict, xt, a_prev, c_prev=None) -> dict:
    """The gates of one LSTM or GRU step by TensorFlow's ops (the values a cache must hold)."""
    import tensorflow as tf

    P = {k: tf.constant(v) for k, v in p.items()}
    a, x = tf.constant(a_prev), tf.constant(xt)
    concat = tf.concat([a, x], axis=0)
    if kind == "lstm":
        gate = {g: tf.sigmoid(tf.matmul(P[f"W{g}"], concat) + P[f"b{g}"]) for g in "fio"}
        cct = tf.tanh(tf.matmul(P["Wc"], concat) + P["bc"])
        return {"ft": gate["f"].numpy(), "it": gate["i"].numpy(), "cct": cct.numpy(), "ot": gate["o"].numpy()}
    rt = tf.sigmoid(tf.matmul(P["Wr"], concat) + P["br"])
    ut = tf.sigmoid(tf.matmul(P["Wu"], concat) + P["bu"])
    cct = tf.tanh(tf.matmul(P["Wc"], tf.concat([rt * a, x], axis=0)) + P["bc"])
    return {"rt": rt.numpy(), "ut": ut.numpy(), "cct": cct.numpy()}


# ----- comparing --------------------------------------------------------------------------


def _layout_hint(got, shape: tuple, layout: str | None) -> str | None:
    """A hint for a result whose axes are the expected ones in another order."""
    have = tuple(np.shape(got)) if isinstance(got, np.ndarray) else None
    if have is None or have == tuple(shape) or sorted(have) != sorted(shape) or layout is None:
        return None
    return (
        f"Your array has the right sizes in the wrong order: the time axis is in the wrong place. "
        f"This notebook's layout is {layout} = {tuple(shape)} (time last; Keras's (m, T_x, n) is not used "
        "here): fill it with `a[:, :, t] = ...` for each step t."
    )


def _array(ck: Check, got, expected, what: str, mistakes: Callable[[], dict] | None = None, layout=None):
    """:meth:`Check.array`, with the time-axis hint for a permuted shape and lazily computed mistakes."""
    expected = np.asarray(expected)
    hint = _layout_hint(got, expected.shape, layout)
    if hint:
        ck.fail(f"{what} has shape {np.shape(got)}; expected shape {expected.shape}.", hint)
    try:
        return ck.array(got, expected, what=what, **TOL)
    except CheckFailed:
        if mistakes is None:
            raise
    values = {h: v for h, v in mistakes().items() if v is not None and np.shape(v) == expected.shape}
    return ck.array(got, expected, what=what, mistakes=values, **TOL)


def _cache(ck: Check, cache, expected: dict, kind: str, what: str = "the cache") -> None:
    """The cache must be the documented tuple, item by item (the parameters dict by its entries)."""
    fields = CACHE_FIELDS[kind]
    order = f"({', '.join(fields)})"
    if not isinstance(cache, (tuple, list)) or len(cache) != len(fields):
        ck.fail(
            f"{what} should be the tuple of {len(fields)} items {order}; got {_describe(cache)}.",
            f"Build it as `cache = {order}`, in that order: the backward pass unpacks it.",
        )
    for i, name in enumerate(fields):
        item = cache[i]
        if name == "parameters":
            same = isinstance(item, dict) and all(
                k in item and np.array_equal(np.asarray(item[k]), v) for k, v in expected[name].items()
            )
            ck.that(
                same,
                f"{what}: item {i} should be the parameters dict you were given; got {_describe(item)}.",
                f"The cache is {order}: the parameters come last.",
            )
            continue
        ref = np.asarray(expected[name])
        ok = isinstance(item, np.ndarray) and item.shape == ref.shape and np.allclose(item, ref, **TOL)
        if not ok:
            others = [
                f
                for f in fields
                if f not in (name, "parameters")
                and isinstance(item, np.ndarray)
                and np.shape(expected[f]) == item.shape
                and np.allclose(item, expected[f], **TOL)
            ]
            hint = (
                f"Item {i} of your cache holds {others[0]}, which belongs at item {fields.index(others[0])}: "
                f"the order is {order}."
                if others
                else f"The cache is {order}; item {i} is {name}."
            )
            ck.fail(f"{what}: item {i} should be {name}, {_describe(ref)}; got {_describe(item)}.", hint)


def _caches(ck: Check, caches, x, step_values: Callable[[int], dict], kind: str) -> None:
    """caches = (list of one cache per step, x)."""
    T = x.shape[2]
    if isinstance(caches, list) and len(caches) == T and T != 2:
        ck.fail(
            f"caches should be the pair (list_of_caches, x); got a list of {T} items.",
            "You returned the list of caches alone: return `caches = (caches, x)`.",
        )
    steps, x_back = ck.returns(
        caches,
        "list_of_caches, x",
        "Return `caches = (list_of_caches, x)`: the backward pass reads both.",
        what="caches",
    )
    ck.that(
        isinstance(steps, (list, tuple)) and len(steps) == T,
        f"caches[0] should be a list of one cache per time step, {T} for T_x = {T}; got {_describe(steps)}.",
        "Append the cache of every step inside the loop over t.",
    )
    ck.that(
        isinstance(x_back, np.ndarray) and x_back.shape == x.shape and np.array_equal(x_back, x),
        f"caches[1] should be x, {_describe(x)}; got {_describe(x_back)}.",
        "Return `caches = (list_of_caches, x)` with the input x itself.",
    )
    for t in sorted({0, T - 1}):
        _cache(ck, steps[t], step_values(t), kind, what=f"caches[0][{t}] (the cache of step {t})")


# ----- NumPy variants: the values known mistakes give (hints only) ----------------------------


def _rnn_step(p, xt, a_prev, act=np.tanh, bias=True, swap=False):
    W_x, W_a = (p["Waa"], p["Wax"]) if swap else (p["Wax"], p["Waa"])
    return act(W_a @ a_prev + W_x @ xt + (p["ba"] if bias else 0))


def _lstm_step(p, xt, a_prev, c_prev, order="ax", swap_fi=False, forget=True, cand=np.tanh, out_tanh=True):
    concat = np.concatenate([a_prev, xt] if order == "ax" else [xt, a_prev], axis=0)
    g = {k: _sigmoid(p[f"W{k}"] @ concat + p[f"b{k}"]) for k in "fio"}
    if swap_fi:
        g["f"], g["i"] = g["i"], g["f"]
    cct = cand(p["Wc"] @ concat + p["bc"])
    c = (g["f"] * c_prev if forget else c_prev) + g["i"] * cct
    return g["o"] * (np.tanh(c) if out_tanh else c), c


def _gru_step(p, xt, a_prev, flip=False, reset=True, after=False, cand=np.tanh):
    concat = np.concatenate([a_prev, xt], axis=0)
    r = _sigmoid(p["Wr"] @ concat + p["br"])
    u = _sigmoid(p["Wu"] @ concat + p["bu"])
    n_a = a_prev.shape[0]
    if after:
        z = p["Wc"][:, n_a:] @ xt + r * (p["Wc"][:, :n_a] @ a_prev) + p["bc"]
    else:
        z = p["Wc"] @ np.concatenate([r * a_prev if reset else a_prev, xt], axis=0) + p["bc"]
    cct = cand(z)
    return (u * a_prev + (1 - u) * cct) if flip else (u * cct + (1 - u) * a_prev)


def _run(step: Callable, x, a0, carry="both", shift=0, with_c=False):
    """Run a variant step over x.

    ``carry``: "both" (right), "no_a" (every step from a0), "no_c" (every step from c = 0);
    ``shift=1`` reads x one step late.
    """
    a_prev, c_prev = a0, np.zeros_like(a0)
    out_a, out_c = [], []
    for t in range(x.shape[2]):
        xt = x[:, :, (t - shift) % x.shape[2]]
        a_in = a0 if carry == "no_a" else a_prev
        if with_c:
            a_prev, c_prev = step(xt, a_in, np.zeros_like(a0) if carry == "no_c" else c_prev)
        else:
            a_prev = step(xt, a_in)
        out_a.append(a_prev)
        out_c.append(c_prev)
    return np.stack(out_a, axis=2), np.stack(out_c, axis=2)


# ----- forward passes ---------------------------------------------------------------------


def _y_mistakes(W, b, a_next, a_prev):
    """The predictions of one step as known mistakes give them."""
    axis = "yt_pred is the softmax over the classes, axis 0; yours sums to 1 over the examples (axis 1)."
    return lambda: {
        axis: softmax(W @ a_next + b, axis=1),
        "yt_pred comes from the new state a_next, not from a_prev.": softmax(W @ a_prev + b, axis=0),
        "Apply the softmax: yt_pred = softmax(W a_next + b).": W @ a_next + b,
    }


@exercise(
    params=("xt", "a_prev", "parameters"),
    hints=[
        "a_next = tanh(Waa a_prev + Wax xt + ba), then yt_pred = softmax(Wya a_next + by), for all the "
        "examples at once (matrix products with the columns)."
    ],
)
def rnn_cell_forward(ck: Check) -> None:
    for seed, sizes in _cases(ck):
        d = _data("rnn", sizes, seed)
        p, xt, a_prev = d["p"], d["x"][:, :, 0], d["a0"]
        a_next, y = d["step"]["a"][:, :, 0], d["step"]["y"][:, :, 0]
        with ck.case(f"xt {xt.shape}, a_prev {a_prev.shape}, n_y = {sizes[2]}, seed {seed}"):
            got = ck.returns(ck.call(xt, a_prev, p), "a_next, yt_pred, cache")
            _array(
                ck,
                got[0],
                a_next,
                "a_next",
                lambda: {
                    "The RNN's state goes through np.tanh, not the sigmoid.": _rnn_step(
                        p, xt, a_prev, _sigmoid
                    ),
                    "The bias ba is missing: a_next = tanh(Waa a_prev + Wax xt + ba).": _rnn_step(
                        p, xt, a_prev, bias=False
                    ),
                    "Wax multiplies the input xt and Waa the previous state a_prev: you swapped them.": _try(
                        lambda: _rnn_step(p, xt, a_prev, swap=True)
                    ),
                },
            )
            _array(ck, got[1], y, "yt_pred", _y_mistakes(p["Wya"], p["by"], a_next, a_prev))
            _cache(ck, got[2], {"a_next": a_next, "a_prev": a_prev, "xt": xt, "parameters": p}, "rnn")


def _sequence_hints(kind: str, d: dict) -> Callable[[], dict]:
    p, x, a0 = d["p"], d["x"], d["a0"]
    step = {
        "rnn": lambda xt, a: _rnn_step(p, xt, a),
        "gru": lambda xt, a: _gru_step(p, xt, a),
    }.get(kind)

    def mistakes() -> dict:
        if kind == "lstm":
            lstm = functools.partial(_lstm_step, p)
            return {
                "Every step must start from the previous step's state: carry a_next into the next "
                "call.": _run(lstm, x, a0, carry="no_a", with_c=True)[0],
                "Carry the memory cell: pass the previous step's c_next as c_prev, not zeros.": _run(
                    lstm, x, a0, carry="no_c", with_c=True
                )[0],
                "Step t reads x[:, :, t]: your time index is off by one.": _run(
                    lstm, x, a0, shift=1, with_c=True
                )[0],
            }
        return {
            "Every step must start from the previous step's state: feed a_next back in, not a0.": _run(
                step, x, a0, carry="no_a"
            )[0],
            "Step t reads x[:, :, t]: your time index is off by one.": _run(step, x, a0, shift=1)[0],
        }

    return mistakes


def _check_sequence(ck: Check, kind: str, names: str, cell_cache: Callable) -> None:
    """rnn_forward, lstm_forward, gru_forward: outputs in the layout and the caches."""
    for seed, sizes in _cases(ck):
        d = _data(kind, sizes, seed)
        p, x, a0, seq = d["p"], d["x"], d["a0"], d["seq"]
        with ck.case(f"x {x.shape}, a0 {a0.shape}, n_y = {sizes[2]}, seed {seed}"):
            got = ck.returns(ck.call(x, a0, p), names)
            _array(ck, got[0], seq["a"], "a", _sequence_hints(kind, d), layout=LAYOUT["a"])
            _array(ck, got[1], seq["y"], names.split(", ")[1], layout=LAYOUT["y"])
            if kind == "lstm":
                shifted = np.concatenate([np.zeros_like(seq["c"][:, :, :1]), seq["c"][:, :, :-1]], axis=2)
                _array(
                    ck,
                    got[2],
                    seq["c"],
                    "c",
                    lambda: {"c[:, :, t] holds the memory cell after step t (c_next), not c_prev.": shifted},
                    layout=LAYOUT["c"],
                )
            _caches(ck, got[-1], x, functools.partial(cell_cache, d), kind)


def _seq_cache(kind: str, d: dict, t: int) -> dict:
    """What the cache of step t of a whole sequence holds."""
    p, x, seq = d["p"], d["x"], d["seq"]
    a_prev = d["a0"] if t == 0 else seq["a"][:, :, t - 1]
    values = {"a_next": seq["a"][:, :, t], "a_prev": a_prev, "xt": x[:, :, t], "parameters": p}
    if kind == "lstm":
        c_prev = np.zeros_like(d["a0"]) if t == 0 else seq["c"][:, :, t - 1]
        values.update(c_next=seq["c"][:, :, t], c_prev=c_prev, **_gates("lstm", p, x[:, :, t], a_prev))
    elif kind == "gru":
        values.update(_gates("gru", p, x[:, :, t], a_prev))
    return values


_SEQUENCE_HINT = (
    "Loop over t in range(T_x): feed x[:, :, t] and the previous step's state to the cell, store its "
    "outputs at [:, :, t], append its cache; return caches = (list_of_caches, x)."
)


@exercise(params=("x", "a0", "parameters"), hints=[_SEQUENCE_HINT])
def rnn_forward(ck: Check) -> None:
    _check_sequence(ck, "rnn", "a, y_pred, caches", functools.partial(_seq_cache, "rnn"))


@exercise(
    params=("xt", "a_prev", "c_prev", "parameters"),
    hints=[
        "Stack [a_prev; xt] (state on top), three sigmoid gates and a tanh candidate from it; c_next = "
        "ft * c_prev + it * cct and a_next = ot * tanh(c_next)."
    ],
)
def lstm_cell_forward(ck: Check) -> None:
    for seed, sizes in _cases(ck):
        d = _data("lstm", sizes, seed)
        p, xt, a_prev, c_prev = d["p"], d["x"][:, :, 0], d["a0"], d["c0"]
        a_next, c_next, y = (d["step"][k][:, :, 0] for k in ("a", "c", "y"))
        with ck.case(f"xt {xt.shape}, a_prev and c_prev {a_prev.shape}, n_y = {sizes[2]}, seed {seed}"):
            got = ck.returns(ck.call(xt, a_prev, c_prev, p), "a_next, c_next, yt_pred, cache")

            def variant(index, **kw):
                return lambda: _try(lambda: _lstm_step(p, xt, a_prev, c_prev, **kw)[index])

            def mistakes(index):
                return lambda: {
                    hint: fn()
                    for hint, fn in {
                        "The concatenation is [a_prev; xt], the state on top: np.concatenate([a_prev, xt], "
                        "axis=0).": variant(index, order="xa"),
                        "The forget gate (Wf, bf) multiplies c_prev and the input gate (Wi, bi) the "
                        "candidate: you swapped them.": variant(index, swap_fi=True),
                        "c_next = ft * c_prev + it * cct: the forget gate multiplies c_prev.": variant(
                            index, forget=False
                        ),
                        "The candidate cct uses np.tanh, the gates the sigmoid.": variant(
                            index, cand=_sigmoid
                        ),
                        "a_next = ot * tanh(c_next): the memory goes through a tanh first.": variant(
                            index, out_tanh=False
                        ),
                    }.items()
                }

            _array(ck, got[1], c_next, "c_next", mistakes(1))
            _array(ck, got[0], a_next, "a_next", mistakes(0))
            _array(ck, got[2], y, "yt_pred", _y_mistakes(p["Wy"], p["by"], a_next, a_prev))
            values = {"a_next": a_next, "c_next": c_next, "a_prev": a_prev, "c_prev": c_prev, "xt": xt}
            values.update(_gates("lstm", p, xt, a_prev), parameters=p)
            _cache(ck, got[3], values, "lstm")


@exercise(
    params=("x", "a0", "parameters"),
    hints=[_SEQUENCE_HINT + " Two states are carried: a_next from a0, c_next from zeros of shape (n_a, m)."],
)
def lstm_forward(ck: Check) -> None:
    _check_sequence(ck, "lstm", "a, y, c, caches", functools.partial(_seq_cache, "lstm"))


@exercise(
    params=("xt", "a_prev", "parameters"),
    hints=[
        "Reset and update gates (sigmoids) from [a_prev; xt]; the candidate tanh(Wc [rt * a_prev; xt] + bc); "
        "a_next = ut * cct + (1 - ut) * a_prev."
    ],
)
def gru_cell_forward(ck: Check) -> None:
    for seed, sizes in _cases(ck):
        d = _data("gru", sizes, seed)
        p, xt, a_prev = d["p"], d["x"][:, :, 0], d["a0"]
        a_next, y = d["step"]["a"][:, :, 0], d["step"]["y"][:, :, 0]
        with ck.case(f"xt {xt.shape}, a_prev {a_prev.shape}, n_y = {sizes[2]}, seed {seed}"):
            got = ck.returns(ck.call(xt, a_prev, p), "a_next, yt_pred, cache")
            _array(
                ck,
                got[0],
                a_next,
                "a_next",
                lambda: {
                    "The update gate weighs the candidate: a_next = ut * cct + (1 - ut) * a_prev (Keras's z "
                    "is 1 - ut).": _gru_step(p, xt, a_prev, flip=True),
                    "The reset gate multiplies a_prev before the product with Wc: Wc [rt * a_prev; xt] "
                    "(Keras's reset_after=False), not rt * (Wc's part times a_prev).": _gru_step(
                        p, xt, a_prev, after=True
                    ),
                    "The candidate sees the reset state: Wc [rt * a_prev; xt], "
                    "not Wc [a_prev; xt].": _gru_step(p, xt, a_prev, reset=False),
                    "The candidate uses np.tanh, the gates the sigmoid.": _gru_step(
                        p, xt, a_prev, cand=_sigmoid
                    ),
                },
            )
            _array(ck, got[1], y, "yt_pred", _y_mistakes(p["Wy"], p["by"], a_next, a_prev))
            values = {"a_next": a_next, "a_prev": a_prev, "xt": xt, "parameters": p}
            values.update(_gates("gru", p, xt, a_prev))
            _cache(ck, got[2], values, "gru")


@exercise(params=("x", "a0", "parameters"), hints=[_SEQUENCE_HINT])
def gru_forward(ck: Check) -> None:
    _check_sequence(ck, "gru", "a, y, caches", functools.partial(_seq_cache, "gru"))


# ----- backward passes --------------------------------------------------------------------


def _grads(ck: Check, got, expected: dict, keys: list[str], shapes_of: dict, mistakes: Callable[[], dict]):
    """Compare a dict of gradients; a sum left out (over the examples) is named before the values."""
    ck.keys(got, keys, "the gradients")
    cache: dict = {}

    def table() -> dict:
        if not cache:
            cache.update(mistakes())
        return cache

    for key in keys:
        value, want = got[key], np.asarray(expected[key])
        shape = np.shape(value) if isinstance(value, np.ndarray) else None
        if shape is not None and shape != want.shape and key.startswith("db"):
            hint = None
            if shape == (want.shape[0], shapes_of["m"]):
                hint = f"{key} is summed over the examples: np.sum(..., axis=1, keepdims=True)."
            elif shape == (want.shape[0],):
                hint = f"{key} keeps the shape {want.shape} of its bias: keepdims=True."
            if hint:
                ck.fail(f'the gradients["{key}"] has shape {shape}; expected shape {want.shape}.', hint)
        _array(
            ck,
            value,
            want,
            f'the gradients["{key}"]',
            lambda key=key: {h: v[key] for h, v in table().items() if key in v},
            layout=LAYOUT["x"] if key == "dx" else None,
        )


def _rnn_backward_np(p, x, a0, a, da, recurrent=True, last_only=False, deriv="a_next"):
    """Variant BPTT for the plain RNN (hints only)."""
    n_a, m, T = a.shape
    g = {"dx": np.zeros_like(x), "dWax": 0 * p["Wax"], "dWaa": 0 * p["Waa"], "dba": 0 * p["ba"]}
    carry = np.zeros((n_a, m))
    for t in reversed(range(T)):
        a_prev = a0 if t == 0 else a[:, :, t - 1]
        upstream = da[:, :, t] + (carry if recurrent else 0)
        dz = upstream * (1 - (a[:, :, t] if deriv == "a_next" else a_prev) ** 2) if deriv else upstream
        step = {"dWax": dz @ x[:, :, t].T, "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}
        for k, v in step.items():
            g[k] = v if last_only else g[k] + v
        g["dx"][:, :, t] = p["Wax"].T @ dz
        carry = p["Waa"].T @ dz
    g["da0"] = carry
    g["da_prev"], g["dxt"] = carry, g["dx"][:, :, 0]
    return g


@exercise(
    params=("da_next", "cache"),
    hints=[
        "dz = da_next * (1 - a_next**2) (tanh's derivative); the weight gradients are dz times the "
        "transposed inputs of the step, summed over the examples; dxt and da_prev go back through the "
        "transposed matrices."
    ],
)
def rnn_cell_backward(ck: Check) -> None:
    for seed, sizes in _cases(ck):
        d = _data("rnn", sizes, seed)
        p, xt, a_prev, da_next = d["p"], d["x"][:, :, :1], d["a0"], d["da"][:, :, 0]
        a_next = d["step"]["a"][:, :, 0]
        expected = km.gradients("rnn", xt, a_prev, p, da_next[:, :, None])
        expected = dict(expected, dxt=expected["dx"][:, :, 0], da_prev=expected["da0"])
        cache = (a_next, a_prev, xt[:, :, 0], p)
        with ck.case(f"da_next {da_next.shape}, xt {xt[:, :, 0].shape}, seed {seed}"):
            got = ck.call(da_next, cache)

            def mistakes():
                args = (p, xt, a_prev, a_next[:, :, None], da_next[:, :, None])
                dz = da_next * (1 - a_next**2)
                return {
                    "tanh's derivative is 1 - a_next**2, times da_next (the chain rule).": _rnn_backward_np(
                        *args, deriv=None
                    ),
                    "tanh's derivative is taken at this step's output a_next, "
                    "not at a_prev.": _rnn_backward_np(*args, deriv="a_prev"),
                    "da_prev goes back through the transpose: Waa.T @ dz.": {"da_prev": p["Waa"] @ dz},
                    "dxt goes back through the transpose: Wax.T @ dz.": {"dxt": _try(lambda: p["Wax"] @ dz)},
                }

            keys = ["dxt", "da_prev", "dWax", "dWaa", "dba"]
            _grads(ck, got, expected, keys, {"m": sizes[3]}, mistakes)


@exercise(
    params=("da", "caches"),
    hints=[
        "Walk t from T_x - 1 down to 0; the gradient into step t is da[:, :, t] plus the da_prev of step "
        "t + 1; add every step's weight gradients; da0 is the last da_prev."
    ],
)
def rnn_backward(ck: Check) -> None:
    for seed, sizes in _cases(ck):
        d = _data("rnn", sizes, seed)
        p, x, a0, da = d["p"], d["x"], d["a0"], d["da"]
        expected = km.gradients("rnn", x, a0, p, da)
        caches = (
            [tuple(_seq_cache("rnn", d, t)[k] for k in CACHE_FIELDS["rnn"]) for t in range(x.shape[2])],
            x,
        )
        with ck.case(f"da {da.shape}, x {x.shape}, seed {seed}"):
            got = ck.call(da, caches)
            a = d["seq"]["a"]

            def mistakes(p=p, x=x, a0=a0, a=a, da=da):
                return {
                    "The gradient into step t is da[:, :, t] plus the da_prev coming back from step t + 1: "
                    "add the two before calling rnn_cell_backward.": _rnn_backward_np(
                        p, x, a0, a, da, recurrent=False
                    ),
                    "Add up the weight gradients of every step (dWax = dWax + ...): yours keep one step "
                    "only.": _rnn_backward_np(p, x, a0, a, da, last_only=True),
                }

            _grads(ck, got, expected, ["dx", "da0", "dWax", "dWaa", "dba"], {"m": sizes[3]}, mistakes)


_LSTM_GRADS = ["dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]


def _lstm_backward_np(
    p, steps: list[dict], da, recurrent=True, carry_c=True, last_only=False, dc_last=None, **v
):
    """Variant BPTT for the LSTM over step values (hints only); v: no_dc_next, no_tanh, no_ft, split."""
    n_a, m, T = da.shape
    g = {k: 0 * p[k[1:]] for k in _LSTM_GRADS}
    dx = []
    da_c, dc_c = np.zeros((n_a, m)), (np.zeros((n_a, m)) if dc_last is None else dc_last)
    for t in reversed(range(T)):
        s = steps[t]
        da_next = da[:, :, t] + (da_c if recurrent else 0)
        dc_next = dc_c if carry_c else 0 * dc_c
        tanh_c = np.tanh(s["c_next"])
        dot = da_next * tanh_c * s["ot"] * (1 - s["ot"])
        dc = (0 if v.get("no_dc_next") else dc_next) + da_next * s["ot"] * (
            1 if v.get("no_tanh") else (1 - tanh_c**2)
        )
        dcct = dc * s["it"] * (1 - s["cct"] ** 2)
        dit = dc * s["cct"] * s["it"] * (1 - s["it"])
        dft = dc * s["c_prev"] * s["ft"] * (1 - s["ft"])
        concat = np.concatenate([s["a_prev"], s["xt"]], axis=0)
        dconcat = 0
        for gate, dd in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
            for k, val in ((f"dW{gate}", dd @ concat.T), (f"db{gate}", dd.sum(axis=1, keepdims=True))):
                g[k] = val if last_only else g[k] + val
            dconcat = dconcat + p[f"W{gate}"].T @ dd
        n_x = s["xt"].shape[0]
        if v.get("split"):
            da_c, dxt = dconcat[n_x:], dconcat[:n_x]
        else:
            da_c, dxt = dconcat[:n_a], dconcat[n_a:]
        dc_c = dc if v.get("no_ft") else dc * s["ft"]
        dx.insert(0, dxt)
    g.update(dx=np.stack(dx, axis=2), da0=da_c, da_prev=da_c, dxt=dx[0], dc_prev=dc_c)
    return g


@exercise(
    params=("da_next", "dc_next", "cache"),
    hints=[
        "dc collects dc_next and the path through a_next = ot * tanh(c_next); each gate's gradient is taken "
        "at its pre-activation (times sigmoid' or tanh'); d[a_prev; xt] sums the four W.T @ dgate."
    ],
)
def lstm_cell_backward(ck: Check) -> None:
    for seed, sizes in _cases(ck):
        d = _data("lstm", sizes, seed)
        p, xt, a_prev, c_prev = d["p"], d["x"][:, :, 0], d["a0"], d["c0"]
        da_next, dc_next = d["da"][:, :, 0], d["dc"]
        expected = km.gradients(
            "lstm", xt[:, :, None], a_prev, p, da_next[:, :, None], c0=c_prev, dc_last=dc_next
        )
        expected = dict(
            expected, dxt=expected["dx"][:, :, 0], da_prev=expected["da0"], dc_prev=expected["dc0"]
        )
        values = {"a_next": d["step"]["a"][:, :, 0], "c_next": d["step"]["c"][:, :, 0], "a_prev": a_prev}
        values.update(c_prev=c_prev, xt=xt, **_gates("lstm", p, xt, a_prev))
        cache = tuple(values[k] if k != "parameters" else p for k in CACHE_FIELDS["lstm"])
        with ck.case(f"da_next and dc_next {da_next.shape}, xt {xt.shape}, seed {seed}"):
            got = ck.call(da_next, dc_next, cache)

            def mistakes():
                run = functools.partial(_lstm_backward_np, p, [values], da_next[:, :, None], dc_last=dc_next)
                return {
                    "dc = dc_next + da_next * ot * (1 - tanh(c_next)**2): the gradient from the next "
                    "step's memory is missing.": run(no_dc_next=True),
                    "a_next = ot * tanh(c_next), so the path to c carries tanh's derivative "
                    "1 - tanh(c_next)**2.": run(no_tanh=True),
                    "dc_prev = dc * ft: the forget gate scales what flows back to c_prev.": run(no_ft=True),
                    "The concatenation is [a_prev; xt]: da_prev is the first n_a rows of its gradient, "
                    "dxt the last n_x.": run(split=True),
                }

            keys = ["dxt", "da_prev", "dc_prev", *_LSTM_GRADS]
            _grads(ck, got, expected, keys, {"m": sizes[3]}, mistakes)


@exercise(
    params=("da", "caches"),
    hints=[
        "Walk t from T_x - 1 down to 0, carrying da_prevt (added to da[:, :, t]) and dc_prevt (the next "
        "dc_next); add up the eight weight and bias gradients; da0 is the last da_prevt."
    ],
)
def lstm_backward(ck: Check) -> None:
    for seed, sizes in _cases(ck):
        d = _data("lstm", sizes, seed)
        p, x, a0, da = d["p"], d["x"], d["a0"], d["da"]
        expected = km.gradients("lstm", x, a0, p, da)
        steps = [_seq_cache("lstm", d, t) for t in range(x.shape[2])]
        caches = ([tuple(s[k] for k in CACHE_FIELDS["lstm"]) for s in steps], x)
        with ck.case(f"da {da.shape}, x {x.shape}, seed {seed}"):
            got = ck.call(da, caches)
            run = functools.partial(_lstm_backward_np, p, steps, da)

            def mistakes(run=run):
                return {
                    "The gradient into step t is da[:, :, t] plus the da_prev coming back from step "
                    "t + 1.": run(recurrent=False),
                    "Carry the memory's gradient: the dc_prev of step t + 1 is the dc_next of step t.": run(
                        carry_c=False
                    ),
                    "Add up the weight gradients of every step: yours keep one step only.": run(
                        last_only=True
                    ),
                }

            _grads(ck, got, expected, ["dx", "da0", *_LSTM_GRADS], {"m": sizes[3]}, mistakes)
