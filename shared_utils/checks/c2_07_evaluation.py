"""Checks for course 2, notebook 7: evaluating a model.

Oracles: scikit-learn's metrics (``accuracy_score``, ``confusion_matrix`` with
``labels=range(n)``, ``precision_recall_fscore_support`` and ``f1_score`` with
``zero_division=0``, ``roc_curve(drop_intermediate=False)``, ``roc_auc_score``, ``auc``,
``precision_recall_curve``, ``average_precision_score``, ``mean_absolute_error``,
``mean_squared_error``, ``root_mean_squared_error``).  ``diagnose`` has no library oracle:
its cases are a table written from the definition (each row states the avoidable bias and
the variance and the label they call for, boundaries included) and random cases built
label first, with bias and variance drawn well away from the tolerance.
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics

from shared_utils.engine.checking import Check, exercise


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(7000 + seed)


def _classification_cases(ck: Check, binary: bool = False) -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    """(description, y_true, y_pred, n_classes): random, imbalanced and degenerate label sets."""
    cases = []
    sizes = ck.pick([(12, 3), (40, 4)], [(1, 2), (7, 5), (200, 10)])
    if binary:
        sizes = [(m, 2) for m, _ in sizes]
    for seed in ck.seeds():
        rng = _rng(seed)
        for m, k in sizes:
            y_true = rng.integers(0, k, size=m)
            noise = rng.random(m) < 0.35
            y_pred = np.where(noise, rng.integers(0, k, size=m), y_true)
            cases.append((f"{m} random labels of {k} classes, seed {seed}", y_true, y_pred, k))
        k = 2 if binary else 4
        p = np.array([0.9, 0.1]) if binary else np.array([0.82, 0.1, 0.05, 0.03])
        y_true = rng.choice(k, size=60, p=p)
        y_pred = np.where(rng.random(60) < 0.25, rng.choice(k, size=60, p=p), y_true)
        cases.append(
            (f"60 imbalanced labels of {k} classes (shares {p.tolist()}), seed {seed}", y_true, y_pred, k)
        )
    rng = _rng(99)
    k = 2 if binary else 5
    y_true = rng.integers(0, k, size=30)
    y_pred = np.where(rng.random(30) < 0.3, 0, y_true)
    y_pred[y_pred == k - 1] = 0
    cases.append((f"class {k - 1} is never predicted ({k} classes, 30 labels)", y_true, y_pred, k))
    if not binary:
        y_true = np.array([0, 0, 1, 1, 0, 1])
        cases.append(
            ("classes 2 and 3 appear nowhere (n_classes=4)", y_true, np.array([0, 1, 1, 1, 0, 0]), 4)
        )
    cases.append(
        (
            "all labels of class 0, some predictions of class 1",
            np.zeros(8, dtype=int),
            np.array([0, 1, 0, 0, 1, 0, 0, 0]),
            2,
        )
    )
    cases.append(
        ("all labels and all predictions of class 0", np.zeros(5, dtype=int), np.zeros(5, dtype=int), 2)
    )
    return cases


# ----- accuracy -------------------------------------------------------------------------


@exercise(params=("y_true", "y_pred"), hints=["accuracy = (number of labels equal to their prediction) / m."])
def accuracy(ck: Check) -> None:
    for description, y_true, y_pred, _ in _classification_cases(ck):
        with ck.case(description):
            got = ck.call(y_true, y_pred)
            expected = metrics.accuracy_score(y_true, y_pred)
            m = len(y_true)
            ck.scalar(
                got,
                expected,
                what="the accuracy",
                mistakes={
                    "You returned the number of right predictions: divide by the number of "
                    "examples.": expected * m,
                    "You returned the error rate, 1 - accuracy.": 1 - expected,
                    "Integer division (//) rounds the share down to 0: use /.": np.sum(y_true == y_pred) // m,
                },
            )


# ----- confusion matrix -----------------------------------------------------------------


@exercise(
    params=("y_true", "y_pred", "n_classes"),
    hints=[
        "cm[i, j] counts the examples of true class i predicted as class j; np.add.at can count without a "
        "loop."
    ],
)
def confusion_matrix(ck: Check) -> None:
    for description, y_true, y_pred, k in _classification_cases(ck):
        with ck.case(description):
            got = ck.call(y_true, y_pred, k)
            expected = metrics.confusion_matrix(y_true, y_pred, labels=np.arange(k))
            arr = np.asarray(got) if isinstance(got, (np.ndarray, list, tuple)) else got
            if isinstance(arr, np.ndarray) and arr.shape != (k, k):
                ck.fail(
                    f"the matrix has shape {arr.shape}; expected ({k}, {k}).",
                    "Size the matrix with the argument n_classes, not with the classes that "
                    "happen to appear in y_true or y_pred.",
                )
            ck.array(
                got,
                expected,
                what="the confusion matrix",
                dtype_kind="iu",
                mistakes={
                    "The matrix is transposed: rows are the true classes, columns the predicted "
                    "ones.": expected.T,
                },
            )


# ----- precision, recall, F1 --------------------------------------------------------------


def _three_numbers(ck: Check, got) -> tuple:
    got = ck.returns(got, "precision, recall, f1")
    for name, value in zip(("precision", "recall", "f1"), got):
        try:
            if np.isnan(np.asarray(value, dtype=float)).any():
                ck.fail(
                    f"{name} is NaN.",
                    "When a ratio is 0/0 (no predicted positives, no true positives, "
                    "or precision + recall = 0), return 0.0 as scikit-learn does with zero_division=0.",
                )
        except (TypeError, ValueError):
            ck.fail(f"{name} should be a number, got {type(value).__name__}.")
    return tuple(got)


@exercise(
    params=("y_true", "y_pred", "positive"),
    hints=[
        "precision = TP / (TP + FP) (of the predicted positives), recall = TP / (TP + FN) "
        "(of the true positives), f1 = 2 p r / (p + r); 0.0 for any 0/0."
    ],
)
def precision_recall_f1(ck: Check) -> None:
    cases = [(d, yt, yp, 1) for d, yt, yp, _ in _classification_cases(ck, binary=True)]
    rng = _rng(50)
    y_true = rng.integers(0, 2, size=25)
    cases.append(("25 labels, positive=0", y_true, np.where(rng.random(25) < 0.3, 1 - y_true, y_true), 0))
    y_true = rng.integers(0, 4, size=40)
    cases.append(
        (
            "40 labels of 4 classes, positive=2 (the other classes are the negatives)",
            y_true,
            np.where(rng.random(40) < 0.4, rng.integers(0, 4, size=40), y_true),
            2,
        )
    )
    for description, y_true, y_pred, positive in cases:
        with ck.case(description):
            got = _three_numbers(ck, ck.call(y_true, y_pred, positive=positive))
            p, r, f, _ = metrics.precision_recall_fscore_support(
                y_true, y_pred, labels=[positive], average=None, zero_division=0
            )
            p, r, f = float(p[0]), float(r[0]), float(f[0])
            p_one = metrics.precision_score(y_true, y_pred, labels=[1], average=None, zero_division=0)[0]
            ck.scalar(
                got[0],
                p,
                what="precision",
                mistakes={
                    "Precision and recall are swapped: precision divides by the predicted positives (TP + "
                    "FP).": r,
                    "That is the precision of the label 1: use the argument `positive`.": p_one,
                },
            )
            ck.scalar(
                got[1],
                r,
                what="recall",
                mistakes={
                    "Precision and recall are swapped: recall divides by the true positives (TP + FN).": p
                },
            )
            ck.scalar(
                got[2],
                f,
                what="f1",
                mistakes={"F1 is the harmonic mean 2pr/(p+r), not the arithmetic mean (p+r)/2.": (p + r) / 2},
            )


# ----- macro F1 ---------------------------------------------------------------------------


@exercise(
    params=("y_true", "y_pred", "n_classes"),
    hints=[
        "Compute F1 for each class k = 0 .. n_classes-1 (class k positive, the others negative), "
        "then average the n_classes values with equal weights."
    ],
)
def macro_f1(ck: Check) -> None:
    for description, y_true, y_pred, k in _classification_cases(ck):
        with ck.case(description):
            got = ck.call(y_true, y_pred, k)
            labels = np.arange(k)
            expected = metrics.f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
            present = np.union1d(y_true, y_pred)
            p, r, _, _ = metrics.precision_recall_fscore_support(
                y_true, y_pred, labels=labels, average=None, zero_division=0
            )
            pm, rm = p.mean(), r.mean()
            ck.scalar(
                got,
                expected,
                what="the macro F1",
                mistakes={
                    "You averaged over the classes present only: average over all n_classes classes "
                    "(a class that never appears and is never predicted scores 0).": metrics.f1_score(
                        y_true, y_pred, labels=present, average="macro", zero_division=0
                    ),
                    "That is the micro average (every example weighs the same: it equals the accuracy); "
                    "the macro average gives every class the same weight.": metrics.f1_score(
                        y_true, y_pred, labels=labels, average="micro", zero_division=0
                    ),
                    "That is the average weighted by class size; macro gives every class the same "
                    "weight.": metrics.f1_score(
                        y_true, y_pred, labels=labels, average="weighted", zero_division=0
                    ),
                    "You took the harmonic mean of the macro precision and macro recall; average the "
                    "per-class F1 values instead.": 0.0 if pm + rm == 0 else 2 * pm * rm / (pm + rm),
                },
            )


# ----- ROC curve and its area -----------------------------------------------------------------


def _ranking_cases(ck: Check) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(description, y_true 0/1, scores) with both classes present; several with tied scores."""
    cases = []
    sizes = ck.pick([8, 30], [2, 5, 120])
    for seed in ck.seeds():
        rng = _rng(200 + seed)
        for m in sizes:
            y = rng.integers(0, 2, size=m)
            y[0], y[-1] = 0, 1
            scores = np.clip(0.5 + 0.3 * (y - 0.5) + rng.normal(0, 0.3, size=m), 0, 1)
            cases.append((f"{m} continuous scores, seed {seed}", y, scores))
            cases.append((f"{m} scores rounded to one decimal (ties), seed {seed}", y, np.round(scores, 1)))
        y = (rng.random(80) < 0.08).astype(int)
        y[:2] = [1, 0]
        cases.append(
            (
                f"80 labels with few positives ({y.sum()}), seeded scores with ties, seed {seed}",
                y,
                np.round(rng.random(80) * 0.6 + 0.4 * y, 1),
            )
        )
    cases.append(("every score equal (one tie)", np.array([0, 1, 1, 0, 1]), np.full(5, 0.3)))
    cases.append(("a perfect ranking", np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9])))
    cases.append(
        (
            "scores not in [0, 1] (raw logits), unsorted",
            np.array([1, 0, 1, 0, 0, 1]),
            np.array([2.5, -1.0, 0.3, 0.3, -3.2, 7.0]),
        )
    )
    return cases


