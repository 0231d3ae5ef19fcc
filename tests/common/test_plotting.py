"""Plotting and timing helpers draw without error and return what they promise."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from shared_utils.common import plotting, timing


def test_plot_functions_one_panel_per_curve():
    fig = plotting.plot_functions(
        {"tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2), "id": (lambda z: z, np.ones_like)}, ncols=3
    )
    assert len([ax for ax in fig.axes if ax.has_data()]) == 2
    plt.close(fig)


def test_plot_costs_draws_one_unlabelled_list_every_100_iterations():
    ax = plotting.plot_costs([3.0, 2.0, 1.0])
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [0, 100, 200])
    assert ax.get_legend() is None and ax.get_xlabel() == "iteration" and ax.get_ylabel() == "cost"
    assert ax.get_title() == "Training cost"
    plt.close(ax.figure)


def test_plot_costs_one_labelled_curve_per_entry_with_a_legend():
    ax = plotting.plot_costs({"0.01": [1, 0.5], "0.1": [1, 0.2]}, every=10)
    assert [line.get_label() for line in ax.get_lines()] == ["0.01", "0.1"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [0, 10])
    assert ax.get_legend() is not None
    plt.close(ax.figure)


def test_plot_costs_per_epoch_on_given_axes_in_log_scale():
    fig, axes = plt.subplots(1, 2)
    ax = plotting.plot_costs(
        {"a": np.array([[3.0], [2.0], [1.0]]), "b": [1, 1, 1]},
        every=1,
        first=1,
        xlabel="epoch",
        ylabel="lr",
        title=None,
        logy=True,
        ax=axes[1],
        marker="o",
    )
    assert ax is axes[1] and not axes[0].get_lines()
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [3, 2, 1])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_title() == ""
    assert ax.get_lines()[0].get_marker() == "o"
    plt.close(fig)


def test_show_images_grid_and_titles():
    fig = plotting.show_images(np.zeros((5, 8, 8)), titles=list("abcde"), ncols=3, colors=["red"] * 5)
    assert len(fig.axes) == 6
    plt.close(fig)


_X = np.array([[-1.0, 1.0, -1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
_Y = np.array([[0, 1, 0, 1]])


def test_decision_boundary_shades_both_classes_around_the_points():
    seen = []

    def predict(P):
        seen.append(P.shape)
        return (P[0] > 0).astype(int)

    ax = plotting.plot_decision_boundary(predict, _X, _Y.ravel(), title="x > 0", resolution=50)
    assert ax.get_title() == "x > 0" and seen == [(2, 2500)]
    fill, scatter = ax.collections
    assert len(fill.get_paths()) == 2  # one region per class
    np.testing.assert_array_equal(scatter.get_offsets(), _X.T)
    x0, x1 = ax.get_xlim()
    assert x0 == pytest.approx(-1.5) and x1 == pytest.approx(1.5)
    plt.close(ax.figure)


def test_decision_boundary_on_a_fixed_view_over_a_background_with_own_points():
    calls = []
    ax = plotting.plot_decision_boundary(
        lambda P: (P[1] > 0.5).astype(int).reshape(1, -1),
        _X,
        _Y,
        resolution=20,
        extent=(-4.0, 4.0, -2.0, 3.0),
        colors=("white", "black"),
        alpha=1.0,
        outline=True,
        background=lambda ax: calls.append("background") or ax.set_facecolor("green"),
        points=lambda X, y, ax: calls.append(("points", X.shape, np.shape(y))),
    )
    assert calls == ["background", ("points", (2, 4), (1, 4))]
    assert len(ax.collections) == 2  # territories and the outline: the caller drew the points
    assert ax.get_xlim() == (-4.0, 4.0) and ax.get_ylim() == (-2.0, 3.0)
    plt.close(ax.figure)


def test_timing_compare_reports_every_candidate(capsys):
    times = timing.compare({"fast": lambda: None, "slow": lambda: sum(range(20000))}, repeats=2)
    assert set(times) == {"fast", "slow"} and all(t >= 0 for t in times.values())
    assert "slow" in capsys.readouterr().out


def test_timing_timed_returns_result_and_seconds():
    result, seconds = timing.timed(lambda: sum(range(20000)))
    assert result == sum(range(20000)) and 0 <= seconds < 5
