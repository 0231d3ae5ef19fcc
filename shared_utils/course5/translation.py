"""Course 5, notebook 7: the layers of the date translator, its weights in a fixed order, a NumPy
forward pass that also returns the attention weights, and the figures and measures around it.

The translator reads a written date of ``Tx`` characters with a bidirectional LSTM encoder
(hidden states ``a``, shape ``(m, Tx, 2 n_a)``) and writes the ``Ty`` characters of its ISO form
with a post-attention LSTM (state ``s``, ``c`` of ``n_s`` units). At each output step an
attention step turns ``a`` and the previous state into a context vector. The layers the steps
share are made once, by :func:`shared_layers`, and handed to the notebook's builders.

:func:`forward` is the same computation in NumPy (float64), written from the equations, with
the attention weights of every step: the notebook draws them, the checks compare with it, and
the tests pin it against the Keras model of ``tools/train_date_translation.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import softmax

SCORES = ("additive", "dot", "general")


@dataclass
class TranslatorLayers:
    """The layers every step of the decoder calls (the same objects at every step)."""

    repeator: Any  # RepeatVector(Tx): s_prev (m, n_s) -> (m, Tx, n_s)
    concatenator: Any  # Concatenate(axis=-1): [a, s_prev repeated] -> (m, Tx, 2 n_a + n_s)
    densor1: Any  # Dense(10, tanh)
    densor2: Any  # Dense(1): one score per input step, (m, Tx, 1)
    activator: Any  # Softmax(axis=1): over the input steps
    dotor: Any  # Dot(axes=1): [alphas (m, Tx, 1), a (m, Tx, 2 n_a)] -> (m, 1, 2 n_a)
    general: Any  # Dense(2 n_a, no bias): Luong's W in score(a_t, s) = a_t . (W s)
    post_activation_LSTM_cell: Any  # LSTM(n_s, return_state=True)
    output_layer: Any  # Dense(machine_vocab_size, softmax)

    def weighted(self, score: str) -> list:
        """The layers with weights that a model with this ``score`` uses, in the stored order."""
        _check_score(score)
        attention = {"additive": [self.densor1, self.densor2], "dot": [], "general": [self.general]}[score]
        return [*attention, self.post_activation_LSTM_cell, self.output_layer]


def _check_score(score: str) -> None:
    if score not in SCORES:
        raise ValueError(f"score must be one of {SCORES}, got {score!r}")


def shared_layers(
    Tx: int, n_a: int, n_s: int, machine_vocab_size: int, dense_units: int = 10, prefix: str = ""
) -> TranslatorLayers:
    """Fresh layers for one translator (``prefix`` starts every name, e.g. "luong_")."""
    import keras

    L = keras.layers
    return TranslatorLayers(
        repeator=L.RepeatVector(Tx, name=f"{prefix}repeator"),
        concatenator=L.Concatenate(axis=-1, name=f"{prefix}concatenator"),
        densor1=L.Dense(dense_units, activation="tanh", name=f"{prefix}densor1"),
        densor2=L.Dense(1, name=f"{prefix}densor2"),
        activator=L.Softmax(axis=1, name=f"{prefix}attention_weights"),
        dotor=L.Dot(axes=1, name=f"{prefix}dotor"),
        general=L.Dense(2 * n_a, use_bias=False, name=f"{prefix}luong_general"),
        # unroll: a sequence of one step needs no loop inside the layer, and the model compiles faster
        post_activation_LSTM_cell=L.LSTM(
            n_s, return_state=True, unroll=True, name=f"{prefix}post_attention_lstm"
        ),
        output_layer=L.Dense(machine_vocab_size, activation="softmax", name=f"{prefix}output_layer"),
    )


def encoder_of(model: Any) -> Any:
    """The one ``Bidirectional`` layer of ``model`` (ValueError naming what was found otherwise)."""
    import keras

    found = [layer for layer in model.layers if isinstance(layer, keras.layers.Bidirectional)]
    if len(found) != 1:
        kinds = ", ".join(type(layer).__name__ for layer in model.layers)
        raise ValueError(
            f"the model should hold exactly one Bidirectional encoder, found {len(found)} "
            f"(its layers: {kinds})"
        )
    return found[0]


def ordered_weights(model: Any, layers: TranslatorLayers, score: str = "additive") -> list:
    """The model's variables in the order the trained weights are stored: the encoder's (forward
    LSTM, then backward), then those of :meth:`TranslatorLayers.weighted`. The order does not
    depend on how the model was written, so weights trained by the tools script load into a
    learner's model."""
    variables = list(encoder_of(model).weights)
    for layer in layers.weighted(score):
        variables += list(layer.weights)
    if len(variables) != len(model.weights) or {id(v) for v in variables} != {id(v) for v in model.weights}:
        raise ValueError(
            f"the model holds {len(model.weights)} weight tensors but its encoder and the shared "
            f"layers of a {score!r} translator hold {len(variables)}: build it from these layers"
        )
    return variables


# ----- NumPy forward pass ----------------------------------------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def lstm_step(x, h, c, kernel, recurrent, bias):
    """One Keras LSTM step (gates i, f, c, o in Keras's order): (h, c)."""
    i, f, g, o = np.split(x @ kernel + h @ recurrent + bias, 4, axis=-1)
    c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * np.tanh(c), c


