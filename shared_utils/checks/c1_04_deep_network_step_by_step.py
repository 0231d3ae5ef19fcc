"""Checks for course 1, notebook 4: building a deep neural network, step by step.

Oracles: Keras ``Dense`` layers and a Keras ``Sequential`` model with the weights copied in
(forward pass), ``tf.nn.sigmoid_cross_entropy_with_logits`` (cost), ``tf.GradientTape``
(every backward function) and ``keras.optimizers.SGD`` (update).  The initialisation is
checked by its structure and its statistics.  Everything runs in float64.

Conventions of the notebook: examples are columns, ``W{l}`` has shape ``(n_l, n_{l-1})``,
``b{l}`` has shape ``(n_l, 1)``, a layer's cache is ``((A_prev, W, b), Z)``.
"""

from __future__ import annotations

import numpy as np

from shared_utils.engine import oracles
from shared_utils.engine.checking import Check, _describe, exercise

_HINT_LINEAR_CACHE = "linear_forward returns (Z, cache) with cache = (A, W, b), in that order."
_HINT_CACHE = (
    "linear_activation_forward returns (A, cache) with cache = (linear_cache, activation_cache) "
    "= ((A_prev, W, b), Z)."
)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(4000 + seed)


def _random_params(dims: list[int], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Weights large enough for ReLU to cut some units and the sigmoid to leave 0.5."""
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.normal(0, 1.2 / np.sqrt(dims[l - 1]), (dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(0, 0.4, (dims[l], 1))
    return params


def _sigmoid(z):
    from scipy.special import expit

    return expit(z)


def _try(compute):
    """The value a known mistake would give, or NaN where that mistake cannot even run."""
    try:
        return compute()
    except ValueError:
        return np.nan


def _check_linear_cache(ck: Check, cache, A, W, b, what: str) -> None:
    cache = ck.returns(cache, "A_prev, W, b", _HINT_LINEAR_CACHE, what=what)
    for i, (item, ref, name) in enumerate(zip(cache, (A, W, b), ("A_prev", "W", "b"))):
        item_arr = np.asarray(item) if isinstance(item, np.ndarray) else None
        if (
            item_arr is None
            or item_arr.shape != ref.shape
            or not np.allclose(item_arr, ref, rtol=1e-12, atol=0)
        ):
            ck.fail(
                f"{what}: item {i} should be {name}, an array of shape {ref.shape} equal to the input; "
                f"got {_describe(item)}.",
                _HINT_LINEAR_CACHE,
            )


def _check_layer_cache(ck: Check, cache, A_prev, W, b, Z, what: str) -> None:
    cache = ck.returns(cache, "linear_cache, activation_cache", _HINT_CACHE, what=what)
    _check_linear_cache(ck, cache[0], A_prev, W, b, f"{what}[0] (the linear cache)")
    ck.array(
        cache[1],
        Z,
        what=f"{what}[1] (the activation cache, Z)",
        rtol=1e-9,
        atol=1e-12,
        mistakes={
            "The activation cache is Z, the input of the activation, not its output A.": _sigmoid(Z),
            "The activation cache is Z, not relu(Z).": np.maximum(Z, 0),
        },
    )


# ----- initialisation ---------------------------------------------------------------------


@exercise(
    params=("layer_dims",),
    hints=[
        "One weight matrix per layer l = 1 .. L, of shape (layer_dims[l], layer_dims[l-1]), small random "
        "values (times 0.01); zero biases of one column."
    ],
)
def initialize_parameters_deep(ck: Check) -> None:
    cases = ck.pick([[5, 4, 3], [3, 1], [7, 5, 4, 2, 1]], [[2, 3], [12, 10, 8, 6, 4, 1], [1, 1, 1]])
    for dims in cases:
        with ck.case(f"layer_dims = {dims}"):
            got = ck.call(list(dims))
            L = len(dims) - 1
            keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
            ck.keys(got, keys, "the parameters dict")
            extra = [k for k in got if k not in keys]
            ck.that(
                not extra,
                f"the parameters dict has unexpected key(s) {extra}; a network with "
                f"layer_dims = {dims} has L = {L} layers, so only {keys}.",
                "Loop over l in range(1, len(layer_dims)): do not hard-code the number of layers.",
            )
            for l in range(1, L + 1):
                W, b = got[f"W{l}"], got[f"b{l}"]
                shape = (dims[l], dims[l - 1])
                transposed = (
                    "The shape is transposed: W[l] has shape (n[l], n[l-1]), rows = units of this layer."
                )
                W = ck.shape(W, shape, f"W{l}", hint=transposed if np.shape(W) == shape[::-1] else None)
                ck.that(W.dtype.kind == "f", f"W{l} has dtype {W.dtype}; expected floats.")
                ck.array(b, np.zeros((dims[l], 1)), what=f"b{l}", atol=0, mistakes={})
                if W.size > 1:
                    ck.that(
                        np.unique(W).size == W.size,
                        f"W{l} has repeated values; every weight should be a different random number.",
                        "Equal weights make every unit of a layer learn the same thing: use np.random.randn.",
                    )

    dims = [400, 300, 1]
    with ck.case(f"statistics of W1 for layer_dims = {dims} (120,000 weights)"):
        W = np.asarray(ck.call(list(dims))["W1"], dtype=float)
        mean, std = float(W.mean()), float(W.std())
        if abs(mean) > 0.25 * std:
            hint = (
                (
                    "np.random.rand draws from [0, 1), so every weight is positive; "
                    "np.random.randn draws from a normal distribution centred on 0."
                )
                if mean > 0
                else None
            )
            ck.fail(
                f"the weights have mean {mean:.5f} for a standard deviation of {std:.5f}; "
                "expected a mean of about 0.",
                hint,
            )
        if not 0.0095 < std < 0.0105:
            hint = "Multiply np.random.randn(...) by 0.01."
            if 0.9 < std < 1.1:
                hint = "Your weights have standard deviation 1: multiply them by 0.01."
            ck.fail(f"the weights have standard deviation {std:.5f}; expected 0.01 (randn * 0.01).", hint)


# ----- forward pass -----------------------------------------------------------------------


def _layer_case(ck: Check, seed: int, n_prev: int, n: int, m: int):
    rng = _rng(seed)
    A = rng.normal(size=(n_prev, m))
    W = rng.normal(0, 1.0, size=(n, n_prev))
    b = rng.normal(0, 0.5, size=(n, 1))
    return A, W, b


@exercise(
    params=("A", "W", "b"),
    hints=[
        "The linear step is a matrix product of W and A plus the bias (broadcast over the examples); the "
        "cache keeps the inputs."
    ],
)
def linear_forward(ck: Check) -> None:
    sizes = ck.pick([(3, 2, 4), (5, 1, 7), (4, 4, 3)], [(1, 3, 1), (6, 8, 10)])
    for seed in ck.seeds(2, 3):
        for n_prev, n, m in sizes:
            A, W, b = _layer_case(ck, seed, n_prev, n, m)
            with ck.case(f"A {A.shape}, W {W.shape}, b {b.shape}, seed {seed}"):
                got = ck.returns(ck.call(A, W, b), "Z, cache", "Return the pair (Z, cache).")
                Z, cache = got
                expected = oracles.columns(oracles.dense(W, b), A)
                ck.array(
                    Z,
                    expected,
                    what="Z",
                    mistakes={
                        "You left out the bias: Z = W A + b.": W @ A,
                        "W.T is the wrong way round: W has shape (n[l], n[l-1]), so Z = W @ A.": _try(
                            lambda: W.T @ A + b
                        ),
                        "Use a matrix product (np.dot or @), not an element-wise product.": _try(
                            lambda: W * A + b
                        ),
                    },
                )
                _check_linear_cache(ck, cache, A, W, b, "the cache")


@exercise(
    params=("A_prev", "W", "b", "activation"),
    hints=[
        "Reuse linear_forward, then apply the activation the argument names; the cache keeps both the linear"
        " cache and Z."
    ],
)
def linear_activation_forward(ck: Check) -> None:
    sizes = ck.pick([(3, 2, 4), (5, 1, 6)], [(1, 3, 1), (6, 8, 10)])
    for seed in ck.seeds(2, 3):
        for n_prev, n, m in sizes:
            A_prev, W, b = _layer_case(ck, seed, n_prev, n, m)
            Z = oracles.columns(oracles.dense(W, b), A_prev)
            outputs = {act: oracles.columns(oracles.dense(W, b, act), A_prev) for act in ("sigmoid", "relu")}
            for activation in ("sigmoid", "relu"):
                other = "relu" if activation == "sigmoid" else "sigmoid"
                with ck.case(f'activation = "{activation}", A_prev {A_prev.shape}, W {W.shape}, seed {seed}'):
                    got = ck.returns(
                        ck.call(A_prev, W, b, activation), "A, cache", "Return the pair (A, cache)."
                    )
                    A, cache = got
                    ck.array(
                        A,
                        outputs[activation],
                        what="A",
                        mistakes={
                            f'You applied {other} where activation = "{activation}": test the `activation` '
                            "argument.": outputs[other],
                            "You returned Z: apply the activation to it.": Z,
                        },
                    )
                    _check_layer_cache(ck, cache, A_prev, W, b, Z, "the cache")


def _keras_network(params: dict[str, np.ndarray], n_x: int):
    """A Sequential [Dense, Activation] * L with copied weights, and a model giving every output."""
    import keras

    L = len(params) // 2
    layers = [keras.Input((n_x,), dtype="float64", name="check_input")]
    for l in range(1, L + 1):
        layers.append(keras.layers.Dense(params[f"W{l}"].shape[0], dtype="float64", name=f"check_dense_{l}"))
        act = "sigmoid" if l == L else "relu"
        layers.append(keras.layers.Activation(act, dtype="float64", name=f"check_{act}_{l}"))
    net = keras.Sequential(layers, name="check_network")
    for l in range(1, L + 1):
        net.layers[2 * (l - 1)].set_weights([params[f"W{l}"].T, params[f"b{l}"].ravel()])
    every = keras.Model(net.inputs[0], [layer.output for layer in net.layers], name="check_outputs")
    return net, every


def _networks(ck: Check):
    """Random networks and inputs for the L-layer checks: (seed, dims, rng, params, X)."""
    nets = ck.pick([[4, 3, 1], [5, 4, 3, 1], [3, 1]], [[6, 5, 4, 3, 2, 1], [2, 8, 1]])
    for seed in ck.seeds(2, 3):
        for dims in nets:
            rng = _rng(seed)
            params = _random_params(dims, rng)
            m = int(rng.integers(3, 9))
            yield seed, dims, rng, params, rng.normal(size=(dims[0], m))


@exercise(
    params=("X", "parameters"),
    hints=[
        "L = len(parameters) // 2 layers: ReLU for layers 1 .. L-1 and sigmoid for layer L, each through "
        "linear_activation_forward; every layer's cache goes into the list."
    ],
)
def L_model_forward(ck: Check) -> None:
    for seed, dims, _rng, params, X in _networks(ck):
        L = len(dims) - 1
        with ck.case(f"layer_dims = {dims} (L = {L}), X {X.shape}, seed {seed}"):
            got = ck.returns(ck.call(X, params), "AL, caches", "Return the pair (AL, caches).")
            AL, caches = got
            net, every = _keras_network(params, dims[0])
            outs = [np.asarray(o).T for o in every(X.T)]
            Zs, As = [None] + outs[0::2], [X] + outs[1::2]  # Zs[l], As[l] for l = 0 .. L
            ck.array(
                AL,
                np.asarray(net(X.T)).T,
                what="AL",
                mistakes={
                    "The output layer must use the sigmoid, not ReLU.": np.maximum(Zs[L], 0),
                    "You returned Z[L]: apply the sigmoid to the last layer.": Zs[L],
                },
            )
            if not isinstance(caches, (list, tuple)) or len(caches) != L:
                hint = None
                if isinstance(caches, (list, tuple)) and len(caches) == L - 1:
                    hint = (
                        "One cache is missing: the ReLU loop runs over l = 1 .. L-1 "
                        "(range(1, L)) and the sigmoid layer's cache is appended after it."
                    )
                ck.fail(
                    f"caches should be a list of L = {L} caches, one per layer; got {_describe(caches)}.",
                    hint,
                )
            for l in range(1, L + 1):
                _check_layer_cache(
                    ck,
                    caches[l - 1],
                    As[l - 1],
                    params[f"W{l}"],
                    params[f"b{l}"],
                    Zs[l],
                    f"caches[{l - 1}] (layer {l})",
                )


# ----- cost -------------------------------------------------------------------------------


@exercise(
    params=("AL", "Y"),
    hints=["The cross-entropy averaged over the m examples (columns of Y), returned as one number."],
)
def compute_cost(ck: Check) -> None:
    import tensorflow as tf

    for seed in ck.seeds(2, 4):
        for m in ck.pick([4, 11], [1, 30]):
            rng = _rng(seed)
            logits = rng.normal(0, 2, size=(1, m))
            Y = (rng.random((1, m)) < 0.5).astype(float)
            Y[0, 0] = 1 - Y[0, -1] if m > 1 else Y[0, 0]  # both labels appear
            AL = tf.sigmoid(tf.constant(logits)).numpy()
            expected = float(oracles.sigmoid_cross_entropy(Y, logits))
            with ck.case(f"{m} examples, seed {seed}"):
                got = ck.call(AL, Y)
                terms = Y * np.log(AL) + (1 - Y) * np.log(1 - AL)
                ck.scalar(
                    got,
                    expected,
                    what="the cost",
                    rtol=1e-7,
                    mistakes={
                        "You forgot to divide by m: the cost is the mean over the examples.": float(
                            -np.sum(terms)
                        ),
                        "The sign is wrong: the cost has a minus in front, so it is positive.": -expected,
                        "The (1 - Y) * log(1 - AL) term is missing.": float(-np.mean(Y * np.log(AL))),
                    },
                )
                ck.that(
                    np.ndim(got) == 0,
                    f"the cost should be a single number, got an array of shape {np.shape(got)}.",
                    "Return np.squeeze(cost) or float(cost).",
                )


# ----- backward pass ----------------------------------------------------------------------


def _tape_linear(A_prev, W, b, dZ_or_dA, activation: str | None):
    """dA_prev, dW, db by tf.GradientTape.

    With Z = W A_prev + b and out = g(Z) (g = identity when activation is None), the upstream
    gradient d (a constant) is pushed back by differentiating sum(out * d): dW and db are the
    gradients of (1/m) sum(out * d), dA_prev the gradient of sum(out * d), as in the notebook.
    """
    import tensorflow as tf

    def total(t):
        out = tf.matmul(t["W"], t["A"]) + t["b"]
        if activation == "relu":
            out = tf.nn.relu(out)
        elif activation == "sigmoid":
            out = tf.sigmoid(out)
        return tf.reduce_sum(out * tf.constant(dZ_or_dA))

    m = A_prev.shape[1]
    _, grads = oracles.gradients(total, {"A": A_prev, "W": W, "b": b})
    return grads["A"], grads["W"] / m, grads["b"] / m


def _check_grads(ck: Check, got, expected, m: int, extra: dict | None = None) -> None:
    dA_prev, dW, db = ck.returns(got, "dA_prev, dW, db", "Return the triple (dA_prev, dW, db).")
    e_dA, e_dW, e_db = expected
    extra = extra or {}
    ck.array(
        dA_prev,
        e_dA,
        what="dA_prev",
        rtol=1e-7,
        atol=1e-10,
        mistakes={
            "dA_prev = W.T @ dZ has no 1/m: only dW and db are averaged over the examples.": e_dA / m,
            **extra.get("dA_prev", {}),
        },
    )
    ck.array(
        dW,
        e_dW,
        what="dW",
        rtol=1e-7,
        atol=1e-10,
        mistakes={"dW is missing the 1/m: dW = (1/m) dZ @ A_prev.T.": e_dW * m, **extra.get("dW", {})},
    )
    ck.array(
        db,
        e_db,
        what="db",
        rtol=1e-7,
        atol=1e-10,
        mistakes={
            "db is missing the 1/m: db = (1/m) * sum of dZ over the examples (axis=1, keepdims=True).": e_db
            * m,
            **extra.get("db", {}),
        },
    )


@exercise(
    params=("dZ", "cache"),
    hints=[
        "From the cache (A_prev, W, b) and m examples: dW and db average over the examples (db keeps its "
        "column shape); dA_prev goes back through W transposed."
    ],
)
def linear_backward(ck: Check) -> None:
    sizes = ck.pick([(3, 2, 4), (5, 1, 6), (4, 4, 3)], [(1, 1, 2), (6, 8, 9), (7, 3, 1)])
    for seed in ck.seeds(2, 3):
        for n_prev, n, m in sizes:
            A_prev, W, b = _layer_case(ck, seed, n_prev, n, m)
            dZ = _rng(seed + 100).normal(size=(n, m))
            with ck.case(f"dZ {dZ.shape}, A_prev {A_prev.shape}, W {W.shape}, seed {seed}"):
                got = ck.call(dZ, (A_prev, W, b))
                expected = _tape_linear(A_prev, W, b, dZ, None)
                _check_grads(ck, got, expected, m)


@exercise(
    params=("dA", "cache", "activation"),
    hints=[
        "First undo the activation (relu_backward or sigmoid_backward with the activation cache), then the "
        "linear step with linear_backward."
    ],
)
def linear_activation_backward(ck: Check) -> None:
    sizes = ck.pick([(3, 2, 4), (5, 1, 6)], [(1, 1, 2), (6, 8, 9)])
    for seed in ck.seeds(2, 3):
        for n_prev, n, m in sizes:
            A_prev, W, b = _layer_case(ck, seed, n_prev, n, m)
            Z = W @ A_prev + b
            dA = _rng(seed + 200).normal(size=(n, m))
            for activation in ("relu", "sigmoid"):
                other = "sigmoid" if activation == "relu" else "relu"
                with ck.case(
                    f'activation = "{activation}", dA {dA.shape}, A_prev {A_prev.shape}, seed {seed}'
                ):
                    got = ck.call(dA, ((A_prev, W, b), Z), activation)
                    expected = _tape_linear(A_prev, W, b, dA, activation)
                    wrong = _tape_linear(A_prev, W, b, dA, other)
                    no_act = _tape_linear(A_prev, W, b, dA, None)
                    hint_other = f'You used the {other} derivative where activation = "{activation}".'
                    hint_none = "dZ = g'(Z) * dA: pass dA through relu_backward or sigmoid_backward first."
                    _check_grads(
                        ck,
                        got,
                        expected,
                        m,
                        {
                            key: {hint_other: wrong[i], hint_none: no_act[i]}
                            for i, key in enumerate(("dA_prev", "dW", "db"))
                        },
                    )


def _tape_network(params: dict[str, np.ndarray], X: np.ndarray, Y: np.ndarray):
    """Forward pass, caches and every gradient of the mean cross-entropy, by tf.GradientTape.

    Returns AL, caches ((A_prev, W, b), Z) per layer, and the expected grads: dW{l}, db{l}
    are gradients of the mean cost; dA{l} is m times the cost's gradient with respect to the
    activation A[l] (the notebook's dA carries no 1/m).
    """
    import tensorflow as tf

    L = len(params) // 2
    m = X.shape[1]
    tensors = {k: tf.constant(v) for k, v in params.items()}
    X_t = tf.constant(X)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([X_t, *tensors.values()])
        As, Zs = [X_t], [None]
        for l in range(1, L + 1):
            Z = tf.matmul(tensors[f"W{l}"], As[-1]) + tensors[f"b{l}"]
            Zs.append(Z)
            As.append(tf.sigmoid(Z) if l == L else tf.nn.relu(Z))
        cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(Y), logits=Zs[L]))
    grads = {}
    for l in range(1, L + 1):
        grads[f"dW{l}"], grads[f"db{l}"] = (
            g.numpy() for g in tape.gradient(cost, [tensors[f"W{l}"], tensors[f"b{l}"]])
        )
    for l in range(L):
        grads[f"dA{l}"] = m * tape.gradient(cost, As[l]).numpy()
    caches = [((As[l - 1].numpy(), params[f"W{l}"], params[f"b{l}"]), Zs[l].numpy()) for l in range(1, L + 1)]
    return As[L].numpy(), caches, grads


@exercise(
    params=("AL", "Y", "caches"),
    hints=[
        "Start from the derivative of the cost with respect to AL; the last layer is sigmoid, the ones "
        "before it ReLU, walked from L down to 1, each with its own cache."
    ],
)
def L_model_backward(ck: Check) -> None:
    for seed, dims, rng, params, X in _networks(ck):
        m = X.shape[1]
        Y = (rng.random((1, m)) < 0.5).astype(float)
        L = len(dims) - 1
        AL, caches, expected = _tape_network(params, X, Y)
        with ck.case(f"layer_dims = {dims} (L = {L}), {m} examples, seed {seed}"):
            got = ck.call(AL, Y, caches)
            order = [k for l in range(L, 0, -1) for k in (f"dA{l - 1}", f"dW{l}", f"db{l}")]
            ck.instance(got, dict, "grads")
            missing = [k for k in order if k not in got]
            if missing:
                hint = None
                if f"dA{L}" in got and "dA0" not in got:
                    hint = (
                        "The dA keys are shifted by one: layer l's backward step gives dA{l-1}, "
                        "so grads holds dA0 .. dA{L-1} (dA0 is the gradient for X)."
                    )
                ck.fail(f"grads is missing the key(s) {missing}; for L = {L} it needs {sorted(order)}.", hint)
            for key in order:
                l = int(key[2:])
                mistakes = {"The sign is flipped: dAL = -(Y / AL - (1 - Y) / (1 - AL)).": -expected[key]}
                if key.startswith("dA"):
                    for near in (l - 1, l + 1):
                        if f"dA{near}" in expected:
                            mistakes[
                                f"grads['{key}'] holds the value of dA{near}: check the index you store it "
                                "under."
                            ] = expected[f"dA{near}"]
                else:
                    mistakes["Missing the 1/m (linear_backward averages dW and db over the examples)."] = (
                        expected[key] * m
                    )
                first = (
                    [
                        f"dA{L - 1}, dW{L} and db{L} come from layer L alone: check dAL and that layer L "
                        "uses 'sigmoid' with caches[L-1]."
                    ]
                    if key in order[:3]
                    else []
                )
                ck.hints[:0] = first
                try:
                    ck.array(
                        got[key],
                        expected[key],
                        what=f"grads['{key}']",
                        rtol=1e-6,
                        atol=1e-10,
                        mistakes=mistakes,
                    )
                finally:
                    del ck.hints[: len(first)]


# ----- update -----------------------------------------------------------------------------


@exercise(
    params=("params", "grads", "learning_rate"),
    hints=[
        "Every W{l} and b{l} steps against its gradient by learning_rate, in a new dict: the argument params"
        " stays as it was."
    ],
    in_place={
        "params": "Start from `parameters = copy.deepcopy(params)`, or build a fresh dict: "
        '`parameters["W1"] -= ...` on the caller\'s arrays changes them too.'
    },
)
def update_parameters(ck: Check) -> None:
    import keras

    nets = ck.pick([[3, 4, 1], [5, 4, 3, 1]], [[2, 1], [6, 5, 4, 3, 1]])
    rates = ck.pick([0.1, 0.75], [0.01, 1.3])
    for i, dims in enumerate(nets):
        for lr in rates:
            rng = _rng(10 * i + int(lr * 100))
            params = _random_params(dims, rng)
            L = len(dims) - 1
            grads = {f"d{k}": rng.normal(size=v.shape) for k, v in params.items()}
            grads.update({f"dA{l}": rng.normal(size=(dims[l], 5)) for l in range(L)})
            variables = {k: keras.Variable(v, dtype="float64") for k, v in params.items()}
            keras.optimizers.SGD(learning_rate=lr).apply_gradients(
                [(grads[f"d{k}"], variables[k]) for k in params]
            )
            with ck.case(f"layer_dims = {dims} (L = {L}), learning_rate = {lr}"):
                got = ck.call(params, grads, lr)
                keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
                ck.keys(got, keys, "the updated parameters")
                for key in keys:
                    g = grads[f"d{key}"]
                    mistakes = {
                        f"{key} was not updated: loop over every layer, l = 1 .. L (range(1, L + "
                        "1)).": params[key],
                        "Gradient descent steps against the gradient: subtract learning_rate * "
                        "gradient.": params[key] + lr * g,
                    }
                    rate = _implied_rate(got[key], params[key], g)
                    if rate is not None and not np.isclose(rate, lr):
                        mistakes[
                            f"Your step used a learning rate of {rate:.4g}: use the `learning_rate` "
                            f"argument ({lr} here), not a fixed number or a global variable."
                        ] = params[key] - rate * g
                    # Keras keeps the learning rate in float32: allow for its rounding
                    ck.array(
                        got[key],
                        variables[key].numpy(),
                        what=f"the updated {key}",
                        rtol=1e-7,
                        atol=1e-7,
                        mistakes=mistakes,
                    )


def _implied_rate(new, old: np.ndarray, grad: np.ndarray) -> float | None:
    """The rate r for which new = old - r * grad, by least squares.

    None if new is not an array of old's shape.
    """
    if not isinstance(new, np.ndarray) or new.shape != old.shape or not np.any(grad):
        return None
    return float(-np.sum((new - old) * grad) / np.sum(grad * grad))
