"""A character-level RNN language model in NumPy, and the helpers of its Keras counterpart.

The machinery of course 5's notebook 2 that the learner does not write: the vocabulary, the
parameters, the forward pass over one name (softmax outputs and the cross-entropy loss), the
backward pass through time, the parameter update and the smoothed loss; then, for the Keras
LSTM, fixed-length windows of the names' text and generation with a temperature.

Conventions (one name is one sequence):

* The vocabulary is ``["\\n", "a", "b", ...]``: index 0 is the newline, which both starts and
  ends a name (the names file is one name per line, so a model of its text reads a newline,
  then a name, then a newline).
* A name becomes ``X = [0, c1, ..., cT]`` and ``Y = [c1, ..., cT, 0]`` (lists of indices):
  at step t the network reads ``X[t]`` and must predict ``Y[t]``, the next character.
* Column vectors, as in the Specialization: ``a`` has shape ``(n_a, 1)``; the parameters are
  ``Wax (n_a, V)``, ``Waa (n_a, n_a)``, ``Wya (V, n_a)``, ``b (n_a, 1)``, ``by (V, 1)``.

    a<t> = tanh(Wax x<t> + Waa a<t-1> + b),   y_hat<t> = softmax(Wya a<t> + by),
    loss = - sum_t log y_hat<t>[Y[t]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.special

NEWLINE = "\n"
PARAMETER_NAMES = ("Wax", "Waa", "Wya", "b", "by")


def vocabulary(names: Sequence[str]) -> tuple[list[str], dict[str, int], dict[int, str]]:
    """``(chars, char_to_ix, ix_to_char)``: the newline first, then the names' characters sorted."""
    chars = [NEWLINE] + sorted(set("".join(names)) - {NEWLINE})
    char_to_ix = {c: i for i, c in enumerate(chars)}
    return chars, char_to_ix, {i: c for c, i in char_to_ix.items()}


def encode(name: str, char_to_ix: dict[str, int]) -> tuple[list[int], list[int]]:
    """``X = [newline, c1, ..., cT]`` and ``Y = [c1, ..., cT, newline]`` as lists of indices."""
    chars = [char_to_ix[c] for c in name]
    newline = char_to_ix[NEWLINE]
    return [newline] + chars, chars + [newline]


def decode(indices: Sequence[int], ix_to_char: dict[int, str]) -> str:
    """The text of a list of indices, without the final newline."""
    return "".join(ix_to_char[int(i)] for i in indices).rstrip(NEWLINE)


