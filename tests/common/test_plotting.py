"""Plotting and timing helpers draw without error and return what they promise."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from shared_utils.common import plotting, timing


def test_plot_functions_one_panel_per_curve():
    fig = plotting.plot_functions(
        {"tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2), "id": (lambda z: z, np.ones_like)}, ncols=3
    )
    assert len([ax for ax in fig.axes if ax.has_data()]) == 2
    plt.close(fig)


def test_plot_costs_accepts_list_and_dict():
    plt.close(plotting.plot_costs([3.0, 2.0, 1.0]))
    fig = plotting.plot_costs({"0.01": [1, 0.5], "0.1": [1, 0.2]}, every=10)
    assert fig.axes[0].get_legend() is not None
    plt.close(fig)


def test_show_images_grid_and_titles():
    fig = plotting.show_images(np.zeros((5, 8, 8)), titles=list("abcde"), ncols=3, colors=["red"] * 5)
    assert len(fig.axes) == 6
    plt.close(fig)


def test_decision_boundary_shades_both_classes():
    X = np.array([[-1.0, 1.0, -1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    y = np.array([0, 1, 0, 1])
    ax = plotting.plot_decision_boundary(lambda P: (P[0] > 0).astype(int), X, y, title="x > 0")
    assert ax.get_title() == "x > 0"
    plt.close(ax.figure)


def test_timing_compare_reports_every_candidate(capsys):
    times = timing.compare({"fast": lambda: None, "slow": lambda: sum(range(20000))}, repeats=2)
    assert set(times) == {"fast", "slow"} and all(t >= 0 for t in times.values())
    assert "slow" in capsys.readouterr().out


def test_timing_timed_returns_result_and_seconds():
    result, seconds = timing.timed(lambda: sum(range(20000)))
    assert result == sum(range(20000)) and 0 <= seconds < 5
