"""Checks for course 1, notebook 3: planar data classification with one hidden layer.

Oracles: Keras Dense layers with copied weights (forward pass, predictions),
``tf.nn.sigmoid_cross_entropy_with_logits`` (cost), ``tf.GradientTape`` of the mean cost
(gradients), ``keras.optimizers.SGD`` on variables (update), and a Keras training loop from
the same initial weights (``nn_model``).  ``initialize_parameters`` is checked by its
structure and statistics, not by a random sequence.  None of them is a copy of the
notebook's solution.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from typing import Any

import numpy as np
from scipy import special

from shared_utils.engine import oracles
from shared_utils.engine.checking import Check, exercise

PARAMS = ("W1", "b1", "W2", "b2")
GRADS = ("dW1", "db1", "dW2", "db2")


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(3000 + seed)


def _params(rng: np.random.Generator, n_x: int, n_h: int, n_y: int, scale: float = 1.0) -> dict:
    """Random parameters of the shapes the network uses (biases non-zero, to test them too)."""
    return {
        "W1": rng.normal(0, scale, (n_h, n_x)),
        "b1": rng.normal(0, scale, (n_h, 1)),
        "W2": rng.normal(0, scale, (n_y, n_h)),
        "b2": rng.normal(0, scale, (n_y, 1)),
    }


def _labels(rng: np.random.Generator, m: int, n_y: int = 1, dtype: Any = np.float64) -> np.ndarray:
    Y = (rng.random((n_y, m)) > 0.5).astype(dtype)
    Y[:, 0], Y[:, -1] = 0, 1  # both classes always present
    return Y


def _copy(params: dict) -> dict:
    return {k: np.array(v, dtype=np.float64) for k, v in params.items()}


# ----- oracles ------------------------------------------------------------------------------


def _dense_layers(params: dict):
    """Two float64 Keras Dense layers (no activation) holding copies of W1, b1 and W2, b2."""
    return (
        oracles.dense(params["W1"], params["b1"], name="check_hidden"),
        oracles.dense(params["W2"], params["b2"], name="check_output"),
    )


def _keras_forward(X: np.ndarray, params: dict) -> dict:
    """Z1, A1, Z2, A2 (columns = examples) from Keras layers and activations."""
    import keras

    hidden, output = _dense_layers(params)
    Z1 = hidden(X.T.astype(np.float64))
    A1 = keras.activations.tanh(Z1)
    Z2 = output(A1)
    A2 = keras.activations.sigmoid(Z2)
    return {k: np.asarray(v).T for k, v in (("Z1", Z1), ("A1", A1), ("Z2", Z2), ("A2", A2))}


def _keras_predict(X: np.ndarray, params: dict) -> np.ndarray:
    """0/1 predictions of a Keras model with the given weights: sigmoid output > 0.5."""
    import keras

    hidden, output = _dense_layers(params)
    model = keras.Sequential(
        [
            keras.Input((X.shape[0],), dtype="float64", name="check_input"),
            hidden,
            keras.layers.Activation("tanh", dtype="float64", name="check_tanh"),
            output,
            keras.layers.Activation("sigmoid", dtype="float64", name="check_sigmoid"),
        ],
        name="check_planar",
    )
    probs = np.asarray(model(X.T.astype(np.float64))).T
    return (probs > 0.5).astype(np.float64)


def _oracle_cost(A2: np.ndarray, Y: np.ndarray) -> float:
    """Mean cross-entropy from TensorFlow, fed the logits that give A2."""
    logits = np.log(A2) - np.log1p(-A2)
    return float(oracles.sigmoid_cross_entropy(Y, logits))


def _tape_gradients(X: np.ndarray, Y: np.ndarray, params: dict) -> dict:
    """Gradients of the mean cross-entropy by automatic differentiation."""
    import tensorflow as tf

    def cost(p):
        Z2 = p["W2"] @ tf.tanh(p["W1"] @ tf.constant(X, tf.float64) + p["b1"]) + p["b2"]
        return oracles.sigmoid_cross_entropy(Y, Z2)

    _, grads = oracles.gradients(cost, {k: params[k] for k in PARAMS})
    return {"d" + k: grads[k] for k in PARAMS}


@contextmanager
def _float64_keras() -> Iterator[None]:
    """Build Keras optimizers with a float64 learning rate (1.2 is not exact in float32)."""
    import keras

    previous = keras.config.floatx()
    keras.config.set_floatx("float64")
    try:
        yield
    finally:
        keras.config.set_floatx(previous)


def _sgd_step(params: dict, grads: dict, learning_rate: float) -> dict:
    """One step of keras.optimizers.SGD on variables holding the parameters."""
    import keras
    import tensorflow as tf

    variables = [tf.Variable(params[k], dtype=tf.float64) for k in PARAMS]
    with _float64_keras():
        opt = keras.optimizers.SGD(learning_rate=learning_rate)
    opt.apply_gradients([(tf.constant(grads["d" + k], tf.float64), v) for k, v in zip(PARAMS, variables)])
    return {k: v.numpy() for k, v in zip(PARAMS, variables)}


def _keras_train(
    X: np.ndarray, Y: np.ndarray, params: dict, iterations: int, learning_rate: float = 1.2
) -> dict:
    """Full-batch gradient descent with Keras layers and SGD, from the given weights."""
    import keras
    import tensorflow as tf

    hidden, output = _dense_layers(params)
    with _float64_keras():
        opt = keras.optimizers.SGD(learning_rate=learning_rate)
    x = tf.constant(X.T, tf.float64)
    y = tf.constant(Y.T, tf.float64)
    weights = hidden.trainable_weights + output.trainable_weights

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            logits = output(tf.tanh(hidden(x)))
            cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
        opt.apply_gradients(zip(tape.gradient(cost, weights), weights))

    for _ in range(iterations):
        step()
    k1, c1 = hidden.get_weights()
    k2, c2 = output.get_weights()
    return {"W1": k1.T, "b1": c1.reshape(-1, 1), "W2": k2.T, "b2": c2.reshape(-1, 1)}


# ----- checks -------------------------------------------------------------------------------


@exercise(
    params=("X", "Y"),
    hints=["Features are rows: n_x and n_y come from the first dimension of X and Y; n_h is fixed at 4."],
)
def layer_sizes(ck: Check) -> None:
    cases = ck.pick([(5, 7, 2), (2, 400, 1)], [(3, 10, 1), (8, 3, 4), (1, 2, 1)])
    for seed, (n_x, m, n_y) in enumerate(cases):
        rng = _rng(seed)
        X, Y = rng.normal(size=(n_x, m)), _labels(rng, m, n_y)
        with ck.case(f"X of shape {X.shape}, Y of shape {Y.shape}"):
            got = ck.call(X, Y)
            ck.instance(got, (tuple, list), "the output")
            ck.that(len(got) == 3, f"the output should hold 3 sizes, it holds {len(got)}.")
            ck.that(
                all(isinstance(v, (int, np.integer)) for v in got),
                f"the sizes should be whole numbers, got {got!r}.",
            )
            sizes = tuple(int(v) for v in got)
            expected = (n_x, 4, n_y)
            if sizes != expected:
                hint = None
                if sizes[0] == m or sizes[2] == m:
                    hint = "shape[1] is the number of examples m; the layer sizes are shape[0]."
                elif sizes[0] != n_x or sizes[2] != n_y:
                    hint = "Read the sizes from the arguments X and Y rather than writing numbers."
                elif sizes[1] != 4:
                    hint = "The hidden layer has 4 units in this exercise."
                ck.fail(f"expected (n_x, n_h, n_y) = {expected}, got {sizes}.", hint)


@exercise(
    params=("n_x", "n_h", "n_y"),
    hints=[
        "Small random weights (standard normal draws scaled by 0.01) of shape (units of this layer, units of"
        " the previous one); zero biases, one column."
    ],
)
def initialize_parameters(ck: Check) -> None:
    sizes = ck.pick([(2, 4, 1), (3, 5, 2)], [(1, 1, 1), (10, 7, 3), (4, 20, 1)])
    for n_x, n_h, n_y in sizes:
        with ck.case(f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}"):
            got = ck.call(n_x, n_h, n_y)
            ck.keys(got, list(PARAMS), "the dictionary")
            for key, shape in (("W1", (n_h, n_x)), ("W2", (n_y, n_h))):
                W = ck.array(got[key], np.zeros(shape), what=f'parameters["{key}"]', rtol=0, atol=1e300)
                ck.that(bool(np.all(np.isfinite(W))), f'parameters["{key}"] holds NaN or infinite values.')
                ck.that(
                    float(np.max(np.abs(W))) < 0.1,
                    f'parameters["{key}"] has values up to {float(np.max(np.abs(W))):.3g}; small random '
                    "weights (standard deviation 0.01) stay below 0.05.",
                    "Multiply np.random.randn(...) by 0.01.",
                )
                if W.size > 1:
                    ck.that(
                        np.unique(W).size > 1,
                        f'every value of parameters["{key}"] is {W.flat[0]!r}; the weights must be random.',
                        "Equal weights make every hidden unit learn the same thing: use np.random.randn.",
                    )
            for key, shape in (("b1", (n_h, 1)), ("b2", (n_y, 1))):
                ck.array(got[key], np.zeros(shape), what=f'parameters["{key}"]')
    n_x, n_h, n_y = (40, 50, 20) if ck.extended else (20, 30, 10)
    with ck.case(f"statistics of the weights for n_x = {n_x}, n_h = {n_h}, n_y = {n_y}"):
        got = ck.call(n_x, n_h, n_y)
        ck.keys(got, list(PARAMS), "the dictionary")
        for key in ("W1", "W2"):
            W = np.asarray(got[key], dtype=float)
            std, mean = float(W.std()), float(W.mean())
            ck.that(
                0.008 < std < 0.012 and abs(mean) < 0.003,
                f'parameters["{key}"] has mean {mean:.4g} and standard deviation {std:.4g}; '
                "expected mean about 0 and standard deviation about 0.01.",
                "np.random.rand is uniform on [0, 1), never negative: use np.random.randn (normal), "
                "times 0.01."
                if mean > 0.002
                else "Scale np.random.randn(...) by 0.01.",
            )
        W1, W2 = np.ravel(got["W1"]), np.ravel(got["W2"])
        k = min(W1.size, W2.size)
        ck.that(
            not np.allclose(W1[:k], W2[:k]),
            "W1 and W2 start with the same values: draw each from its own random numbers.",
            "Do not reset the random seed between W1 and W2.",
        )


@exercise(
    params=("X", "parameters"),
    hints=[
        "Two layers, each a linear step W A + b then an activation: tanh in the hidden layer, sigmoid at the"
        " output."
    ],
)
def forward_propagation(ck: Check) -> None:
    cases = ck.pick([(2, 4, 1, 5), (3, 6, 1, 9)], [(5, 2, 1, 1), (1, 3, 2, 7), (4, 8, 3, 12)])
    for seed in ck.seeds(1, 2):
        for n_x, n_h, n_y, m in cases:
            rng = _rng(seed)
            params = _params(rng, n_x, n_h, n_y)
            X = rng.normal(size=(n_x, m))
            with ck.case(f"X of shape {X.shape}, n_h = {n_h}, n_y = {n_y}, seed {seed}"):
                got = ck.call(X, params)
                ck.instance(got, (tuple, list), "the output")
                ck.that(len(got) == 2, f"the output should be (A2, cache), a pair; it has {len(got)} items.")
                A2, cache = got
                expected = _keras_forward(X, params)
                Z1, Z2 = expected["Z1"], expected["Z2"]

                def output_of(hidden):  # hint values only: the output for another hidden activation
                    return special.expit(params["W2"] @ hidden + params["b2"])

                ck.array(
                    A2,
                    expected["A2"],
                    what="A2",
                    mistakes={
                        "The hidden layer uses tanh, not the sigmoid.": output_of(special.expit(Z1)),
                        "The hidden layer uses tanh, not ReLU.": output_of(np.maximum(Z1, 0)),
                        "The output layer uses the sigmoid (A2 = 1 / (1 + exp(-Z2))), not tanh.": np.tanh(Z2),
                        "The output is sigmoid(Z2): did you return Z2 itself?": Z2,
                        "Add the biases: Z1 = W1 @ X + b1 and Z2 = W2 @ A1 + b2.": special.expit(
                            params["W2"] @ np.tanh(params["W1"] @ X)
                        ),
                        "Check the sign inside exp: sigmoid(z) = 1 / (1 + exp(-z)).": 1 - expected["A2"],
                    },
                )
                ck.keys(cache, ["Z1", "A1", "Z2", "A2"], "the cache")
                for key in ("Z1", "A1", "Z2", "A2"):
                    ck.array(cache[key], expected[key], what=f'cache["{key}"]')


@exercise(
    params=("A2", "Y"),
    hints=["The cross-entropy averaged over the m examples (the columns), returned as one Python float."],
)
def compute_cost(ck: Check) -> None:
    sizes = ck.pick([3, 10], [1, 50])
    for seed in ck.seeds():
        for m in sizes:
            rng = _rng(seed)
            Y = _labels(rng, m, dtype=np.uint8 if seed == 0 else np.float64) if m > 1 else np.ones((1, 1))
            A2 = rng.uniform(0.02, 0.98, size=(1, m))
            with ck.case(f"A2 and Y of shape (1, {m}), Y of dtype {Y.dtype}, seed {seed}"):
                got = ck.call(A2, Y)
                ck.that(got is not None, "the cost is None.", "Did you forget to `return cost`?")
                ck.that(
                    np.ndim(got) == 0,
                    f"the cost should be a single number (a float), got an array of shape {np.shape(got)}.",
                    "np.dot gives a (1, 1) array: wrap the cost in float(...) or np.squeeze(...)."
                    if np.size(got) == 1
                    else f"{np.size(got)} values came back: the sum over the m examples is missing.",
                )
                y = Y.astype(float)
                log_terms = y * np.log(A2) + (1 - y) * np.log(1 - A2)
                ck.scalar(
                    got,
                    _oracle_cost(A2, y),
                    what="the cost",
                    rtol=1e-7,
                    mistakes={
                        "You summed over the examples; the cost is the mean: divide by m.": float(
                            -np.sum(log_terms)
                        ),
                        "The cost is positive: put a minus sign in front of the sum.": float(
                            np.mean(log_terms)
                        ),
                        "Both terms are needed: Y * log(A2) and (1 - Y) * log(1 - A2).": float(
                            -np.mean(y * np.log(A2))
                        ),
                    },
                )


@exercise(
    params=("parameters", "cache", "X", "Y"),
    hints=[
        "Go backwards from dZ2 = A2 - Y: each dW is dZ times the previous activations' transpose over m, "
        "each db the mean of dZ over the examples (keepdims); tanh's derivative is 1 - A1**2."
    ],
)
def backward_propagation(ck: Check) -> None:
    cases = ck.pick([(2, 4, 6), (3, 5, 11)], [(1, 1, 2), (6, 3, 20), (2, 7, 400)])
    for seed in ck.seeds():
        for n_x, n_h, m in cases:
            rng = _rng(seed)
            params = _params(rng, n_x, n_h, 1)
            X = rng.normal(size=(n_x, m))
            Y = _labels(rng, m, dtype=np.uint8 if seed == 1 else np.float64)
            cache = _keras_forward(X, params)
            with ck.case(f"X of shape {X.shape}, n_h = {n_h}, seed {seed}"):
                got = ck.call(params, cache, X, Y)
                expected = _tape_gradients(X, Y.astype(float), params)
                A1, Z1, W2 = cache["A1"], cache["Z1"], params["W2"]
                dZ2 = cache["A2"] - Y
                unscaled = {k: v * m for k, v in expected.items()}

                def dW1_with(derivative):
                    return {"dW1": ((W2.T @ dZ2) * derivative) @ X.T / m}

                mistakes = {
                    "Divide every gradient by m (the cost is a mean over the examples).": unscaled,
                    "tanh'(Z1) is 1 - A1**2; A1 * (1 - A1) is the sigmoid's derivative.": dW1_with(
                        A1 * (1 - A1)
                    ),
                    "tanh'(Z1) is 1 - A1**2 (A1, not Z1, is squared).": dW1_with(1 - Z1**2),
                    "tanh'(Z1) is 1 - A1**2: square A1 before subtracting from 1.": dW1_with(1 - A1),
                    "Multiply by the derivative of tanh, (1 - A1**2), element-wise.": dW1_with(1.0),
                }
                ck.dict(got, expected, "grads", mistakes, rtol=1e-6, atol=1e-9)


@exercise(
    params=("parameters", "grads", "learning_rate"),
    hints=[
        "Each parameter steps against its gradient by learning_rate; return a new dictionary, leaving the "
        "argument as it was."
    ],
    in_place={
        "parameters": 'Write `W1 = parameters["W1"] - learning_rate * grads["dW1"]`, not `W1 -= ...`: '
        "the in-place form changes the arrays inside the caller's dictionary."
    },
)
def update_parameters(ck: Check) -> None:
    cases = ck.pick([(2, 4, 1, 0.5), (3, 2, 1, None)], [(5, 3, 2, 0.01), (1, 1, 1, 2.0), (4, 6, 1, None)])
    for seed in ck.seeds():
        for n_x, n_h, n_y, lr in cases:
            rng = _rng(seed)
            params = _params(rng, n_x, n_h, n_y)
            grads = {"d" + k: v for k, v in _params(rng, n_x, n_h, n_y).items()}
            rate = 1.2 if lr is None else lr
            label = "default learning_rate" if lr is None else f"learning_rate = {lr}"
            with ck.case(f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, {label}, seed {seed}"):
                got = ck.call(params, grads) if lr is None else ck.call(params, grads, lr)
                expected = _sgd_step(params, grads, rate)
                mistakes = {
                    "Step against the gradient: subtract learning_rate * gradient.": {
                        k: params[k] + rate * grads["d" + k] for k in PARAMS
                    },
                    "Use the learning_rate argument rather than a fixed number.": {
                        k: params[k] - 1.2 * grads["d" + k] for k in PARAMS
                    },
                    "The parameter did not change: subtract learning_rate * gradient.": params,
                }
                ck.dict(got, expected, "the updated parameters", mistakes, rtol=1e-6, atol=1e-9)


def _train_from_known_start(nn_model, X, Y, n_h, iterations, weights_scale):
    """Run the learner's nn_model with a stand-in for its initialize_parameters (run in the kernel
    when grading): the stand-in records its arguments and returns known weights.  Returns what
    nn_model returned, the calls made and the starting weights, as data."""
    namespace = getattr(nn_model, "__globals__", None)
    if namespace is None or not callable(namespace.get("initialize_parameters")):
        return {"missing": True}
    calls: list[list[int]] = []
    start: dict = {}

    def known_start(n_x, n_h, n_y):
        calls.append([int(n_x), int(n_h), int(n_y)])
        start.clear()
        start.update(
            _params(np.random.default_rng(len(calls)), int(n_x), int(n_h), int(n_y), scale=weights_scale)
        )
        return _copy(start)

    saved = namespace["initialize_parameters"]
    namespace["initialize_parameters"] = known_start
    try:
        with redirect_stdout(io.StringIO()):
            got = nn_model(X, Y, n_h, num_iterations=iterations, print_cost=False)
    finally:
        namespace["initialize_parameters"] = saved
    return {"missing": False, "got": got, "calls": calls, "start": _copy(start)}


@exercise(
    params=("X", "Y", "n_h"),
    hints=[
        "Each iteration runs the four functions you wrote in order (forward, cost, backward, update) and "
        "keeps the updated parameters for the next one."
    ],
)
def nn_model(ck: Check) -> None:
    def train(X, Y, n_h, iterations, expected_sizes, scale):
        run = ck.in_kernel(_train_from_known_start, X, Y, n_h, iterations, scale)
        if run["missing"]:
            ck.fail(
                "could not find your initialize_parameters next to nn_model.",
                "Define nn_model in the notebook, after the cells of the earlier exercises have run.",
            )
        calls, got = run["calls"], run["got"]
        ck.that(
            len(calls) >= 1,
            "your nn_model never called initialize_parameters(n_x, n_h, n_y).",
            "Start from parameters = initialize_parameters(n_x, n_h, n_y); the check uses that call "
            "to know your starting weights.",
        )
        ck.that(
            tuple(int(v) for v in calls[0]) == expected_sizes,
            f"your nn_model called initialize_parameters{tuple(calls[0])}; expected "
            f"initialize_parameters{expected_sizes}.",
            "Take n_x and n_y from layer_sizes(X, Y), but use the n_h argument, not layer_sizes' 4.",
        )
        ck.keys(got, list(PARAMS), "the returned parameters")
        return got, run["start"]

    cases = ck.pick([(2, 4, 40, 30), (3, 2, 25, 60)], [(1, 3, 10, 5), (5, 6, 60, 120)])
    for k, (n_x, n_h, m, iterations) in enumerate(cases):
        rng = _rng(ck.seed_base + k)
        X = rng.normal(size=(n_x, m))
        Y = _labels(rng, m)
        with ck.case(f"X of shape {X.shape}, n_h = {n_h}, num_iterations = {iterations}"):
            # 0.5: large enough for a few iterations to move far from the start
            got, initial = train(X, Y, n_h, iterations, (n_x, n_h, 1), 0.5)
            expected = _keras_train(X, Y, initial, iterations)
            one_step = _sgd_step(initial, _tape_gradients(X, Y, initial), 1.2)
            mistakes = {
                "The parameters never changed: keep the dictionary that update_parameters returns "
                "(parameters = update_parameters(...)).": initial,
                "Only one step was taken: every iteration must start from the updated parameters.": one_step,
            }
            ck.dict(got, expected, "the trained parameters", mistakes, rtol=1e-6, atol=1e-8)
    for seed in ck.pick([1], [2]):
        from shared_utils.data.planar import make_flower

        X, Y = make_flower(m=200, seed=seed)
        with ck.case(f"the flower (200 points, seed {seed}), n_h = 4, num_iterations = 1000"):
            got, _ = train(X, Y, 4, 1000, (2, 4, 1), 0.01)
            accuracy = float(np.mean(_keras_predict(X, _copy(got)) == Y))
            ck.that(
                accuracy >= 0.85,
                f"after 1000 iterations the network classifies {accuracy:.1%} of the flower's points "
                "correctly; a right implementation reaches about 90%.",
                "If the checks of the earlier exercises passed, look at the loop: each iteration must "
                "use the parameters the previous one returned.",
            )


@exercise(
    params=("parameters", "X"),
    hints=["Run the forward pass and threshold the output probabilities at 0.5."],
)
def predict(ck: Check) -> None:
    cases = ck.pick([(2, 4, 30), (3, 6, 50)], [(1, 1, 8), (5, 3, 100)])
    for seed in ck.seeds():
        for n_x, n_h, m in cases:
            rng = _rng(seed)
            params = _params(rng, n_x, n_h, 1)
            X = rng.normal(0, 2, size=(n_x, m))
            with ck.case(f"X of shape {X.shape}, n_h = {n_h}, seed {seed}"):
                got = ck.call(params, X)
                expected = _keras_predict(X, params)
                probs = _keras_forward(X, params)["A2"]
                ck.array(
                    got,
                    expected,
                    what="the array of predictions",
                    rtol=0,
                    atol=1e-9,
                    dtype_kind="biuf",
                    mistakes={
                        "These are the probabilities A2: turn them into 0 or 1 with A2 > 0.5.": probs,
                        "Predict 1 where A2 > 0.5 and 0 elsewhere (not the other way round).": 1 - expected,
                        "Compare A2 with 0.5, not with 0.": (probs > 0).astype(float),
                    },
                )
