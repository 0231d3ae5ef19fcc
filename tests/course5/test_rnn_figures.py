"""The figures of course 5's first notebook draw what they say."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from shared_utils.course5 import rnn_figures  # noqa: E402


def test_unrolled_draws_one_cell_per_step():
    fig = rnn_figures.unrolled(steps=3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sum(t.startswith("cell") for t in texts) == 3
    plt.close(fig)


def test_state_heatmaps_one_panel_per_cell():
    fig = rnn_figures.state_heatmaps({"a": np.zeros((4, 7)), "b": np.ones((4, 7))})
    assert [ax.get_title() for ax in fig.axes[:2]] == ["a", "b"]
    plt.close(fig)


def test_gradient_reach_is_on_a_log_scale():
    fig = rnn_figures.gradient_reach([1, 2, 3], {"rnn": [1.0, 0.1, 0.01], "lstm": [1.0, 0.9, 0.8]})
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    plt.close(fig)
