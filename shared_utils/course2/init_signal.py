"""What an initialization does to the signal in a deep plain network (course 2, notebook 1).

A *plain* network here is a stack of fully connected layers that all use the same activation,
``A{l} = g(W{l} A{l-1} + b{l})`` for l = 1 .. L, with no output layer: it is only used to watch
how the size of the activations changes with depth.  Conventions as in ``shared_utils.course1.dnn``:
examples are columns, ``W{l}`` has shape ``(n_l, n_{l-1})``, ``b{l}`` shape ``(n_l, 1)``.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
}


def plain_forward(X: np.ndarray, parameters: dict[str, np.ndarray], activation: str) -> list[np.ndarray]:
    """Activations of every layer of a plain network.

    X: (n_x, m); ``parameters`` holds W1, b1, ..., WL, bL; ``activation`` is 'tanh' or 'relu' and is
    used by every layer.  Returns [A1, ..., AL], A{l} of shape (n_l, m).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}: use one of {sorted(ACTIVATIONS)}")
    g = ACTIVATIONS[activation]
    L = len(parameters) // 2
    activations, A = [], X
    for l in range(1, L + 1):
        A = g(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
        activations.append(A)
    return activations


def layer_std(activations: list[np.ndarray]) -> np.ndarray:
    """Standard deviation of each layer's activations (over units and examples), shape (L,)."""
    return np.array([float(np.std(A)) for A in activations])


def plot_layer_std(stds: dict[str, dict[str, np.ndarray]]) -> plt.Figure:
    """One panel per activation; in each, the std of the activations against depth, one line per
    initialization, on a logarithmic axis.  ``stds[activation][initialization]`` has shape (L,).
    A std of exactly 0 is drawn at the bottom of the axis (it has no logarithm)."""
    fig, axes = plt.subplots(1, len(stds), figsize=(5.5 * len(stds), 4), squeeze=False)
    for ax, (activation, by_init) in zip(axes[0], stds.items()):
        floor = 1e-12
        for name, values in by_init.items():
            values = np.maximum(np.asarray(values, dtype=float), floor)
            ax.semilogy(np.arange(1, len(values) + 1), values, marker="o", ms=3, label=name)
        ax.set_xlabel("layer")
        ax.set_ylabel("std of the activations")
        ax.set_title(f"{activation} network")
        ax.grid(True, which="major", alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_activation_histograms(
    activations: dict[str, list[np.ndarray]], layers: tuple[int, ...] = (1, 5, 10), bins: int = 60
) -> plt.Figure:
    """A grid of histograms: one row per initialization, one column per layer (numbered from 1).

    ``activations[name]`` is the list returned by :func:`plain_forward`.  Each panel's range is
    set by its own values, so the title gives the std to compare sizes between panels.
    """
    names = list(activations)
    fig, axes = plt.subplots(
        len(names), len(layers), figsize=(3.2 * len(layers), 1.9 * len(names)), squeeze=False
    )
    for row, name in enumerate(names):
        for col, layer in enumerate(layers):
            ax = axes[row][col]
            values = np.asarray(activations[name][layer - 1]).ravel()
            ax.hist(values, bins=bins, color=f"C{row}", histtype="stepfilled")  # one patch: fast to draw
            ax.set_yticks([])
            ax.set_title(f"{name}, layer {layer}: std {np.std(values):.2g}", fontsize=8)
            ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig
