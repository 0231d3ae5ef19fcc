# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Evaluating a model
#     minutes: 1
#     fast:
#       n_bootstrap: 200
#       cv_folds: 3
# ---

# %% [markdown]
# # Evaluating a model
#
# **What you will build:** the measuring instruments of machine learning, written from their
# definitions in NumPy: accuracy, the confusion matrix, precision, recall and F1 (for one class
# and averaged over many), the ROC and precision-recall curves with the areas under them,
# the errors of a regression, and a small function that reads training and dev errors the way
# an engineer does and says whether a model suffers from bias or from variance.
#
# **What you will learn:** what a single number such as accuracy hides, and why it misleads when
# one class is rare; how the decision threshold trades precision against recall, and how
# ranking metrics judge a model at every threshold at once; how big a measured difference must
# be before you believe it; how to tell, from the gap between human-level, training and dev
# error, whether to make the model bigger or to give it more data and regularisation; and how
# counting a model's mistakes by category tells you which fix pays off most.
#
# **Data:** all real and all offline: 8×8 handwritten digits and a diabetes study, both bundled
# with scikit-learn, and Fashion-MNIST's coats and shirts (committed with the workbook).
#
# **Time:** about 60 minutes of work; a full run of the notebook takes well under a minute.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it. Every exercise uses NumPy only: no
# scikit-learn metric inside your functions (scikit-learn is what the checks compare you with).

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes, load_digits
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import cross_val_predict
from sklearn.svm import SVC

from shared_utils.common import compute, plotting
from shared_utils.data import fashion
from shared_utils.course2 import evaluation
from shared_utils.checks import c2_07_evaluation as check
from shared_utils import headline

compute.single_threaded_blas()  # small models on a small machine: one BLAS thread is fastest

# %% tags=["parameters"]
# Bootstrap resamples of the test set behind the confidence interval of the macro F1.
n_bootstrap = 1000
# Folds of the cross-validation that gives every training and dev image a prediction (section 11).
cv_folds = 5

# %% [markdown]
# ## 1. Train, dev and test sets
#
# scikit-learn ships a small real data set of handwritten digits (UCI "Optical Recognition of
# Handwritten Digits"): 1797 images of 8×8 pixels with grey levels 0 to 16, written by 43
# people, labels 0 to 9. It is part of the package, so nothing is downloaded.
#
# We cut it once, at random, into three parts with three different jobs:
#
# - the **training set** (60%) is what the model learns from;
# - the **dev set** (20%, also called the validation or hold-out set) is what *you* learn from:
#   you compare models and settings on it, and you look at its mistakes;
# - the **test set** (20%) is touched once, at the end, for an unbiased estimate of how the
#   chosen model will do. Every decision taken by looking at a set bends the model towards that
#   set; the test set's figure stays honest only if no decision was based on it.
#
# Dev and test must come from the same distribution as the data the model will meet in use;
# the training set may come from elsewhere if it must, but then you need extra care (Course 3
# of the Deep Learning Specialization, *Structuring Machine Learning Projects*, discusses
# mismatched training data). Here all three are random
# parts of one pool.

# %%
digits = load_digits()
X_all, y_all = digits.data / 16.0, digits.target
train_idx, dev_idx, test_idx = evaluation.split_indices(len(y_all), (0.6, 0.2, 0.2), seed=0)
X_train, y_train = X_all[train_idx], y_all[train_idx]
X_dev, y_dev = X_all[dev_idx], y_all[dev_idx]
X_test, y_test = X_all[test_idx], y_all[test_idx]
print(f"images: {digits.images.shape}, features per image: {X_all.shape[1]}")
print(f"train {len(y_train)}, dev {len(y_dev)}, test {len(y_test)} examples")
print("examples per class in the test set:", np.bincount(y_test, minlength=10))

fig = plotting.show_images(digits.images[train_idx[:16]], [f"label {c}" for c in y_train[:16]], ncols=8, size=1.1)
plt.show()

# %% [markdown]
# The model we will evaluate is a multinomial logistic regression: ten linear scores, one per
# digit, turned into probabilities by a softmax. It is not deep, but it is quick to train and
# good enough that its mistakes are interesting. (Everything in this notebook applies unchanged
# to the predictions of a Keras network.) All labels in this notebook are **1-D integer arrays**
# of length $m$, as scikit-learn and Keras use them.

# %%
digit_model = LogisticRegression(C=1.0, solver="newton-cg", max_iter=5000).fit(X_train, y_train)
pred_dev = digit_model.predict(X_dev)
pred_test = digit_model.predict(X_test)
print("first ten test labels:     ", y_test[:10])
print("first ten test predictions:", pred_test[:10])