def _curve_arrays(ck: Check, got, names: tuple[str, ...]) -> list[np.ndarray]:
    got = ck.returns(got, ", ".join(names))
    out = []
    for name, value in zip(names, got):
        arr = np.asarray(value)
        if arr.ndim != 1:
            ck.fail(f"{name} should be a 1-D array, got shape {arr.shape}.")
        out.append(arr)
    return out


def _length_hint(got_len: int, expected_len: int, with_start: bool) -> str | None:
    if with_start and got_len == expected_len - 1:
        return (
            "One point is missing: start the curve at (0, 0), with a threshold above every score "
            "(np.inf) at which nothing is predicted positive."
        )
    if got_len > expected_len:
        return (
            "Too many points: tied scores give one threshold, hence one point. Keep only the last "
            "example of each run of equal scores (after sorting)."
        )
    return "Expect one point per distinct score" + (", plus the start point (0, 0)." if with_start else ".")


def _check_lengths(ck: Check, arrays: dict[str, np.ndarray], size: int, why: str, with_start: bool) -> None:
    """Each of the curve's 1-D ``arrays`` holds ``size`` values, one per point; ``why`` ends the message."""
    for name, arr in arrays.items():
        if arr.size != size:
            ck.fail(
                f"{name} has {arr.size} values; expected {size}{why}",
                _length_hint(arr.size, size, with_start),
            )


