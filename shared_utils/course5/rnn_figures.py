"""Figures of course 5's first notebook: the unrolled RNN, hidden states over time, gradient reach."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch


def _arrow(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float], color: str = "0.2") -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, lw=1.3, color=color))


def unrolled(steps: int = 4) -> plt.Figure:
    """A recurrent network unrolled over ``steps`` steps: one cell, the same weights, a state handed on."""
    fig, ax = plt.subplots(figsize=(2.3 * steps + 1.5, 3.2))
    width, height, gap = 1.2, 0.9, 2.2
    for t in range(steps):
        x0 = 1.2 + t * gap
        ax.add_patch(
            FancyBboxPatch(
                (x0, 1.0), width, height, boxstyle="round,pad=0.05", fc="#dce9f7", ec="#2b5d8a", lw=1.5
            )
        )
        ax.text(x0 + width / 2, 1.45, "cell\n$W_{aa}$, $W_{ax}$, $b_a$", ha="center", va="center", fontsize=9)
        label = f"{t + 1}" if t < steps - 1 else "T_x"
        ax.text(x0 + width / 2, 0.05, f"$x^{{\\langle {label}\\rangle}}$", ha="center", fontsize=11)
        _arrow(ax, (x0 + width / 2, 0.35), (x0 + width / 2, 0.95))
        ax.text(x0 + width / 2, 2.75, f"$\\hat y^{{\\langle {label}\\rangle}}$", ha="center", fontsize=11)
        _arrow(ax, (x0 + width / 2, 1.95), (x0 + width / 2, 2.6), color="#8a4b2b")
        start = 0.1 if t == 0 else x0 - gap + width + 0.05
        _arrow(ax, (start, 1.45), (x0 - 0.05, 1.45))
        name = "a^{\\langle 0\\rangle}" if t == 0 else f"a^{{\\langle {t}\\rangle}}"
        ax.text((start + x0) / 2, 1.6, f"${name}$", ha="center", fontsize=10)
    ax.text(1.2 + (steps - 1) * gap + width + 0.1, 1.6, r"$a^{\langle T_x\rangle}$", fontsize=10)
    ax.set_xlim(0, 1.2 + steps * gap)
    ax.set_ylim(-0.1, 3.1)
    ax.axis("off")
    ax.set_title("The same cell at every step: the state $a$ carries the past forward", fontsize=10)
    fig.tight_layout()
    return fig


def state_heatmaps(states: Mapping[str, np.ndarray]) -> plt.Figure:
    """One panel per cell: its hidden state (n_a, T_x) for one example, units as rows, steps as columns."""
    fig, axes = plt.subplots(1, len(states), figsize=(4.2 * len(states), 3.2), squeeze=False)
    for ax, (name, a) in zip(axes[0], states.items()):
        a = np.asarray(a)
        image = ax.imshow(a, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
        ax.set_title(name)
        ax.set_xlabel("time step")
        ax.set_ylabel("hidden unit")
    fig.colorbar(image, ax=axes[0].tolist(), shrink=0.8, label="state value")
    return fig


def gradient_reach(lengths: Sequence[int], norms: Mapping[str, Sequence[float]]) -> plt.Figure:
    """Norm of the gradient reaching step 1 from the last step, against the sequence length (log scale)."""
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="tight")
    for name, values in norms.items():
        ax.semilogy(lengths, values, marker="o", ms=3, label=name)
    ax.set_xlabel("sequence length $T$ (the loss depends on the last state only)")
    ax.set_ylabel(r"$\|dx^{\langle 1\rangle}\|$, gradient reaching step 1")
    ax.set_title("How far back the gradient reaches")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    return fig
