"""Why residual connections: a deep plain network against the same network with shortcuts.

Course 4 notebook 3 opens with this experiment, small enough to run in seconds on a CPU:

    rings(n, seed)                       a 2-D, 3-class toy task: points on three noisy rings
    deep_mlp(depth, width, residual)     ``depth`` hidden Dense+ReLU layers of ``width`` units
                                         (kernels drawn from N(0, 0.05^2), no batch norm);
                                         with ``residual=True`` each layer adds its input back:
                                         h <- h + relu(W h + b)
    gradient_norms(model, x, y)          the norm of the loss's gradient for each hidden
                                         layer's kernel at the current weights, input side first
    train(model, x, y, steps, lr)        plain gradient descent on the full batch; the loss
                                         after each step

The plain network's signal shrinks at each layer (with 32 units and that spread, a layer
multiplies the signal's mean square by about 32 * 0.0025 / 2 = 0.04), so
its early layers get gradients many orders of magnitude smaller than its last ones and barely
learn; the residual network passes the signal and the gradient along the identity path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

INIT_STD = 0.1  # the hidden kernels' initial standard deviation, for both networks


def rings(n: int = 600, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points (n, 2) float32 on three concentric noisy rings, labels (n,) int64 in 0..2."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = 0.5 + 0.5 * y + rng.normal(0, 0.08, n)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return x.astype("float32"), y.astype("int64")


def deep_mlp(
    depth: int,
    width: int = 32,
    residual: bool = False,
    n_in: int = 2,
    n_out: int = 3,
    seed: int = 0,
    init_std: float = INIT_STD,
):
    """A softmax classifier with ``depth`` hidden ReLU layers of ``width`` units, shortcuts or not.

    Every hidden kernel is drawn from N(0, init_std^2), the same for both kinds, so that the
    shortcut is the only difference.
    """
    import keras

    keras.utils.set_random_seed(seed)
    init = keras.initializers.RandomNormal(stddev=init_std, seed=seed)
    kind = "residual" if residual else "plain"
    inputs = keras.Input((n_in,), name=f"{kind}_input")
    h = keras.layers.Dense(width, name=f"{kind}_embed")(inputs)
    for i in range(depth):
        out = keras.layers.Dense(
            width, activation="relu", kernel_initializer=init, name=f"{kind}_hidden_{i + 1}"
        )(h)
        h = keras.layers.Add(name=f"{kind}_add_{i + 1}")([h, out]) if residual else out
    outputs = keras.layers.Dense(n_out, activation="softmax", name=f"{kind}_softmax")(h)
    return keras.Model(inputs, outputs, name=f"{kind}_{depth}")


def _hidden(model: Any) -> list:
    return [layer for layer in model.layers if "_hidden_" in layer.name]


def gradient_norms(model: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(depth,) the L2 norm of d(loss)/d(kernel) of each hidden layer, first layer first."""
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    kernels = [layer.kernel for layer in _hidden(model)]
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, kernels)
    return np.array([float(tf.norm(g)) for g in grads])


def train(model: Any, x: np.ndarray, y: np.ndarray, steps: int = 300, lr: float = 0.1) -> np.ndarray:
    """Full-batch gradient descent for ``steps`` steps; (steps,) the loss before each step."""
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    optimizer = keras.optimizers.SGD(learning_rate=lr)
    variables = model.trainable_variables
    x, y = tf.constant(x), tf.constant(y)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    return np.array([float(step()) for _ in range(steps)])