def _check_points(
    ck: Check, names: tuple[str, str], got: tuple[np.ndarray, np.ndarray], expected: tuple, swapped: str
) -> None:
    """The curve's two coordinates (x, y) against the expected ones; ``swapped`` hints at x and y swapped."""
    backwards = "The points run backwards: sort the scores from highest to lowest."
    (x_name, y_name), (x, y), (e_x, e_y) = names, got, expected
    ck.array(x, e_x, what=x_name, mistakes={swapped: e_y, backwards: e_x[::-1]})
    ck.array(y, e_y, what=y_name, mistakes={backwards: e_y[::-1]})


@exercise(
    params=("y_true", "scores"),
    hints=[
        "Sort by score, highest first; cumulative sums of positives and negatives give TP and FP "
        "at each cut; keep one cut per distinct score; start with (0, 0) at threshold np.inf."
    ],
    in_place={
        "scores": "Do not sort `scores` in place (`scores.sort()`): np.argsort gives the order and leaves "
        "the caller's array as it was.",
        "y_true": "Leave `y_true` as it is: reorder a copy (e.g. `y_true[order]`), never the argument.",
    },
)
def roc_curve_points(ck: Check) -> None:
    for description, y, scores in _ranking_cases(ck):
        with ck.case(description):
            fpr, tpr, thresholds = _curve_arrays(ck, ck.call(y, scores), ("fpr", "tpr", "thresholds"))
            e_fpr, e_tpr, e_thr = metrics.roc_curve(y, scores, drop_intermediate=False)
            _check_lengths(
                ck,
                {"fpr": fpr, "tpr": tpr, "thresholds": thresholds},
                e_fpr.size,
                f" ({np.unique(scores).size} distinct scores plus the start point).",
                with_start=True,
            )
            _check_points(
                ck,
                ("fpr", "tpr"),
                (fpr, tpr),
                (e_fpr, e_tpr),
                "fpr and tpr are swapped: fpr = FP / (number of negatives).",
            )
            ck.that(
                thresholds[0] > np.max(scores),
                f"thresholds[0] is {thresholds[0]!r}; it should lie above "
                "every score (np.inf), so that nothing is predicted positive at the start point (0, 0).",
            )
            ck.array(
                thresholds[1:],
                e_thr[1:],
                what="thresholds[1:]",
                dtype_kind="fiu",
                mistakes={
                    "The thresholds run backwards: from the highest score to the lowest.": e_thr[1:][::-1],
                },
            )


