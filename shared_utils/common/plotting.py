"""Figures shared by the notebooks: each function draws and returns its matplotlib Figure."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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
    costs: Mapping[str, Sequence[float]] | Sequence[float],
    every: int = 100,
    *,
    first: int = 0,
    xlabel: str = "iteration",
    ylabel: str = "cost",
    title: str | None = "Training cost",
    logy: bool = False,
    ax: plt.Axes | None = None,
    **line_kw,
) -> plt.Axes:
    """Curves of a value recorded as training goes on: one unlabelled list, or a dict of them.

    The i-th value of each curve is drawn at x = ``first + i * every`` (by default a cost
    recorded every 100 iterations from iteration 0; ``every=1, xlabel="epoch"`` for one value
    per epoch).  ``logy`` puts the y axis on a log scale; ``line_kw`` (``marker="o"``, ...) goes
    to every ``ax.plot``.  A legend is drawn when there are several curves.  Draws on ``ax``, or
    on a new 6 x 4 figure, and returns the axes.
    """
    series = costs if isinstance(costs, Mapping) else {"cost": costs}
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4), layout="tight")
    for label, values in series.items():
        values = np.ravel(np.asarray(values, dtype=float))
        ax.plot(first + np.arange(len(values)) * every, values, label=str(label), **line_kw)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=9)
    return ax


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
    *,
    extent: tuple[float, float, float, float] | None = None,
    colors: tuple[str, str] = ("#f4b6b6", "#b6cdf4"),
    alpha: float = 0.8,
    outline: bool = False,
    background: Callable[[plt.Axes], object] | None = None,
    points: Callable[[np.ndarray, np.ndarray, plt.Axes], object] | None = None,
) -> plt.Axes:
    """Shade the regions a classifier assigns to each class; X is (2, m), y is (1, m) or (m,).

    ``predict`` takes a (2, k) array of points and returns k labels 0/1 (any shape).  The
    classes are shaded ``colors`` (class 0, class 1) on a ``resolution`` x ``resolution`` grid
    over ``extent`` (xmin, xmax, ymin, ymax; default: the points' range plus a margin of 0.5).
    ``outline`` draws the boundary itself as a black line.  ``background(ax)`` draws first,
    under the shading (e.g. a pitch); ``points(X, y, ax)`` replaces the default scatter of the
    points (blue: 1, red: 0).  Draws on ``ax``, or on a new 5 x 4 figure, and returns the axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    if background is not None:
        background(ax)
    if extent is None:
        pad = 0.5
        extent = (X[0].min() - pad, X[0].max() + pad, X[1].min() - pad, X[1].max() + pad)
    g0, g1 = np.meshgrid(
        np.linspace(extent[0], extent[1], resolution), np.linspace(extent[2], extent[3], resolution)
    )
    zz = np.asarray(predict(np.stack([g0.ravel(), g1.ravel()]))).reshape(g0.shape)
    ax.contourf(g0, g1, zz, levels=[-0.5, 0.5, 1.5], colors=list(colors), alpha=alpha, zorder=1)
    if outline:
        ax.contour(g0, g1, zz, levels=[0.5], colors="black", linewidths=1.0, zorder=3)
    if points is None:
        y = np.asarray(y).ravel()
        ax.scatter(X[0], X[1], c=y, cmap=plt.cm.coolwarm_r, s=12, edgecolors="k", linewidths=0.3, zorder=4)
    else:
        points(X, y, ax)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax
