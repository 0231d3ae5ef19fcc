"""plot_learning_curves draws one solid training and one dashed test curve per model and metric."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from shared_utils.common.learning_curves import plot_learning_curves


def test_two_models_four_curves_per_panel():
    a = {
        "loss": [3.0, 2.0, 1.5],
        "accuracy": [0.2, 0.5, 0.7],
        "val_loss": [3.1, 2.4, 2.0],
        "val_accuracy": [0.2, 0.4, 0.6],
    }
    b = {
        "loss": [2.0, 1.0, 0.5],
        "accuracy": [0.4, 0.6, 0.9],
        "val_loss": [2.2, 1.5, 1.4],
        "val_accuracy": [0.3, 0.5, 0.65],
    }
    fig = plot_learning_curves({"custom loop": a, "fit": b}, title="t")
    cost, accuracy = fig.axes
    assert cost.get_ylabel() == "cost" and accuracy.get_ylabel() == "accuracy"
    assert len(cost.lines) == 4 and len(accuracy.lines) == 4
    first = cost.lines[0]
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(first.get_ydata(), a["loss"])
    assert first.get_linestyle() == "-" and cost.lines[1].get_linestyle() == "--"
    assert cost.lines[0].get_color() == cost.lines[1].get_color() != cost.lines[2].get_color()
    assert [l.get_label() for l in accuracy.lines] == [
        "custom loop, train",
        "custom loop, test",
        "fit, train",
        "fit, test",
    ]
    plt.close(fig)


def test_history_without_test_curves():
    fig = plot_learning_curves({"m": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.8]}})
    assert [len(ax.lines) for ax in fig.axes] == [1, 1]
    plt.close(fig)