@exercise(params=("x", "y"), hints=["Trapezoids: the sum over i of (x[i+1] - x[i]) * (y[i] + y[i+1]) / 2."])
def auc(ck: Check) -> None:
    cases = []
    for description, y, scores in _ranking_cases(ck):
        fpr, tpr, _ = metrics.roc_curve(y, scores, drop_intermediate=False)
        cases.append((f"the ROC curve of {description}", fpr, tpr, metrics.roc_auc_score(y, scores)))
    for seed in ck.seeds():
        rng = _rng(300 + seed)
        for n in ck.pick([6], [2, 40]):
            x = np.cumsum(rng.random(n))
            cases.append(
                (
                    f"{n} points of an arbitrary curve, x from {x[0]:.3g} to {x[-1]:.3g}, seed {seed}",
                    x,
                    rng.normal(size=n),
                    None,
                )
            )
    for description, x, y, roc_area in cases:
        with ck.case(description):
            got = ck.call(x, y)
            expected = metrics.auc(x, y)
            if roc_area is not None:
                assert np.isclose(expected, roc_area)  # the two oracles agree
            dx = np.diff(x)
            ck.scalar(
                got,
                expected,
                what="the area",
                mistakes={
                    "Rectangles of the left heights underestimate rising curves: use trapezoids, "
                    "(y[i] + y[i+1]) / 2.": float(np.sum(dx * y[:-1])),
                    "Rectangles of the right heights: use trapezoids, (y[i] + y[i+1]) / 2.": float(
                        np.sum(dx * y[1:])
                    ),
                    "Twice the area: the trapezoid's mean height is (y[i] + y[i+1]) / 2.": 2 * expected,
                    "The mean of y ignores the spacing of x: weight each piece by its width x[i+1] - "
                    "x[i].": float(np.mean(y)),
                },
            )


# ----- precision-recall curve and average precision ----------------------------------------------


@exercise(
    params=("y_true", "scores"),
    hints=[
        "As for the ROC curve: sort by score, highest first, cumulative TP and FP, one cut per "
        "distinct score; precision = TP / (TP + FP), recall = TP / (number of positives)."
    ],
)
def precision_recall_curve_points(ck: Check) -> None:
    for description, y, scores in _ranking_cases(ck):
        with ck.case(description):
            precision, recall, thresholds = _curve_arrays(
                ck, ck.call(y, scores), ("precision", "recall", "thresholds")
            )
            p, r, t = metrics.precision_recall_curve(y, scores)
            e_p, e_r, e_t = p[:-1][::-1], r[:-1][::-1], t[::-1]
            _check_lengths(
                ck,
                {"precision": precision, "recall": recall, "thresholds": thresholds},
                e_p.size,
                ", one per distinct score.",
                with_start=False,
            )
            _check_points(
                ck,
                ("precision", "recall"),
                (precision, recall),
                (e_p, e_r),
                "Precision and recall are swapped: precision = TP / (TP + FP).",
            )
            ck.array(thresholds, e_t, what="thresholds", dtype_kind="fiu")


