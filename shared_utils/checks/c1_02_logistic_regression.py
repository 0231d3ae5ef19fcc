"""Checks for course 1, notebook 2: logistic regression with a neural-network mindset.

Oracles: SciPy's ``expit`` for the sigmoid, Keras's ``Zeros`` initializer, TensorFlow's
``sigmoid_cross_entropy_with_logits`` differentiated by ``GradientTape`` for the cost and
its gradients, ``keras.optimizers.SGD`` on ``tf.Variable`` weights for gradient descent,
and scikit-learn's ``LogisticRegression.predict`` with the weights set by hand for the
predictions.  None of them is a copy of the notebook's solution.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from shared_utils.engine import oracles
from shared_utils.engine.checking import Check, _describe, exercise

MODEL_DEFAULTS = {"num_iterations": 2000, "learning_rate": 0.1}
OPTIMIZE_DEFAULTS = {"num_iterations": 100, "learning_rate": 0.009}


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(2000 + seed)


def _problem(seed: int, dim: int, m: int, w_scale: float = 0.5):
    """A small random logistic-regression problem: w (dim, 1), b, X (dim, m), Y (1, m) of 0./1."""
    rng = _rng(seed)
    w = rng.normal(0, w_scale, size=(dim, 1))
    b = float(rng.normal(0, 0.5))
    X = rng.normal(0, 1, size=(dim, m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    Y[0, 0], Y[0, -1] = 0.0, 1.0  # both classes always present
    return w, b, X, Y


# ----- oracles ---------------------------------------------------------------------------


def _tf_cost_and_grads(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray):
    """Mean cross-entropy of sigmoid(w.T X + b) and its gradients, by TensorFlow."""
    import tensorflow as tf

    def cost(p):
        logits = tf.matmul(p["w"], tf.constant(X, tf.float64), transpose_a=True) + p["b"]
        return oracles.sigmoid_cross_entropy(Y, logits)

    value, grads = oracles.gradients(cost, {"w": w, "b": float(b)})
    return value, grads["w"], float(grads["b"])


def _keras_sgd(
    w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray, num_iterations: int, learning_rate: float
) -> dict:
    """Plain gradient descent done by keras.optimizers.SGD on tf.Variables.

    Returns the final w and b, the gradients of the last step, and ``history``: the cost
    before every step plus the cost after the last one (num_iterations + 1 values).
    """
    import keras
    import tensorflow as tf

    wv = tf.Variable(w, dtype=tf.float64)
    bv = tf.Variable(float(b), dtype=tf.float64)
    Xt, Yt = tf.constant(X, tf.float64), tf.constant(Y, tf.float64)
    opt = keras.optimizers.SGD(learning_rate=learning_rate)

    def cost_fn():
        logits = tf.matmul(wv, Xt, transpose_a=True) + bv
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Yt, logits=logits))

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            cost = cost_fn()
        grads = tape.gradient(cost, [wv, bv])
        opt.apply_gradients(zip(grads, [wv, bv]))
        return cost, grads[0], grads[1]

    history, dw, db = [], np.zeros_like(w), 0.0
    for _ in range(num_iterations):
        cost, dw_t, db_t = step()
        history.append(float(cost))
        dw, db = dw_t.numpy(), float(db_t)
    history.append(float(cost_fn()))
    return {"w": wv.numpy(), "b": float(bv.numpy()), "dw": dw, "db": db, "history": np.array(history)}


def _sklearn_predict(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """Labels (1, m) from scikit-learn's LogisticRegression with coef_ and intercept_ set by hand."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression()
    clf.coef_ = np.asarray(w, dtype=np.float64).reshape(1, -1)
    clf.intercept_ = np.array([float(np.squeeze(b))])
    clf.classes_ = np.array([0.0, 1.0])
    return clf.predict(X.T).reshape(1, -1)


# ----- small helpers for the checks --------------------------------------------------------


def _is_float(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (float, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind == "f"


def _check_costs(ck: Check, costs, history: np.ndarray, num_iterations: int) -> None:
    """costs must hold the cost before iterations 0, 100, 200, ... (history[0::100])."""
    expected = history[:num_iterations][0::100]
    if not isinstance(costs, (list, tuple, np.ndarray)):
        ck.fail(f"`costs` should be a list of numbers, got {_describe(costs)}.")
    try:
        values = np.array([float(np.squeeze(c)) for c in costs])
    except (TypeError, ValueError):
        ck.fail("every entry of `costs` should be a single number (the cost returned by propagate).")
    if len(values) != len(expected):
        hint = "Record the cost when `i % 100 == 0`: iterations 0, 100, 200, ..."
        if len(values) == num_iterations:
            hint = "Record the cost only every 100 iterations (when `i % 100 == 0`), not at every one."
        elif len(values) == len(expected) - 1:
            hint = (
                "One entry short: the first cost is recorded at iteration 0, before any update "
                "(`if i % 100 == 0`)."
            )
        ck.fail(
            f"`costs` has {len(values)} entries after {num_iterations} iterations; expected "
            f"{len(expected)} (iterations {', '.join(str(i) for i in range(0, num_iterations, 100))}).",
            hint,
        )
    mistakes = {}
    after = history[1::100][: len(expected)]
    if len(after) == len(expected):
        mistakes[
            "These are the costs after the update: append the cost that propagate returned "
            "for the current w and b, before updating them."
        ] = after
    ck.array(values, expected, what="`costs`", rtol=1e-5, atol=1e-8, mistakes=mistakes)


# ----- the exercises ---------------------------------------------------------------------


@exercise(
    params=("z",),
    hints=["The logistic function, element-wise with NumPy: no loop, and mind the sign of the exponent."],
)
def sigmoid(ck: Check) -> None:
    cases = [("z = 0.0", np.float64(0.0)), ("z = [0, 2]", np.array([0.0, 2.0]))]
    shapes = ck.pick([(1, 5)], [(3, 4), (7,)])
    for seed in ck.seeds():
        for shape in shapes:
            cases.append((f"z of shape {shape}, seed {seed}", _rng(seed).normal(0, 3, size=shape)))
    for name, z in cases:
        with ck.case(name):
            got = ck.call(z)
            ck.array(
                got,
                special.expit(z),
                mistakes={
                    "This is sigmoid(-z): the exponent should be -z.": special.expit(-z),
                    "Did you forget the 1 + in the denominator?": np.exp(z),
                },
            )


@exercise(
    params=("dim",),
    hints=["w is a column of dim zeros (a 2-D array, one column); b is the Python float zero."],
)
def initialize_with_zeros(ck: Check) -> None:
    import keras

    for dim in ck.pick([2, 5], [1, 13, 784]):
        with ck.case(f"dim = {dim}"):
            w, b = ck.returns(ck.call(dim), "w, b")
            expected = keras.initializers.Zeros()(shape=(dim, 1), dtype="float64").numpy()
            if isinstance(w, np.ndarray) and w.dtype.kind in "iub":
                ck.fail(
                    f"w has dtype {w.dtype}; expected floats.",
                    "np.zeros gives floats by default: do not pass dtype=int.",
                )
            ck.array(w, expected, what="w")
            ck.that(
                _is_float(b),
                f"b should be the float 0.0, got {_describe(b)}.",
                "Write `b = 0.0` (with the decimal point), so b is a float.",
            )
            ck.scalar(b, 0.0, what="b")


@exercise(
    params=("w", "b", "X", "Y"),
    hints=[
        "Forward: the activation of w.T X + b, then the mean cross-entropy over the m examples. Backward: dw"
        " and db are averages over the m examples of X (A - Y) and of (A - Y)."
    ],
)
def propagate(ck: Check) -> None:
    sizes = ck.pick([(2, 3), (4, 7)], [(1, 1), (9, 20), (30, 5)])
    for seed in ck.seeds():
        for dim, m in sizes:
            w, b, X, Y = _problem(seed, dim, m)
            with ck.case(f"w of shape ({dim}, 1), X of shape ({dim}, {m}), seed {seed}"):
                got = ck.returns(ck.call(w, b, X, Y), "grads, cost")
                grads, cost = got
                cost_ok, dw_ok, db_ok = _tf_cost_and_grads(w, b, X, Y)
                ck.dict(
                    grads,
                    {"dw": dw_ok, "db": db_ok},
                    "grads",
                    mistakes={
                        "You forgot to divide dw by m.": {"dw": m * dw_ok},
                        "dw has the wrong sign: it is X (A - Y).T / m.": {"dw": -dw_ok},
                        "You forgot to divide db by m.": {"db": m * db_ok},
                        "db has the wrong sign: it is the mean of (A - Y).": {"db": -db_ok},
                    },
                    atol=1e-8,
                )
                ck.scalar(
                    cost,
                    cost_ok,
                    what="cost",
                    mistakes={
                        "The cost has the wrong sign: put a minus in front of the mean of the "
                        "log-likelihood.": -cost_ok,
                        "You forgot the 1/m: the cost is the mean over the examples, not the sum.": m
                        * cost_ok,
                    },
                )


@exercise(
    params=("w", "b", "X", "Y", "num_iterations", "learning_rate", "print_cost"),
    hints=[
        "Each iteration asks propagate for the gradients, then steps w and b against them by learning_rate "
        "(new arrays, not in place); a cost is recorded every 100 iterations."
    ],
    in_place={
        "w": "Write the update as `w = w - learning_rate * dw`, which makes a new array; `w -= "
        "learning_rate * dw` changes the caller's array.",
        "X": "Leave X as it is: read from it, never assign into it.",
        "Y": "Leave Y as it is: read from it, never assign into it.",
    },
)
def optimize(ck: Check) -> None:
    ck.defaults(OPTIMIZE_DEFAULTS)
    cases = ck.pick([(3, 6, 201, 0.05), (5, 10, 150, 0.5)], [(1, 4, 1, 0.2), (8, 25, 320, 0.01)])
    for seed in ck.seeds(1, 3):
        for dim, m, n, lr in cases:
            w, b, X, Y = _problem(seed, dim, m)
            with ck.case(f"X of shape ({dim}, {m}), num_iterations={n}, learning_rate={lr}, seed {seed}"):
                got = ck.returns(
                    ck.call(w, b, X, Y, num_iterations=n, learning_rate=lr, print_cost=False),
                    "params, grads, costs",
                )
                _compare_descent(ck, got, _keras_sgd(w, b, X, Y, n, lr), n, w, b)
    w, b, X, Y = _problem(7, 4, 8)
    with ck.case("called as optimize(w, b, X, Y), with the default num_iterations and learning_rate"):
        got = ck.returns(ck.call(w, b, X, Y), "params, grads, costs")
        _compare_descent(
            ck, got, _keras_sgd(w, b, X, Y, **OPTIMIZE_DEFAULTS), OPTIMIZE_DEFAULTS["num_iterations"], w, b
        )


def _compare_descent(ck: Check, got, oracle: dict, n: int, w0: np.ndarray, b0: float) -> None:
    params, grads, costs = got
    ck.keys(params, ["w", "b"], what="params")
    ck.keys(grads, ["dw", "db"], what="grads")
    ck.dict(
        params,
        {"w": oracle["w"], "b": oracle["b"]},
        "params",
        mistakes={
            "w did not change: assign the update back, w = w - learning_rate * dw.": {"w": w0},
            "b did not change: update it too, b = b - learning_rate * db.": {"b": b0},
        },
        rtol=1e-5,
        atol=1e-8,
    )
    ck.array(
        grads["dw"],
        oracle["dw"],
        what='grads["dw"] (the gradient of the last iteration)',
        rtol=1e-5,
        atol=1e-8,
    )
    ck.scalar(
        grads["db"],
        oracle["db"],
        what='grads["db"] (the gradient of the last iteration)',
        rtol=1e-5,
        atol=1e-8,
    )
    _check_costs(ck, costs, oracle["history"], n)


@exercise(
    params=("w", "b", "X"),
    hints=[
        "Compute the probabilities as in propagate, then turn them into 1.0 above 0.5 and 0.0 otherwise; "
        "shape (1, m), floats."
    ],
)
def predict(ck: Check) -> None:
    sizes = ck.pick([(3, 8), (6, 15)], [(1, 1), (20, 40)])
    for seed in ck.seeds():
        for dim, m in sizes:
            w, b, X, _ = _problem(seed, dim, m, w_scale=1.0)
            with ck.case(f"w of shape ({dim}, 1), X of shape ({dim}, {m}), seed {seed}"):
                got = ck.call(w, b, X)
                if isinstance(got, np.ndarray) and got.dtype.kind in "biu":
                    ck.fail(
                        f"the predictions have dtype {got.dtype}; expected floats 0.0 and 1.0.",
                        "Convert the comparison's result with .astype(float).",
                    )
                A = special.expit(w.T @ X + b)
                expected = _sklearn_predict(w, b, X)
                ck.array(
                    got,
                    expected,
                    what="Y_prediction",
                    mistakes={
                        "You returned the probabilities A: turn them into labels 1.0 (A > 0.5) or 0.0.": A,
                        "Apply the sigmoid before comparing with 0.5 (or compare w.T X + b with 0).": (
                            w.T @ X + b > 0.5
                        ).astype(float),
                        "Predictions are reversed: 1.0 where A > 0.5, else 0.0.": 1.0 - expected,
                    },
                )


@exercise(
    params=("X_train", "Y_train", "X_test", "Y_test", "num_iterations", "learning_rate", "print_cost"),
    hints=[
        "model chains the three functions: initialize with the number of features, optimize with the given "
        "num_iterations, learning_rate and print_cost (not optimize's own defaults), then predict on the "
        "test and the training set."
    ],
)
def model(ck: Check) -> None:
    ck.defaults(MODEL_DEFAULTS)
    cases = ck.pick([(4, 12, 7, 250, 0.3)], [(9, 30, 11, 120, 0.05), (2, 5, 9, 1, 0.5)])
    for seed in ck.seeds(2, 3):
        for dim, m_train, m_test, n, lr in cases:
            _, _, X_train, Y_train = _problem(seed, dim, m_train)
            _, _, X_test, Y_test = _problem(seed + 50, dim, m_test)
            with ck.case(
                f"X_train ({dim}, {m_train}), X_test ({dim}, {m_test}), num_iterations={n}, "
                f"learning_rate={lr}, seed {seed}"
            ):
                d = ck.call(
                    X_train, Y_train, X_test, Y_test, num_iterations=n, learning_rate=lr, print_cost=False
                )
                ck.keys(
                    d,
                    [
                        "costs",
                        "Y_prediction_test",
                        "Y_prediction_train",
                        "w",
                        "b",
                        "learning_rate",
                        "num_iterations",
                    ],
                    what="the returned dict",
                )
                oracle = _keras_sgd(np.zeros((dim, 1)), 0.0, X_train, Y_train, n, lr)
                w = ck.array(
                    d["w"],
                    oracle["w"],
                    what='d["w"]',
                    rtol=1e-5,
                    atol=1e-8,
                    mistakes={
                        "w is still the initial zeros: take w and b from the params that optimize "
                        "returns.": np.zeros((dim, 1)),
                    },
                )
                b = ck.scalar(d["b"], oracle["b"], what='d["b"]', rtol=1e-5, atol=1e-8)
                _check_costs(ck, d["costs"], oracle["history"], n)
                ck.array(
                    d["Y_prediction_test"], _sklearn_predict(w, b, X_test), what='d["Y_prediction_test"]'
                )
                ck.array(
                    d["Y_prediction_train"], _sklearn_predict(w, b, X_train), what='d["Y_prediction_train"]'
                )
                ck.scalar(d["learning_rate"], lr, what='d["learning_rate"]')
                ck.scalar(d["num_iterations"], n, what='d["num_iterations"]')
