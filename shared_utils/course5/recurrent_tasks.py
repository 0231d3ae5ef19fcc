"""Two seeded sequence tasks that tell recurrent architectures apart (course 5, notebook 4).

Both return one-hot inputs in Keras's layout, ``(m, T, n_symbols)``: examples first, then
time, then features.

- :func:`delayed_recall`: one of the first steps of a sequence is marked, and the label is
  the symbol at that step; ``gap`` more steps of symbols from the same alphabet follow. A
  network must store the marked symbol, keep it across the gap, and not let the look-alike
  symbols that follow overwrite it: what the LSTM's and GRU's gates are for.
- :func:`repeats_later`: one label per position, 1 where the symbol at that position comes
  again later in the sequence. A left-to-right network has not seen the future when it
  labels a position, so it can only guess from the position; a bidirectional one reads it.

:func:`keras_layout` stops with a plain message when the time axis is not the second one.
"""

from __future__ import annotations

import numpy as np

RECALL_SYMBOLS = 8  # the alphabet of delayed_recall (the classes); chance is 1 / 8
MARK_SPAN = 3  # the marked step of delayed_recall is one of its first MARK_SPAN steps
TAG_SYMBOLS = 6  # the alphabet of repeats_later


def _one_hot(ids: np.ndarray, depth: int) -> np.ndarray:
    return np.eye(depth, dtype=np.float32)[ids]


def delayed_recall(m: int, gap: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``m`` sequences of ``gap + MARK_SPAN`` steps, each step a symbol among
    :data:`RECALL_SYMBOLS` plus a marker flag; exactly one of the first :data:`MARK_SPAN` steps
    is marked, so at least ``gap`` steps follow the marked one.

    Returns ``x`` float32 ``(m, gap + MARK_SPAN, RECALL_SYMBOLS + 1)`` (a one-hot symbol, then
    the marker in the last feature) and ``y`` int64 ``(m,)``, the symbol at the marked step.
    The same ``(m, gap, seed)`` gives the same arrays.
    """
    if m < 1 or gap < 0:
        raise ValueError(f"delayed_recall needs m >= 1 and gap >= 0, got m={m}, gap={gap}")
    rng = np.random.default_rng([seed, gap, 5])
    steps = gap + MARK_SPAN
    ids = rng.integers(0, RECALL_SYMBOLS, size=(m, steps))
    marked = rng.integers(0, MARK_SPAN, size=m)
    x = np.zeros((m, steps, RECALL_SYMBOLS + 1), dtype=np.float32)
    x[:, :, :RECALL_SYMBOLS] = _one_hot(ids, RECALL_SYMBOLS)
    x[np.arange(m), marked, RECALL_SYMBOLS] = 1.0
    return x, ids[np.arange(m), marked].astype(np.int64)


def repeats_later(m: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``m`` sequences of ``length`` symbols drawn uniformly among :data:`TAG_SYMBOLS`; the label
    of position ``t`` is 1 if the symbol at ``t`` appears again at some position after ``t``.

    Returns ``x`` float32 ``(m, length, TAG_SYMBOLS)`` (one-hot) and ``y`` int64
    ``(m, length)`` of 0s and 1s.
    """
    if m < 1 or length < 2:
        raise ValueError(f"repeats_later needs m >= 1 and length >= 2, got m={m}, length={length}")
    rng = np.random.default_rng([seed, length, 23])
    ids = rng.integers(0, TAG_SYMBOLS, size=(m, length))
    same = ids[:, :, None] == ids[:, None, :]  # (m, t, s): symbol t equals symbol s
    later = np.triu(np.ones((length, length), dtype=bool), k=1)  # s > t
    y = np.any(same & later, axis=2)
    return _one_hot(ids, TAG_SYMBOLS), y.astype(np.int64)


def best_blind_accuracy(length: int) -> np.ndarray:
    """The best accuracy at each position of :func:`repeats_later` for a tagger that knows the
    position and the symbols up to it but none after it: ``max(p, 1 - p)`` with ``p`` the
    chance that a symbol comes again in the ``length - 1 - t`` positions left. Shape ``(length,)``."""
    left = length - 1 - np.arange(length)
    p = 1.0 - (1.0 - 1.0 / TAG_SYMBOLS) ** left
    return np.maximum(p, 1.0 - p)


def keras_layout(x: np.ndarray, n_features: int, what: str = "x") -> tuple[int, int, int]:
    """``(m, T, n_features)`` of a batch in Keras's layout, or a ValueError naming the mistake.

    A batch of ``(m, n_features, T)`` (time last, as in the step-by-step notebook's
    ``(n_x, m, T_x)`` once transposed the wrong way) is named with the transpose that fixes it.
    """
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(
            f"{what} should be a 3-D batch (examples, time steps, features), got shape {x.shape}."
        )
    m, t, n = x.shape
    if n == n_features:
        return m, t, n
    if t == n_features:
        raise ValueError(
            f"{what} has shape {x.shape}: its time axis is the last one and its features ({n_features}) "
            f"the second. Keras's recurrent layers read (examples, time steps, features); use "
            f"np.transpose({what}, (0, 2, 1))."
        )
    if m == n_features:
        raise ValueError(
            f"{what} has shape {x.shape}: its features ({n_features}) come first, as in the "
            f"step-by-step notebook's (n_x, m, T_x). Keras's recurrent layers read (examples, time "
            f"steps, features); use np.transpose({what}, (1, 2, 0))."
        )
    raise ValueError(f"{what} has shape {x.shape}; expected its last axis to hold the {n_features} features.")
