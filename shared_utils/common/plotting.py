"""Figures shared by the notebooks: each function draws and returns its matplotlib Figure."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np


def plot_functions(
    curves: dict[str, tuple[Callable, Callable]], z: np.ndarray | None = None, ncols: int = 3
) -> plt.Figure:
    """One panel per activation: the function and its derivative over ``z``."""
    z = np.linspace(-5, 5, 401) if z is None else z
    n = len(curves)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 3 * nrows), squeeze=False)
    for ax, (name, (f, df)) in zip(axes.ravel(), curves.items()):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(z, f(z), label=name, lw=2)
        ax.plot(z, df(z), "--", label="derivative", lw=1.5)
        ax.set_title(name)
        ax.legend(loc="upper left", fontsize=8)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_costs(
    costs: dict[str, list[float]] | list[float], every: int = 100, title: str = "Training cost"
) -> plt.Figure:
    """Cost curves recorded every ``every`` iterations; a dict draws one curve per label."""
    series = costs if isinstance(costs, dict) else {"cost": costs}
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, values in series.items():
        values = np.squeeze(np.asarray(values, dtype=float))
        ax.plot(np.arange(len(values)) * every, values, label=str(label))
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    ax.set_title(title)
    if len(series) > 1:
        ax.legend()
    fig.tight_layout()
    return fig


def show_images(
    images: np.ndarray,
    titles: list[str] | None = None,
    ncols: int = 8,
    size: float = 1.4,
    cmap: str = "gray",
    colors: list[str] | None = None,
) -> plt.Figure:
    """A grid of images (n, h, w) or (n, h, w, c), with optional titles and title colours."""
    images = np.asarray(images)
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = max(1, -(-n // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.3) * nrows), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap if images[i].ndim == 2 else None)
            if titles is not None:
                ax.set_title(titles[i], fontsize=8, color=(colors[i] if colors else "black"))
    fig.tight_layout()
    return fig


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    ax: plt.Axes | None = None,
    title: str | None = None,
    resolution: int = 200,
) -> plt.Axes:
    """Shade the regions a classifier assigns to each class; X is (2, m), y is (1, m) or (m,).

    ``predict`` takes a (2, k) array of points and returns k labels.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    y = np.asarray(y).ravel()
    pad = 0.5
    x0 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x1 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.stack([g0.ravel(), g1.ravel()])
    zz = np.asarray(predict(grid)).reshape(g0.shape)
    ax.contourf(g0, g1, zz, levels=[-0.5, 0.5, 1.5], colors=["#f4b6b6", "#b6cdf4"], alpha=0.8)
    ax.scatter(X[0], X[1], c=y, cmap=plt.cm.coolwarm_r, s=12, edgecolors="k", linewidths=0.3)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax
