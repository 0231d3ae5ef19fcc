"""The 3-layer network of the regularization notebook (course 2) and its pitch figures.

Conventions of :mod:`shared_utils.course1.dnn`: examples are columns, ``X`` (2, m), ``Y`` (1, m),
``parameters`` holds ``W1`` (n1, 2), ``b1`` (n1, 1), ``W2`` (n2, n1), ``b2``, ``W3`` (1, n2),
``b3``.  The network is LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

The forward pass returns its cache as a dict, so that the dropout version can add its masks
under their own names:

* ``Z1, A1, Z2, A2, Z3, A3``: each layer's pre-activation and activation, (n_l, m);
* ``W1, b1, W2, b2, W3, b3``: the parameters the pass used;
* with dropout, ``D1`` and ``D2``: the 0/1 masks of the hidden layers, and ``A1``, ``A2`` are
  the activations *after* dropout (what the next layer actually received).
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patches

from shared_utils.common import plotting
from shared_utils.course1.dnn import relu, sigmoid
from shared_utils.data.planar import KICK_OPPONENTS, KICK_TEAMMATES, PITCH_LENGTH, PITCH_WIDTH

Params = dict[str, np.ndarray]


def forward_propagation(X: np.ndarray, parameters: Params) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID on X (n_x, m).

    Returns A3 (1, m), the output probabilities, and the cache dict described in the module's
    docstring (no masks: this is the pass without dropout).
    """
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    cache = {
        "Z1": Z1,
        "A1": A1,
        "W1": W1,
        "b1": b1,
        "Z2": Z2,
        "A2": A2,
        "W2": W2,
        "b2": b2,
        "Z3": Z3,
        "A3": A3,
        "W3": W3,
        "b3": b3,
    }
    return A3, cache


def backward_propagation(X: np.ndarray, Y: np.ndarray, cache: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Gradients of the mean cross-entropy for the pass that made ``cache`` (no regularization).

    Returns ``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``; every dW/db has the shape
    of its parameter.  The output layer uses dZ3 = A3 - Y (sigmoid with cross-entropy).
    """
    m = X.shape[1]
    dZ3 = cache["A3"] - Y
    dW3 = dZ3 @ cache["A2"].T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = cache["W3"].T @ dZ3
    dZ2 = np.where(cache["Z2"] > 0, dA2, 0.0)
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = cache["W2"].T @ dZ2
    dZ1 = np.where(cache["Z1"] > 0, dA1, 0.0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {
        "dZ3": dZ3,
        "dW3": dW3,
        "db3": db3,
        "dA2": dA2,
        "dZ2": dZ2,
        "dW2": dW2,
        "db2": db2,
        "dA1": dA1,
        "dZ1": dZ1,
        "dW1": dW1,
        "db1": db1,
    }


def predict_labels(X: np.ndarray, parameters: Params) -> np.ndarray:
    """Labels 0/1 of shape (1, m): 1 where the network (without dropout) outputs more than 0.5."""
    return (forward_propagation(X, parameters)[0] > 0.5).astype(int)


# ----- the pitch ------------------------------------------------------------------------------

TEAM_COLOUR, OPPONENT_COLOUR = "#1f5fbf", "#d62728"
VIEW = (-3.2, PITCH_LENGTH / 2 + 0.2, -PITCH_WIDTH / 2 - 0.2, PITCH_WIDTH / 2 + 0.2)  # xmin, xmax, ymin, ymax


def draw_pitch(ax: plt.Axes, view: tuple[float, float, float, float] = VIEW) -> plt.Axes:
    """Grass and the white markings of a 105 m x 68 m pitch, in units of 10 m, centre spot at (0, 0)."""
    half_l, half_w = PITCH_LENGTH / 2, PITCH_WIDTH / 2
    ax.set_facecolor("#6aa84f")
    line = {"color": "white", "lw": 1.4, "zorder": 2, "fill": False}
    ax.add_patch(patches.Rectangle((-half_l, -half_w), PITCH_LENGTH, PITCH_WIDTH, **line))
    ax.plot([0, 0], [-half_w, half_w], color="white", lw=1.4, zorder=2)
    ax.add_patch(patches.Circle((0, 0), 0.915, **line))
    ax.plot([0], [0], "o", color="white", ms=2.5, zorder=2)
    for side in (-1, 1):
        goal_line = side * half_l
        for depth, width in ((1.65, 4.032), (0.55, 1.832)):  # penalty area, goal area
            ax.add_patch(
                patches.Rectangle(
                    (goal_line - side * depth if side > 0 else goal_line, -width / 2), depth, width, **line
                )
            )
        spot = goal_line - side * 1.1
        ax.plot([spot], [0], "o", color="white", ms=2.5, zorder=2)
        start = 127 if side > 0 else -53  # the arc outside the penalty area
        ax.add_patch(
            patches.Arc(
                (spot, 0), 1.83, 1.83, theta1=start, theta2=start + 106, color="white", lw=1.4, zorder=2
            )
        )
        ax.add_patch(
            patches.Rectangle(
                (goal_line if side > 0 else goal_line - 0.2, -0.366), 0.2, 0.732, color="white", zorder=2
            )
        )
    ax.set_xlim(view[0], view[1])
    ax.set_ylim(view[2], view[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def plot_kicks(
    X: np.ndarray,
    Y: np.ndarray,
    ax: plt.Axes | None = None,
    title: str | None = None,
    players: bool = False,
    size: float = 14,
) -> plt.Axes:
    """Landing points X (2, m) on the pitch, blue where a teammate won the header (Y = 1), red otherwise.

    ``players=True`` also marks where the players stood (squares: teammates, triangles: opponents).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5.2))
    if not ax.patches:
        draw_pitch(ax)
    y = np.asarray(Y).ravel()
    for label, colour, name in ((1, TEAM_COLOUR, "teammate won it"), (0, OPPONENT_COLOUR, "opponent won it")):
        pts = X[:, y == label]
        ax.scatter(pts[0], pts[1], s=size, c=colour, edgecolors="black", linewidths=0.3, zorder=4, label=name)
    if players:
        for where, marker, area, colour, name in (
            (KICK_TEAMMATES, "s", 70, TEAM_COLOUR, "teammate's position"),
            (KICK_OPPONENTS, "^", 80, OPPONENT_COLOUR, "opponent's position"),
        ):
            ax.scatter(*where.T, marker=marker, s=area, c=colour, edgecolors="black", zorder=5, label=name)
    ax.legend(loc="lower right", fontsize=7, framealpha=0.85)
    if title:
        ax.set_title(title)
    return ax


def plot_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    ax: plt.Axes | None = None,
    title: str | None = None,
    resolution: int = 300,
) -> plt.Axes:
    """The pitch shaded by the class ``predict`` gives each spot, with the points X (2, m), Y (1, m).

    ``predict`` takes a (2, k) array of points and returns k labels 0/1 (any shape).  This is
    :func:`shared_utils.common.plotting.plot_decision_boundary` over the whole view, in opaque
    pastel territories that replace the grass under the white markings, with the boundary
    outlined and the points drawn by :func:`plot_kicks`.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5.2))
    return plotting.plot_decision_boundary(
        predict,
        X,
        Y,
        ax=ax,
        title=title,
        resolution=resolution,
        extent=VIEW,
        colors=("#eda8a8", "#a8c3ee"),
        alpha=1.0,
        outline=True,
        background=draw_pitch,
        points=lambda X, Y, ax: plot_kicks(X, Y, ax=ax, size=10),
    )
