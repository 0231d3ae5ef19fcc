"""Parameters of course 5's recurrent cells, in the notebook's layout (matrices acting on columns).

* the plain RNN: ``Wax`` (n_a, n_x), ``Waa`` (n_a, n_a), ``ba`` (n_a, 1), ``Wya`` (n_y, n_a), ``by`` (n_y, 1);
* the LSTM: ``Wf``, ``Wi``, ``Wc``, ``Wo`` (n_a, n_a + n_x) acting on [a_prev; x_t], their biases
  ``bf``, ``bi``, ``bc``, ``bo`` (n_a, 1), and ``Wy`` (n_y, n_a), ``by`` (n_y, 1);
* the GRU: ``Wr``, ``Wu``, ``Wc`` (n_a, n_a + n_x), ``br``, ``bu``, ``bc`` (n_a, 1), ``Wy``, ``by``.
"""

from __future__ import annotations

import numpy as np

from shared_utils.course5 import rnn_keras_map


def shapes(kind: str, n_x: int, n_a: int, n_y: int) -> dict[str, tuple[int, int]]:
    """The shape of every parameter of a ``kind`` cell ("rnn", "lstm", "gru"), output layer included."""
    if kind == "rnn":
        return {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "ba": (n_a, 1), "Wya": (n_y, n_a), "by": (n_y, 1)}
    if kind not in ("lstm", "gru"):
        raise ValueError(f"kind must be 'rnn', 'lstm' or 'gru', got {kind!r}")
    out = {}
    for gate in ("f", "i", "c", "o") if kind == "lstm" else ("r", "u", "c"):
        out[f"W{gate}"] = (n_a, n_a + n_x)
        out[f"b{gate}"] = (n_a, 1)
    out.update({"Wy": (n_y, n_a), "by": (n_y, 1)})
    return out


def random_parameters(kind: str, n_x: int, n_a: int, n_y: int, seed: int = 0, scale: float = 1.0) -> dict:
    """Random parameters of a ``kind`` cell: weights N(0, scale / sqrt(fan-in)), biases N(0, 0.5 scale).

    Large enough for the gates to differ clearly from 0.5 and the tanh to bend, small enough
    that it does not saturate.
    """
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in shapes(kind, n_x, n_a, n_y).items():
        spread = 0.5 * scale if name.startswith("b") else scale / np.sqrt(shape[1])
        out[name] = rng.normal(0.0, spread, shape)
    return out


def keras_initial_parameters(kind: str, n_x: int, n_a: int, n_y: int, seed: int = 0) -> dict:
    """The parameters a Keras layer of this kind starts training from, in the notebook's layout.

    Keras's defaults, seeded: Glorot-uniform kernels, orthogonal recurrent kernels, zero
    biases but the LSTM's forget gate, whose bias starts at 1 (``unit_forget_bias=True``); the
    output weights are Glorot-uniform, their bias zero.
    """
    import keras

    init = {
        "kernel_initializer": keras.initializers.GlorotUniform(seed=seed),
        "recurrent_initializer": keras.initializers.Orthogonal(seed=seed + 1),
        "dtype": "float64",
    }
    layers = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}
    if kind == "gru":
        layer = keras.layers.GRU(n_a, reset_after=False, name="init_gru", **init)
    else:
        layer = layers[kind](n_a, name=f"init_{kind}", **init)
    layer.build((None, None, n_x))
    params = rnn_keras_map.from_keras_weights(kind, layer.get_weights())
    W_name = "Wya" if kind == "rnn" else "Wy"
    params[W_name] = np.asarray(keras.initializers.GlorotUniform(seed=seed + 2)((n_y, n_a)), dtype=np.float64)
    params["by"] = np.zeros((n_y, 1))
    return params
