"""shared_utils.course1.dnn against independent oracles: Keras Dense layers with copied weights for the
forward pass, Keras's binary cross-entropy for the cost, tf.GradientTape for the backward pass,
keras.optimizers.SGD for the update.

The module is generated from the notebooks' ``#@save`` cells (tests/engine/test_build.py checks
that it is up to date), so these tests pin the notebooks' own solutions to the oracles."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course1 import dnn

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

DEPTHS = [[6, 1], [5, 4, 1], [7, 5, 3, 1], [4, 6, 6, 2, 1]]


def _data(n_x: int, m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    return X, Y


def _dense(W: np.ndarray, b: np.ndarray, activation: str | None):
    layer = keras.layers.Dense(W.shape[0], activation=activation, dtype="float64")
    layer.build((None, W.shape[1]))
    layer.set_weights([W.T, b.ravel()])
    return layer


def _keras_forward(X: np.ndarray, parameters: dict) -> np.ndarray:
    L = len(parameters) // 2
    model = keras.Sequential(
        [keras.Input((X.shape[0],), dtype="float64")]
        + [
            _dense(parameters[f"W{l}"], parameters[f"b{l}"], "relu" if l < L else "sigmoid")
            for l in range(1, L + 1)
        ]
    )
    return model(X.T).numpy().T


# ----- initialisation -----------------------------------------------------------------------


def test_initialize_parameters_small_shapes_scale_and_seed():
    p = dnn.initialize_parameters_small((300, 40, 1), seed=3)
    assert {k: v.shape for k, v in p.items()} == {"W1": (40, 300), "b1": (40, 1), "W2": (1, 40), "b2": (1, 1)}
    assert np.all(p["b1"] == 0) and np.all(p["b2"] == 0)
    assert 0.009 < p["W1"].std() < 0.011
    again = dnn.initialize_parameters_small((300, 40, 1), seed=3)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    assert not np.array_equal(p["W1"], dnn.initialize_parameters_small((300, 40, 1), seed=4)["W1"])


@pytest.mark.parametrize(
    "init",
    [
        lambda dims: dnn.initialize_parameters_deep(dims),  # notebook 4's: np.random's global state
        lambda dims: dnn.initialize_parameters_small(dims, seed=0),
        lambda dims: dnn.initialize_parameters_lecun(dims, seed=0),
    ],
    ids=["deep", "small", "lecun"],
)
@pytest.mark.parametrize("dims", DEPTHS + [[784, 20, 7, 5, 1]])
def test_initialisers_give_every_layer_its_shapes_and_zero_biases(init, dims):
    p = init(dims)
    assert len(p) == 2 * (len(dims) - 1)
    for l in range(1, len(dims)):
        assert p[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert p[f"b{l}"].shape == (dims[l], 1) and np.all(p[f"b{l}"] == 0)


def test_initialize_parameters_deep_draws_small_weights_from_numpys_global_generator():
    np.random.seed(1)
    p = dnn.initialize_parameters_deep([2500, 400])
    assert 0.0099 < p["W1"].std() < 0.0101
    np.random.seed(1)
    assert np.array_equal(dnn.initialize_parameters_deep([2500, 400])["W1"], p["W1"])


def test_initialize_parameters_lecun_scales_by_fan_in_and_is_seeded():
    p = dnn.initialize_parameters_lecun([2500, 400, 100], seed=1)
    assert abs(p["W1"].std() * np.sqrt(2500) - 1) < 0.01
    assert abs(p["W2"].std() * np.sqrt(400) - 1) < 0.02
    again = dnn.initialize_parameters_lecun([2500, 400, 100], seed=1)
    assert np.array_equal(p["W2"], again["W2"])


# ----- forward ------------------------------------------------------------------------------


def test_linear_forward_matches_keras_dense_and_returns_its_cache():
    A_prev, _ = _data(5, 8)
    rng = np.random.default_rng(4)
    W, b = rng.normal(size=(3, 5)), rng.normal(size=(3, 1))
    Z, (A0, W0, b0) = dnn.linear_forward(A_prev, W, b)
    np.testing.assert_allclose(Z, _dense(W, b, None)(A_prev.T).numpy().T, rtol=1e-12)
    assert A0 is A_prev and W0 is W and b0 is b


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_forward_matches_keras_dense(activation):
    A_prev, _ = _data(5, 8)
    p = dnn.initialize_parameters_lecun([5, 3], seed=2)
    W, b = p["W1"], np.random.default_rng(1).normal(size=(3, 1))
    A, ((A0, W0, b0), Z) = dnn.linear_activation_forward(A_prev, W, b, activation)
    np.testing.assert_allclose(A, _dense(W, b, activation)(A_prev.T).numpy().T, rtol=1e-12)
    np.testing.assert_allclose(Z, _dense(W, b, None)(A_prev.T).numpy().T, rtol=1e-12)
    assert A0 is A_prev and W0 is W and b0 is b


def test_linear_activation_forward_refuses_unknown_activation():
    with pytest.raises(ValueError, match="unknown activation"):
        dnn.linear_activation_forward(np.ones((2, 3)), np.ones((1, 2)), np.zeros((1, 1)), "tanh")


@pytest.mark.parametrize("dims", DEPTHS)
def test_L_model_forward_matches_keras_sequential(dims):
    X, _ = _data(dims[0], 9, seed=len(dims))
    p = dnn.initialize_parameters_lecun(dims, seed=5)
    p = {k: v + 0.1 if k.startswith("b") else v for k, v in p.items()}  # non-zero biases too
    AL, caches = dnn.L_model_forward(X, p)
    assert AL.shape == (1, 9) and len(caches) == len(dims) - 1
    np.testing.assert_allclose(AL, _keras_forward(X, p), rtol=1e-12)


def test_L_model_forward_accepts_column_major_input():
    X, _ = _data(6, 10)
    p = dnn.initialize_parameters_lecun([6, 4, 1], seed=0)
    np.testing.assert_allclose(dnn.L_model_forward(np.asfortranarray(X), p)[0], dnn.L_model_forward(X, p)[0])


# ----- cost ---------------------------------------------------------------------------------


def test_compute_cost_matches_keras_binary_crossentropy():
    rng = np.random.default_rng(3)
    AL = rng.uniform(0.05, 0.95, size=(1, 12))
    Y = (rng.random((1, 12)) < 0.5).astype(np.float64)
    expected = keras.losses.BinaryCrossentropy(dtype="float64")(Y.T, AL.T).numpy()
    cost = dnn.compute_cost(AL, Y)
    assert isinstance(cost, float)
    assert cost == pytest.approx(float(expected), rel=1e-6)


# ----- backward -----------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_gradient_tape(activation):
    A_prev, _ = _data(4, 7, seed=1)
    rng = np.random.default_rng(2)
    W, b, dA = rng.normal(size=(3, 4)), rng.normal(size=(3, 1)), rng.normal(size=(3, 7))
    A, cache = dnn.linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = dnn.linear_activation_backward(dA, cache, activation)
    tensors = [tf.constant(v) for v in (A_prev, W, b)]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        z = tf.matmul(tensors[1], tensors[0]) + tensors[2]
        a = tf.nn.relu(z) if activation == "relu" else tf.sigmoid(z)
        total = tf.reduce_sum(a * dA)  # a scalar whose gradient with respect to A is dA
    g_prev, g_W, g_b = (g.numpy() for g in tape.gradient(total, tensors))
    m = A_prev.shape[1]
    # dnn's convention: dW and db are averaged over the m examples, dA_prev is not
    np.testing.assert_allclose(dA_prev, g_prev, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dW, g_W / m, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(db, g_b / m, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dims", DEPTHS)
def test_L_model_backward_matches_gradient_tape(dims):
    X, Y = _data(dims[0], 11, seed=len(dims) + 1)
    p = dnn.initialize_parameters_lecun(dims, seed=7)
    AL, caches = dnn.L_model_forward(X, p)
    grads = dnn.L_model_backward(AL, Y, caches)
    L, m = len(dims) - 1, X.shape[1]
    variables = {k: tf.constant(v) for k, v in p.items()}
    with tf.GradientTape() as tape:
        tape.watch(list(variables.values()))
        activations = [tf.constant(X)]
        tape.watch(activations[0])
        for l in range(1, L + 1):
            z = tf.matmul(variables[f"W{l}"], activations[-1]) + variables[f"b{l}"]
            activations.append(tf.nn.relu(z) if l < L else z)
        cost = tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(Y), logits=activations[-1])
        )
    keys = list(variables)
    g = tape.gradient(cost, [variables[k] for k in keys] + activations[:-1])
    for k, value in zip(keys, g[: len(keys)]):
        np.testing.assert_allclose(grads[f"d{k}"], value.numpy(), rtol=1e-9, atol=1e-12, err_msg=k)
    for l, value in enumerate(g[len(keys) :]):  # dA{l} is m times the gradient of the mean cost
        np.testing.assert_allclose(
            grads[f"dA{l}"], m * value.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"dA{l}"
        )


# ----- update and predict -------------------------------------------------------------------


def test_update_parameters_matches_keras_sgd_and_leaves_its_input_alone():
    dims = [5, 4, 1]
    X, Y = _data(5, 10, seed=4)
    p = dnn.initialize_parameters_lecun(dims, seed=1)
    before = {k: v.copy() for k, v in p.items()}
    AL, caches = dnn.L_model_forward(X, p)
    grads = dnn.L_model_backward(AL, Y, caches)
    new = dnn.update_parameters(p, grads, 0.25)  # exact in float32, as Keras stores it
    variables = {k: tf.Variable(v) for k, v in p.items()}
    keras.optimizers.SGD(learning_rate=0.25).apply_gradients(
        [(tf.constant(grads[f"d{k}"]), variables[k]) for k in variables]
    )
    for k in p:
        np.testing.assert_allclose(new[k], variables[k].numpy(), rtol=1e-12)
        np.testing.assert_array_equal(p[k], before[k])


def test_predict_thresholds_the_keras_output_at_one_half():
    X, _ = _data(6, 40, seed=9)
    p = dnn.initialize_parameters_lecun([6, 5, 1], seed=3)
    pred = dnn.predict(X, p)
    assert pred.shape == (1, 40) and pred.dtype.kind == "i"
    assert set(np.unique(pred)) <= {0, 1}
    np.testing.assert_array_equal(pred, (_keras_forward(X, p) > 0.5).astype(int))


def test_gradient_descent_with_the_blocks_lowers_the_cost():
    X, _ = _data(4, 60, seed=2)
    Y = (X[0:1] + X[1:2] > 0).astype(np.float64)
    p = dnn.initialize_parameters_lecun([4, 8, 1], seed=0)
    costs = []
    for _ in range(300):
        AL, caches = dnn.L_model_forward(X, p)
        costs.append(dnn.compute_cost(AL, Y))
        p = dnn.update_parameters(p, dnn.L_model_backward(AL, Y, caches), 0.5)
    assert costs[-1] < 0.5 * costs[0]
    assert np.mean(dnn.predict(X, p) == Y) > 0.9
