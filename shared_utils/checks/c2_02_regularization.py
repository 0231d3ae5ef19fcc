"""Checks for course 2, notebook 2: regularization (L2, dropout, early stopping).

Oracles, all in float64:

* the regularized cost: ``keras.losses.binary_crossentropy`` plus ``keras.regularizers.L2``
  applied to every weight matrix;
* every gradient: ``tf.GradientTape`` on the same network written with TensorFlow ops, the
  cache the learner's backward pass receives built by that TensorFlow forward pass;
* dropout forward: the learner's own masks, checked as data (0/1, shapes, a binomial test of
  the kept fraction on a layer of 100,000 units, fresh masks per layer and per seed), then
  the TensorFlow forward pass with those masks held fixed must give the same activations;
* dropout backward: ``tf.GradientTape`` through the TensorFlow forward pass with the cache's
  masks held fixed;
* early stopping: ``keras.callbacks.EarlyStopping(mode="min")`` fed the same cost sequence
  one evaluation at a time.

Conventions (``shared_utils.course2.regularization``): X (n_x, m), Y (1, m), ``W{l}`` (n_l, n_{l-1}),
``b{l}`` (n_l, 1), the cache is a dict with ``Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3``
and, with dropout, the masks ``D1, D2`` (``A1``, ``A2`` after dropout).
"""

from __future__ import annotations

import numpy as np

from shared_utils.engine import oracles
from shared_utils.engine.checking import Check, _describe, exercise

CACHE_KEYS = ["Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3"]
DROPOUT_KEYS = ["Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3"]
GRAD_KEYS = ["dW1", "db1", "dW2", "db2", "dW3", "db3"]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(7200 + seed)


def _problem(seed: int, dims: tuple[int, int, int, int], m: int):
    """X (n_x, m), Y (1, m) with both classes, and random parameters with non-zero biases."""
    rng = _rng(seed)
    params = {}
    for l in range(1, 4):
        params[f"W{l}"] = rng.normal(0, 1.0 / np.sqrt(dims[l - 1]), (dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1))
    X = rng.normal(size=(dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    Y[0, 0], Y[0, -1] = 0.0, 1.0
    return X, Y, params, rng


def _tf_forward(X, params, D1=None, D2=None, keep_prob=1.0, variables=None):
    """The 3-layer network in TensorFlow; masks (if given) are constants. Returns a dict of tensors."""
    import tensorflow as tf

    p = variables if variables is not None else {k: tf.constant(v, tf.float64) for k, v in params.items()}
    X = tf.constant(X, tf.float64)
    out = {}
    out["Z1"] = tf.matmul(p["W1"], X) + p["b1"]
    A1 = tf.nn.relu(out["Z1"])
    if D1 is not None:
        A1 = A1 * tf.constant(np.asarray(D1, np.float64)) / keep_prob
    out["A1"] = A1
    out["Z2"] = tf.matmul(p["W2"], A1) + p["b2"]
    A2 = tf.nn.relu(out["Z2"])
    if D2 is not None:
        A2 = A2 * tf.constant(np.asarray(D2, np.float64)) / keep_prob
    out["A2"] = A2
    out["Z3"] = tf.matmul(p["W3"], A2) + p["b3"]
    out["A3"] = tf.sigmoid(out["Z3"])
    return out


def _tf_grads(X, Y, params, lambd=0.0, D1=None, D2=None, keep_prob=1.0):
    """Cache (NumPy dict) of the TF forward pass and the gradients of the (regularized) cost."""
    import keras
    import tensorflow as tf

    m = X.shape[1]

    def cost(p):
        out = _tf_forward(X, params, D1, D2, keep_prob, p)
        total = oracles.sigmoid_cross_entropy(Y, out["Z3"])
        if lambd:
            penalty = keras.regularizers.L2(lambd / (2 * m))
            total = total + tf.add_n([penalty(p[f"W{l}"]) for l in (1, 2, 3)])
        return total, out

    _, grads, cache = oracles.gradients(cost, params, has_aux=True)
    cache.update({k: v.copy() for k, v in params.items()})
    if D1 is not None:
        cache["D1"], cache["D2"] = np.asarray(D1, np.float64), np.asarray(D2, np.float64)
    return cache, {f"d{p}{l}": grads[f"{p}{l}"] for l in (1, 2, 3) for p in "Wb"}


def _keras_cost(A3, Y, params, lambd):
    import keras

    m = Y.shape[1]
    cross_entropy = float(keras.ops.mean(keras.losses.binary_crossentropy(Y.T, A3.T)))
    penalty = keras.regularizers.L2(lambd / (2 * m))
    return cross_entropy, sum(float(penalty(params[f"W{l}"])) for l in (1, 2, 3))


def _grads(ck: Check, got) -> dict:
    ck.keys(got, GRAD_KEYS, what="the gradients dict")
    return got


# ----- L2 regularization ------------------------------------------------------------------

NETS = [((2, 5, 3, 1), 6), ((3, 4, 4, 1), 9)]
MORE_NETS = [((2, 20, 3, 1), 25), ((4, 1, 2, 1), 1), ((5, 7, 6, 1), 40)]


@exercise(
    params=("A3", "Y", "parameters", "lambd"),
    hints=[
        "The cross-entropy cost plus lambd / (2 m) times the sum of the squares of every weight matrix; the "
        "biases are not penalised."
    ],
)
def compute_cost_with_regularization(ck: Check) -> None:
    from scipy.special import expit

    for seed in ck.seeds(2, 4):
        for (dims, m), lambd in zip(ck.pick(NETS, MORE_NETS), [0.7, 0.1, 1.5, 0.3, 2.0]):
            X, Y, params, rng = _problem(seed, dims, m)
            A3 = expit(rng.normal(0, 1.2, (1, m)))
            with ck.case(f"layers {list(dims)}, m = {m}, lambd = {lambd}, seed {seed}"):
                got = ck.call(A3, Y, params, lambd)
                ce, pen = _keras_cost(A3, Y, params, lambd)
                biases = sum(float(np.sum(params[f"b{l}"] ** 2)) for l in (1, 2, 3)) * lambd / (2 * m)
                ck.scalar(
                    got,
                    ce + pen,
                    what="the cost",
                    rtol=1e-6,
                    atol=1e-9,
                    mistakes={
                        "The penalty is twice too big: the factor is lambd / (2 * m), not lambd / m.": ce
                        + 2 * pen,
                        "Only penalise the weights W1, W2, W3, not the biases b1, b2, b3.": ce + pen + biases,
                        "The penalty misses its 1/m: lambd / (2 * m) * (sum of the squared weights).": ce
                        + m * pen,
                        "The penalty is missing: add lambd / (2 * m) * (sum of the squared weights).": ce,
                        "Square the weights before summing them (np.square(W)), do not sum |W| or W.": ce
                        + lambd / (2 * m) * sum(float(np.sum(params[f"W{l}"])) for l in (1, 2, 3)),
                        **{
                            f"W{l}'s term is missing: the penalty sums the squares of W1, W2 and W3.": ce
                            + pen
                            - lambd / (2 * m) * float(np.sum(params[f"W{l}"] ** 2))
                            for l in (1, 2, 3)
                        },
                    },
                )
    X, Y, params, rng = _problem(9, (2, 4, 3, 1), 5)
    A3 = expit(rng.normal(0, 1.0, (1, 5)))
    with ck.case("lambd = 0 (no penalty), layers [2, 4, 3, 1], m = 5"):
        ck.scalar(ck.call(A3, Y, params, 0.0), _keras_cost(A3, Y, params, 0.0)[0], what="the cost", rtol=1e-6)


@exercise(
    params=("X", "Y", "cache", "lambd"),
    hints=[
        "Only the weight gradients change: each gets (lambd / m) times its own weight matrix added; read the"
        " weights from the cache."
    ],
)
def backward_propagation_with_regularization(ck: Check) -> None:
    for seed in ck.seeds(2, 3):
        for (dims, m), lambd in zip(ck.pick(NETS, MORE_NETS), [0.7, 0.2, 1.5, 0.4, 3.0]):
            X, Y, params, _ = _problem(seed, dims, m)
            cache, expected = _tf_grads(X, Y, params, lambd)
            _, plain = _tf_grads(X, Y, params, 0.0)
            with ck.case(f"layers {list(dims)}, m = {m}, lambd = {lambd}, seed {seed}"):
                grads = _grads(ck, ck.call(X, Y, cache, lambd))
                mistakes: dict[str, dict] = {}
                for l in (3, 2, 1):
                    g, term = plain[f"dW{l}"], lambd / m * params[f"W{l}"]
                    weight_hints = {
                        f"dW{l} has no penalty term: add (lambd / m) * W{l} to it.": g,
                        "The penalty's gradient is (lambd / m) * W, not lambd / (2 * m) * W: the "
                        "derivative of W**2 brings a factor 2 that cancels the 2 of the cost.": g + term / 2,
                        "The penalty's gradient is (lambd / m) * W, not 2 * lambd / m * W.": g + 2 * term,
                        "The penalty's gradient misses its 1/m: (lambd / m) * W.": g + m * term,
                        "The penalty's gradient has the wrong sign: + (lambd / m) * W.": g - term,
                    }
                    for hint, value in weight_hints.items():
                        mistakes.setdefault(hint, {})[f"dW{l}"] = value
                    mistakes[
                        f"The biases are not penalised: db{l} is the same as without regularization."
                    ] = {f"db{l}": plain[f"db{l}"] + lambd / m * params[f"b{l}"]}
                order = [f"{p}{l}" for l in (3, 2, 1) for p in ("dW", "db")]
                # TensorFlow's gradients differ from NumPy's by up to 4e-9 (seen over a sweep of seeds)
                ck.dict(grads, {k: expected[k] for k in order}, "grads", mistakes, rtol=1e-6, atol=2e-8)
    X, Y, params, _ = _problem(5, (3, 4, 2, 1), 7)
    cache, expected = _tf_grads(X, Y, params, 0.0)
    with ck.case("lambd = 0: the gradients of the plain network, layers [3, 4, 2, 1], m = 7"):
        grads = _grads(ck, ck.call(X, Y, cache, 0.0))
        ck.dict(grads, {k: expected[k] for k in GRAD_KEYS}, "grads", rtol=1e-6, atol=2e-8)


# ----- dropout ------------------------------------------------------------------------------


def _as_mask(ck: Check, D, shape: tuple, name: str) -> np.ndarray:
    if not isinstance(D, np.ndarray):
        ck.fail(f'cache["{name}"] should be a NumPy array (the mask), got {_describe(D)}.')
    if D.shape != shape:
        hint = None
        if D.shape == shape[::-1]:
            hint = "The mask is transposed: it has the shape of the activations it multiplies."
        elif D.ndim == 2 and D.shape[1] == 1:
            hint = "Draw one random number per unit AND per example: np.random.rand(*A.shape)."
        ck.fail(f'cache["{name}"] has shape {D.shape}; expected {shape}, the shape of A{name[1]}.', hint)
    values = np.asarray(D, dtype=np.float64)
    if not np.isin(values, (0.0, 1.0)).all():
        ck.fail(
            f'cache["{name}"] should hold only 0 and 1 (drop / keep), got values like '
            f"{np.unique(values)[:4]}.",
            "The mask is (np.random.rand(...) < keep_prob), turned into 0/1; the division by keep_prob "
            "belongs to the activations, not to the stored mask.",
        )
    return values


def _kept_fraction(ck: Check, D: np.ndarray, keep_prob: float, name: str) -> None:
    from scipy import stats

    kept, n = int(D.sum()), D.size
    p = stats.binomtest(kept, n, keep_prob).pvalue
    if p < 1e-6:
        hint = None
        if abs(kept / n - (1 - keep_prob)) < 0.01:
            hint = (
                "You kept a share 1 - keep_prob: keep a unit where np.random.rand(...) < keep_prob "
                "(`<`, not `>`)."
            )
        elif abs(kept / n - 0.5) < 0.01:
            hint = "Compare with keep_prob, not 0.5."
        ck.fail(
            f'cache["{name}"] keeps {kept} of {n} units ({kept / n:.4f}); with keep_prob = {keep_prob} '
            f"that many is very unlikely (binomial test p = {p:.2g}).",
            hint or "Draw the mask with np.random.rand (uniform on [0, 1)) and keep where it is < keep_prob.",
        )


def _after_seed(forward, seed: int, X, params, keep_prob):
    """np.random.seed(seed), then the learner's forward pass: both where it runs (the kernel, when
    grading), since its masks come from NumPy's global generator; the state is put back after."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        return forward(X, params, keep_prob)
    finally:
        np.random.set_state(state)


def _dropout_call(ck: Check, X, params, keep_prob, seed: int):
    got = ck.returns(ck.in_kernel(_after_seed, seed, X, params, keep_prob), "A3, cache")
    A3, cache = got
    ck.keys(cache, DROPOUT_KEYS, what="the cache")
    return A3, cache


@exercise(
    params=("X", "parameters", "keep_prob"),
    hints=[
        "After each hidden activation: draw a mask with np.random.rand of the activation's shape (keep where"
        " below keep_prob), apply it, and divide by keep_prob. Neither X nor the output is dropped."
    ],
)
def forward_propagation_with_dropout(ck: Check) -> None:
    state = np.random.get_state()
    try:
        _dropout_forward_cases(ck)
    finally:
        np.random.set_state(state)


def _dropout_forward_cases(ck: Check) -> None:
    cases = ck.pick(
        [((2, 6, 4, 1), 8, 0.8), ((3, 5, 5, 1), 10, 0.6)],
        [((2, 20, 3, 1), 30, 0.86), ((4, 3, 3, 1), 2, 0.5), ((2, 7, 9, 1), 12, 1.0)],
    )
    for seed in ck.seeds(2, 3):
        for dims, m, keep_prob in cases:
            X, _, params, _ = _problem(seed, dims, m)
            with ck.case(f"layers {list(dims)}, m = {m}, keep_prob = {keep_prob}, seed {seed}"):
                A3, cache = _dropout_call(ck, X, params, keep_prob, 100 + seed)
                D1 = _as_mask(ck, cache["D1"], (dims[1], m), "D1")
                D2 = _as_mask(ck, cache["D2"], (dims[2], m), "D2")
                if keep_prob == 1.0:
                    ck.that(
                        D1.all() and D2.all(),
                        "with keep_prob = 1 every unit should be kept (masks of ones).",
                        "Keep a unit where np.random.rand(...) < keep_prob.",
                    )
                if dims[1] == dims[2] and keep_prob < 1 and D1.size >= 30:
                    ck.that(
                        not np.array_equal(D1, D2),
                        'cache["D2"] is the same mask as cache["D1"].',
                        "Draw a fresh mask for the second hidden layer.",
                    )
                _compare_dropout_activations(ck, X, params, D1, D2, keep_prob, A3, cache)

    dims, m, keep_prob = (2, 400, 300, 1), 250, 0.7
    X, _, params, _ = _problem(11, dims, m)
    with ck.case(f"a large network {list(dims)}, m = {m}, keep_prob = {keep_prob}: the share of kept units"):
        A3, cache = _dropout_call(ck, X, params, keep_prob, 7)
        D1 = _as_mask(ck, cache["D1"], (dims[1], m), "D1")
        D2 = _as_mask(ck, cache["D2"], (dims[2], m), "D2")
        for name, D in (("D1", D1), ("D2", D2)):
            ck.that(
                not np.all(D == D[:, :1]),
                f'every column of cache["{name}"] is the same: all {m} examples lose the same units.',
                "Draw one random number per unit AND per example: np.random.rand(A1.shape[0], A1.shape[1]).",
            )
            _kept_fraction(ck, D, keep_prob, name)
        _compare_dropout_activations(ck, X, params, D1, D2, keep_prob, A3, cache)

    dims, m, keep_prob = (3, 6, 5, 1), 20, 0.5
    X, _, params, _ = _problem(12, dims, m)
    with ck.case(
        "the masks come from NumPy's global generator: same np.random.seed, same masks; "
        "another seed, other masks"
    ):
        first = _dropout_call(ck, X, params, keep_prob, 21)[1]
        again = _dropout_call(ck, X, params, keep_prob, 21)[1]
        other = _dropout_call(ck, X, params, keep_prob, 22)[1]
        hint = (
            "Use np.random.rand(...) (NumPy's global generator, which model() seeds with np.random.seed), "
            "not a generator of your own."
        )
        ck.that(
            np.array_equal(first["D1"], again["D1"]) and np.array_equal(first["D2"], again["D2"]),
            "two calls after the same np.random.seed(21) gave different masks.",
            hint,
        )
        ck.that(
            not np.array_equal(first["D1"], other["D1"]),
            "calls after np.random.seed(21) and np.random.seed(22) gave the same mask D1.",
            hint,
        )


def _compare_dropout_activations(ck: Check, X, params, D1, D2, keep_prob, A3, cache) -> None:
    out = {k: np.asarray(v) for k, v in _tf_forward(X, params, D1, D2, keep_prob).items()}
    for l, D in ((1, D1), (2, D2)):
        relu = np.maximum(out[f"Z{l}"], 0)
        ck.array(
            cache[f"A{l}"],
            out[f"A{l}"],
            what=f'cache["A{l}"] (after dropout)',
            rtol=1e-7,
            atol=1e-10,
            mistakes={
                f"Divide the kept activations by keep_prob (inverted dropout): A{l} = A{l} * D{l} / "
                "keep_prob.": relu * D,
                f"cache['A{l}'] must be the activations after dropout, A{l} * D{l} / keep_prob.": relu,
            },
        )
    A3_arr = np.asarray(A3, dtype=np.float64) if isinstance(A3, np.ndarray) else None
    if A3_arr is not None and A3_arr.shape == out["A3"].shape and keep_prob < 1:
        ratio = A3_arr / out["A3"]
        dropped = np.isclose(ratio, 0) | np.isclose(ratio, 1 / keep_prob)
        if dropped.all() and not np.isclose(ratio, 1).all():
            ck.fail(
                "A3 has units dropped or scaled by 1 / keep_prob.",
                "Do not apply dropout to the output layer: A3 = sigmoid(Z3), no mask.",
            )
    ck.array(A3, out["A3"], what="A3", rtol=1e-7, atol=1e-10)
    for k in ("Z1", "Z2", "Z3"):
        ck.array(cache[k], out[k], what=f'cache["{k}"]', rtol=1e-7, atol=1e-10)


@exercise(
    params=("X", "Y", "cache", "keep_prob"),
    hints=[
        "The gradient of each dropped activation goes through the same mask, from the cache, and the same "
        "division by keep_prob as in the forward pass."
    ],
)
def backward_propagation_with_dropout(ck: Check) -> None:
    cases = ck.pick(
        [((2, 6, 4, 1), 8, 0.8), ((3, 5, 5, 1), 10, 0.6)],
        [((2, 20, 3, 1), 30, 0.86), ((4, 3, 3, 1), 3, 0.5), ((2, 7, 9, 1), 12, 1.0)],
    )
    for seed in ck.seeds(2, 3):
        for dims, m, keep_prob in cases:
            X, Y, params, rng = _problem(seed, dims, m)
            D1 = (rng.random((dims[1], m)) < keep_prob).astype(np.float64)
            D2 = (rng.random((dims[2], m)) < keep_prob).astype(np.float64)
            D1[0, 0] = D2[0, 0] = 0.0 if keep_prob < 1 else 1.0
            cache, expected = _tf_grads(X, Y, params, 0.0, D1, D2, keep_prob)
            with ck.case(f"layers {list(dims)}, m = {m}, keep_prob = {keep_prob}, seed {seed}"):
                # the key array changes only every 624 draws: compare the position in it too
                _, key, pos, *_ = np.random.get_state()
                key = key.copy()
                grads = _grads(ck, ck.call(X, Y, cache, keep_prob))
                _, key_after, pos_after, *_ = np.random.get_state()
                drew = pos != pos_after or not np.array_equal(key, key_after)
                _compare_dropout_grads(ck, grads, expected, keep_prob, drew)


def _compare_dropout_grads(ck: Check, grads, expected, keep_prob, drew: bool) -> None:
    order = ("dW3", "db3", "dW2", "db2", "dW1", "db1")
    for k in order:
        got = grads[k]
        if (
            drew
            and isinstance(got, np.ndarray)
            and got.shape == expected[k].shape
            and not np.allclose(got, expected[k], rtol=1e-6, atol=1e-9)
        ):
            ck.fail(
                f'grads["{k}"] is wrong, and your function drew random numbers.',
                "Do not draw new masks in the backward pass: use cache['D1'] and cache['D2'], the masks "
                "the forward pass applied.",
            )
    mistakes = {}
    if keep_prob < 1:
        ratios = {"dW2": keep_prob, "db2": keep_prob, "dW1": keep_prob**2, "db1": keep_prob**2}
        mistakes[
            "Divide by keep_prob after applying each mask in the backward pass too: dA = dA * D / keep_prob."
        ] = {k: ratio * expected[k] for k, ratio in ratios.items()}
        mistakes["One of the two divisions by keep_prob is missing (dA1 or dA2)."] = {
            k: keep_prob * expected[k] for k in ("dW1", "db1")
        }
    ck.dict(grads, {k: expected[k] for k in order}, "grads", mistakes, rtol=1e-6, atol=1e-9)


# ----- early stopping --------------------------------------------------------------------


def _keras_early_stopping(costs, patience: int) -> tuple[int, int | None]:
    """(best, stop) from keras.callbacks.EarlyStopping fed the costs one evaluation at a time."""
    import types

    import keras

    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, mode="min")
    model = types.SimpleNamespace(stop_training=False)
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, cost in enumerate(costs):
        callback.on_epoch_end(epoch, {"val_loss": float(cost)})
        if model.stop_training:
            return int(callback.best_epoch), epoch
    return int(callback.best_epoch), None


HAND_MADE = [
    ("a curve that keeps falling", [5.0, 4.0, 3.0, 2.5, 2.0, 1.0], 2),
    ("a single evaluation", [0.7], 3),
    ("a plateau of equal costs (a tie is no improvement)", [3.0, 2.0, 2.0, 2.0, 2.0, 1.0], 3),
    ("a noisy curve", [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.72, 0.74, 0.73, 0.6, 0.5], 4),
    ("an improvement at the last step", [1.0, 0.9, 0.95, 0.92, 0.85], 3),
    ("an improvement just in time", [1.0, 1.1, 1.2, 0.9, 1.0], 3),
    ("the same curve, one evaluation less patience", [1.0, 1.1, 1.2, 0.9, 1.0], 2),
    ("a curve that rises from the start", [0.5, 0.6, 0.7, 0.8], 1),
    ("a lower cost after the stop (never seen)", [1.0, 0.5, 0.6, 0.7, 0.8, 0.1], 2),
    ("patience longer than the curve", [0.4, 0.3, 0.5, 0.6, 0.7], 10),
]


def _random_curves(ck: Check):
    for seed in ck.seeds(3, 8):
        rng = _rng(50 + seed)
        n = int(rng.integers(10, 60))
        t = np.arange(n)
        # a U-shaped validation cost with noise, rounded so that ties happen
        curve = np.round(1.0 / (1 + t) + 0.002 * t + rng.normal(0, 0.03, n), 2)
        yield f"a noisy U-shaped curve of {n} evaluations, seed {seed}", curve, int(rng.integers(1, 7))


@exercise(
    params=("val_costs", "patience"),
    hints=[
        "Walk through the costs keeping the best so far and its index; a cost strictly lower than the best "
        "is an improvement. Stop at the first index that is `patience` evaluations after the best."
    ],
)
def best_epoch(ck: Check) -> None:
    cases = list(HAND_MADE) + list(_random_curves(ck))
    for name, costs, patience in cases:
        expected = _keras_early_stopping(costs, patience)
        for kind, given in (
            ("a list", [float(c) for c in costs]),
            ("an array", np.asarray(costs, np.float64)),
        ):
            if kind == "an array" and name != cases[-1][0]:
                continue
            with ck.case(
                f"{name}: val_costs = {np.round(np.asarray(costs), 3).tolist()} ({kind}), "
                f"patience = {patience}"
            ):
                got = ck.returns(ck.call(given, patience), "best, stop")
                best, stop = got
                ok_types = (
                    isinstance(best, (int, np.integer))
                    and not isinstance(best, bool)
                    and (stop is None or (isinstance(stop, (int, np.integer)) and not isinstance(stop, bool)))
                )
                ck.that(
                    ok_types,
                    f"best should be an int and stop an int or None, got best = {best!r}, stop = {stop!r}.",
                    "Return indices (ints), and None for stop when training never stops.",
                )
                if (int(best), None if stop is None else int(stop)) != expected:
                    ck.fail(
                        f"expected (best, stop) = {expected}, got ({best}, {stop}).",
                        _early_stopping_hint(costs, patience, expected, (best, stop)),
                    )


def _variant(costs, patience: int, improves, stops, best_of_all: bool = False):
    """(best, stop) under a given rule: what a known mistake returns (never the expected value)."""
    best, best_cost = 0, float("inf")
    for i, cost in enumerate(costs):
        if improves(cost, best_cost, i, costs):
            best, best_cost = i, cost
        elif stops(i, best, patience):
            return (int(np.argmin(costs)) if best_of_all else best), i
    return best, None


_MISTAKES = [
    (
        "A tie is not an improvement: compare with `<`, not `<=`, so the first of equal costs stays best.",
        dict(improves=lambda c, b, i, cs: c <= b, stops=lambda i, best, p: i - best >= p),
    ),
    (
        "You stop one evaluation late: stop at the first index i with i - best >= patience.",
        dict(improves=lambda c, b, i, cs: c < b, stops=lambda i, best, p: i - best > p),
    ),
    (
        "You stop one evaluation early: wait `patience` evaluations without improvement, not patience - 1.",
        dict(improves=lambda c, b, i, cs: c < b, stops=lambda i, best, p: i - best >= p - 1),
    ),
    (
        "best is the best index among the costs seen up to the stop; costs after it are never computed in a "
        "real run.",
        dict(improves=lambda c, b, i, cs: c < b, stops=lambda i, best, p: i - best >= p, best_of_all=True),
    ),
]


def _since_last_decrease(costs, patience: int):
    """The mistake of counting the evaluations since the cost last went down, not since the best."""
    best, wait = 0, 0
    for i in range(1, len(costs)):
        if costs[i] < costs[i - 1]:
            wait = 0
            best = i if costs[i] < costs[best] else best
        else:
            wait += 1
            if wait >= patience:
                return best, i
    return best, None


def _early_stopping_hint(costs, patience, expected, got) -> str | None:
    costs = [float(c) for c in costs]
    if expected[1] is None and got[1] == len(costs) - 1:
        return "When the patience never runs out, return stop = None, not the last index."
    found = [hint for hint, rule in _MISTAKES if _variant(costs, patience, **rule) == tuple(got)]
    if _since_last_decrease(costs, patience) == tuple(got):
        found.insert(
            0,
            "Count the evaluations since the best cost so far, not since the last time the cost "
            "went down: a small dip that stays above the best is no improvement.",
        )
    if found:
        return " Or: ".join(found)
    return (
        "Count the evaluations since the best cost so far (not since the last time the cost went down), "
        "and stop at the first index i with i - best >= patience."
    )
