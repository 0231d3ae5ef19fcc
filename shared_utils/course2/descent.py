"""Comparing optimisers: a mini-batch training loop that takes any update rule, 2-D test
surfaces with the paths optimisers take across them, and the figures that show both.

Nothing here implements an optimiser: the update rules come from the caller (in course 2,
notebook 4, from the learner's own functions).  A rule is a :class:`Rule`, two functions:

* ``init(parameters) -> state``: the optimiser's memory (``None`` for plain descent, a dict
  of velocities, a tuple of moment dicts, ...);
* ``step(parameters, grads, state, t, learning_rate) -> (parameters, state)``: one update;
  ``t`` counts the updates made so far, this one included (1, 2, 3, ...).

Parameters are dicts ``{"W1": (n_1, n_0), "b1": (n_1, 1), ...}`` and gradients dicts
``{"dW1": ..., "db1": ...}``, as in :mod:`shared_utils.course1.dnn`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from shared_utils.course1 import dnn
from shared_utils.course2.dnn import L_model_backward_stable, compute_cost_clipped

Params = dict[str, np.ndarray]
Batches = Callable[[np.ndarray, np.ndarray, int, int], list[tuple[np.ndarray, np.ndarray]]]


@dataclass(frozen=True)
class Rule:
    """An optimiser given as its two functions (see the module's docstring)."""

    init: Callable[[Params], Any]
    step: Callable[[Params, dict, Any, int, float], tuple[Params, Any]]


@dataclass
class Run:
    """What :func:`train` returns: final parameters, mean cost and learning rate of every epoch."""

    parameters: Params
    costs: list[float]
    learning_rates: list[float]
    steps: int


def train(
    X: np.ndarray,
    Y: np.ndarray,
    layers_dims: Sequence[int],
    rule: Rule,
    make_batches: Batches,
    *,
    num_epochs: int,
    learning_rate: float | Callable[[int], float],
    mini_batch_size: int = 64,
    seed: int = 1,
) -> Run:
    """Train ``[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID`` with mini-batches and ``rule``.

    X (n_x, m), Y (1, m).  The weights start from ``dnn.initialize_parameters_lecun(layers_dims,
    seed)``, so every rule starts from the same point.  Epoch ``e`` (0, 1, ...) splits the data
    with ``make_batches(X, Y, mini_batch_size, seed + e)`` and makes one update per batch, with
    the learning rate ``learning_rate`` (a number) or ``learning_rate(e)`` (a schedule).  The cost
    of an epoch is the cross-entropy averaged over all its examples, each measured on the
    parameters before its batch's update.
    """
    parameters = dnn.initialize_parameters_lecun(layers_dims, seed)
    state = rule.init(parameters)
    schedule = learning_rate if callable(learning_rate) else (lambda epoch: learning_rate)
    m = X.shape[1]
    costs, rates, t = [], [], 0
    for epoch in range(num_epochs):
        lr = float(schedule(epoch))
        total = 0.0
        for X_batch, Y_batch in make_batches(X, Y, mini_batch_size, seed + epoch):
            AL, caches = dnn.L_model_forward(X_batch, parameters)
            total += compute_cost_clipped(AL, Y_batch) * Y_batch.shape[1]
            grads = L_model_backward_stable(AL, Y_batch, caches)
            t += 1
            parameters, state = rule.step(parameters, grads, state, t, lr)
        costs.append(total / m)
        rates.append(lr)
    return Run(parameters, costs, rates, t)


# ----- 2-D surfaces -------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """A loss of two variables, its gradient, the window to draw and where paths start."""

    name: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[float, float], tuple[float, float]]
    start: tuple[float, float]
    minimum: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]


def elongated_bowl(a: float = 1.0, b: float = 20.0) -> Surface:
    """f(x, y) = (a x^2 + b y^2) / 2: a valley b/a times steeper across (y) than along (x)."""
    return Surface(
        name=f"elongated bowl (x² + {b / a:g} y²)/2" if a == 1 else f"bowl ({a:g} x² + {b:g} y²)/2",
        f=lambda x, y: 0.5 * (a * x**2 + b * y**2),
        grad=lambda x, y: (a * x, b * y),
        start=(-4.5, 1.0),
        minimum=(0.0, 0.0),
        xlim=(-5.0, 1.5),
        ylim=(-1.6, 1.6),
    )


def trace(
    surface: Surface, rule: Rule, learning_rate: float, steps: int, start: tuple[float, float] | None = None
) -> np.ndarray:
    """Run ``rule`` for ``steps`` updates on ``surface``; return the visited points, (steps + 1, 2).

    The point (x, y) is held as a one-layer parameter dict, x in ``W1`` and y in ``b1`` (both
    of shape (1, 1)), so the same update functions that train networks move it.  A path that
    leaves the plane (overflow) stops at its last finite point.
    """
    x, y = surface.start if start is None else start
    parameters = {"W1": np.array([[float(x)]]), "b1": np.array([[float(y)]])}
    state = rule.init(parameters)
    path = [(float(x), float(y))]
    for t in range(1, steps + 1):
        gx, gy = surface.grad(path[-1][0], path[-1][1])
        grads = {"dW1": np.array([[gx]]), "db1": np.array([[gy]])}
        parameters, state = rule.step(parameters, grads, state, t, learning_rate)
        point = (float(parameters["W1"][0, 0]), float(parameters["b1"][0, 0]))
        if not np.all(np.isfinite(point)) or max(abs(point[0]), abs(point[1])) > 1e6:
            break
        path.append(point)
    return np.array(path)


def plot_paths(
    surface: Surface,
    paths: dict[str, np.ndarray],
    ax: plt.Axes | None = None,
    title: str | None = None,
    levels: int = 25,
) -> plt.Axes:
    """Contours of ``surface`` (log-spaced) with one coloured path (k, 2) per optimiser."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    xs = np.linspace(*surface.xlim, 300)
    ys = np.linspace(*surface.ylim, 300)
    gx, gy = np.meshgrid(xs, ys)
    z = surface.f(gx, gy)
    lo = max(float(z.min()), 1e-3)
    ax.contour(gx, gy, z, levels=np.geomspace(lo, float(z.max()), levels), colors="0.75", linewidths=0.7)
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], ".-", lw=1.3, ms=3, label=name)
    ax.plot(*surface.start, "ko", ms=5)
    ax.plot(*surface.minimum, "k*", ms=12)
    ax.set_xlim(*surface.xlim)
    ax.set_ylim(*surface.ylim)
    ax.set_title(title or surface.name)
    ax.legend(fontsize=8, loc="best")
    return ax