@exercise(
    params=("y_true", "scores"),
    hints=[
        "AP = sum over the points of (R_n - R_(n-1)) * P_n, with R_0 = 0: each gain in recall "
        "weighted by the precision where it happens. No trapezoids."
    ],
)
def average_precision(ck: Check) -> None:
    for description, y, scores in _ranking_cases(ck):
        with ck.case(description):
            got = ck.call(y, scores)
            expected = metrics.average_precision_score(y, scores)
            p, r, _ = metrics.precision_recall_curve(y, scores)
            p, r = p[:-1][::-1], r[:-1][::-1]
            ck.scalar(
                got,
                expected,
                what="the average precision",
                mistakes={
                    "Trapezoids between the points make AP too optimistic: use the step sum "
                    "sum((R_n - R_(n-1)) * P_n).": metrics.auc(np.r_[0, r], np.r_[1, p]),
                    "You used the precision of the previous point: weight each recall gain by P_n, "
                    "the precision at the point where it happens.": float(
                        np.sum(np.diff(np.r_[0, r]) * np.r_[1, p[:-1]])
                    ),
                    "The plain mean of the precisions ignores how much recall each point adds.": float(
                        np.mean(p)
                    ),
                },
            )


# ----- regression errors ----------------------------------------------------------------------------


@exercise(
    params=("y_true", "y_pred"),
    hints=["With e = y_pred - y_true: MAE = mean(|e|), MSE = mean(e**2), RMSE = sqrt(MSE)."],
)
def regression_errors(ck: Check) -> None:
    cases = []
    for seed in ck.seeds():
        rng = _rng(400 + seed)
        for m in ck.pick([5, 50], [1, 300]):
            y_true = rng.normal(100, 30, size=m)
            cases.append((f"{m} targets, seed {seed}", y_true, y_true + rng.normal(5, 20, size=m)))
    cases.append(("integer targets and predictions", np.array([3, 5, 2, 8, 1]), np.array([4, 5, 0, 8, 4])))
    cases.append(("perfect predictions", np.array([1.5, -2.0, 3.0]), np.array([1.5, -2.0, 3.0])))
    for description, y_true, y_pred in cases:
        with ck.case(description):
            got = ck.keys(ck.call(y_true, y_pred), ["MAE", "MSE", "RMSE"], what="the returned dict")
            mae = metrics.mean_absolute_error(y_true, y_pred)
            mse = metrics.mean_squared_error(y_true, y_pred)
            rmse = metrics.root_mean_squared_error(y_true, y_pred)
            e = y_pred - y_true
            ck.scalar(
                got["MAE"],
                mae,
                what='d["MAE"]',
                mistakes={
                    "Without the absolute value, errors of opposite signs cancel: mean(|e|).": float(
                        np.mean(e)
                    ),
                    "Signed errors cancel: take the absolute value of each error.": float(-np.mean(e)),
                },
            )
            ck.scalar(
                got["MSE"],
                mse,
                what='d["MSE"]',
                mistakes={
                    "Square the errors: MSE = mean(e**2).": float(np.mean(e)),
                    "That is the root (RMSE); MSE has no square root.": rmse,
                    "That is the squared mean error, (mean e)**2; square each error, then average.": float(
                        np.mean(e) ** 2
                    ),
                },
            )
            ck.scalar(
                got["RMSE"],
                rmse,
                what='d["RMSE"]',
                mistakes={
                    "The root comes last: RMSE = sqrt(mean(e**2)), not mean(sqrt(|e|)).": float(
                        np.mean(np.sqrt(np.abs(e)))
                    ),
                    "RMSE = sqrt(MSE), not sqrt(MAE).": float(np.sqrt(mae)),
                    "You forgot the square root.": mse,
                },
            )


# ----- diagnosing bias and variance --------------------------------------------------------------------

LABELS = ("high bias", "high variance", "high bias and high variance", "good fit")

