"""Schematic drawings for the lessons: boxes and arrows drawn with matplotlib.

Each function draws one diagram and returns its Figure; nothing is computed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

_FORWARD = "#d6e6f7"  # forward-pass boxes
_BACKWARD = "#fbe0c8"  # backward-pass boxes
_CACHE = "#eeeeee"  # caches
_FORWARD_EDGE = "#2c6fb7"
_BACKWARD_EDGE = "#c8621c"


def _box(
    ax: plt.Axes,
    x: float,
    y: float,
    text: str,
    face: str,
    edge: str,
    w: float = 1.3,
    h: float = 0.7,
    style: str = "-",
    size: float = 9,
) -> None:
    """A rounded box centred on (x, y)."""
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.04,rounding_size=0.12",
            facecolor=face,
            edgecolor=edge,
            linewidth=1.3,
            linestyle=style,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=size)


def _arrow(
    ax: plt.Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    color: str,
    label: str = "",
    offset: tuple[float, float] = (0, 0.17),
    style: str = "-",
) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(arrowstyle="-|>", color=color, lw=1.4, linestyle=style, shrinkA=0, shrinkB=0),
    )
    if label:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, label, ha="center", va="center", fontsize=9, color=color)


def forward_backward(L: int = 3) -> plt.Figure:
    """The forward and backward pass of an L-layer network, with the cache each layer keeps.

    Top row: LINEAR -> RELU for layers 1 .. L-1, then LINEAR -> SIGMOID for layer L and the
    cost.  Middle: cache l = ((A[l-1], W[l], b[l]), Z[l]), written by the forward pass and
    read by the backward pass.  Bottom row: the backward pass from right to left, carrying
    dA and dZ, and giving off dW[l] and db[l] for the update.
    """
    if L < 1:
        raise ValueError("L must be at least 1")
    gap, pair = 2.05, 4.3  # distance between a layer's two boxes, between consecutive layers
    y_fwd, y_cache, y_bwd, y_grad = 3.0, 1.75, 0.5, -0.75
    fig, ax = plt.subplots(figsize=(1.8 + 3.1 * L + 2.4, 4.9))

    x0 = 0.0
    ax.text(x0, y_fwd, "$X = A^{[0]}$", ha="center", va="center", fontsize=11)
    ax.text(x0, y_bwd, "(not\nneeded)", ha="center", va="center", fontsize=8, color="0.4")
    prev_out = x0 + 0.45
    prev_back_in = x0 + 0.5
    for l in range(1, L + 1):
        act = "SIGMOID" if l == L else "RELU"
        xl = x0 + 2.0 + (l - 1) * pair
        xa = xl + gap
        # forward row
        _box(
            ax,
            xl,
            y_fwd,
            f"LINEAR\n$Z^{{[{l}]}} = W^{{[{l}]}}A^{{[{l - 1}]}} + b^{{[{l}]}}$",
            _FORWARD,
            _FORWARD_EDGE,
            w=1.5,
            size=8,
        )
        _box(ax, xa, y_fwd, f"{act}\n$A^{{[{l}]}} = g(Z^{{[{l}]}})$", _FORWARD, _FORWARD_EDGE, w=1.25, size=8)
        _arrow(ax, (prev_out, y_fwd), (xl - 0.78, y_fwd), _FORWARD_EDGE, f"$A^{{[{l - 1}]}}$")
        _arrow(ax, (xl + 0.78, y_fwd), (xa - 0.66, y_fwd), _FORWARD_EDGE, f"$Z^{{[{l}]}}$")
        # cache, written going forward and read going back
        xc = (xl + xa) / 2
        _box(
            ax,
            xc,
            y_cache,
            f"cache {l}\n$((A^{{[{l - 1}]}}, W^{{[{l}]}}, b^{{[{l}]}}),\\ Z^{{[{l}]}})$",
            _CACHE,
            "0.45",
            w=2.55,
            h=0.62,
            style="--",
            size=8,
        )
        _arrow(ax, (xc, y_fwd - 0.37), (xc, y_cache + 0.33), "0.45", style="--")
        _arrow(ax, (xc, y_cache - 0.33), (xc, y_bwd + 0.37), "0.45", style="--")
        # backward row
        _box(ax, xl, y_bwd, "LINEAR\nbackward", _BACKWARD, _BACKWARD_EDGE, w=1.5, size=8)
        _box(ax, xa, y_bwd, f"{act}\nbackward", _BACKWARD, _BACKWARD_EDGE, w=1.25, size=8)
        _arrow(
            ax, (xa - 0.66, y_bwd), (xl + 0.78, y_bwd), _BACKWARD_EDGE, f"$dZ^{{[{l}]}}$", offset=(0, -0.19)
        )
        _arrow(
            ax,
            (xl - 0.78, y_bwd),
            (prev_back_in, y_bwd),
            _BACKWARD_EDGE,
            f"$dA^{{[{l - 1}]}}$",
            offset=(0, -0.19),
        )
        _arrow(ax, (xl, y_bwd - 0.37), (xl, y_grad + 0.2), _BACKWARD_EDGE)
        ax.text(
            xl,
            y_grad,
            f"$dW^{{[{l}]}},\\ db^{{[{l}]}}$",
            ha="center",
            va="center",
            fontsize=10,
            color=_BACKWARD_EDGE,
        )
        prev_out, prev_back_in = xa + 0.64, xa + 0.64

    # the cost closes the loop: A[L] goes in, dA[L] comes out
    xj = prev_out + 1.5
    y_mid = (y_fwd + y_bwd) / 2
    _box(ax, xj, y_mid, f"cost\n$J(A^{{[{L}]}}, Y)$", "#e3f1df", "#3c8a3c", w=1.35, h=0.8, size=9)
    ax.annotate(
        "",
        xy=(xj, y_mid + 0.42),
        xytext=(prev_out, y_fwd),
        arrowprops=dict(
            arrowstyle="-|>", color=_FORWARD_EDGE, lw=1.4, connectionstyle="angle,angleA=0,angleB=90"
        ),
    )
    ax.text(prev_out + 0.55, y_fwd + 0.18, f"$A^{{[{L}]}}$", fontsize=9, color=_FORWARD_EDGE)
    ax.annotate(
        "",
        xy=(prev_back_in, y_bwd),
        xytext=(xj, y_mid - 0.42),
        arrowprops=dict(
            arrowstyle="-|>", color=_BACKWARD_EDGE, lw=1.4, connectionstyle="angle,angleA=90,angleB=0"
        ),
    )
    ax.text(prev_out + 0.55, y_bwd - 0.3, f"$dA^{{[{L}]}}$", fontsize=9, color=_BACKWARD_EDGE)

    ax.text(x0 - 0.4, y_fwd + 0.75, "forward pass  →", fontsize=11, color=_FORWARD_EDGE, weight="bold")
    ax.text(
        x0 - 0.4,
        y_grad - 0.6,
        "←  backward pass",
        fontsize=11,
        color=_BACKWARD_EDGE,
        weight="bold",
        va="center",
    )
    ax.text(
        xj,
        y_grad,
        "then update every layer:\n$W^{[l]} \\leftarrow W^{[l]} - \\alpha\\, dW^{[l]}$,"
        "  $b^{[l]} \\leftarrow b^{[l]} - \\alpha\\, db^{[l]}$",
        ha="center",
        va="center",
        fontsize=9,
    )
    ax.set_xlim(x0 - 0.6, xj + 1.6)
    ax.set_ylim(y_grad - 0.9, y_fwd + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig
