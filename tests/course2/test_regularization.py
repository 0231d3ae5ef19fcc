"""The 3-layer network helpers of the regularization notebook, against TensorFlow, and the pitch figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from shared_utils.checks.c2_02_regularization import _tf_grads  # noqa: E402
from shared_utils.course1 import dnn
from shared_utils.course2 import regularization  # noqa: E402


def _net(seed=0, dims=(2, 6, 3, 1), m=9):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, 4):
        params[f"W{l}"] = rng.normal(0, 1, (dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1))
    X = rng.normal(size=(dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    return X, Y, params


def test_forward_matches_dnn_and_fills_the_documented_cache():
    X, _, params = _net()
    A3, cache = regularization.forward_propagation(X, params)
    AL, _ = dnn.L_model_forward(X, params)
    np.testing.assert_allclose(A3, AL, rtol=1e-12)
    assert set(cache) == {"Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3"}
    np.testing.assert_allclose(cache["A1"], np.maximum(cache["Z1"], 0))


def test_backward_matches_gradient_tape():
    for seed in range(3):
        X, Y, params = _net(seed)
        tf_cache, expected = _tf_grads(X, Y, params)
        _, cache = regularization.forward_propagation(X, params)
        grads = regularization.backward_propagation(X, Y, cache)
        for k, v in expected.items():
            np.testing.assert_allclose(grads[k], v, rtol=1e-9, atol=1e-12)
        for k in ("Z1", "A2", "A3"):
            np.testing.assert_allclose(cache[k], tf_cache[k], rtol=1e-12)


def test_predict_labels_match_the_deep_network():
    X, Y, params = _net(m=50)
    labels = regularization.predict_labels(X, params)
    assert labels.shape == (1, 50) and set(np.unique(labels)) <= {0, 1}
    np.testing.assert_array_equal(labels, dnn.predict(X, params))


def test_pitch_figures_draw():
    X, Y, params = _net(m=30)
    fig, axes = plt.subplots(1, 2)
    regularization.plot_kicks(X, Y, ax=axes[0], players=True, title="kicks")
    regularization.plot_boundary(
        lambda P: regularization.predict_labels(P, params), X, Y, ax=axes[1], resolution=40
    )
    assert len(axes[0].patches) >= 10  # outline, circle, 2 x (2 areas, arc, goal)
    assert axes[1].get_title() == "" and axes[0].get_title() == "kicks"
    assert axes[1].get_xlim() == (regularization.VIEW[0], regularization.VIEW[1])
    assert len(axes[1].collections) >= 4  # territories, outline, both teams' points
    assert {t.get_text() for t in axes[1].get_legend().get_texts()} == {"teammate won it", "opponent won it"}
    plt.close(fig)