# %% [markdown]
# ## 2. Accuracy
#
# The first number everybody asks for: the share of examples whose prediction is right,
#
# $$\text{accuracy} = \frac{1}{m}\sum_{i=1}^m \mathbb 1\left[\hat y^{(i)} = y^{(i)}\right].$$
#
# **Exercise 1, `accuracy`** (1 line). Return it as a Python float. `y_true == y_pred` gives an
# array of booleans; the mean of booleans is the share of `True`.

# %%
def accuracy(y_true, y_pred):
    """Share of predictions equal to the true labels; y_true, y_pred: 1-D arrays of length m."""
    ### BEGIN SOLUTION
    return float(np.mean(y_true == y_pred))
    ### END SOLUTION


# %%
check.accuracy(accuracy)
print(f"digits model: dev accuracy {accuracy(y_dev, pred_dev):.4f}, test accuracy {accuracy(y_test, pred_test):.4f}")

# %% [markdown]
# The model gets the great majority of the digits right (the cell prints both accuracies).
# That is one number for ten classes and 360 images; it says nothing
# about *which* digits go wrong, or what they are mistaken for.
#
# ## 3. The confusion matrix
#
# The confusion matrix keeps all of it: entry $(i, j)$ counts the examples of true class $i$
# that the model predicted as class $j$. Rows are the truth, columns the prediction (the
# convention of scikit-learn; some books use the transpose, so always read the axis labels).
# The diagonal holds the right answers; every other cell is one kind of mistake.
#
# **Exercise 2, `confusion_matrix`** (2 to 3 lines). Return an integer array of shape
# `(n_classes, n_classes)`. Size it with the argument `n_classes`, not with the classes that
# happen to occur: a class may be absent from a small test set and must still have its row
# and column. A loop over the examples works; `np.add.at(cm, (y_true, y_pred), 1)` adds one at
# every pair (row, column) without a loop, counting repeated pairs correctly (`cm[y_true,
# y_pred] += 1` would not: repeated pairs would be counted once).

# %%
def confusion_matrix(y_true, y_pred, n_classes):
    """cm[i, j] = number of examples of true class i predicted as class j; shape (n_classes, n_classes), ints."""
    ### BEGIN SOLUTION
    cm = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    ### END SOLUTION
    return cm


# %%
check.confusion_matrix(confusion_matrix)
cm_test = confusion_matrix(y_test, pred_test, 10)
print(cm_test)
print("diagonal / total =", cm_test.trace() / cm_test.sum(), "= the accuracy")

# %% [markdown]
# As a heat map, coloured by the share of each row so that every class counts the same:

# %%
ax = evaluation.plot_confusion_matrix(cm_test, title="Digits model, test set")
plt.show()

# %% [markdown]
# Read the off-diagonal cells: each is a pair (true, predicted) the model confuses. In a full
# run the test set holds only seven mistakes, and six of them land in column 1 or column 8: when
# the model is unsure, it tends to answer 1 or 8. Seven mistakes are too few to count on;
# section 11 counts the confusions on four times more data.
#
# ## 4. Precision, recall and F1
#
# Pick one class as the **positive** one ("is this a 9?") and all the others as negatives. Every
# prediction then falls into one of four boxes: true positive (TP, a 9 called 9), false
# positive (FP, something else called 9), false negative (FN, a 9 called something else), true
# negative (TN). Two ratios describe the positive class:
#
# $$\text{precision} = \frac{TP}{TP + FP}, \qquad \text{recall} = \frac{TP}{TP + FN},
# \qquad F_1 = \frac{2\,\text{precision}\cdot\text{recall}}{\text{precision} + \text{recall}}.$$
#
# - **Precision**: of the examples the model *called* positive, the share that are. (When the
#   model says "9", how often is it right?)
# - **Recall** (also sensitivity, true positive rate): of the examples that *are* positive, the
#   share the model found. (How many of the 9s did it catch?)
# - **F1**: their harmonic mean, high only when both are. It is the usual single number when
#   both kinds of error matter; the harmonic mean punishes a lopsided pair much more than the
#   arithmetic mean would (precision 1.0 with recall 0.02 gives F1 = 0.04, not 0.51).
#
# A ratio can be 0/0: a model that never says "9" has no precision to speak of, and a test set
# without any 9 gives no recall. **We define every 0/0 here as 0.0**, as scikit-learn does with
# `zero_division=0`; F1 is 0.0 when precision + recall is 0. (Other conventions exist; what
# matters is to choose one and say so.)
#
# **Exercise 3, `precision_recall_f1`** (about 7 lines). Count TP, FP and FN for the class
# `positive` (everything else is negative, so this works for multi-class labels too), then
# return the tuple `(precision, recall, f1)` of floats. `np.sum(a & b)` counts the positions
# where two boolean arrays are both true.

# %%
def precision_recall_f1(y_true, y_pred, positive=1):
    """Precision, recall and F1 of the class `positive` against all others; 0.0 for any 0/0."""
    ### BEGIN SOLUTION
    tp = np.sum((y_pred == positive) & (y_true == positive))
    fp = np.sum((y_pred == positive) & (y_true != positive))
    fn = np.sum((y_pred != positive) & (y_true == positive))
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    ### END SOLUTION
    return float(precision), float(recall), float(f1)