def lstm_sequence(X, kernel, recurrent, bias, reverse: bool = False) -> np.ndarray:
    """Hidden states of an LSTM over X (m, T, n_x), from zero state: (m, T, n_h)."""
    m, T, _ = X.shape
    n_h = recurrent.shape[0]
    h, c = np.zeros((m, n_h)), np.zeros((m, n_h))
    out = np.zeros((m, T, n_h))
    steps = range(T - 1, -1, -1) if reverse else range(T)
    for t in steps:
        h, c = lstm_step(X[:, t], h, c, kernel, recurrent, bias)
        out[:, t] = h
    return out


def encode_bidirectional(X, weights: Sequence[np.ndarray]) -> np.ndarray:
    """a = [forward states, backward states] of a Bidirectional LSTM: (m, Tx, 2 n_a).

    ``weights``: the six tensors of ``Bidirectional.weights`` (forward, then backward)."""
    X = np.asarray(X, np.float64)
    w = [np.asarray(v, np.float64) for v in weights]
    return np.concatenate([lstm_sequence(X, *w[:3]), lstm_sequence(X, *w[3:6], reverse=True)], axis=-1)


def scores(a, s_prev, weights: Sequence[np.ndarray], score: str) -> np.ndarray:
    """The energies e (m, Tx) of each input step for the previous decoder state s_prev (m, n_s).

    additive (Bahdanau): v . tanh(W [a_t; s_prev] + b) + b_v, weights (W, b, v, b_v);
    dot (Luong): a_t . s_prev, no weights; general (Luong): a_t . (W s_prev), weights (W,)."""
    _check_score(score)
    if score == "additive":
        W1, b1, W2, b2 = weights
        Tx = a.shape[1]
        concat = np.concatenate([a, np.repeat(s_prev[:, None, :], Tx, axis=1)], axis=-1)
        return (np.tanh(concat @ W1 + b1) @ W2 + b2)[..., 0]
    query = s_prev if score == "dot" else s_prev @ weights[0]
    return np.einsum("mtd,md->mt", a, query)


def forward(X, s0, c0, weights: Sequence[np.ndarray], Ty: int, score: str = "additive"):
    """The translator in NumPy (float64): (probabilities (Ty, m, n_y), alphas (Ty, m, Tx)).

    ``X``: one-hot inputs (m, Tx, n_x); ``weights``: the tensors in the order of
    :func:`ordered_weights` (as numbers); ``s0``, ``c0``: the decoder's first state (m, n_s)."""
    _check_score(score)
    w = [np.asarray(v, np.float64) for v in weights]
    n_attention = {"additive": 4, "dot": 0, "general": 1}[score]
    attention, rest = w[6 : 6 + n_attention], w[6 + n_attention :]
    kernel, recurrent, bias, Wy, by = rest
    a = encode_bidirectional(X, w[:6])
    s, c = np.asarray(s0, np.float64), np.asarray(c0, np.float64)
    probabilities, alphas = [], []
    for _ in range(Ty):
        alpha = softmax(scores(a, s, attention, score), axis=1)
        context = np.einsum("mt,mtd->md", alpha, a)
        s, c = lstm_step(context, s, c, kernel, recurrent, bias)
        probabilities.append(softmax(s @ Wy + by, axis=-1))
        alphas.append(alpha)
    return np.stack(probabilities), np.stack(alphas)


def weights_of(variables: Sequence[Any]) -> list[np.ndarray]:
    """The values of Keras variables as NumPy arrays."""
    return [np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in variables]


# ----- measures and figures ------------------------------------------------------------------


def predict_iso(model: Any, Xoh: np.ndarray, n_s: int, batch_size: int = 500) -> list[str]:
    """The ISO dates a trained Keras translator writes for one-hot inputs (m, Tx, n_x)."""
    from shared_utils.data.dates import decode, machine_vocabulary

    out = []
    for i in range(0, len(Xoh), batch_size):
        xb = Xoh[i : i + batch_size]
        zeros = np.zeros((len(xb), n_s), dtype="float32")
        probs = np.stack([np.asarray(p) for p in model([xb, zeros, zeros])], axis=1)  # (m, Ty, n_y)
        out += decode(probs.argmax(-1).astype(np.int32), machine_vocabulary())
    return out


def exact_match(predicted: Sequence[str], expected: Sequence[str]) -> float:
    """The share of dates written exactly right (all ten characters)."""
    if len(predicted) != len(expected) or not len(expected):
        raise ValueError(f"need as many predictions as dates, got {len(predicted)} and {len(expected)}")
    return float(np.mean([p == e for p, e in zip(predicted, expected)]))


def plot_attention(ax, alphas: np.ndarray, text: str, output: str, title: str = "") -> None:
    """One heatmap: the weight of each output character (rows) on each input character (columns)."""
    n = len(text)
    ax.imshow(alphas[:, :n], cmap="viridis", aspect="auto", vmin=0, vmax=1)
    ax.set_xticks(range(n), list(text), fontsize=8)
    ax.set_yticks(range(len(output)), list(output), fontsize=8)
    ax.set_xlabel("input character")
    ax.set_ylabel("output character")
    ax.set_title(title or f"{text!r} -> {output}", fontsize=9)
