"""The why-residuals experiment: the plain network's gradients vanish, the residual one trains."""

from __future__ import annotations

import numpy as np

from shared_utils.course4 import residual_depth


def test_rings_are_three_balanced_classes_at_three_radii():
    x, y = residual_depth.rings(300, seed=1)
    assert x.shape == (300, 2) and x.dtype == np.float32 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [100, 100, 100]
    radius = np.hypot(x[:, 0], x[:, 1])
    means = [radius[y == c].mean() for c in range(3)]
    assert means[0] < means[1] < means[2]


def test_the_two_networks_differ_only_by_the_shortcuts():
    plain = residual_depth.deep_mlp(4, width=8, residual=False)
    residual = residual_depth.deep_mlp(4, width=8, residual=True)
    assert [w.shape for w in plain.get_weights()] == [w.shape for w in residual.get_weights()]
    for a, b in zip(plain.get_weights(), residual.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert sum(type(layer).__name__ == "Add" for layer in residual.layers) == 4


def test_the_plain_network_gradients_vanish_and_the_residual_network_trains():
    x, y = residual_depth.rings(240, seed=0)
    plain = residual_depth.deep_mlp(20, residual=False)
    residual = residual_depth.deep_mlp(20, residual=True)
    g_plain = residual_depth.gradient_norms(plain, x, y)
    g_res = residual_depth.gradient_norms(residual, x, y)
    assert g_plain.shape == g_res.shape == (20,)
    assert g_plain.max() < 1e-6 * g_res.min()
    losses = residual_depth.train(residual, x, y, steps=60, lr=0.005)
    assert losses[-1] < 0.5 * min(losses[0], np.log(3))
    flat = residual_depth.train(plain, x, y, steps=20, lr=0.005)
    np.testing.assert_allclose(flat, np.log(3), rtol=1e-3)