# %%
check.precision_recall_f1(precision_recall_f1)

# %% [markdown]
# ### When accuracy misleads: a rare class
#
# Turn the digits into a detector of nines: positive when the digit is a 9. With ten digits,
# the nines are a small minority of the test images, so a "detector" that always answers *no*
# is right most of the time. Accuracy praises it; precision, recall and F1 expose it.

# %%
is_nine = (y_test == 9).astype(int)
never = np.zeros_like(is_nine)
model_says_nine = (pred_test == 9).astype(int)
rows = {"always says 'not a 9'": never, "digits model (says 9 when its top class is 9)": model_says_nine}
pd.DataFrame([[accuracy(is_nine, p), *precision_recall_f1(is_nine, p)] for p in rows.values()],
             index=list(rows), columns=["accuracy", "precision", "recall", "F1"]).round(3)

# %% [markdown]
# The lazy detector's accuracy looks respectable next to the real model's, but its recall
# and F1 are zero: it never finds a single 9. When one class is rare (fraud, disease, defects), accuracy
# is dominated by the common class and says almost nothing about the rare one, which is usually
# the one you care about. Report precision and recall of the rare class, or F1.
#
# For a multi-class model, the same table per class shows where it is weak:

# %%
per_class = pd.DataFrame([precision_recall_f1(y_test, pred_test, positive=k) for k in range(10)],
                         columns=["precision", "recall", "F1"])
per_class["test examples"] = np.bincount(y_test, minlength=10)
per_class.index.name = "digit"
per_class.round(3).T

# %% [markdown]
# ## 5. One number for many classes: macro F1
#
# There are two common ways to squeeze ten per-class figures into one:
#
# - the **macro average** takes the plain mean of the ten per-class F1 values: every class
#   weighs the same, however many examples it has, so a neglected small class shows;
# - the **micro average** pools the counts of all classes first; for single-label
#   classification micro-F1 equals the accuracy, so it hides the small classes again.
#
# **Exercise 4, `macro_f1`** (2 lines). The mean of the F1 of every class `k` in
# `range(n_classes)`, each computed with your `precision_recall_f1(y_true, y_pred, positive=k)`.
# Average over *all* `n_classes` classes, also those absent from this sample (their F1 is 0.0
# by our convention); averaging over the classes present only would quietly drop them.

# %%
def macro_f1(y_true, y_pred, n_classes):
    """Unweighted mean over the classes 0 .. n_classes-1 of the one-vs-rest F1."""
    ### BEGIN SOLUTION
    f1_per_class = [precision_recall_f1(y_true, y_pred, positive=k)[2] for k in range(n_classes)]
    return float(np.mean(f1_per_class))
    ### END SOLUTION


# %%
check.macro_f1(macro_f1)
test_macro_f1 = macro_f1(y_test, pred_test, 10)
print(f"digits model: macro F1 on the dev set {macro_f1(y_dev, pred_dev, 10):.4f}, "
      f"on the test set {test_macro_f1:.4f}")

# %% [markdown]
# ### How precise is that figure?
#
# A test set is a sample. Had we drawn another 360 images from the same source, the macro F1
# would have come out a little different. The **bootstrap** estimates how much: draw 360
# examples *with replacement* from the test set, compute the metric, repeat many times, and
# look at the spread of the results. The middle 95% of them is a simple confidence interval.

# %%
resampled = evaluation.bootstrap(lambda t, p: macro_f1(t, p, 10), y_test, pred_test, n=n_bootstrap, seed=0)
low, high = np.percentile(resampled, [2.5, 97.5])
print(f"macro F1 {test_macro_f1:.4f}, 95% bootstrap interval [{low:.4f}, {high:.4f}] "
      f"from {n_bootstrap} resamples")
plt.figure(figsize=(6, 3))
plt.hist(resampled, bins=30, color="C0", alpha=0.8)
plt.axvline(test_macro_f1, color="k", label="measured on the test set")
plt.axvspan(low, high, color="C1", alpha=0.2, label="95% interval")
plt.xlabel("macro F1 on a resampled test set")
plt.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# On 360 test images the interval the cell prints is a few points wide: two models whose macro
# F1 differ by much less than that on this test set cannot be told apart by it. A bigger test set narrows the
# interval roughly as $1/\sqrt m$.
#
# This is the notebook's headline: the digits model's macro F1 on the test set, printed by the
# cell below. The target leaves room for another machine's rounding: **≥ 0.95**.

# %%
headline("digits model macro F1 (test set)", test_macro_f1, target=0.95)

# %% [markdown]
# ## 6. Thresholds: from scores to decisions
#
# A classifier usually outputs a **score** (a probability, a logit) and the decision comes from
# a threshold: positive when the score is at least $t$. The threshold is a choice, not part of
# the model. Raising it makes the model say "positive" less often: fewer false positives
# (precision up) and more missed positives (recall down). Lowering it does the opposite.
#
# Coats and shirts (course 1) make a good binary task for this, because they are genuinely hard
# to tell apart: 1000 training and 2000 test images of Fashion-MNIST, shirt = positive (1). We
# fit a logistic regression and keep its probability that an image shows a shirt.

# %%
garments = fashion.load_fashion_coat_vs_shirt()
g_train_x, g_train_y = fashion.flatten_images(garments.train_x).T, garments.train_y[0]
g_test_x, g_test_y = fashion.flatten_images(garments.test_x).T, garments.test_y[0]
garment_model = LogisticRegression(C=0.1, solver="newton-cg", max_iter=5000).fit(g_train_x, g_train_y)
shirt_score = garment_model.predict_proba(g_test_x)[:, 1]
print(f"{len(g_test_y)} test images, {g_test_y.mean():.1%} shirts")

rows = []
for t in [0.1, 0.3, 0.5, 0.7, 0.9]:
    decided = (shirt_score >= t).astype(int)
    rows.append([t, accuracy(g_test_y, decided), *precision_recall_f1(g_test_y, decided)[:2], decided.mean()])
pd.DataFrame(rows, columns=["threshold", "accuracy", "precision", "recall", "share called shirt"]).round(3)

# %% [markdown]
# The trade-off is plain in the table: at threshold 0.1 almost every shirt is found but many
# coats are called shirts; at 0.9 a "shirt" verdict is nearly always right but most shirts are
# missed. Which threshold is best depends on the cost of each error (a missed tumour is worse
# than a second look at a healthy scan), not on the model.
#
# ## 7. The ROC curve: every threshold at once
#
# Instead of picking one threshold, sweep all of them. For each threshold $t$, with $P$ positive
# and $N$ negative examples,
#
# $$\text{TPR}(t) = \frac{TP(t)}{P} \;\text{(the recall)}, \qquad \text{FPR}(t) = \frac{FP(t)}{N}
# \;\text{(the share of negatives wrongly flagged)}.$$
#
# The **ROC curve** plots TPR against FPR. It starts at $(0, 0)$ (threshold above every score:
# nothing is positive) and ends at $(1, 1)$ (threshold at the lowest score: everything is).
# Only the scores' *order* matters, so it judges the model as a ranker.
#
# How to compute it: sort the examples by score, highest first. Lowering the threshold past one
# score turns that example positive, so the cumulative sums of `y == 1` and `y == 0` along the
# sorted list are $TP$ and $FP$ at each cut. One subtlety: **tied scores**. Examples with the
# same score become positive together, at the same threshold; so keep one point per *distinct*
# score, the last position of each run of equal scores in the sorted list.
#
# **Exercise 5, `roc_curve_points`** (about 8 lines). Return `fpr, tpr, thresholds`, three 1-D
# float arrays of length $k + 1$ where $k$ is the number of distinct scores:
# `thresholds[0] = np.inf` with `fpr[0] = tpr[0] = 0`, then the distinct scores from the highest
# to the lowest, each with its FPR and TPR (an example counts as positive when
# `score >= threshold`). Useful: `np.argsort(-scores, kind="stable")`, `np.cumsum`,
# `np.flatnonzero(s[1:] != s[:-1])` (positions where the next sorted score differs), `np.r_`.
# `y_true` holds 0 and 1 and both classes occur; do not sort `scores` in place.

# %%
def roc_curve_points(y_true, scores):
    """ROC points, one per distinct score plus the start (0, 0) at threshold np.inf.

    y_true: (m,) labels 0/1 with both classes present; scores: (m,) floats, higher = more positive.
    Returns fpr, tpr, thresholds: (k + 1,) arrays, thresholds decreasing.
    """
    ### BEGIN SOLUTION
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], y_true[order]
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp = np.cumsum(y == 1)[last]
    fp = np.cumsum(y != 1)[last]
    tpr = np.r_[0, tp] / tp[-1]
    fpr = np.r_[0, fp] / fp[-1]
    thresholds = np.r_[np.inf, s[last]]
    ### END SOLUTION
    return fpr, tpr, thresholds


# %%
check.roc_curve_points(roc_curve_points)
tiny_fpr, tiny_tpr, tiny_thr = roc_curve_points(np.array([0, 0, 1, 1, 1]), np.array([0.1, 0.5, 0.5, 0.9, 0.9]))
print("a tiny example with ties: thresholds", tiny_thr, "\n  fpr", tiny_fpr, "\n  tpr", tiny_tpr.round(3))

