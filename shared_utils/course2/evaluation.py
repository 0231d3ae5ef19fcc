"""Helpers of the model-evaluation notebook: splits, bootstrap, figures and error-analysis tables.

Labels are 1-D integer arrays of length m; scores are 1-D float arrays of length m.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def split_indices(m: int, fractions: Sequence[float] = (0.6, 0.2, 0.2), seed: int = 0) -> list[np.ndarray]:
    """Shuffle range(m) with ``seed`` and cut it into consecutive parts of the given fractions.

    The fractions must sum to 1; the last part takes what rounding leaves.  Returns one index
    array per fraction, disjoint, together covering range(m).
    """
    if not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions must sum to 1, got {list(fractions)} (sum {sum(fractions):g})")
    perm = np.random.default_rng(seed).permutation(m)
    cuts = np.round(np.cumsum(fractions)[:-1] * m).astype(int)
    return np.split(perm, cuts)


def bootstrap(
    metric: Callable[[np.ndarray, np.ndarray], float],
    y_true: np.ndarray,
    y_pred: np.ndarray,
    n: int = 1000,
    seed: int = 0,
) -> np.ndarray:
    """``metric`` on ``n`` resamples (with replacement) of the m examples: an array of n values.

    The spread of the values estimates how much the metric would move on another test set of
    the same size from the same source.
    """
    rng = np.random.default_rng(seed)
    m = len(y_true)
    idx = rng.integers(0, m, size=(n, m))
    return np.array([metric(y_true[i], y_pred[i]) for i in idx], dtype=float)


def plot_confusion_matrix(
    cm: np.ndarray,
    class_names: Sequence[str] | None = None,
    ax: plt.Axes | None = None,
    title: str = "Confusion matrix",
) -> plt.Axes:
    """Heat map of a (k, k) confusion matrix: rows are the true classes, columns the predicted ones.

    Each cell shows its count; the colour is the share of its row (the recall on the diagonal), so
    that small classes are as visible as large ones.
    """
    cm = np.asarray(cm)
    k = cm.shape[0]
    names = [str(c) for c in (class_names if class_names is not None else range(k))]
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * k + 2.5, 0.5 * k + 2))
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros(cm.shape, dtype=float), where=rows > 0)
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i in range(k):
        for j in range(k):
            if cm[i, j]:
                ax.text(
                    j,
                    i,
                    str(cm[i, j]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if share[i, j] > 0.6 else ("black" if i == j else "firebrick"),
                )
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of the true class")
    return ax


def plot_roc_pr(
    curves: dict[str, dict[str, np.ndarray]],
    marks: dict[str, dict[str, np.ndarray]] | None = None,
    prevalence: dict[str, float] | None = None,
) -> plt.Figure:
    """ROC curve (left) and precision-recall curve (right) of one or more score sets.

    ``curves`` maps a label to a dict with 1-D arrays ``fpr``, ``tpr`` (the ROC points) and
    ``recall``, ``precision`` (the PR points).  ``marks`` maps a label to a dict of the same keys
    plus ``thresholds``: operating points drawn as dots and annotated with their threshold.
    ``prevalence`` maps a label to its share of positives: the PR curve of random guessing.
    """
    fig, (roc, pr) = plt.subplots(1, 2, figsize=(10, 4.3))
    roc.plot([0, 1], [0, 1], ":", color="0.6", label="random guessing")
    for i, (label, c) in enumerate(curves.items()):
        color = f"C{i}"
        roc.plot(c["fpr"], c["tpr"], color=color, label=label)
        pr.step(c["recall"], c["precision"], where="post", color=color, label=label)
        if prevalence and label in prevalence:
            pr.axhline(prevalence[label], ls=":", color=color, lw=1)
        for m in [marks[label]] if marks and label in marks else []:
            roc.plot(m["fpr"], m["tpr"], "o", color=color, ms=5)
            pr.plot(m["recall"], m["precision"], "o", color=color, ms=5)
            for t, x0, y0, x1, y1 in zip(m["thresholds"], m["fpr"], m["tpr"], m["recall"], m["precision"]):
                roc.annotate(
                    f"{t:g}",
                    (x0, y0),
                    textcoords="offset points",
                    xytext=(6, -10 - 9 * i),
                    fontsize=8,
                    color=color,
                )
                pr.annotate(
                    f"{t:g}",
                    (x1, y1),
                    textcoords="offset points",
                    xytext=(-6, -12),
                    fontsize=8,
                    color=color,
                    ha="right",
                )
    roc.set(
        xlabel="false positive rate (FP / negatives)",
        ylabel="true positive rate = recall",
        title="ROC curve",
        xlim=(-0.01, 1.01),
        ylim=(-0.01, 1.01),
    )
    pr.set(
        xlabel="recall (TP / positives)",
        ylabel="precision (TP / predicted positives)",
        title="Precision-recall curve",
        xlim=(-0.01, 1.01),
        ylim=(-0.01, 1.01),
    )
    roc.legend(loc="lower right", fontsize=8)
    pr.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_residuals(y_true: np.ndarray, y_pred: np.ndarray, title: str = "") -> plt.Figure:
    """Two panels: predictions against targets (left) and residuals y_pred - y_true against predictions."""
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    residual = y_pred - y_true
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    lo, hi = min(y_true.min(), y_pred.min()), max(y_true.max(), y_pred.max())
    left.plot([lo, hi], [lo, hi], ":", color="0.5", label="perfect prediction")
    left.scatter(y_true, y_pred, s=12, alpha=0.7)
    left.set(xlabel="target", ylabel="prediction", title=f"Predictions {title}".strip())
    left.legend(loc="upper left", fontsize=8)
    right.axhline(0, color="0.5", ls=":")
    right.scatter(y_pred, residual, s=12, alpha=0.7)
    right.set(
        xlabel="prediction", ylabel="residual (prediction - target)", title=f"Residuals {title}".strip()
    )
    fig.tight_layout()
    return fig


def mistake_pairs(
    y_true: np.ndarray, y_pred: np.ndarray, class_names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Count the mistakes by (true class, predicted class), most frequent first.

    Columns: ``true``, ``predicted``, ``count``, ``share`` (of all mistakes) and ``cumulative``
    share; one row per pair that occurs at least once.  Empty when there is no mistake.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    wrong = y_true != y_pred
    pairs, counts = np.unique(np.stack([y_true[wrong], y_pred[wrong]], axis=1), axis=0, return_counts=True)
    order = np.lexsort((pairs[:, 1], pairs[:, 0], -counts)) if len(counts) else np.array([], dtype=int)
    name = (lambda c: class_names[c]) if class_names is not None else (lambda c: c)
    table = pd.DataFrame(
        {
            "true": [name(p[0]) for p in pairs[order]],
            "predicted": [name(p[1]) for p in pairs[order]],
            "count": counts[order].astype(int),
        }
    )
    total = max(int(wrong.sum()), 1)
    table["share"] = table["count"] / total
    table["cumulative"] = table["share"].cumsum()
    return table
