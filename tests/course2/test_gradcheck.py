"""shared_utils.course2.gradcheck: flattening parameters and gradients, the notebook's network."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from shared_utils.course2 import gradcheck
from shared_utils.course2.gradcheck import (
    dictionary_to_vector,
    forward_propagation_n,
    gradients_to_vector,
    make_problem,
    parameter_shapes,
    vector_to_dictionary,
)


def _params(rng, dims=(4, 5, 3, 1)):
    p = {}
    for l in range(1, len(dims)):
        p[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1]))
        p[f"b{l}"] = rng.normal(size=(dims[l], 1))
    return p


def test_dictionary_to_vector_stacks_in_dict_order_row_by_row():
    p = {"W1": np.arange(6.0).reshape(2, 3), "b1": np.array([[10.0], [11.0]]), "W2": np.array([[20.0, 21.0]])}
    theta, keys = dictionary_to_vector(p)
    assert theta.shape == (10, 1)
    np.testing.assert_array_equal(theta.ravel(), [0, 1, 2, 3, 4, 5, 10, 11, 20, 21])
    assert keys == ["W1"] * 6 + ["b1"] * 2 + ["W2"] * 2


def test_dictionary_to_vector_returns_a_copy():
    p = _params(np.random.default_rng(0))
    before = {k: v.copy() for k, v in p.items()}
    theta, _ = dictionary_to_vector(p)
    theta += 1.0
    assert all(np.array_equal(p[k], before[k]) for k in p)


def test_vector_to_dictionary_inverts_and_copies():
    p = _params(np.random.default_rng(1))
    theta, _ = dictionary_to_vector(p)
    shapes = parameter_shapes(p)
    assert shapes == {k: v.shape for k, v in p.items()}
    back = vector_to_dictionary(theta, shapes)
    assert list(back) == list(p)
    for k in p:
        np.testing.assert_array_equal(back[k], p[k])
    back["W1"][0, 0] = 99.0
    assert theta[0, 0] != 99.0
    np.testing.assert_array_equal(vector_to_dictionary(theta.ravel(), shapes)["b3"], p["b3"])


def test_vector_to_dictionary_rejects_a_wrong_size():
    p = _params(np.random.default_rng(2))
    theta, _ = dictionary_to_vector(p)
    with pytest.raises(ValueError, match="need"):
        vector_to_dictionary(theta[:-1], parameter_shapes(p))


def test_gradients_to_vector_follows_the_parameters_order_and_skips_other_keys():
    p = _params(np.random.default_rng(3))
    grads = {}
    for l in (3, 2, 1):  # backward-pass order, with intermediate results mixed in
        grads[f"dZ{l}"] = np.full((p[f"W{l}"].shape[0], 7), -1.0)
        grads[f"dW{l}"] = p[f"W{l}"] * 2
        grads[f"db{l}"] = p[f"b{l}"] * 2
        grads[f"dA{l - 1}"] = np.full((p[f"W{l}"].shape[1], 7), -1.0)
    theta, _ = dictionary_to_vector(p)
    np.testing.assert_array_equal(gradients_to_vector(grads, p), 2 * theta)
    np.testing.assert_array_equal(gradients_to_vector(grads, parameter_shapes(p)), 2 * theta)
    del grads["db2"]
    with pytest.raises(KeyError, match="db2"):
        gradients_to_vector(grads, p)


def test_forward_propagation_n_matches_keras_and_fills_the_cache():
    import keras

    rng = np.random.default_rng(4)
    p = _params(rng)
    X = rng.normal(size=(4, 9))
    Y = (rng.random((1, 9)) < 0.5).astype(float)
    cost, cache = forward_propagation_n(X, Y, p)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(5, "relu", dtype="float64"),
            keras.layers.Dense(3, "relu", dtype="float64"),
            keras.layers.Dense(1, "sigmoid", dtype="float64"),
        ]
    )
    for l, layer in enumerate(model.layers, start=1):
        layer.set_weights([p[f"W{l}"].T, p[f"b{l}"].ravel()])
    probs = np.asarray(model(X.T)).T
    expected = float(keras.losses.BinaryCrossentropy()(Y.T, probs.T))
    assert cost == pytest.approx(expected, rel=1e-6)
    assert len(cache) == 12
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    np.testing.assert_allclose(A3, probs, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(W2, p["W2"])
    np.testing.assert_allclose(A1, np.maximum(Z1, 0))


def test_forward_propagation_n_handles_saturated_outputs():
    p = {"W1": np.array([[1000.0]]), "b1": np.array([[0.0]])}
    cost, _ = forward_propagation_n(np.array([[1.0, -1.0]]), np.array([[0.0, 1.0]]), p)
    assert cost == pytest.approx(1000.0)


def test_make_problem_is_smooth_and_reproducible():
    X, Y, p = make_problem([4, 5, 3, 1], m=3, seed=1)
    X2, _, p2 = make_problem([4, 5, 3, 1], m=3, seed=1)
    np.testing.assert_array_equal(X, X2)
    assert all(np.array_equal(p[k], p2[k]) for k in p)
    assert X.shape == (4, 3) and Y.shape == (1, 3) and set(np.unique(Y)) == {0.0, 1.0}
    assert [p[k].shape for k in p] == [(5, 4), (5, 1), (3, 5), (3, 1), (1, 3), (1, 1)]
    _, cache = forward_propagation_n(X, Y, p)
    assert np.min(np.abs(cache[0])) >= 0.05 and np.min(np.abs(cache[4])) >= 0.05
    X3, _, _ = make_problem([4, 5, 3, 1], m=3, seed=2)
    assert not np.array_equal(X, X3)


def test_verdict_thresholds():
    assert [gradcheck.verdict(v) for v in (1e-9, 1e-6, 1e-4, 0.5)] == [
        "fine",
        "acceptable",
        "suspicious",
        "bug",
    ]


def test_plot_parameter_differences_draws_one_bar_per_parameter():
    ax = gradcheck.plot_parameter_differences({"W1": 0.5, "b1": 1e-9, "W2": 0.0}, title="t")
    assert len(ax.patches) == 3
    assert ax.get_yscale() == "log"
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()
