"""Figures of course 4's convolution notebook: a filter sliding over an image, filters on a photo.

The functions draw what the notebook computed with the learner's own layers; they compute
no convolution themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from shared_utils.course4.conv_inputs import require_array


def _grid(ax: plt.Axes, values: np.ndarray, title: str, signed: bool = False) -> None:
    """A small 2-D array drawn as a grid of cells, each with its value written in it.

    ``signed`` values are drawn blue (negative), white (0), red (positive); others in grey levels.
    """
    if signed:
        span = max(float(np.max(np.abs(values))), 1e-12)
        ax.imshow(values, cmap="RdBu_r", vmin=-span, vmax=span)
        shade = np.abs(values) / span
    else:
        lo, hi = float(np.min(values)), float(np.max(values))
        ax.imshow(values, cmap="Greys", vmin=lo, vmax=max(hi, lo + 1e-12))
        shade = (values - lo) / max(hi - lo, 1e-12)
    for (r, c), v in np.ndenumerate(values):
        ax.text(
            c,
            r,
            f"{v:g}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if shade[r, c] > 0.6 else "black",
        )
    ax.set_xticks(np.arange(-0.5, values.shape[1], 1), minor=True)
    ax.set_yticks(np.arange(-0.5, values.shape[0], 1), minor=True)
    ax.grid(which="minor", color="0.6", lw=0.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    ax.set_title(title, fontsize=9)


def plot_sliding_window(
    x_pad: np.ndarray,
    kernel: np.ndarray,
    out: np.ndarray,
    stride: int,
    positions: Sequence[tuple[int, int]],
) -> plt.Figure:
    """One row per output position (h, w): the window of ``x_pad`` the filter covers, the filter, the output.

    ``x_pad`` (rows, cols) is the padded input (one channel), ``kernel`` (f_h, f_w) the filter,
    ``out`` (n_H, n_W) the output the notebook's convolution gave; the window of output (h, w)
    starts at row ``h * stride``, column ``w * stride`` of ``x_pad``.
    """
    x_pad = require_array(x_pad, "x_pad", 2, "(rows, cols)")
    kernel = require_array(kernel, "kernel", 2, "(f_h, f_w)")
    out = require_array(out, "out", 2, "(n_H, n_W)")
    f_h, f_w = kernel.shape
    for h, w in positions:
        if not (0 <= h < out.shape[0] and 0 <= w < out.shape[1]):
            raise ValueError(f"position {(h, w)} is outside the output, of shape {out.shape}.")
    fig, axes = plt.subplots(len(positions), 3, figsize=(9, 3 * len(positions)), squeeze=False)
    for row, (h, w) in zip(axes, positions):
        r0, c0 = h * stride, w * stride
        _grid(row[0], x_pad, f"input: window at rows {r0}-{r0 + f_h - 1}, cols {c0}-{c0 + f_w - 1}")
        row[0].add_patch(Rectangle((c0 - 0.5, r0 - 0.5), f_w, f_h, fill=False, ec="tab:red", lw=2.5))
        _grid(row[1], kernel, "filter: multiply cell by cell, add up", signed=True)
        _grid(row[2], out, f"output: cell ({h}, {w})", signed=True)
        row[2].add_patch(Rectangle((w - 0.5, h - 0.5), 1, 1, fill=False, ec="tab:red", lw=2.5))
    fig.tight_layout()
    return fig


def show_filter_responses(
    image: np.ndarray,
    responses: Mapping[str, np.ndarray],
    kernels: Mapping[str, np.ndarray] | None = None,
    ncols: int = 3,
) -> plt.Figure:
    """The photo (grey, (H, W)), then each filter's response (2-D), with the filter drawn in a corner.

    ``kernels`` maps a response's title to its (f_h, f_w) filter.  The response of a filter whose
    weights add up to 0 (an edge detector: 0 on flat regions) is drawn blue (negative), white (0),
    red (positive); the others in grey levels.  Both scales leave out the most extreme 0.5% of
    the values, so that a few strong pixels (the image's border) do not wash the rest out.
    """
    image = require_array(image, "image", 2, "(H, W)")
    panels = {"the photo": image, **{k: require_array(v, k, 2, "(H, W)") for k, v in responses.items()}}
    kernels = dict(kernels or {})
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.3 * nrows), squeeze=False)
    for ax, (title, values) in zip(axes.ravel(), panels.items()):
        kernel = kernels.get(title)
        zero_sum = kernel is not None and abs(float(np.sum(kernel))) <= 1e-9 * float(np.sum(np.abs(kernel)))
        if zero_sum:
            span = float(np.percentile(np.abs(values), 99.5)) or 1.0
            ax.imshow(values, cmap="RdBu_r", vmin=-span, vmax=span)
        else:
            lo, hi = np.percentile(values, [0.5, 99.5])
            ax.imshow(values, cmap="gray", vmin=lo, vmax=max(hi, lo + 1e-12))
        ax.set_title(title, fontsize=10)
        ax.axis("off")
        if kernel is not None:
            inset = ax.inset_axes((0.0, 0.0, 0.28, 0.28))
            k = float(np.max(np.abs(kernel))) or 1.0
            inset.imshow(kernel, cmap="RdBu_r", vmin=-k, vmax=k)
            inset.set_xticks([])
            inset.set_yticks([])
    for ax in axes.ravel()[len(panels) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig
