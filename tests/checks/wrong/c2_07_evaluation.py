"""Plausible mistakes for course2_tuning/07_evaluation.

Names such as ``precision_recall_f1``, ``roc_curve_points`` and
``precision_recall_curve_points`` resolve to the solution's functions (see tests.checks.wrong.rebind).
"""

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# ----- accuracy ----------------------------------------------------------------------------


@wrong("accuracy", expect="You returned the number of right predictions")
def accuracy_count(y_true, y_pred):
    return float(np.sum(y_true == y_pred))


@wrong("accuracy", expect="You returned the error rate, 1 - accuracy")
def accuracy_error_rate(y_true, y_pred):
    return float(np.mean(y_true != y_pred))


@wrong("accuracy", expect="Integer division (//) rounds the share down to 0")
def accuracy_floor_division(y_true, y_pred):
    return np.sum(y_true == y_pred) // len(y_true)


@wrong("accuracy", expect="12 values came back where one number is asked")
def accuracy_elementwise(y_true, y_pred):  # forgot to average
    return (y_true == y_pred).astype(float)


# ----- confusion_matrix ----------------------------------------------------------------------


@wrong("confusion_matrix", expect="The matrix is transposed")
def confusion_matrix_transposed(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(cm, (y_pred, y_true), 1)
    return cm


@wrong("confusion_matrix", expect="the confusion matrix is wrong")
def confusion_matrix_fancy_index(y_true, y_pred, n_classes):  # repeated pairs counted once
    cm = np.zeros((n_classes, n_classes), dtype=int)
    cm[y_true, y_pred] += 1
    return cm


@wrong("confusion_matrix", expect="Size the matrix with the argument n_classes")
def confusion_matrix_classes_from_data(y_true, y_pred, n_classes):
    k = int(max(y_true.max(), y_pred.max())) + 1
    cm = np.zeros((k, k), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


@wrong("confusion_matrix", expect="the confusion matrix has dtype float64")
def confusion_matrix_float(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes))
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


# ----- precision_recall_f1 --------------------------------------------------------------------


def _counts(y_true, y_pred, positive):
    tp = np.sum((y_pred == positive) & (y_true == positive))
    fp = np.sum((y_pred == positive) & (y_true != positive))
    fn = np.sum((y_pred != positive) & (y_true == positive))
    return tp, fp, fn


@wrong("precision_recall_f1", expect="Precision and recall are swapped")
def precision_recall_f1_swapped(y_true, y_pred, positive=1):
    tp, fp, fn = _counts(y_true, y_pred, positive)
    precision = tp / (tp + fn) if tp + fn else 0.0
    recall = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


@wrong("precision_recall_f1", expect="When a ratio is 0/0 (no predicted positives")
def precision_recall_f1_nan(y_true, y_pred, positive=1):
    tp, fp, fn = _counts(y_true, y_pred, positive)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.float64(tp) / (tp + fp)
        recall = np.float64(tp) / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
    return float(precision), float(recall), float(f1)


@wrong("precision_recall_f1", expect="F1 is the harmonic mean 2pr/(p+r)")
def precision_recall_f1_arithmetic(y_true, y_pred, positive=1):
    tp, fp, fn = _counts(y_true, y_pred, positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return float(precision), float(recall), float((precision + recall) / 2)


@wrong("precision_recall_f1", expect="That is the precision of the label 1")
def precision_recall_f1_positive_is_one(y_true, y_pred, positive=1):
    tp, fp, fn = _counts(y_true, y_pred, 1)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


@wrong("precision_recall_f1", expect="precision is wrong")
def precision_recall_f1_floor_division(y_true, y_pred, positive=1):
    tp, fp, fn = _counts(y_true, y_pred, positive)
    precision = tp // (tp + fp) if tp + fp else 0.0
    recall = tp // (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


@wrong("precision_recall_f1", expect="That is the precision of the label 1")
def precision_recall_f1_negatives_as_zero(y_true, y_pred, positive=1):  # assumes labels 0/1
    tp = np.sum(y_pred * y_true)
    fp = np.sum(y_pred * (1 - y_true))
    fn = np.sum((1 - y_pred) * y_true)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


# ----- macro_f1 -----------------------------------------------------------------------------


@wrong("macro_f1", expect="That is the micro average (every example weighs")
def macro_f1_micro(y_true, y_pred, n_classes):
    return float(np.mean(y_true == y_pred))


@wrong("macro_f1", expect="You averaged over the classes present only")
def macro_f1_present_only(y_true, y_pred, n_classes):
    present = np.union1d(y_true, y_pred)
    return float(np.mean([precision_recall_f1(y_true, y_pred, positive=k)[2] for k in present]))


@wrong("macro_f1", expect="That is the average weighted by class size")
def macro_f1_weighted(y_true, y_pred, n_classes):
    f1 = np.array([precision_recall_f1(y_true, y_pred, positive=k)[2] for k in range(n_classes)])
    weights = np.bincount(y_true, minlength=n_classes) / len(y_true)
    return float(np.sum(weights * f1))


@wrong("macro_f1", expect="You took the harmonic mean of the macro precision")
def macro_f1_of_macro_pr(y_true, y_pred, n_classes):
    prf = np.array([precision_recall_f1(y_true, y_pred, positive=k) for k in range(n_classes)])
    p, r = prf[:, 0].mean(), prf[:, 1].mean()
    return float(2 * p * r / (p + r)) if p + r else 0.0


@wrong("macro_f1", expect="the macro F1 is wrong")
def macro_f1_off_by_one(y_true, y_pred, n_classes):
    return float(np.mean([precision_recall_f1(y_true, y_pred, positive=k)[2] for k in range(1, n_classes)]))


# ----- roc_curve_points -----------------------------------------------------------------------


def _sorted(y_true, scores, ascending=False):
    order = np.argsort(scores if ascending else -scores, kind="stable")
    return scores[order], y_true[order]


@wrong("roc_curve_points", expect="One point is missing: start the curve at (0, 0)")
def roc_curve_points_no_start(y_true, scores):
    s, y = _sorted(y_true, scores)
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp, fp = np.cumsum(y == 1)[last], np.cumsum(y != 1)[last]
    return fp / fp[-1], tp / tp[-1], s[last]


@wrong("roc_curve_points", expect="Too many points: tied scores give one threshold")
def roc_curve_points_ties_split(y_true, scores):
    s, y = _sorted(y_true, scores)
    tp, fp = np.cumsum(y == 1), np.cumsum(y != 1)
    return np.r_[0, fp] / fp[-1], np.r_[0, tp] / tp[-1], np.r_[np.inf, s]


@wrong("roc_curve_points", expect="fpr is wrong")
def roc_curve_points_ascending(y_true, scores):
    s, y = _sorted(y_true, scores, ascending=True)
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp, fp = np.cumsum(y == 1)[last], np.cumsum(y != 1)[last]
    return np.r_[0, fp] / fp[-1], np.r_[0, tp] / tp[-1], np.r_[-np.inf, s[last]]


@wrong("roc_curve_points", expect="tpr is wrong")
def roc_curve_points_first_of_tie(y_true, scores):  # keeps the first example of each tie
    s, y = _sorted(y_true, scores)
    first = np.r_[0, np.flatnonzero(s[1:] != s[:-1]) + 1]
    tp, fp = np.cumsum(y == 1)[first], np.cumsum(y != 1)[first]
    return np.r_[0, fp] / fp[-1], np.r_[0, tp] / tp[-1], np.r_[np.inf, s[first]]


@wrong("roc_curve_points", expect="fpr and tpr are swapped")
def roc_curve_points_swapped(y_true, scores):
    s, y = _sorted(y_true, scores)
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp, fp = np.cumsum(y == 1)[last], np.cumsum(y != 1)[last]
    return np.r_[0, tp] / tp[-1], np.r_[0, fp] / fp[-1], np.r_[np.inf, s[last]]


@wrong("roc_curve_points", expect="changed its argument `scores` in place")
def roc_curve_points_sorts_in_place(y_true, scores):
    order = np.argsort(-scores, kind="stable")
    y = y_true[order]
    scores[::-1].sort()
    s = scores
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp, fp = np.cumsum(y == 1)[last], np.cumsum(y != 1)[last]
    return np.r_[0, fp] / fp[-1], np.r_[0, tp] / tp[-1], np.r_[np.inf, s[last]]


# ----- auc -----------------------------------------------------------------------------------


@wrong("auc", expect="Rectangles of the left heights underestimate")
def auc_left_rectangles(x, y):
    return float(np.sum(np.diff(x) * y[:-1]))


@wrong("auc", expect="Rectangles of the right heights: use trapezoids")
def auc_right_rectangles(x, y):
    return float(np.sum(np.diff(x) * y[1:]))


@wrong("auc", expect="Twice the area: the trapezoid's mean height is")
def auc_no_half(x, y):
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1])))


@wrong("auc", expect="The mean of y ignores the spacing of x")
def auc_mean_height(x, y):
    return float(np.mean(y))


# ----- precision_recall_curve_points ------------------------------------------------------------


@wrong("precision_recall_curve_points", expect="Precision and recall are swapped")
def precision_recall_curve_points_swapped(y_true, scores):
    s, y = _sorted(y_true, scores)
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp, fp = np.cumsum(y == 1)[last], np.cumsum(y != 1)[last]
    return tp / tp[-1], tp / (tp + fp), s[last]


@wrong("precision_recall_curve_points", expect="Too many points: tied scores give one threshold")
def precision_recall_curve_points_ties_split(y_true, scores):
    s, y = _sorted(y_true, scores)
    tp, fp = np.cumsum(y == 1), np.cumsum(y != 1)
    return tp / (tp + fp), tp / tp[-1], s


@wrong("precision_recall_curve_points", expect="The points run backwards")
def precision_recall_curve_points_ascending(y_true, scores):
    s, y = _sorted(y_true, scores)
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp, fp = np.cumsum(y == 1)[last], np.cumsum(y != 1)[last]
    return (tp / (tp + fp))[::-1], (tp / tp[-1])[::-1], s[last][::-1]


@wrong("precision_recall_curve_points", expect="recall is wrong")
def precision_recall_curve_points_recall_over_m(y_true, scores):
    s, y = _sorted(y_true, scores)
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp, fp = np.cumsum(y == 1)[last], np.cumsum(y != 1)[last]
    return tp / (tp + fp), tp / len(y), s[last]


# ----- average_precision -----------------------------------------------------------------------


@wrong("average_precision", expect="Trapezoids between the points make AP too")
def average_precision_trapezoids(y_true, scores):
    p, r, _ = precision_recall_curve_points(y_true, scores)
    r, p = np.r_[0.0, r], np.r_[1.0, p]
    return float(np.sum(np.diff(r) * (p[1:] + p[:-1]) / 2))


@wrong("average_precision", expect="The plain mean of the precisions ignores how much")
def average_precision_mean(y_true, scores):
    p, _, _ = precision_recall_curve_points(y_true, scores)
    return float(np.mean(p))


@wrong("average_precision", expect="You used the precision of the previous point")
def average_precision_previous(y_true, scores):
    p, r, _ = precision_recall_curve_points(y_true, scores)
    return float(np.sum(np.diff(r, prepend=0.0) * np.r_[1.0, p[:-1]]))


@wrong("average_precision", expect="the average precision is wrong")
def average_precision_no_prepend(y_true, scores):  # forgets the first gain R_1 - 0
    p, r, _ = precision_recall_curve_points(y_true, scores)
    return float(np.sum(np.diff(r) * p[1:]))


# ----- regression_errors --------------------------------------------------------------------------


@wrong("regression_errors", expect='d["MSE"] is wrong')
def regression_errors_no_square(y_true, y_pred):
    e = y_pred - y_true
    mse = float(np.mean(np.abs(e)))
    return {"MAE": float(np.mean(np.abs(e))), "MSE": mse, "RMSE": float(np.sqrt(mse))}


