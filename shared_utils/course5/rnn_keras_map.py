"""The recurrent cells of course 5 as Keras layers: weight mapping, forward pass, gradients.

Course 5's first notebook writes the cells in the layout of the Deep Learning
Specialization: a sequence ``x`` is (n_x, m, T_x), hidden states ``a`` are (n_a, m, T_x), and
the parameters are a dict of matrices acting on column vectors.  Keras's recurrent layers
read (batch, time, features) and keep three arrays per layer, ``kernel`` (n_x, k n_a) acting
on the input, ``recurrent_kernel`` (n_a, k n_a) acting on the previous state and ``bias``,
with the k blocks of a gated cell side by side in Keras's order:

* ``SimpleRNN``: ``Wax`` -> kernel ``Wax.T``, ``Waa`` -> recurrent kernel ``Waa.T``, ``ba`` -> bias.
* ``LSTM``: gates ordered i, f, c, o.  Each of the notebook's ``W?`` (n_a, n_a + n_x) acts on
  the concatenation [a_prev; x_t]: its first n_a columns are the recurrent part, the last n_x
  the input part, so kernel = [Wi[:, n_a:].T | Wf[:, n_a:].T | Wc[:, n_a:].T | Wo[:, n_a:].T],
  recurrent kernel the same with ``[:, :n_a]``, bias = [bi; bf; bc; bo].
* ``GRU``: blocks ordered z, r, h, and ``h = z * h_prev + (1 - z) * h_candidate``: Keras's z is
  the weight of the *old* state, the notebook's update gate ``u`` the weight of the candidate,
  so z = 1 - u = sigmoid(-(Wu [a_prev; x] + bu)): the update block holds ``-Wu`` and ``-bu``.
  The notebook's candidate ``tanh(Wc [r * a_prev; x] + bc)`` resets the state *before* the
  recurrent product, which is ``GRU(reset_after=False)`` (one bias of 3 n_a); Keras's default,
  ``reset_after=True``, computes ``tanh(W x + b_x + r * (U a_prev + b_a))`` (two biases), a
  different function that no copy of weights turns into the notebook's.

The outputs ``y`` (a softmax of ``Wya a + by``, ``Wy a + by`` for the gated cells) are a
``Dense`` layer applied to every step.  The mapping is a permutation of entries (and a sign
for the GRU's update gate), so the gradient of a Keras weight maps back to the gradient of
the notebook's parameter by the inverse mapping (:func:`from_keras_weights`).

Everything runs in float64; the layers are named ``check_...`` so that they take none of the
learner's automatic layer names.
"""

from __future__ import annotations

from typing import Any

import numpy as np

KINDS = ("rnn", "lstm", "gru")
# the notebook's parameter names of each cell, in Keras's block order (the output layer apart)
GATES = {"lstm": ("i", "f", "c", "o"), "gru": ("u", "r", "c")}
OUTPUT = {"rnn": ("Wya", "by"), "lstm": ("Wy", "by"), "gru": ("Wy", "by")}


def to_keras(x: np.ndarray) -> np.ndarray:
    """A sequence (n, m, T) of the notebook's layout as Keras's (m, T, n)."""
    return np.transpose(np.asarray(x), (1, 2, 0))


def from_keras(x: Any) -> np.ndarray:
    """A Keras sequence (m, T, n) in the notebook's layout (n, m, T)."""
    return np.transpose(np.asarray(x), (2, 0, 1))


def hidden_size(kind: str, params: dict) -> int:
    """n_a of a cell's parameters."""
    return int(np.shape(params["Waa" if kind == "rnn" else ("Wf" if kind == "lstm" else "Wu")])[0])


def input_size(kind: str, params: dict) -> int:
    """n_x of a cell's parameters."""
    if kind == "rnn":
        return int(np.shape(params["Wax"])[1])
    return int(np.shape(params["Wf" if kind == "lstm" else "Wu"])[1]) - hidden_size(kind, params)


def keras_weights(kind: str, params: dict) -> list[np.ndarray]:
    """[kernel, recurrent_kernel, bias] of the Keras layer that computes the notebook's cell.

    ``kind`` is "rnn" (SimpleRNN), "lstm" (LSTM) or "gru" (GRU with ``reset_after=False``).
    """
    p = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    if kind == "rnn":
        return [p["Wax"].T, p["Waa"].T, p["ba"].ravel()]
    if kind not in GATES:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    n_a = hidden_size(kind, p)
    sign = {g: (-1.0 if (kind, g) == ("gru", "u") else 1.0) for g in GATES[kind]}
    kernel = np.concatenate([sign[g] * p[f"W{g}"][:, n_a:].T for g in GATES[kind]], axis=1)
    recurrent = np.concatenate([sign[g] * p[f"W{g}"][:, :n_a].T for g in GATES[kind]], axis=1)
    bias = np.concatenate([sign[g] * p[f"b{g}"].ravel() for g in GATES[kind]])
    return [kernel, recurrent, bias]


def from_keras_weights(kind: str, weights: list) -> dict[str, np.ndarray]:
    """The inverse of :func:`keras_weights`: the notebook's cell parameters (output layer apart).

    Applied to the gradients of [kernel, recurrent_kernel, bias] it gives the gradients of the
    notebook's parameters, since the mapping only moves entries (and flips a sign).
    """
    kernel, recurrent, bias = (np.asarray(w, dtype=np.float64) for w in weights)
    if kind == "rnn":
        return {"Wax": kernel.T, "Waa": recurrent.T, "ba": bias.reshape(-1, 1)}
    if kind not in GATES:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    n_a = recurrent.shape[0]
    out = {}
    for j, g in enumerate(GATES[kind]):
        sign = -1.0 if (kind, g) == ("gru", "u") else 1.0
        block = slice(j * n_a, (j + 1) * n_a)
        out[f"W{g}"] = sign * np.concatenate([recurrent[:, block].T, kernel[:, block].T], axis=1)
        out[f"b{g}"] = sign * bias[block].reshape(-1, 1)
    return out