def initialize_parameters(n_a: int, vocab_size: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Small random weights (standard deviation 0.01) and zero biases, shapes of the module docstring."""
    return {
        "Wax": rng.standard_normal((n_a, vocab_size)) * 0.01,
        "Waa": rng.standard_normal((n_a, n_a)) * 0.01,
        "Wya": rng.standard_normal((vocab_size, n_a)) * 0.01,
        "b": np.zeros((n_a, 1)),
        "by": np.zeros((vocab_size, 1)),
    }


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis 0 (each column sums to 1), shifted by the column's maximum for safety."""
    return scipy.special.softmax(z, axis=0)


def rnn_forward(
    X: Sequence[int], Y: Sequence[int], a0: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[float, tuple]:
    """The loss over one sequence, and the cache the backward pass needs.

    ``X``, ``Y``: lists of T indices; ``a0``: the hidden state before the first step, (n_a, 1).
    Returns ``loss`` (a float, summed over the T steps) and ``cache = (X, Y, a, y_hat)`` with
    ``a`` of shape (n_a, T + 1) (column 0 is ``a0``, column t the state after step t) and
    ``y_hat`` of shape (V, T) (column t - 1 the prediction of step t).
    """
    Wax, Waa, Wya, b, by = (parameters[k] for k in PARAMETER_NAMES)
    X, Y = [int(i) for i in X], [int(i) for i in Y]
    T, n_a = len(X), Waa.shape[0]
    a = np.zeros((n_a, T + 1))
    a[:, 0] = np.asarray(a0).reshape(n_a)
    for t in range(T):  # Wax[:, X[t]] is Wax times the one-hot vector of X[t]
        a[:, t + 1] = np.tanh(Wax[:, X[t]] + Waa @ a[:, t] + b[:, 0])
    y_hat = softmax(Wya @ a[:, 1:] + by)
    loss = float(-np.sum(np.log(y_hat[Y, np.arange(T)])))
    return loss, (X, Y, a, y_hat)


def rnn_backward(parameters: dict[str, np.ndarray], cache: tuple) -> dict[str, np.ndarray]:
    """Backpropagation through time: the gradients of :func:`rnn_forward`'s loss.

    Returns ``{"dWax", "dWaa", "dWya", "db", "dby"}`` (the parameters' shapes) and
    ``"da0"``, the gradient with respect to the initial hidden state (n_a, 1).
    """
    X, Y, a, y_hat = cache
    Waa, Wya = parameters["Waa"], parameters["Wya"]
    T = len(X)
    dz = y_hat.copy()
    dz[Y, np.arange(T)] -= 1.0  # softmax + cross-entropy: y_hat - one_hot(Y)
    grads = {k: np.zeros_like(parameters[k]) for k in PARAMETER_NAMES}
    grads = {"d" + k: v for k, v in grads.items()}
    grads["dWya"] = dz @ a[:, 1:].T
    grads["dby"] = dz.sum(axis=1, keepdims=True)
    da_next = np.zeros(a.shape[0])
    for t in reversed(range(T)):
        da = Wya.T @ dz[:, t] + da_next
        draw = (1.0 - a[:, t + 1] ** 2) * da  # through tanh
        grads["db"][:, 0] += draw
        grads["dWax"][:, X[t]] += draw
        grads["dWaa"] += np.outer(draw, a[:, t])
        da_next = Waa.T @ draw
    grads["da0"] = da_next.reshape(-1, 1)
    return grads


def update_parameters(
    parameters: dict[str, np.ndarray], gradients: dict[str, np.ndarray], learning_rate: float
) -> dict[str, np.ndarray]:
    """One gradient-descent step: a new dict, ``W - learning_rate * dW`` for each parameter."""
    return {k: parameters[k] - learning_rate * gradients["d" + k] for k in PARAMETER_NAMES}


def initial_loss(vocab_size: int, length: float) -> float:
    """The loss of a model that guesses uniformly, over a sequence of ``length`` characters."""
    return float(-np.log(1.0 / vocab_size) * length)


def smooth(loss: float, current: float, keep: float = 0.999) -> float:
    """The smoothed loss after one more iteration: ``keep * loss + (1 - keep) * current``."""
    return keep * loss + (1.0 - keep) * current


# ----- the Keras LSTM: windows of text and generation ----------------------------------------


def text_windows(
    names: Sequence[str], char_to_ix: dict[str, int], window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Next-character examples from the names' text, each name read after ``window`` newlines.

    For every character of ``"\\n" * window + name + "\\n"`` after the padding, the input is
    the ``window`` characters before it.  Returns ``x`` (m, window) and ``y`` (m,), int32 indices.
    """
    xs, ys = [], []
    for name in names:
        ids = [char_to_ix[NEWLINE]] * window + [char_to_ix[c] for c in name] + [char_to_ix[NEWLINE]]
        for t in range(window, len(ids)):
            xs.append(ids[t - window : t])
            ys.append(ids[t])
    return np.asarray(xs, dtype=np.int32), np.asarray(ys, dtype=np.int32)


def with_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """The distribution ``p ** (1 / temperature)``, normalised: sharper below 1, flatter above."""
    logp = np.log(np.clip(probabilities, 1e-12, None)) / temperature
    return softmax(logp.reshape(-1, 1)).ravel()


def generate(
    predict,
    char_to_ix: dict[str, int],
    window: int,
    rng: np.random.Generator,
    count: int,
    temperature: float = 1.0,
    max_length: int = 50,
) -> list[str]:
    """``count`` names drawn from a next-character model, all at once.

    ``predict(x)`` maps windows (count, window) of indices to probabilities (count, V) (for
    a Keras model: ``lambda x: model(x, training=False).numpy()``).  Each name starts after
    ``window`` newlines and ends at its first drawn newline or after ``max_length`` characters.
    Each step draws every name's next character by the inverse of its cumulative distribution
    (:func:`with_temperature` applied to the model's probabilities), one uniform number each.
    """
    ix_to_char = {i: c for c, i in char_to_ix.items()}
    newline = char_to_ix[NEWLINE]
    context = np.full((count, window), newline, dtype=np.int32)
    drawn = np.zeros((count, max_length), dtype=np.int32)
    done = np.zeros(count, dtype=bool)
    for t in range(max_length):
        probs = np.asarray(predict(context), dtype=np.float64)
        logp = np.log(np.clip(probs, 1e-12, None)) / temperature
        cumulative = np.cumsum(softmax(logp.T), axis=0).T  # (count, V), one draw per row:
        drawn[:, t] = np.minimum((cumulative < rng.random((count, 1))).sum(axis=1), probs.shape[1] - 1)
        done |= drawn[:, t] == newline
        drawn[done, t] = newline
        if done.all():
            break
        context = np.concatenate([context[:, 1:], drawn[:, t : t + 1]], axis=1)
    return [decode(row, ix_to_char).split(NEWLINE)[0] for row in drawn]