@wrong("regression_errors", expect="The root comes last: RMSE = sqrt(mean(e**2))")
def regression_errors_root_of_abs(y_true, y_pred):
    e = y_pred - y_true
    return {
        "MAE": float(np.mean(np.abs(e))),
        "MSE": float(np.mean(e**2)),
        "RMSE": float(np.mean(np.sqrt(np.abs(e)))),
    }


@wrong("regression_errors", expect="Without the absolute value")
def regression_errors_signed_mae(y_true, y_pred):
    e = y_pred - y_true
    return {"MAE": float(np.mean(e)), "MSE": float(np.mean(e**2)), "RMSE": float(np.sqrt(np.mean(e**2)))}


@wrong("regression_errors", expect="That is the squared mean error, (mean e)**2")
def regression_errors_square_of_mean(y_true, y_pred):
    e = y_pred - y_true
    mse = float(np.mean(e) ** 2)
    return {"MAE": float(np.mean(np.abs(e))), "MSE": mse, "RMSE": float(np.sqrt(mse))}


@wrong("regression_errors", expect="the returned dict is missing the key(s) 'MAE'")
def regression_errors_lowercase_keys(y_true, y_pred):
    e = y_pred - y_true
    return {
        "mae": float(np.mean(np.abs(e))),
        "mse": float(np.mean(e**2)),
        "rmse": float(np.sqrt(np.mean(e**2))),
    }


# ----- diagnose ----------------------------------------------------------------------------------


def _label(high_bias, high_variance):
    if high_bias and high_variance:
        return "high bias and high variance"
    if high_bias:
        return "high bias"
    if high_variance:
        return "high variance"
    return "good fit"


@wrong("diagnose", expect="Variance is the gap between dev and training")
def diagnose_dev_against_human(train_error, dev_error, human_error, tolerance=0.02):
    return _label(train_error - human_error > tolerance, dev_error - human_error > tolerance)


@wrong("diagnose", expect="At exactly the tolerance a gap is not high")
def diagnose_greater_or_equal(train_error, dev_error, human_error, tolerance=0.02):
    return _label(train_error - human_error >= tolerance, dev_error - train_error >= tolerance)


@wrong("diagnose", expect="Bias and variance are swapped")
def diagnose_swapped(train_error, dev_error, human_error, tolerance=0.02):
    return _label(dev_error - train_error > tolerance, train_error - human_error > tolerance)


@wrong("diagnose", expect="expected 'good fit', got 'high bias' (avoidable")
def diagnose_ignores_human(train_error, dev_error, human_error, tolerance=0.02):
    return _label(train_error > tolerance, dev_error - train_error > tolerance)


@wrong("diagnose", expect="Use the argument `tolerance`, not a fixed 0.02")
def diagnose_fixed_tolerance(train_error, dev_error, human_error, tolerance=0.02):
    return _label(train_error - human_error > 0.02, dev_error - train_error > 0.02)


@wrong("diagnose", expect="expected 'high bias and high variance'")
def diagnose_either_not_both(train_error, dev_error, human_error, tolerance=0.02):
    if train_error - human_error > tolerance:
        return "high bias"
    if dev_error - train_error > tolerance:
        return "high variance"
    return "good fit"


@wrong("diagnose", expect="Keep the signature given in the notebook")
def diagnose_default_5(train_error, dev_error, human_error, tolerance=0.05):
    return _label(train_error - human_error > tolerance, dev_error - train_error > tolerance)