# %% [markdown]
# ### The area under the curve
#
# The **AUC** (area under the ROC curve) sums the curve into one number between 0 and 1. It has
# a neat meaning: it is the probability that a randomly chosen positive gets a higher score than
# a randomly chosen negative (ties count one half). Random scores give 0.5, a perfect ranking 1.
#
# The curve is piecewise linear between its points, so the area is a sum of **trapezoids**:
#
# $$\text{AUC} = \sum_{i=1}^{k} (x_i - x_{i-1})\,\frac{y_i + y_{i-1}}{2}.$$
#
# Rectangles (the left or the right height only) would be wrong on the slanted pieces that tied
# scores create: a tie between a positive and a negative moves the curve diagonally, and the
# trapezoid counts it as one half, exactly as the probability above does.
#
# **Exercise 6, `auc`** (1 line). The trapezoid area under the points `(x[i], y[i])`, for `x`
# non-decreasing (`np.diff` helps). It works for any curve, not only ROC curves.

# %%
def auc(x, y):
    """Area under the piecewise-linear curve through (x[i], y[i]), x non-decreasing, by trapezoids."""
    ### BEGIN SOLUTION
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
    ### END SOLUTION


# %%
check.auc(auc)
print("AUC of the tiny example:", auc(tiny_fpr, tiny_tpr))

# %% [markdown]
# ## 8. Precision-recall curve and average precision
#
# The **precision-recall curve** sweeps the same thresholds but plots precision against recall.
# Its summary, the **average precision (AP)**, adds up each gain in recall weighted by the
# precision at which it is made:
#
# $$\text{AP} = \sum_{n} (R_n - R_{n-1})\, P_n, \qquad R_0 = 0,$$
#
# over the points in order of decreasing threshold. It is a step sum, not trapezoids: joining
# PR points by straight lines would be too optimistic, because precision does not change
# linearly between two thresholds.
#
# **Exercise 7, `precision_recall_curve_points`** (about 7 lines). Return `precision, recall,
# thresholds`: one point per distinct score, thresholds from the highest score to the lowest
# (no start point this time: precision is 0/0 when nothing is predicted positive), with
# $P = TP/(TP + FP)$ and $R = TP/(\text{number of positives})$. The sorting and counting are
# those of exercise 5.
#
# **Exercise 8, `average_precision`** (2 lines). Call your `precision_recall_curve_points` and
# apply the formula above (`np.diff(recall, prepend=0.0)` gives $R_n - R_{n-1}$).

# %%
def precision_recall_curve_points(y_true, scores):
    """Precision and recall at each distinct score used as threshold (score >= t is positive).

    y_true: (m,) labels 0/1 with at least one 1; scores: (m,) floats.
    Returns precision, recall, thresholds: (k,) arrays, thresholds decreasing.
    """
    ### BEGIN SOLUTION
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], y_true[order]
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    tp = np.cumsum(y == 1)[last]
    fp = np.cumsum(y != 1)[last]
    precision = tp / (tp + fp)
    recall = tp / tp[-1]
    thresholds = s[last]
    ### END SOLUTION
    return precision, recall, thresholds


def average_precision(y_true, scores):
    """AP = sum over the PR points of (R_n - R_(n-1)) * P_n, with R_0 = 0."""
    ### BEGIN SOLUTION
    precision, recall, _ = precision_recall_curve_points(y_true, scores)
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))
    ### END SOLUTION


# %%
check.precision_recall_curve_points(precision_recall_curve_points)
check.average_precision(average_precision)

# %% [markdown]
# ### Both curves for coats and shirts, and a rare-shirt world
#
# Now the real scores. To see what class imbalance does to each curve, we also evaluate the
# same model on a second test set in which shirts are rare: all the test coats and a random
# ninth as many shirts (10% shirts), as if the model were screening a warehouse of mostly coats.
# The model and its scores are unchanged; only the mix of the test set differs. The dots mark
# the thresholds 0.3, 0.5 and 0.7.

