"""Learning curves: cost and accuracy per epoch, for one model or several side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

PANELS = (("loss", "cost"), ("accuracy", "accuracy"))


def plot_learning_curves(
    histories: Mapping[str, Mapping[str, Sequence[float]]], title: str | None = None
) -> plt.Figure:
    """Two panels, cost and accuracy against the epoch (1, 2, ...), one colour per model.

    ``histories`` maps a model's name to a Keras-style history dict (``History.history``):
    ``"loss"`` and ``"accuracy"`` hold one training value per epoch, ``"val_loss"`` and
    ``"val_accuracy"`` (optional) one test value per epoch. Training curves are solid, test
    curves dashed. Keys that a history lacks are skipped.
    """
    fig, axes = plt.subplots(1, len(PANELS), figsize=(11, 4))
    for i, (name, history) in enumerate(histories.items()):
        color = f"C{i}"
        for ax, (key, _) in zip(axes, PANELS):
            for prefix, style, part in (("", "-", "train"), ("val_", "--", "test")):
                values = history.get(prefix + key)
                if values is None or len(values) == 0:
                    continue
                values = np.asarray(values, dtype=float)
                ax.plot(np.arange(1, len(values) + 1), values, style, color=color, label=f"{name}, {part}")
    for ax, (_, label) in zip(axes, PANELS):
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
