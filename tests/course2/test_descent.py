"""shared_utils.course2.descent: the training loop against Keras/TensorFlow, the 2-D paths against their
closed form, and the figures draw what they promise."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from shared_utils.course1 import dnn
from shared_utils.course2 import descent

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

GD = descent.Rule(
    init=lambda p: None, step=lambda p, g, state, t, lr: (dnn.update_parameters(p, g, lr), None)
)
FROZEN = descent.Rule(init=lambda p: None, step=lambda p, g, state, t, lr: (p, None))


def _data(m: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(3, m))
    Y = (X[0:1] + 0.5 * X[1:2] ** 2 + 0.3 * rng.normal(size=(1, m)) > 0.4).astype(np.float64)
    return X, Y


def _whole(X, Y, size, seed):
    return [(X, Y)]


def _tf_full_batch(X, Y, params0, lr, epochs):
    """Full-batch gradient descent by tf.GradientTape: final parameters and the cost before each step."""
    L = len(params0) // 2
    ps = [tf.Variable(params0[f"{k}{l}"]) for l in range(1, L + 1) for k in "Wb"]
    opt = keras.optimizers.SGD(learning_rate=lr)
    costs = []
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            a = tf.constant(X)
            for l in range(L):
                z = ps[2 * l] @ a + ps[2 * l + 1]
                a = tf.nn.relu(z) if l < L - 1 else z
            cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(Y), logits=a))
        opt.apply_gradients(zip(tape.gradient(cost, ps), ps))
        costs.append(float(cost))
    return {f"{k}{l}": ps[2 * (l - 1) + (k == "b")].numpy() for l in range(1, L + 1) for k in "Wb"}, costs


@pytest.mark.parametrize("dims", [[3, 1], [3, 5, 1], [3, 6, 4, 1]])
def test_train_full_batch_matches_tensorflow(dims):
    X, Y = _data()
    lr = 0.25  # exact in float32, where Keras keeps its learning rate
    run = descent.train(X, Y, dims, GD, _whole, num_epochs=12, learning_rate=lr, seed=3)
    expected, costs = _tf_full_batch(X, Y, dnn.initialize_parameters_lecun(dims, 3), lr, 12)
    for key, value in expected.items():
        np.testing.assert_allclose(run.parameters[key], value, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.costs, costs, rtol=1e-9)
    assert run.steps == 12 and run.learning_rates == [lr] * 12


def test_train_calls_batches_with_seed_per_epoch_and_counts_steps_from_one():
    X, Y = _data(m=10)
    seen_seeds, seen_t = [], []

    def batches(X, Y, size, seed):
        seen_seeds.append((size, seed))
        return [(X[:, :4], Y[:, :4]), (X[:, 4:], Y[:, 4:])]

    def step(p, g, state, t, lr):
        seen_t.append(t)
        return p, state + 1

    rule = descent.Rule(init=lambda p: 0, step=step)
    run = descent.train(
        X,
        Y,
        [3, 2, 1],
        rule,
        batches,
        num_epochs=3,
        learning_rate=lambda e: 0.1 * (e + 1),
        mini_batch_size=4,
        seed=7,
    )
    assert seen_seeds == [(4, 7), (4, 8), (4, 9)]
    assert seen_t == list(range(1, 7)) and run.steps == 6
    np.testing.assert_allclose(run.learning_rates, [0.1, 0.2, 0.3])


def test_epoch_cost_is_the_mean_over_all_examples_of_unequal_batches():
    X, Y = _data(m=11)

    def batches(X, Y, size, seed):
        return [(X[:, :8], Y[:, :8]), (X[:, 8:], Y[:, 8:])]

    run = descent.train(X, Y, [3, 4, 1], FROZEN, batches, num_epochs=2, learning_rate=0.1, seed=0)
    params = dnn.initialize_parameters_lecun([3, 4, 1], 0)
    logits = keras.Sequential(
        [
            keras.Input((3,), dtype="float64"),
            keras.layers.Dense(4, activation="relu", dtype="float64"),
            keras.layers.Dense(1, dtype="float64"),
        ]
    )
    logits.set_weights([params["W1"].T, params["b1"].ravel(), params["W2"].T, params["b2"].ravel()])
    full = keras.losses.BinaryCrossentropy(from_logits=True)(Y.T, logits(X.T))
    np.testing.assert_allclose(run.costs, [float(full)] * 2, rtol=1e-7)


@pytest.mark.parametrize("a,b,lr", [(1.0, 20.0, 0.08), (2.0, 5.0, 0.1)])
def test_trace_of_gradient_descent_on_the_bowl_is_geometric(a, b, lr):
    bowl = descent.elongated_bowl(a, b)
    path = descent.trace(bowl, GD, lr, 30)
    k = np.arange(31)
    x0, y0 = bowl.start
    np.testing.assert_allclose(path[:, 0], x0 * (1 - lr * a) ** k, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path[:, 1], y0 * (1 - lr * b) ** k, rtol=1e-12, atol=1e-15)


def test_trace_stops_when_the_path_blows_up():
    path = descent.trace(
        descent.elongated_bowl(), GD, 0.5, 200, start=(1.0, 1.0)
    )  # |1 - 0.5 * 20| = 9 per step
    assert len(path) < 20 and np.all(np.isfinite(path)) and np.abs(path).max() <= 1e6


def test_trace_feeds_the_rule_its_state_and_step_number():
    def step(p, g, state, t, lr):
        assert state == t - 1
        return {"W1": p["W1"] - lr * g["dW1"], "b1": p["b1"] - lr * g["db1"]}, t

    path = descent.trace(descent.elongated_bowl(), descent.Rule(lambda p: 0, step), 0.01, 5)
    assert path.shape == (6, 2)


def test_plot_paths_draws_one_line_per_entry():
    bowl = descent.elongated_bowl()
    paths = {"gd": descent.trace(bowl, GD, 0.05, 10), "gd slow": descent.trace(bowl, GD, 0.01, 10)}
    ax = descent.plot_paths(bowl, paths)
    assert {line.get_label() for line in ax.get_lines()} >= {"gd", "gd slow"}
    plt.close(ax.figure)