def keras_layer(kind: str, params: dict, name: str = "check") -> Any:
    """The built Keras layer (float64, all steps and the final states returned) holding ``params``."""
    import keras

    n_a, n_x = hidden_size(kind, params), input_size(kind, params)
    common = {"return_sequences": True, "return_state": True, "dtype": "float64"}
    if kind == "rnn":
        layer = keras.layers.SimpleRNN(n_a, name=f"{name}_simple_rnn", **common)
    elif kind == "lstm":
        layer = keras.layers.LSTM(n_a, name=f"{name}_lstm", **common)
    elif kind == "gru":
        layer = keras.layers.GRU(n_a, reset_after=False, name=f"{name}_gru", **common)
    else:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    layer.build((None, None, n_x))
    layer.set_weights(keras_weights(kind, params))
    return layer


def keras_output_layer(kind: str, params: dict, name: str = "check") -> Any:
    """The softmax ``Dense`` layer holding the output weights (``Wya``/``Wy``, ``by``)."""
    import keras

    W_name, b_name = OUTPUT[kind]
    W, b = np.asarray(params[W_name], dtype=np.float64), np.asarray(params[b_name], dtype=np.float64)
    layer = keras.layers.Dense(W.shape[0], activation="softmax", dtype="float64", name=f"{name}_output")
    layer.build((None, W.shape[1]))
    layer.set_weights([W.T, b.ravel()])
    return layer


def _states(kind: str, a0: np.ndarray, c0: np.ndarray | None) -> list:
    import tensorflow as tf

    states = [tf.constant(np.asarray(a0, dtype=np.float64).T)]
    if kind == "lstm":
        c0 = np.zeros_like(np.asarray(a0, dtype=np.float64)) if c0 is None else c0
        states.append(tf.constant(np.asarray(c0, dtype=np.float64).T))
    return states


def forward(kind: str, x: np.ndarray, a0: np.ndarray, params: dict, c0: np.ndarray | None = None) -> dict:
    """The Keras layer's pass over ``x`` (n_x, m, T_x) from ``a0`` (n_a, m) (and ``c0``, zeros by default).

    Returns, in the notebook's layout, "a" (n_a, m, T_x), "y" (n_y, m, T_x) and, for the
    LSTM, "c" (n_a, m, T_x), the memory cell at every step.  Keras returns only the last
    memory cell, so the LSTM's cell (``layer.cell``, the ``LSTMCell`` the layer loops over)
    is called one step at a time to collect every ``c``.
    """
    import tensorflow as tf

    layer = keras_layer(kind, params)
    head = keras_output_layer(kind, params)
    x = np.asarray(x, dtype=np.float64)
    states = _states(kind, a0, c0)
    if kind == "lstm":  # every c: one step at a time, carrying both states
        a_steps, c_steps = [], []
        for t in range(x.shape[2]):
            _, states = layer.cell(tf.constant(x[:, :, t].T), states)
            a_steps.append(states[0].numpy().T)
            c_steps.append(states[1].numpy().T)
        a = np.stack(a_steps, axis=2)
        out = {"a": a, "c": np.stack(c_steps, axis=2)}
    else:
        seq = layer(tf.constant(to_keras(x)), initial_state=states)[0]
        out = {"a": from_keras(seq.numpy())}
    out["y"] = from_keras(head(to_keras(out["a"])).numpy())
    return out


def gradients(
    kind: str,
    x: np.ndarray,
    a0: np.ndarray,
    params: dict,
    da: np.ndarray,
    c0: np.ndarray | None = None,
    dc_last: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Gradients by ``tf.GradientTape`` through the Keras layer holding ``params``.

    The scalar differentiated is ``sum(a * da)`` over every step (``da`` (n_a, m, T_x), the
    upstream gradient of each hidden state), plus ``sum(c_T * dc_last)`` for the LSTM's last
    memory cell where ``dc_last`` is given.  Returns "dx" (n_x, m, T_x), "da0" (n_a, m), for
    the LSTM "dc0" (n_a, m), and "dW?"/"db?" for every cell parameter (``dWax``, ``dWaa``,
    ``dba``; ``dWf``, ``dbf``, ...), in the notebook's layout.
    """
    import tensorflow as tf

    layer = keras_layer(kind, params)
    xk = tf.constant(to_keras(np.asarray(x, dtype=np.float64)))
    states = _states(kind, a0, c0)
    upstream = tf.constant(to_keras(np.asarray(da, dtype=np.float64)))
    with tf.GradientTape() as tape:
        tape.watch([xk, *states])
        out = layer(xk, initial_state=states)
        total = tf.reduce_sum(out[0] * upstream)
        if kind == "lstm" and dc_last is not None:
            total += tf.reduce_sum(out[2] * tf.constant(np.asarray(dc_last, dtype=np.float64).T))
    weights = list(layer.trainable_weights)
    grads = tape.gradient(total, [xk, *states, *weights], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    result = {"dx": from_keras(grads[0].numpy()), "da0": grads[1].numpy().T}
    if kind == "lstm":
        result["dc0"] = grads[2].numpy().T
    dparams = from_keras_weights(kind, [g.numpy() for g in grads[len(states) + 1 :]])
    result.update({f"d{k}": v for k, v in dparams.items()})
    return result
