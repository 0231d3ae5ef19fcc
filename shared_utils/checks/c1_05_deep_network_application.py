"""Checks for course 1, notebook 5: deep neural network for image classification, application.

Oracle: TensorFlow.  The learner's model starts from the weights of ``shared_utils.course1.dnn``'s
seeded initialisers (inputs, not expected values); the oracle trains those same weights
by plain full-batch gradient descent, with gradients from ``tf.GradientTape`` of TensorFlow's
``sigmoid_cross_entropy_with_logits`` through ``tf.matmul`` and ``tf.nn.relu``.  The final
parameters and the cost history are compared with the learner's.  None of this is a copy of
the notebook's solution.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from shared_utils.course1.dnn import initialize_parameters_lecun, initialize_parameters_small
from shared_utils.engine.checking import Check, _describe, exercise

MODEL_DEFAULTS = {"learning_rate": 0.0075, "num_iterations": 3000, "print_cost": False}
SEED = 1  # the seed both models pass to their initialiser
EVERY = 100  # a cost is recorded at iterations 0, 100, 200, ...


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(5000 + seed)


def _problem(seed: int, n_x: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """A small random binary problem: X (n_x, m) and labels Y (1, m) of 0./1., both classes present."""
    rng = _rng(seed)
    X = rng.normal(0, 1, size=(n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    Y[0, 0], Y[0, -1] = 0.0, 1.0
    return X, Y


# ----- oracle ---------------------------------------------------------------------------------


@cache
def _descent_graph(L: int):
    """A tf.function running plain gradient descent on [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID."""
    import tensorflow as tf

    def cost(x, y, ps):
        a = x
        for l in range(L):
            z = tf.matmul(ps[2 * l], a) + ps[2 * l + 1]
            a = tf.nn.relu(z) if l < L - 1 else z
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=a))

    matrix = tf.TensorSpec([None, None], tf.float64)
    signature = [
        matrix,
        matrix,
        [matrix] * (2 * L),
        tf.TensorSpec([], tf.int32),
        tf.TensorSpec([], tf.float64),
    ]

    @tf.function(input_signature=signature)
    def descend(x, y, ps, n, lr):
        history = tf.TensorArray(tf.float64, size=n + 1)
        for i in tf.range(n):
            with tf.GradientTape() as tape:
                tape.watch(ps)
                c = cost(x, y, ps)
            grads = tape.gradient(c, ps)
            ps = [p - lr * g for p, g in zip(ps, grads)]
            history = history.write(i, c)
        history = history.write(n, cost(x, y, ps))
        return ps, history.stack()

    return descend


def _oracle(X: np.ndarray, Y: np.ndarray, params0: dict, num_iterations: int, learning_rate: float):
    """Final parameters and the cost before every step (plus after the last): n + 1 values."""
    import tensorflow as tf

    L = len(params0) // 2
    ps = [tf.constant(params0[f"{k}{l}"], tf.float64) for l in range(1, L + 1) for k in "Wb"]
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")  # one trace per depth is expected; TensorFlow would warn about it
    try:
        final, history = _descent_graph(L)(
            tf.constant(X, tf.float64),
            tf.constant(Y, tf.float64),
            ps,
            tf.constant(num_iterations, tf.int32),
            tf.constant(learning_rate, tf.float64),
        )
    finally:
        logger.setLevel(level)
    params = {}
    for l in range(1, L + 1):
        params[f"W{l}"] = final[2 * l - 2].numpy()
        params[f"b{l}"] = final[2 * l - 1].numpy()
    return params, history.numpy()


# ----- comparing one training run ------------------------------------------------------------

RTOL, ATOL = 1e-6, 1e-9


def _close(got, expected: np.ndarray) -> bool:
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL))


class _Run:
    """The oracle's run for one case, and (computed only when needed) the run a mistake gives."""

    def __init__(self, X, Y, params0: dict, n: int, lr: float):
        self.X, self.Y, self.params0, self.n, self.lr = X, Y, params0, n, lr
        self.final, self.history = _oracle(X, Y, params0, n, lr)
        self._default_lr = None

    def default_lr(self):
        if self._default_lr is None:
            self._default_lr = _oracle(self.X, self.Y, self.params0, self.n, MODEL_DEFAULTS["learning_rate"])
        return self._default_lr

    def costs(self, history: np.ndarray) -> np.ndarray:
        return history[: self.n][0::EVERY]


LR_HINT = (
    "This matches a run with learning_rate={default}: pass the function's `learning_rate` "
    "argument on to update_parameters instead of a fixed number."
)
NO_UPDATE_HINT = (
    "The parameters never change: keep what the update returns, "
    "`parameters = update_parameters(parameters, grads, learning_rate)`."
)


def _check_shapes(ck: Check, params: dict, run: _Run) -> None:
    n_x = run.X.shape[0]
    for key, expected in run.params0.items():
        got = params[key]
        shape = getattr(got, "shape", None)
        if shape != expected.shape:
            hint = (
                "Take every size from the arguments: n_x = layers_dims[0] (= X.shape[0] here, "
                f"{n_x}) and the layer sizes from layers_dims, not from the notebook's images "
                "or from numbers written into the code."
            )
            ck.fail(f'parameters["{key}"] has shape {shape}; expected {expected.shape}.', hint)


def _check_costs(ck: Check, costs, run: _Run, init_hint: str) -> None:
    """costs must be the cost before iterations 0, 100, 200, ...: history[0:n:100]."""
    n = run.n
    expected = run.costs(run.history)
    if not isinstance(costs, (list, tuple, np.ndarray)):
        ck.fail(f"`costs` should be a list of numbers, got {_describe(costs)}.")
    try:
        values = np.array([float(np.squeeze(c)) for c in costs])
    except (TypeError, ValueError):
        ck.fail("every entry of `costs` should be a single number (the value compute_cost returns).")
    if len(values) != len(expected):
        hint = f"Append the cost when `i % {EVERY} == 0`: iterations 0, {EVERY}, {2 * EVERY}, ..."
        if len(values) == n:
            hint = (
                f"Record the cost only every {EVERY} iterations (when `i % {EVERY} == 0`), not at every one."
            )
        elif len(values) == len(expected) - 1:
            hint = f"One entry short: the first cost is recorded at iteration 0 (`if i % {EVERY} == 0`)."
        ck.fail(
            f"`costs` has {len(values)} entries after {n} iterations; expected {len(expected)} "
            f"(iterations {', '.join(str(i) for i in range(0, n, EVERY))}).",
            hint,
        )
    if _close(values, expected):
        return
    mistakes = {
        "These are the costs after the update: record the cost of iteration i's forward pass, "
        "before updating the parameters.": run.history[1::EVERY][: len(expected)],
        NO_UPDATE_HINT: np.full(len(expected), run.history[0]),
    }
    if run.lr != MODEL_DEFAULTS["learning_rate"]:
        mistakes[LR_HINT.format(default=MODEL_DEFAULTS["learning_rate"])] = run.costs(run.default_lr()[1])
    recognised = any(_close(values, v) for v in mistakes.values())
    if not recognised and not np.isclose(values[0], expected[0], rtol=RTOL, atol=ATOL):
        ck.fail(
            f"the first cost (iteration 0, before any update) is {values[0]:.8g}; expected "
            f"{expected[0]:.8g}, the cost of the initial weights.",
            init_hint,
        )
    ck.array(values, expected, what="`costs`", rtol=RTOL, atol=ATOL, mistakes=mistakes)


def _training_run(ck: Check, got, run: _Run, init_hint: str) -> None:
    params, costs = ck.returns(got, "parameters, costs")
    keys = list(run.params0)
    ck.instance(params, dict, "parameters")
    if set(params) != set(keys):
        L = len(keys) // 2
        ck.fail(
            f"parameters has the keys {', '.join(map(repr, params))}; expected {', '.join(map(repr, keys))} "
            f"for {L} layer(s).",
            "Build the network from the sizes passed in (layers_dims), not from sizes written into the code.",
        )
    _check_shapes(ck, params, run)
    _check_costs(ck, costs, run, init_hint)
    mistakes = {NO_UPDATE_HINT: run.params0}
    wrong = any(not _close(params[key], run.final[key]) for key in keys)
    if wrong and run.lr != MODEL_DEFAULTS["learning_rate"]:  # the other run only when it can help
        mistakes[LR_HINT.format(default=MODEL_DEFAULTS["learning_rate"])] = run.default_lr()[0]
    ck.dict(params, {key: run.final[key] for key in keys}, "parameters", mistakes, rtol=RTOL, atol=ATOL)


def _model_case(ck: Check, problem: tuple, start: dict, init_hint: str) -> None:
    """One training case of a model exercise: ``problem`` is (X, Y, layers_dims, num_iterations,
    learning_rate, seed); the oracle trains from ``start``, the parameters the exercise initialises."""
    X, Y, dims, n, lr, seed = problem
    with ck.case(
        f"X of shape ({X.shape[0]}, {X.shape[1]}), layers_dims={dims}, num_iterations={n}, "
        f"learning_rate={lr}, seed {seed}"
    ):
        got = ck.call(X, Y, dims, learning_rate=lr, num_iterations=n, print_cost=False)
        _training_run(ck, got, _Run(X, Y, start, n, lr), init_hint=init_hint)


# ----- exercises ----------------------------------------------------------------------------------


@exercise(
    params=("X", "Y", "layers_dims", "learning_rate", "num_iterations", "print_cost"),
    hints=[
        "Start from initialize_parameters_small with seed=1; each iteration is forward (relu, then sigmoid),"
        " cost, backward (sigmoid, then relu) and update, with the helpers of the previous notebook."
    ],
)
def two_layer_model(ck: Check) -> None:
    ck.defaults(MODEL_DEFAULTS)
    # rates small enough that no seed drives the output to exactly 0 or 1 (then log(0) in the cost)
    cases = ck.pick([(6, 4, 20, 201, 0.5)], [(10, 3, 25, 150, 0.6), (3, 7, 12, 320, 0.2)])
    for seed in ck.seeds(1, 2):
        for n_x, n_h, m, n, lr in cases:
            X, Y = _problem(seed, n_x, m)
            dims = (n_x, n_h, 1)
            _model_case(
                ck,
                (X, Y, dims, n, lr, seed),
                initialize_parameters_small(dims, seed=SEED),
                "Start from `initialize_parameters_small((n_x, n_h, n_y), seed=1)` with the sizes "
                "from layers_dims, and use a sigmoid (not a ReLU) on the output layer.",
            )


@exercise(
    params=("X", "Y", "layers_dims", "learning_rate", "num_iterations", "print_cost"),
    hints=[
        "Start from initialize_parameters_lecun with seed=1; each iteration is L_model_forward, "
        "compute_cost, L_model_backward, update_parameters."
    ],
)
def L_layer_model(ck: Check) -> None:
    ck.defaults(MODEL_DEFAULTS)
    cases = ck.pick(
        [([12, 5, 3, 1], 30, 201, 0.1), ([8, 6, 1], 20, 150, 0.3)],
        [([10, 6, 5, 4, 1], 25, 250, 0.05), ([5, 1], 16, 120, 0.5), ([9, 7, 7, 7, 7, 1], 18, 101, 0.1)],
    )
    for seed in ck.seeds(1, 2):
        for dims, m, n, lr in cases:
            X, Y = _problem(seed, dims[0], m)
            _model_case(
                ck,
                (X, Y, list(dims), n, lr, seed),
                initialize_parameters_lecun(dims, seed=SEED),
                "Start from `initialize_parameters_lecun(layers_dims, seed=1)`: the deep "
                "initialiser, with the sizes passed in and seed 1.",
            )
