"""Checks for course 2, notebook 6: introduction to TensorFlow.

Oracles:

- ``linear_function``: the same seeded NumPy draws multiplied in float64 by NumPy.
- ``sigmoid``: ``scipy.special.expit`` in float64.
- ``one_hot_matrix``: rows of ``np.eye(C)``; the function is also mapped over a
  ``tf.data.Dataset`` (so it must work when traced into a graph).
- ``initialize_parameters``: properties: shapes, ``tf.Variable``, trainable, float32, the
  same values on a second call (seeded), and z-tests of each tensor's mean (0) and variance
  (Glorot's ``2 / (fan_in + fan_out)``).
- ``forward_propagation``: a Keras ``Sequential`` of ``Dense`` layers with the weights copied
  in; ``tf.GradientTape`` must reach every parameter through the learner's code.
- ``compute_total_loss``: NumPy with ``scipy.special.logsumexp``; its gradient through
  ``tf.GradientTape`` against the gradient of ``tf.nn.softmax_cross_entropy_with_logits``.

Conventions of the notebook: examples are columns, ``X`` is ``(n_x, m)``, ``W{l}`` is
``(n_l, n_{l-1})``, ``b{l}`` is ``(n_l, 1)``, logits and one-hot labels are ``(C, m)``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from shared_utils.engine.checking import Check, _describe, exercise

LINEAR_SEED = 1
PARAM_SHAPES = {"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1), "W3": (6, 12), "b3": (6, 1)}
Z_LIMIT = 4.5  # two-sided z-test; a right answer fails it about once in 150 000 tries


def _tf():
    import tensorflow as tf

    return tf


def _tensor(ck: Check, got, what: str, dtype: str = "float32", hint: str | None = None):
    """``got`` must be a tf.Tensor (or Variable) of ``dtype``; return it as a NumPy array."""
    tf = _tf()
    if not tf.is_tensor(got):
        ck.fail(
            f"{what} should be a tf.Tensor, got {_describe(got)}.",
            hint
            or "Use TensorFlow ops (tf.matmul, tf.add, ...) and return their result; "
            "do not convert it with .numpy() or np.array().",
        )
    if got.dtype != tf.as_dtype(dtype):
        ck.fail(
            f"{what} has dtype {got.dtype.name}; expected {dtype}.",
            hint
            or f"Cast the input first (tf.cast(x, tf.{dtype})) or create the constants with "
            f"dtype=tf.{dtype}.",
        )
    return got.numpy()


# ----- 1. linear_function ---------------------------------------------------------------


def _linear_draws(order: tuple[str, ...] = ("X", "W", "b")) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(LINEAR_SEED)
    shapes = {"X": (3, 1), "W": (4, 3), "b": (4, 1)}
    return {name: rng.standard_normal(shapes[name]) for name in order}


@exercise(
    params=(),
    hints=[
        "Draw X, W and b in that order from one seeded generator, as float32 tensors, and compute W X + b "
        "with TensorFlow's ops."
    ],
)
def linear_function(ck: Check) -> None:
    with ck.case("linear_function() with the draws of np.random.default_rng(1)"):
        got = ck.call()
        values = _tensor(ck, got, "Y")
        d = _linear_draws()
        expected = d["W"] @ d["X"] + d["b"]
        shuffled = _linear_draws(("W", "X", "b"))
        ck.array(
            values,
            expected,
            what="Y",
            rtol=1e-5,
            atol=1e-5,
            mistakes={
                "You left out the bias: Y = W X + b.": d["W"] @ d["X"],
                "Draw in the order X, then W, then b: each draw moves the generator on.": shuffled["W"]
                @ shuffled["X"]
                + shuffled["b"],
                "Use one generator for the three draws; a new default_rng(1) for each repeats the same "
                "numbers.": _linear_draws(("W",))["W"] @ _linear_draws(("X",))["X"]
                + _linear_draws(("b",))["b"],
            },
        )


# ----- 2. sigmoid -------------------------------------------------------------------------


@exercise(
    params=("z",),
    hints=[
        "Cast the input to float32 first (so integers and float64 work), then apply Keras' or TensorFlow's "
        "sigmoid."
    ],
)
def sigmoid(ck: Check) -> None:
    tf = _tf()
    rng = np.random.default_rng(600)
    cases = [
        ("the Python int -1", -1),
        ("the Python float 0.5", 0.5),
        ("a float64 NumPy array of shape (3, 4)", rng.normal(0, 3, (3, 4))),
        ("an int32 tf.Tensor [-3, 0, 2, 40]", tf.constant([-3, 0, 2, 40])),
    ]
    cases += ck.pick(
        [],
        [
            (
                "a float32 tf.Tensor of shape (2, 5, 3)",
                tf.constant(rng.normal(0, 4, (2, 5, 3)), dtype=tf.float32),
            ),
            ("a float64 tf.Tensor of shape (7,)", tf.constant(rng.normal(0, 10, 7))),
        ],
    )
    for description, z in cases:
        with ck.case(f"sigmoid of {description}"):
            got = ck.call(z)
            values = _tensor(ck, got, "the output")
            zz = np.asarray(z, dtype=np.float64)
            ck.array(
                values,
                special.expit(zz),
                what="the output",
                rtol=1e-5,
                atol=1e-6,
                mistakes={
                    "Mind the sign: sigmoid(z) = 1 / (1 + exp(-z)).": special.expit(-zz),
                    "That is the ReLU, not the sigmoid.": np.maximum(zz, 0),
                },
            )


# ----- 3. one_hot_matrix ----------------------------------------------------------------------


@exercise(
    params=("label",),
    hints=["tf.one_hot with depth C (the argument, not 6), returned as a vector of shape (C,)."],
)
def one_hot_matrix(ck: Check) -> None:
    tf = _tf()
    ck.defaults({"C": 6})
    cases = ck.pick([(2, 6), (0, 4), (9, 10)], [(5, 6), (0, 1), (3, 12)])
    for label, C in cases:
        for dtype in ("int32", "int64"):
            with ck.case(f"one_hot_matrix(tf.constant({label}, dtype=tf.{dtype}), C={C})"):
                got = ck.call(tf.constant(label, dtype=dtype), C=C)
                values = _tensor(ck, got, "the one-hot vector", hint="tf.one_hot returns float32 by default.")
                expected = np.eye(C)[label]
                ck.array(
                    values,
                    expected,
                    what="the one-hot vector",
                    mistakes={
                        "The 1 is in the wrong place: the label itself is the index (no - 1).": np.eye(C)[
                            (label - 1) % C
                        ],
                    },
                )
    labels = np.array([1, 0, 5, 3, 2, 4, 5, 0], dtype=np.int64)
    with ck.case(f"tf.data.Dataset.from_tensor_slices({labels.tolist()}).map(one_hot_matrix)"):
        run = ck.in_kernel(_mapped, labels)
        if "error" in run:
            ck.fail(
                f"your function fails when Dataset.map traces it into a graph: {run['error']}",
                "Inside .map, label is a symbolic tensor: use TensorFlow ops only (no .numpy(), no NumPy "
                "indexing, no Python if on its value).",
            )
        ck.array(run["got"], np.eye(6)[labels], what="the stacked one-hot vectors of the mapped dataset")


def _mapped(one_hot_matrix, labels):
    """The learner's function traced by Dataset.map (in the kernel when grading): the stacked
    results, or the last line of the error that tracing raised."""
    tf = _tf()
    try:
        dataset = tf.data.Dataset.from_tensor_slices(labels).map(one_hot_matrix)
        return {"got": np.stack(list(dataset.as_numpy_iterator()))}
    except NotImplementedError:
        raise
    except Exception as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return {"error": lines[-1] if lines else type(exc).__name__}


# ----- 4. initialize_parameters --------------------------------------------------------------


@exercise(
    params=(),
    hints=[
        "One GlorotNormal initializer with seed=1, called once per parameter in order, each wrapped in a "
        "tf.Variable; the biases have shape (n_l, 1)."
    ],
)
def initialize_parameters(ck: Check) -> None:
    tf = _tf()
    with ck.case("initialize_parameters()"):
        params = ck.keys(ck.call(), list(PARAM_SHAPES), what="parameters")
        for name, shape in PARAM_SHAPES.items():
            p = params[name]
            if tf.is_tensor(p) and not isinstance(p, tf.Variable):
                ck.fail(
                    f'parameters["{name}"] is a constant tf.Tensor; it should be a tf.Variable.',
                    "Only Variables can be updated by an optimizer: wrap the initial values, "
                    "tf.Variable(initializer(shape=...)).",
                )
            ck.instance(p, tf.Variable, f'parameters["{name}"]')
            ck.that(
                p.trainable,
                f'parameters["{name}"] is not trainable.',
                "Keep tf.Variable's default trainable=True, or GradientTape will not watch it.",
            )
            ck.that(
                p.dtype == tf.float32,
                f'parameters["{name}"] has dtype {p.dtype.name}; expected float32.',
                "The initializer gives float32 by default; do not ask for float64.",
            )
            if tuple(p.shape) != shape:
                hint = (
                    "The shape is transposed: W[l] has shape (n[l], n[l-1])."
                    if tuple(p.shape) == shape[::-1]
                    else "Biases have shape (n[l], 1)."
                    if name.startswith("b")
                    else None
                )
                ck.fail(f'parameters["{name}"] has shape {tuple(p.shape)}; expected {shape}.', hint)
    with ck.case("a second call to initialize_parameters()"):
        again = ck.keys(ck.call(), list(PARAM_SHAPES), what="parameters")
        for name in PARAM_SHAPES:
            ck.that(
                np.array_equal(np.asarray(again[name]), np.asarray(params[name])),
                f'parameters["{name}"] changed from one call to the next.',
                "Give the initializer a seed, GlorotNormal(seed=1), so that every run starts alike.",
            )
    for name, shape in PARAM_SHAPES.items():
        with ck.case(f'the statistics of parameters["{name}"], shape {shape}'):
            _glorot_statistics(ck, name, np.asarray(params[name], dtype=np.float64), shape)


def _glorot_statistics(ck: Check, name: str, values: np.ndarray, shape: tuple[int, int]) -> None:
    """z-tests of mean 0 and variance 2 / (fan_in + fan_out); the truncated normal has kurtosis < 3."""
    n = values.size
    variance = 2.0 / sum(shape)
    if not np.any(values):
        ck.fail(
            f'parameters["{name}"] is all zeros.',
            "In this notebook every parameter, biases included, starts from the Glorot initializer.",
        )
    ratio = values.var() / variance
    var_z = (ratio - 1) / np.sqrt(2.0 / n)
    if abs(var_z) >= Z_LIMIT:
        ck.fail(
            f'the values of parameters["{name}"] have variance {values.var():.4g}; Glorot initialisation '
            f"gives 2 / (fan_in + fan_out) = 2 / {sum(shape)} = {variance:.4g} ({ratio:.3g} times too "
            f"{'much' if ratio > 1 else 'little'}; z = {var_z:.1f}).",
            "Use keras.initializers.GlorotNormal: He and LeCun scale by fan_in only, and a plain "
            "normal draw has variance 1.",
        )
    mean_z = values.mean() / np.sqrt(variance / n)
    ck.that(
        abs(mean_z) < Z_LIMIT,
        f'the values of parameters["{name}"] have mean {values.mean():.4g}, '
        f"{abs(mean_z):.1f} standard errors away from 0.",
        "Glorot's draws are centred on 0: do not shift them.",
    )


# ----- 5. forward_propagation -----------------------------------------------------------------


def _random_parameters(rng: np.random.Generator, dims: list[int]) -> dict:
    tf = _tf()
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = tf.Variable(
            rng.normal(0, 1.5 / np.sqrt(dims[l - 1]), (dims[l], dims[l - 1])), dtype=tf.float32, name=f"W{l}"
        )
        params[f"b{l}"] = tf.Variable(rng.normal(0, 0.5, (dims[l], 1)), dtype=tf.float32, name=f"b{l}")
    return params


def _keras_forward(params: dict, X: np.ndarray, activations=("relu", "relu", None)) -> np.ndarray:
    """The network as a Keras Sequential of Dense layers (rows are examples), weights copied in."""
    import keras

    net = keras.Sequential(
        [keras.Input((X.shape[0],), name="check_input")]
        + [
            keras.layers.Dense(params[f"W{l}"].shape[0], activation=act, name=f"check_dense_{l}")
            for l, act in enumerate(activations, 1)
        ],
        name="check_network",
    )
    net.set_weights(
        [w for l in range(1, 4) for w in (np.asarray(params[f"W{l}"]).T, np.asarray(params[f"b{l}"]).ravel())]
    )
    return np.asarray(net(X.T.astype(np.float32))).T


@exercise(
    params=("X", "parameters"),
    hints=[
        "Three linear steps with TensorFlow's matmul and add, ReLU after the first two and no activation "
        "after the last; read the weights from the parameters argument."
    ],
)
def forward_propagation(ck: Check) -> None:
    tf = _tf()
    cases = ck.pick([(12288, 25, 12, 6, 4), (20, 7, 5, 6, 9)], [(3, 4, 3, 2, 1), (50, 10, 8, 6, 33)])
    for seed in ck.seeds(1, 2):
        for n_x, n1, n2, n3, m in cases:
            rng = np.random.default_rng(6500 + seed)
            params = _random_parameters(rng, [n_x, n1, n2, n3])
            X = tf.constant(rng.random((n_x, m)), dtype=tf.float32)
            with ck.case(f"X of shape ({n_x}, {m}), layers of {n1}, {n2} and {n3} units, seed {seed}"):
                weights = rng.normal(size=(n3, m)).astype(np.float32)
                run = ck.in_kernel(_forward_on_tape, X, params, weights)
                got = run["got"]
                values = _tensor(ck, got, "Z3")
                expected = _keras_forward(params, X.numpy())
                ck.array(
                    values,
                    expected,
                    what="Z3",
                    rtol=1e-4,
                    atol=1e-4,
                    mistakes={
                        "No activation on the output layer: Z3 are the logits (the loss applies the "
                        "softmax).": np.maximum(expected, 0),
                        "Do not apply the softmax: return the logits Z3; the loss takes them as they "
                        "are.": special.softmax(expected, axis=0),
                        "Add the biases b1, b2, b3 in each layer.": _keras_forward(
                            {k: (v if k[0] == "W" else np.zeros(v.shape)) for k, v in params.items()},
                            X.numpy(),
                        ),
                        "The hidden layers use the ReLU, not the sigmoid.": _keras_forward(
                            params, X.numpy(), ("sigmoid", "sigmoid", None)
                        ),
                    },
                )
                missing = run["no_gradient"]
                ck.that(
                    not missing,
                    f"tf.GradientTape finds no gradient for {', '.join(missing)}.",
                    "Compute with TensorFlow ops on the Variables themselves; a detour through NumPy "
                    "(.numpy(), np.dot) or tf.constant(...) cuts the tape.",
                )


def _forward_on_tape(forward_propagation, X, parameters, weights):
    """The learner's forward pass on a tape (in the kernel when grading): Z3, and the parameters
    that get no gradient from sum(Z3 * weights)."""
    tf = _tf()
    with tf.GradientTape() as tape:
        got = forward_propagation(X, parameters)
        total = tf.reduce_sum(got * weights) if tf.is_tensor(got) else None
    if total is None:
        return {"got": got, "no_gradient": []}
    grads = tape.gradient(total, [parameters[k] for k in sorted(parameters)])
    return {"got": got, "no_gradient": [k for k, g in zip(sorted(parameters), grads) if g is None]}


# ----- 6. compute_total_loss ----------------------------------------------------------------


def _loss_on_tape(compute_total_loss, z, y):
    """The learner's loss of Variable logits ``z`` on a tape (in the kernel when grading): the
    loss and its gradient with respect to the logits (None where the tape finds none)."""
    tf = _tf()
    logits = tf.Variable(z)
    with tf.GradientTape() as tape:
        got = compute_total_loss(logits, tf.constant(y))
    gradient = tape.gradient(got, logits) if tf.is_tensor(got) else None
    return {"got": got, "gradient": gradient}


def _ce_columns(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cross-entropy -sum_c y_c log softmax(z)_c of each column = sum(y) logsumexp(z) - y . z."""
    return np.sum(y, axis=0) * special.logsumexp(z, axis=0) - np.sum(y * z, axis=0)


