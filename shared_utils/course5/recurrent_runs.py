"""Training runs of course 5, notebook 4: one model trained and scored, its seconds per epoch
measured, and the figures and table that compare architectures.

:func:`train_and_score` compiles a Keras model (Adam, sparse categorical cross-entropy),
fits it quietly and returns what the notebook compares: test accuracy (overall and, for a
tagger, at each position), parameters and seconds per epoch (the median over the epochs
after the first, which also traces the graph).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from shared_utils.course5.recurrent_tasks import keras_layout


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    return EpochTimer()


def train_and_score(
    model,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    epochs: int,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    seed: int = 0,
    on_epoch=None,
) -> dict:
    """Fit ``model`` on ``train`` = (x, y) and score it on ``test``.

    ``x`` is ``(m, T, n_features)`` (Keras's layout; another layout is refused with the
    transpose that fixes it); ``y`` is ``(m,)`` for a classifier, ``(m, T)`` for a tagger.
    Returns a dict: "accuracy" (float), "position_accuracy" (``(T,)`` for a tagger, else
    None), "params" (int), "seconds_per_epoch" (float), "losses" (one per epoch).
    ``on_epoch``, where given, is called with no argument at the end of every epoch (to move a
    progress bar).
    """
    import keras

    n_features = int(model.inputs[0].shape[-1])
    for name, (x, _) in (("x_train", train), ("x_test", test)):
        keras_layout(x, n_features, what=name)
    keras.utils.set_random_seed(seed)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
    )
    timer = _epoch_timer()
    callbacks = [timer]
    if on_epoch is not None:
        callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: on_epoch()))
    history = model.fit(
        *train, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=True, callbacks=callbacks
    )
    x_test, y_test = test
    # a direct call, not predict(): predict traces a function per model, and TensorFlow warns
    # about retracing when a loop builds many models
    predicted = np.argmax(np.asarray(model(x_test, training=False)), axis=-1)
    right = predicted == y_test
    later = timer.seconds[1:] or timer.seconds
    return {
        "accuracy": float(np.mean(right)),
        "position_accuracy": np.mean(right, axis=0) if right.ndim == 2 else None,
        "params": int(model.count_params()),
        "seconds_per_epoch": float(np.median(later)),
        "losses": [float(v) for v in history.history["loss"]],
    }


def plot_accuracy_by_length(
    lengths: Sequence[int], accuracy: dict[str, Sequence[float]], chance: float, ax=None
):
    """Test accuracy against the gap for each architecture (a line each), chance dashed."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6))
    for name, values in accuracy.items():
        ax.plot(lengths, values, marker="o", label=name)
    ax.axhline(chance, color="grey", linestyle="--", linewidth=1, label="chance")
    ax.set_xlabel("gap between the symbol and the end (time steps)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.05)
    ax.set_xticks(list(lengths))
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    return ax.figure


def plot_position_accuracy(position_accuracy: dict[str, np.ndarray], blind: np.ndarray, ax=None):
    """Accuracy at each position of the tagging task, one line per tagger, with the best a
    tagger blind to the future can reach (dashed)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6))
    positions = np.arange(len(blind))
    for name, values in position_accuracy.items():
        ax.plot(positions, values, marker="o", label=name)
    ax.plot(positions, blind, color="grey", linestyle="--", label="best without the future")
    ax.set_xlabel("position in the sequence")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0.4, 1.02)
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    return ax.figure


def table(rows: Sequence[dict], columns: Sequence[tuple[str, str, str]]) -> str:
    """A plain-text table; ``columns`` are (key, header, format) triples: ("params", "parameters", "d")."""
    headers = [h for _, h, _ in columns]
    cells = [[format(row[k], f) for k, _, f in columns] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths)) for cell in cells]
    return "\n".join(lines)
