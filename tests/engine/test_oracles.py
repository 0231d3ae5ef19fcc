"""The shared oracles agree with closed forms and with Keras's own layers."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.engine import oracles


def test_gradients_of_a_function_of_named_arrays():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    W, x = rng.normal(size=(3, 4)), rng.normal(size=(4, 1))
    value, grads = oracles.gradients(
        lambda t: tf.reduce_sum(tf.square(t["W"] @ t["x"])) + 2.0 * t["c"], {"W": W, "x": x, "c": 1.5}
    )
    y = W @ x
    assert value == pytest.approx(float(np.sum(y**2)) + 3.0, rel=1e-12)
    np.testing.assert_allclose(grads["W"], 2 * y @ x.T, rtol=1e-12)
    np.testing.assert_allclose(grads["x"], 2 * W.T @ y, rtol=1e-12)
    assert grads["c"] == pytest.approx(2.0)
    assert grads["W"].dtype == np.float64


def test_gradients_sums_a_tensor_gives_zeros_where_unused_and_returns_aux():
    import tensorflow as tf

    z = np.linspace(-2, 2, 5)
    value, grads, aux = oracles.gradients(
        lambda t: (tf.tanh(t["z"]), {"out": tf.tanh(t["z"])}), {"z": z, "unused": np.ones(2)}, has_aux=True
    )
    assert value == pytest.approx(float(np.sum(np.tanh(z))))
    np.testing.assert_allclose(grads["z"], 1 - np.tanh(z) ** 2, rtol=1e-12)
    np.testing.assert_array_equal(grads["unused"], np.zeros(2))
    assert isinstance(aux["out"], np.ndarray)
    np.testing.assert_allclose(aux["out"], np.tanh(z))


def test_sigmoid_cross_entropy_is_the_mean_binary_cross_entropy():
    logits = np.array([[-1.0, 0.5, 2.0]])
    labels = np.array([[0, 1, 1]], dtype=np.uint8)
    p = 1 / (1 + np.exp(-logits))
    expected = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    assert float(oracles.sigmoid_cross_entropy(labels, logits)) == pytest.approx(expected, rel=1e-12)


def test_dense_and_columns_follow_the_column_convention():
    rng = np.random.default_rng(1)
    W, b, A = rng.normal(size=(3, 4)), rng.normal(size=(3, 1)), rng.normal(size=(4, 5))
    np.testing.assert_allclose(oracles.columns(oracles.dense(W, b), A), W @ A + b, rtol=1e-12)
    relu = oracles.columns(oracles.dense(W, b, "relu"), A)
    np.testing.assert_allclose(relu, np.maximum(W @ A + b, 0), rtol=1e-12)


def test_layer_output_copies_the_weights_in():
    import keras

    x = np.random.default_rng(2).normal(size=(6, 3))
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    layer = keras.layers.LayerNormalization(epsilon=1e-3, dtype="float64")
    out = oracles.layer_output(layer, x, [gamma, beta])
    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    np.testing.assert_allclose(out, gamma * (x - mu) / np.sqrt(var + 1e-3) + beta, rtol=1e-6)