def _keras_no_logits(z: np.ndarray, y: np.ndarray) -> float:
    import keras

    return float(
        np.sum(
            keras.losses.categorical_crossentropy(
                y.T.astype(np.float32), z.T.astype(np.float32), from_logits=False
            )
        )
    )


@exercise(
    params=("logits", "labels"),
    hints=[
        "Keras' categorical cross-entropy from logits wants one example per ROW (transpose both), labels "
        "first; the total is the SUM over the batch, not the mean."
    ],
)
def compute_total_loss(ck: Check) -> None:
    tf = _tf()
    cases = ck.pick([(6, 10), (3, 7)], [(6, 1), (4, 25), (6, 6), (2, 5)])
    for seed in ck.seeds(1, 2):
        for C, m in cases:
            rng = np.random.default_rng(6600 + seed)
            z = rng.normal(0, 2, (C, m)).astype(np.float32)
            y = np.eye(C, dtype=np.float32)[:, rng.integers(0, C, m)]
            logits = tf.Variable(z)
            with ck.case(f"logits and labels of shape ({C}, {m}), seed {seed}"):
                run = ck.in_kernel(_loss_on_tape, z, y)
                got = run["got"]
                _tensor(ck, got, "the total loss")
                zz, yy = z.astype(np.float64), y.astype(np.float64)
                expected = float(np.sum(_ce_columns(zz, yy)))
                p = special.softmax(zz, axis=0)
                value = ck.scalar(
                    got,
                    expected,
                    what="the total loss",
                    rtol=1e-4,
                    atol=1e-4,
                    mistakes={
                        "Return the SUM over the examples, not the mean: tf.reduce_sum, not "
                        "tf.reduce_mean.": expected / m,
                        "Transpose both arguments: Keras's losses want one example per row, shape (m, "
                        "C).": float(np.sum(_ce_columns(zz.T, yy.T))),
                        "The network's outputs are logits, not probabilities: pass "
                        "from_logits=True.": _keras_no_logits(z, y),
                        "Do not apply a softmax yourself when from_logits=True: the loss does it "
                        "once.": float(np.sum(_ce_columns(p, yy))),
                        "The labels come first: categorical_crossentropy(y_true, y_pred).": float(
                            np.sum(_ce_columns(yy, zz))
                        ),  # y_true = logits, y_pred = labels
                    },
                )
                gradient = run["gradient"]
                ck.that(
                    gradient is not None,
                    "tf.GradientTape finds no gradient of your loss with respect to the logits.",
                    "Use TensorFlow ops only: no .numpy() or float() on the way.",
                )
                with tf.GradientTape() as oracle_tape:
                    reference = tf.reduce_sum(
                        tf.nn.softmax_cross_entropy_with_logits(
                            labels=tf.transpose(tf.constant(y)), logits=tf.transpose(logits)
                        )
                    )
                ck.array(
                    gradient,
                    oracle_tape.gradient(reference, logits),
                    what=f"the gradient of your loss (value {value:.5g}) with respect to the logits",
                    rtol=1e-4,
                    atol=1e-5,
                )
