"""shared_utils.course2.dnn (generated from course 2, notebook 1's #@save cell): the cost and the
backward pass that stay finite when an output saturates, against tf.GradientTape and TensorFlow's
sigmoid cross-entropy on the logits."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course1 import dnn
from shared_utils.course2.dnn import L_model_backward_stable, compute_cost_clipped

tf = pytest.importorskip("tensorflow")


def test_compute_cost_clipped_equals_the_cross_entropy_away_from_0_and_1():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(1, 12))
    Y = (rng.random((1, 12)) < 0.5).astype(np.float64)
    AL = 1 / (1 + np.exp(-logits))
    expected = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=logits)).numpy()
    assert compute_cost_clipped(AL, Y) == pytest.approx(float(expected), rel=1e-12)


def test_compute_cost_clipped_charges_minus_log_eps_for_a_saturated_wrong_output():
    AL, Y = np.array([[0.0, 1.0, 1.0]]), np.array([[1.0, 0.0, 1.0]])
    cost = compute_cost_clipped(AL, Y)
    assert np.isfinite(cost)
    assert cost == pytest.approx(2 * -np.log(1e-12) / 3, rel=1e-6)


@pytest.mark.parametrize("dims", [[6, 1], [5, 4, 1], [7, 5, 3, 1]])
def test_L_model_backward_stable_matches_gradient_tape(dims):
    rng = np.random.default_rng(len(dims))
    X = rng.normal(size=(dims[0], 11))
    Y = (rng.random((1, 11)) < 0.5).astype(np.float64)
    p = dnn.initialize_parameters_lecun(dims, seed=7)
    AL, caches = dnn.L_model_forward(X, p)
    grads = L_model_backward_stable(AL, Y, caches)
    variables = {k: tf.constant(v) for k, v in p.items()}
    L = len(dims) - 1
    with tf.GradientTape() as tape:
        tape.watch(list(variables.values()))
        a = tf.constant(X)
        for l in range(1, L + 1):
            z = tf.matmul(variables[f"W{l}"], a) + variables[f"b{l}"]
            a = tf.nn.relu(z) if l < L else z
        cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(Y), logits=a))
    for k, g in zip(variables, tape.gradient(cost, list(variables.values()))):
        np.testing.assert_allclose(grads[f"d{k}"], g.numpy(), rtol=1e-9, atol=1e-12, err_msg=k)
    # away from saturation it is course 1's L_model_backward, up to rounding
    for k, v in dnn.L_model_backward(AL, Y, caches).items():
        np.testing.assert_allclose(grads[k], v, rtol=1e-9, atol=1e-12, err_msg=k)


def test_L_model_backward_stable_is_finite_where_course_1s_divides_zero_by_zero():
    X = np.array([[100.0, -100.0]])
    p = {"W1": np.array([[10.0]]), "b1": np.zeros((1, 1))}
    AL, caches = dnn.L_model_forward(X, p)
    assert AL[0, 0] == 1.0 and AL[0, 1] == 0.0
    grads = L_model_backward_stable(AL, np.array([[1.0, 0.0]]), caches)
    assert all(np.all(np.isfinite(v)) for v in grads.values())
    assert grads["dW1"][0, 0] == 0.0  # both outputs are exactly right