# %%
rng = np.random.default_rng(0)
coats, shirts = np.flatnonzero(g_test_y == 0), np.flatnonzero(g_test_y == 1)
rare = np.r_[coats, rng.choice(shirts, size=len(coats) // 9, replace=False)]
test_sets = {"balanced test set": np.arange(len(g_test_y)), "10% shirts": rare}

curves, marks, prevalence, summary = {}, {}, {}, []
for name, idx in test_sets.items():
    y, s = g_test_y[idx], shirt_score[idx]
    fpr, tpr, _ = roc_curve_points(y, s)
    prec, rec, _ = precision_recall_curve_points(y, s)
    curves[name] = {"fpr": fpr, "tpr": tpr, "precision": prec, "recall": rec}
    prevalence[name] = y.mean()
    at = {"thresholds": [], "fpr": [], "tpr": [], "precision": [], "recall": []}
    for t in [0.3, 0.5, 0.7]:
        tn, fp, fn, tp = confusion_matrix(y, (s >= t).astype(int), 2).ravel()
        at["thresholds"].append(t)
        at["fpr"].append(fp / (fp + tn))
        at["tpr"].append(tp / (tp + fn))
        at["precision"].append(tp / (tp + fp))
        at["recall"].append(tp / (tp + fn))
    marks[name] = at
    decided = (s >= 0.5).astype(int)
    summary.append([len(y), y.mean(), accuracy(y, decided), accuracy(y, np.zeros_like(y)),
                    *precision_recall_f1(y, decided), auc(fpr, tpr), average_precision(y, s)])

fig = evaluation.plot_roc_pr(curves, marks=marks, prevalence=prevalence)
plt.show()
pd.DataFrame(summary, index=list(test_sets),
             columns=["examples", "share of shirts", "accuracy (t=0.5)", "accuracy of 'always coat'",
                      "precision (t=0.5)", "recall (t=0.5)", "F1 (t=0.5)", "ROC AUC", "AP"]).round(3)

# %% [markdown]
# What the figure and the table show:
#
# - **Moving the threshold moves the point along the curve**: from the bottom left of the ROC
#   curve (high threshold, few positives) towards the top right (low threshold). On the PR curve
#   the same dots run from high precision and low recall towards high recall and lower precision.
# - **The ROC curve hardly changes** when shirts become rare: TPR is computed among shirts only
#   and FPR among coats only, so the mix of the two does not enter. The AUC in the table
#   barely moves.
# - **The PR curve collapses**: precision compares true positives with *all* the positive
#   verdicts, and with nine coats for every shirt, the same false-positive *rate* produces many
#   more false positives per shirt found. AP, the table's last column, falls sharply. The dotted
#   lines are the precision of random guessing, the share of shirts.
# - **Accuracy misleads**: on the rare-shirt set the model's accuracy at threshold 0.5 is
#   *below* that of a rule that always answers "coat", though the model finds most shirts and the
#   rule finds none.
#
# Rule of thumb: when positives are rare and it is the positives you care about, look at
# precision and recall, the PR curve and AP; the ROC AUC tells you how well the model ranks, not
# how many false alarms each found positive will cost.
#
# ## 9. Regression errors
#
# When the target is a number, "right or wrong" makes no sense; we measure how far off the
# predictions are. With the errors $e_i = \hat y_i - y_i$:
#
# $$\text{MAE} = \frac1m \sum_i |e_i|, \qquad \text{MSE} = \frac1m \sum_i e_i^2, \qquad
# \text{RMSE} = \sqrt{\text{MSE}}.$$
#
# MAE is the typical size of an error, in the target's units. MSE squares the errors, so large
# errors dominate it (it is the loss most regressions minimise); its units are squared.
# RMSE brings it back to the target's units; it is never below the MAE, and the further above,
# the more the errors vary in size (a few large misses).
#
# **Exercise 9, `regression_errors`** (3 lines). Compute `mae`, `mse` and `rmse` from 1-D arrays
# `y_true` and `y_pred`, as Python floats; the return line puts them in a dict.

# %%
def regression_errors(y_true, y_pred):
    """{"MAE": ..., "MSE": ..., "RMSE": ...} of the predictions y_pred (m,) for the targets y_true (m,)."""
    ### BEGIN SOLUTION
    e = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    mae = float(np.mean(np.abs(e)))
    mse = float(np.mean(e ** 2))
    rmse = float(np.sqrt(mse))
    ### END SOLUTION
    return {"MAE": mae, "MSE": mse, "RMSE": rmse}


# %%
check.regression_errors(regression_errors)

# %% [markdown]
# scikit-learn's diabetes data (Efron et al., 2004): ten measurements of 442 patients (age, sex,
# body-mass index, blood pressure and six blood serum values, already standardised) and a
# measure of how far their disease progressed one year later (from 25 to 346). We fit a linear
# regression on 80% of them and compare it with the simplest baseline, which predicts the
# training mean for everybody. A regression error means little without such a baseline.

# %%
diabetes = load_diabetes()
d_train, d_test = evaluation.split_indices(len(diabetes.target), (0.8, 0.2), seed=0)
dX, dy = diabetes.data, diabetes.target
linear = LinearRegression().fit(dX[d_train], dy[d_train])
d_pred = linear.predict(dX[d_test])
baseline = np.full(len(d_test), dy[d_train].mean())
pd.DataFrame({"predict the training mean": regression_errors(dy[d_test], baseline),
              "linear regression": regression_errors(dy[d_test], d_pred)}).T.round(1)

# %%
fig = evaluation.plot_residuals(dy[d_test], d_pred, title="(diabetes, test set)")
plt.show()

# %% [markdown]
# The linear model's errors in the table are clearly, but not dramatically, below the
# baseline's: useful, far from precise (its typical miss, the RMSE, is a sizeable part of the
# scale of 25 to 346). The plots are where a person
# would look next: ideally the points hug the diagonal on the left, and the residuals scatter
# evenly around zero on the right, with no shape. Here the predictions are pulled towards the
# middle (small targets lie mostly above the diagonal, large ones below it: the model
# overestimates mild cases and underestimates severe ones), and the residuals spread wider
# for middle and high predictions than for low ones. Both hint that the ten measurements
# explain only part of the disease's progress, and that errors will be largest for the
# patients who matter most.
#
# ## 10. Bias and variance, read from three errors
#
# Training and dev error together tell you what is wrong with a model, once you know what a
# good error would be. The reference is the **Bayes error**, the lowest error any model could
# reach (some examples are ambiguous even to an expert); in practice we use a proxy such as
# **human-level error** on the task. Then:
#
# - **avoidable bias** $= \text{training error} - \text{human-level error}$: how far the model
#   is from fitting even the data it learns from. Remedies: a bigger model, longer training,
#   better features, less regularisation.
# - **variance** $= \text{dev error} - \text{training error}$: how much worse the model does on
#   data it has not seen. Remedies: more data, regularisation, a smaller or simpler model.
#
# Both can be large at once. Each gap counts as **high** when it is *strictly larger* than a
# tolerance (by default 0.02, two percentage points of error); exactly at the tolerance it is
# not high.
#
# **Exercise 10, `diagnose`** (about 8 lines). Return one of the four strings
# `"high bias"`, `"high variance"`, `"high bias and high variance"`, `"good fit"`. Errors are
# fractions (0.05 = 5%). Compare dev error with *training* error for the variance, not with
# human-level error.

# %%
def diagnose(train_error, dev_error, human_error, tolerance=0.02):
    """Diagnosis from avoidable bias (train - human) and variance (dev - train), each high if > tolerance."""
    ### BEGIN SOLUTION
    avoidable_bias = train_error - human_error
    variance = dev_error - train_error
    if avoidable_bias > tolerance and variance > tolerance:
        return "high bias and high variance"
    if avoidable_bias > tolerance:
        return "high bias"
    if variance > tolerance:
        return "high variance"
    return "good fit"
    ### END SOLUTION


# %%
check.diagnose(diagnose)
examples = pd.DataFrame([(0.01, 0.08, 0.09), (0.01, 0.01, 0.11), (0.005, 0.15, 0.30), (0.005, 0.01, 0.015),
                         (0.075, 0.08, 0.09)], columns=["human", "train", "dev"])
examples["diagnosis"] = [diagnose(r.train, r.dev, r.human) for r in examples.itertuples()]
examples

# %% [markdown]
# The last row is worth a second look: 8% training error sounds bad, but if people get 7.5% of
# these examples wrong, there is little bias left to remove. The same errors against a human
# level of 1% would mean high bias. That is why you need the reference.
#
# ### Diagnosing real models
#
# Nobody has measured how often people misread these 8×8 digits, so we need another proxy for
# the Bayes error. The error of the best model we can build is an upper bound on it: a support
# vector machine with a Gaussian kernel, which gets almost all the dev digits right.
#
# Then four logistic regressions that differ in capacity and data. `C` is the inverse of the
# strength of the L2 regularisation: a small `C` keeps the weights small, a very simple model;
# a large `C` lets them grow freely. The last row trains on only 100 examples.

# %%
svm = SVC(C=10.0).fit(X_train, y_train)
bayes_proxy = 1 - accuracy(y_dev, svm.predict(X_dev))
print(f"SVM dev error {bayes_proxy:.4f}: our proxy for the Bayes error")

settings = [("C = 0.01 (strong regularisation)", 0.01, len(y_train)),
            ("C = 1 (the model of sections 2-5)", 1.0, len(y_train)),
            ("C = 1000 (hardly any regularisation)", 1000.0, len(y_train)),
            ("C = 0.1, only 100 training examples", 0.1, 100)]
rows = []
for name, C, m in settings:
    model = LogisticRegression(C=C, solver="newton-cg", max_iter=5000).fit(X_train[:m], y_train[:m])
    train_err = 1 - accuracy(y_train[:m], model.predict(X_train[:m]))
    dev_err = 1 - accuracy(y_dev, model.predict(X_dev))
    rows.append([name, train_err, dev_err, train_err - bayes_proxy, dev_err - train_err,
                 diagnose(train_err, dev_err, bayes_proxy)])
pd.DataFrame(rows, columns=["model", "train error", "dev error", "avoidable bias", "variance",
                            "diagnosis"]).set_index("model").round(4)

# %% [markdown]
# In a full run the four rows get the four diagnoses: strong regularisation leaves a large
# avoidable bias (the model cannot even fit its training digits); almost no regularisation
# fits the training set perfectly and loses several points on the dev set (variance); with
# 100 examples the model has both problems. `C = 1` is the good fit, but only
# just: its variance in the table is close to the tolerance. With 360 dev images an error $e$
# of a few percent has a standard error of $\sqrt{e(1-e)/360}$, under a point, so differences of
# a point between these rows are within the noise. A tolerance should be larger than the noise of the errors it compares.
#
# ## 11. Error analysis: count the mistakes before fixing them
#
# The diagnosis says *what kind* of problem a model has; error analysis says *where* to work.
# Take the mistakes, sort them into categories, count. A category that holds 40% of the
# mistakes can cut the error by at most 40% if you fix it completely, and a category holding 3%
# by at most 3%: this "ceiling" tells you which idea is worth weeks of work before you spend
# them.
#
# Error analysis belongs on the dev set (or on training data through cross-validation), never
# on the test set. To have more than a dozen mistakes to look at, every training and dev image
# gets a prediction from a model that did not see it: `cross_val_predict` trains the same model
# `cv_folds` times (five in a full run), each time leaving out one part of the images and
# predicting that part.

# %%
X_pool, y_pool = np.r_[X_train, X_dev], np.r_[y_train, y_dev]
images_pool = np.r_[digits.images[train_idx], digits.images[dev_idx]]
pred_pool = cross_val_predict(LogisticRegression(C=1.0, solver="newton-cg", max_iter=5000), X_pool, y_pool, cv=cv_folds)
wrong = np.flatnonzero(pred_pool != y_pool)
print(f"{len(wrong)} mistakes among {len(y_pool)} images (error {len(wrong) / len(y_pool):.4f})")
shown = wrong[:32]
fig = plotting.show_images(images_pool[shown], [f"true {y_pool[i]}, said {pred_pool[i]}" for i in shown],
                           colors=["firebrick"] * len(shown), ncols=8, size=1.3)
plt.show()

# %%
pairs = evaluation.mistake_pairs(y_pool, pred_pool)
print("mistakes by (true, predicted) pair, most frequent first:")
pairs.head(10).round(3)

# %%
by_true = pd.Series(np.bincount(y_pool[wrong], minlength=10), name="mistakes").rename_axis("true digit")
top_true, top_pred, top_count, top_share = pairs.iloc[0][["true", "predicted", "count", "share"]]
top_digit = int(by_true.idxmax())
error_rate = len(wrong) / len(y_pool)
print(by_true.to_frame().T)
print(f"\nmost frequent confusion: {int(top_true)} read as {int(top_pred)}, {int(top_count)} mistakes "
      f"({top_share:.0%} of all): fixing it completely would lower the error from {error_rate:.4f} "
      f"to {error_rate * (1 - top_share):.4f} at best.")
top_digit_share = by_true.max() / len(wrong)
print(f"digit with the most mistakes: {top_digit}, {by_true.max()} mistakes ({top_digit_share:.0%} of all): "
      f"fixing them all would lower the error to {error_rate * (1 - top_digit_share):.4f} at best.")

# %% [markdown]
# No single confusion dominates: the most frequent pair holds only a small share of the
# mistakes, so even a perfect fix for it would lower the error only a little (the cell above
# prints by how much). The mistakes concentrate instead on a few true digits, as the row of
# counts shows.
# Some of the misread images in the grid are hard to read even for a person (at 8×8 pixels a 1
# with a flag and a foot looks like a 7 or a 9): that part of the error no model will remove.
# So a fix aimed at one pair (say, a special rule for one digit against another) would pay off
# little; what pays off most is what helps with the digits that collect the most mistakes, all
# together (the last line above gives the ceiling for the worst digit alone): a model that sees
# strokes and their positions rather than 64 independent pixels (a convolutional network, course 4), or more examples of those digits.
# Your categories need not be class pairs: "blurry", "cut off", "written unusually" are just as
# good, counted by hand in a spreadsheet over a hundred mistakes.
#
# ## What you have learned
#
# - Keep a **test set** untouched until the end; compare models and study mistakes on the
#   **dev set**. Know the noise of every figure: a bootstrap interval shows how wide it is.
# - **Accuracy** hides which classes fail and is misleading when one class is rare. The
#   **confusion matrix** keeps every kind of mistake; **precision** and **recall** describe one
#   class; **F1** combines them; the **macro** average gives every class the same weight.
# - A **threshold** turns scores into decisions and trades precision for recall. **ROC** and
#   **precision-recall** curves show every threshold at once; ties give one point per distinct
#   score; **AUC** (trapezoids) measures ranking and ignores the class mix, **AP** (a step sum)
#   reflects how many false alarms come with each find when positives are rare.
# - **MAE**, **MSE** and **RMSE** measure regression errors; compare them with a baseline and
#   look at the residuals.
# - **Avoidable bias** (training − human-level error) and **variance** (dev − training error)
#   say whether to make the model more capable or to give it more data and regularisation.
# - **Error analysis** counts the mistakes by category; the share of a category is the most
#   that fixing it can gain.
