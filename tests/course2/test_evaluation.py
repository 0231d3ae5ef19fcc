"""The evaluation notebook's helpers: splits, bootstrap, mistake tables and figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from shared_utils.course2 import evaluation


def test_split_indices_are_disjoint_cover_everything_and_are_seeded():
    parts = evaluation.split_indices(101, (0.6, 0.2, 0.2), seed=3)
    assert [len(p) for p in parts] == [61, 20, 20]
    assert np.array_equal(np.sort(np.concatenate(parts)), np.arange(101))
    again = evaluation.split_indices(101, (0.6, 0.2, 0.2), seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(parts, again))
    assert not np.array_equal(parts[0], evaluation.split_indices(101, (0.6, 0.2, 0.2), seed=4)[0])
    with pytest.raises(ValueError, match="sum to 1"):
        evaluation.split_indices(10, (0.5, 0.2))


def test_bootstrap_resamples_whole_test_sets():
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    values = evaluation.bootstrap(lambda t, p: float(np.mean(t == p)), y, y, n=50, seed=0)
    assert values.shape == (50,) and np.all(values == 1.0)
    sizes = evaluation.bootstrap(lambda t, p: float(len(t)), y, 1 - y, n=5)
    assert np.all(sizes == len(y))
    half = evaluation.bootstrap(lambda t, p: float(np.mean(t)), y, y, n=2000, seed=1)
    assert abs(half.mean() - 0.5) < 0.02 and 0.1 < half.std() < 0.25  # sd of a mean of 8 coin flips: 0.177


def test_mistake_pairs_counts_sorts_and_shares():
    y_true = np.array([0, 1, 1, 2, 2, 2, 3, 3])
    y_pred = np.array([0, 2, 2, 1, 1, 3, 3, 3])
    table = evaluation.mistake_pairs(y_true, y_pred, class_names=["a", "b", "c", "d"])
    assert table[["true", "predicted", "count"]].values.tolist() == [
        ["b", "c", 2],
        ["c", "b", 2],
        ["c", "d", 1],
    ]
    assert np.allclose(table["share"], [0.4, 0.4, 0.2]) and np.isclose(table["cumulative"].iloc[-1], 1.0)
    assert evaluation.mistake_pairs(y_true, y_true).empty


def test_confusion_matrix_heat_map_writes_the_counts():
    cm = np.array([[5, 1, 0], [0, 3, 2], [0, 0, 0]])
    ax = evaluation.plot_confusion_matrix(cm, ["x", "y", "z"], title="cm")
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["5", "1", "3", "2"]) and ax.get_title() == "cm"
    plt.close(ax.figure)


def test_roc_pr_figure_draws_curves_and_marks():
    c = {
        "fpr": np.array([0, 0.5, 1.0]),
        "tpr": np.array([0, 0.8, 1.0]),
        "recall": np.array([0.8, 1.0]),
        "precision": np.array([0.9, 0.5]),
    }
    m = {k: v[1:2] for k, v in c.items()} | {"thresholds": np.array([0.5])}
    fig = evaluation.plot_roc_pr({"model": c}, marks={"model": m}, prevalence={"model": 0.5})
    roc, pr = fig.axes
    assert roc.get_title() == "ROC curve" and pr.get_title() == "Precision-recall curve"
    assert [t.get_text() for t in roc.texts] == ["0.5"]
    plt.close(fig)


def test_residual_plot_has_two_panels():
    fig = evaluation.plot_residuals(np.array([1.0, 2.0, 3.0]), np.array([1.5, 1.5, 3.5]), title="(test)")
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "Residuals (test)"
    plt.close(fig)