# (train_error, dev_error, human_error, tolerance, expected, why); all values are sums of powers of
# two (or exact differences), so "exactly at the tolerance" is exact in floating point.
_TABLE = [
    (0.08, 0.09, 0.01, 0.02, "high bias", "avoidable bias 0.07, variance 0.01"),
    (0.02, 0.10, 0.01, 0.02, "high variance", "avoidable bias 0.01, variance 0.08"),
    (0.15, 0.30, 0.005, 0.02, "high bias and high variance", "avoidable bias 0.145, variance 0.15"),
    (0.015, 0.025, 0.005, 0.02, "good fit", "avoidable bias 0.01, variance 0.01"),
    (
        0.08,
        0.09,
        0.075,
        0.02,
        "good fit",
        "a hard task: human error 0.075, avoidable bias 0.005, variance 0.01",
    ),
    (0.02, 0.0, 0.0, 0.02, "good fit", "avoidable bias exactly 0.02 = tolerance, variance negative"),
    (0.02, 0.04, 0.0, 0.02, "good fit", "avoidable bias and variance exactly at the tolerance 0.02"),
    (0.375, 0.5, 0.25, 0.125, "good fit", "bias and variance exactly 0.125 = tolerance"),
    (0.390625, 0.5, 0.25, 0.125, "high bias", "avoidable bias 0.140625 > 0.125, variance 0.109375"),
    (0.375, 0.515625, 0.25, 0.125, "high variance", "avoidable bias 0.125 (not above), variance 0.140625"),
    (0.05, 0.06, 0.01, 0.05, "good fit", "a loose tolerance 0.05: avoidable bias 0.04, variance 0.01"),
    (
        0.05,
        0.06,
        0.01,
        0.01,
        "high bias",
        "a tight tolerance 0.01: avoidable bias 0.04, variance 0.01 (not above)",
    ),
    (
        0.03,
        0.09,
        0.04,
        0.02,
        "high variance",
        "training error below human error: bias negative, variance 0.06",
    ),
]


@exercise(
    params=("train_error", "dev_error", "human_error", "tolerance"),
    hints=[
        "avoidable bias = train_error - human_error; variance = dev_error - train_error; each is "
        "high when it is strictly larger than the tolerance."
    ],
)
def diagnose(ck: Check) -> None:
    ck.defaults({"tolerance": 0.02})
    cases = [
        (f"train {tr}, dev {dv}, human {hu}, tolerance {tol}: {why}", tr, dv, hu, tol, label)
        for tr, dv, hu, tol, label, why in _TABLE
    ]
    for seed in ck.seeds(1, 3):
        rng = _rng(500 + seed)
        for label in LABELS:
            tol = float(rng.choice([0.01, 0.02, 0.05]))
            high_bias = label in ("high bias", "high bias and high variance")
            high_var = label in ("high variance", "high bias and high variance")
            human = float(rng.uniform(0, 0.1))
            bias = rng.uniform(2, 5) * tol if high_bias else rng.uniform(0, 0.5) * tol
            var = rng.uniform(2, 5) * tol if high_var else rng.uniform(-0.5, 0.5) * tol
            train = human + bias
            dev = train + var
            cases.append(
                (
                    f"train {train:.4f}, dev {dev:.4f}, human {human:.4f}, tolerance {tol} (random, "
                    f"seed {seed})",
                    train,
                    dev,
                    human,
                    tol,
                    label,
                )
            )
    for description, train, dev, human, tol, label in cases:
        with ck.case(description):
            got = ck.call(train, dev, human, tol)
            ck.that(isinstance(got, str), f"the diagnosis should be a string, one of {LABELS}, got {got!r}.")
            ck.that(
                got in LABELS,
                f"the diagnosis {got!r} is not one of {LABELS}.",
                "Return one of the four labels exactly as written.",
            )
            ck.that(
                got == label,
                f"expected {label!r}, got {got!r} (avoidable bias {train - human:.6g}, "
                f"variance {dev - train:.6g}).",
                _diagnose_hint(got, train, dev, human, tol),
            )


def _name(high_bias: bool, high_variance: bool) -> str:
    return LABELS[
        {(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[(high_bias, high_variance)]
    ]


def _diagnose_hint(got: str, train: float, dev: float, human: float, tol: float) -> str | None:
    """The hint of the known mistake that gives the learner's label, if any."""
    mistakes = {
        "Use the argument `tolerance`, not a fixed 0.02.": _name(train - human > 0.02, dev - train > 0.02),
        "Variance is the gap between dev and training error (dev - train), not between dev and human "
        "error.": _name(train - human > tol, dev - human > tol),
        "Bias and variance are swapped: avoidable bias = train - human, variance = dev - train.": _name(
            dev - train > tol, train - human > tol
        ),
        "At exactly the tolerance a gap is not high: compare with a strict >, not >=.": _name(
            train - human >= tol, dev - train >= tol
        ),
    }
    return next((hint for hint, wrong in mistakes.items() if wrong == got), None)
