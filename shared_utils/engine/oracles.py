"""Expected values computed with the framework's own ops, shared by the check modules.

An oracle is independent of the notebook's solution: automatic differentiation by
``tf.GradientTape`` in float64 instead of a hand-derived backward pass, a Keras layer holding
copies of the learner's weights instead of a second hand-written forward pass.

Conventions of the from-scratch notebooks: examples are columns, a layer's weights are
``W`` of shape (n, n_prev) and ``b`` of shape (n, 1); Keras wants examples as rows, so
:func:`dense` and :func:`columns` transpose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def _to_numpy(value: Any) -> Any:
    """Tensors (also inside dicts, lists and tuples) as NumPy arrays."""
    if isinstance(value, dict):
        return {k: _to_numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(v) for v in value)
    if hasattr(value, "numpy") and callable(value.numpy):
        return value.numpy()
    return value


def gradients(fn: Callable, values: dict[str, Any], has_aux: bool = False) -> tuple:
    """The value of a scalar function of named arrays and its gradient, by ``tf.GradientTape``.

    ``fn`` receives a dict of float64 tensors (the entries of ``values``, watched by the
    tape) and returns the scalar to differentiate (a tensor of any shape is summed, as
    GradientTape does), or, with ``has_aux``, a pair (scalar, aux) where aux holds further
    tensors to return (e.g. the forward pass's cache).

    Returns ``(value, grads)``, or ``(value, grads, aux)`` with ``has_aux``: ``value`` a float,
    ``grads`` a dict of float64 arrays of the shapes of ``values`` (zeros where ``fn`` does
    not depend on an entry), ``aux`` with its tensors as NumPy arrays.
    """
    import tensorflow as tf

    tensors = {k: tf.constant(np.asarray(v, dtype=np.float64)) for k, v in values.items()}
    with tf.GradientTape() as tape:
        tape.watch(list(tensors.values()))
        out = fn(tensors)
        target, aux = out if has_aux else (out, None)
        target = tf.reduce_sum(target)
    grads = tape.gradient(target, tensors, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    result = (float(target.numpy()), {k: g.numpy() for k, g in grads.items()})
    return (*result, _to_numpy(aux)) if has_aux else result


def sigmoid_cross_entropy(labels: Any, logits: Any) -> Any:
    """Mean binary cross-entropy of ``sigmoid(logits)`` against ``labels``, as a float64 tensor.

    TensorFlow's ``sigmoid_cross_entropy_with_logits`` averaged over every entry (for labels
    of shape (1, m): over the m examples); usable inside :func:`gradients`.
    """
    import tensorflow as tf

    logits = tf.cast(logits, tf.float64)
    labels = tf.cast(tf.convert_to_tensor(labels), tf.float64)
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))


def layer_output(layer: Any, x: Any, weights: list | None = None, **call_kwargs: Any) -> np.ndarray:
    """A Keras layer's output for ``x``, with ``weights`` copied in (``layer.set_weights``).

    The layer is built for ``x``'s shape first; ``call_kwargs`` go to the call (e.g.
    ``training=True``).  Give the layer the dtype of ``x`` (e.g. ``dtype="float64"``) to
    compare in that precision.
    """
    x = np.asarray(x)
    if not layer.built:
        layer.build(x.shape)
    if weights is not None:
        layer.set_weights([np.asarray(w) for w in weights])
    return np.asarray(layer(x, **call_kwargs))


def dense(
    W: np.ndarray,
    b: np.ndarray,
    activation: str | None = None,
    dtype: str = "float64",
    name: str = "check_dense",
) -> Any:
    """A Keras ``Dense`` layer holding ``W`` (n, n_prev) and ``b`` (n, 1) of the column convention.

    The layer is named (``name``), so that it takes none of the learner's automatic layer names.
    """
    import keras

    W = np.asarray(W)
    layer = keras.layers.Dense(W.shape[0], activation=activation, dtype=dtype, name=name)
    layer.build((None, W.shape[1]))
    layer.set_weights([W.T, np.asarray(b).ravel()])
    return layer


def columns(layer: Any, A: np.ndarray) -> np.ndarray:
    """A Keras layer applied to column examples ``A`` (n_prev, m): its output as (n, m)."""
    return np.asarray(layer(np.asarray(A).T)).T
