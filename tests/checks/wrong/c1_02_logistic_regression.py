"""Plausible mistakes for course1_foundations/02_logistic_regression.

Names such as ``sigmoid``, ``propagate``, ``optimize``, ``predict`` and
``initialize_with_zeros`` resolve to the solution's functions (see tests.checks.wrong.rebind).
``train_x`` / ``train_y`` stand for the notebook's own data, which a learner may read by
mistake instead of the arguments.
"""

import math  # noqa: F401 - used in the text of an edit

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# the notebook's global training set, as a learner's function would find it
_rng = np.random.default_rng(0)
train_x = _rng.random((784, 1000))
train_y = (_rng.random((1, 1000)) < 0.5).astype(np.float64)


# ----- sigmoid ---------------------------------------------------------------------------


edit = wrong.edits("sigmoid")
edit("sigmoid_sign", "np.exp(-z)", "np.exp(z)", expect="This is sigmoid(-z): the exponent should be -z")
edit(
    "sigmoid_no_one",
    "1 / (1 + np.exp(-z))",
    "1 / np.exp(-z)",
    expect="Did you forget the 1 + in the denominator?",
)
# math.exp only takes one number
edit("sigmoid_math", "np.exp(-z)", "math.exp(-z)", expect="your code raised TypeError")


# ----- initialize_with_zeros ---------------------------------------------------------------


edit = wrong.edits("initialize_with_zeros")
edit(
    "initialize_with_zeros_flat",
    "np.zeros((dim, 1))",
    "np.zeros(dim)",
    expect="Same number of values, different shape",
)
edit(
    "initialize_with_zeros_row", "np.zeros((dim, 1))", "np.zeros((1, dim))", expect="The shape is transposed"
)
edit(
    "initialize_with_zeros_784",
    "np.zeros((dim, 1))",
    "np.zeros((784, 1))",
    expect="w has shape (784, 1); expected shape (2, 1)",
)
edit("initialize_with_zeros_int_b", "b = 0.0", "b = 0", expect="Write `b = 0.0` (with the decimal point)")
edit(
    "initialize_with_zeros_int_w",
    "np.zeros((dim, 1))",
    "np.zeros((dim, 1), dtype=int)",
    expect="np.zeros gives floats by default",
)


# ----- propagate -------------------------------------------------------------------------


edit = wrong.edits("propagate")
edit(
    "propagate_no_one_over_m",
    [("X @ (A - Y).T / m", "X @ (A - Y).T"), ("np.sum(A - Y) / m", "np.sum(A - Y)")],
    expect="You forgot to divide dw by m",
)
edit("propagate_dw_transposed", "X @ (A - Y).T / m", "(A - Y) @ X.T / m", expect="The shape is transposed")
edit("propagate_cost_sign", "cost = -np.sum", "cost = np.sum", expect="The cost has the wrong sign")
edit(
    "propagate_cost_sum",
    "np.log(1 - A)) / m",
    "np.log(1 - A))",
    expect="You forgot the 1/m: the cost is the mean over the",
)
edit(
    "propagate_gradient_sign",
    [("X @ (A - Y).T", "X @ (Y - A).T"), ("np.sum(A - Y)", "np.sum(Y - A)")],
    expect="dw has the wrong sign: it is X (A - Y).T / m",
)
edit(
    "propagate_global_data",
    "m = X.shape[1]",
    "X, Y = train_x, train_y\n    m = X.shape[1]",
    expect="your code raised ValueError",
)
# db left as an array of m values
edit(
    "propagate_db_row",
    "np.sum(A - Y) / m",
    "(A - Y) / m",
    expect="3 values came back where one number is asked: a sum",
)


# ----- optimize --------------------------------------------------------------------------


edit = wrong.edits("optimize")
edit(
    "optimize_in_place",
    [("w = w - learning_rate", "w -= learning_rate"), ("b = b - learning_rate", "b -= learning_rate")],
    expect="Write the update as `w = w - learning_rate * dw`",
)
edit(
    "optimize_costs_shifted",
    "if i % 100 == 0:",
    "if (i + 1) % 100 == 0:",
    expect="One entry short: the first cost is recorded at",
)
edit(
    "optimize_costs_after_update",
    "costs.append(cost)",
    "costs.append(propagate(w, b, X, Y)[1])",
    expect="These are the costs after the update",
)
edit(
    "optimize_every_cost",
    "if i % 100 == 0:\n            costs.append(cost)",
    "costs.append(cost)",
    expect="Record the cost only every 100 iterations (when",
)
edit(
    "optimize_fixed_rate",
    [("learning_rate * dw", "0.009 * dw"), ("learning_rate * db", "0.009 * db")],
    expect='params["w"] is wrong',
)
edit("optimize_b_not_updated", "        b = b - learning_rate * db\n", "", expect='params["w"] is wrong')
edit(
    "optimize_plus",
    [("w - learning_rate", "w + learning_rate"), ("b - learning_rate", "b + learning_rate")],
    expect='params["w"] is wrong',
)
edit(
    "optimize_wrong_defaults",
    "num_iterations=100, learning_rate=0.009",
    "num_iterations=1000, learning_rate=0.01",
    expect="Keep the signature given in the notebook",
)


# ----- predict ---------------------------------------------------------------------------


edit = wrong.edits("predict")
edit("predict_probabilities", "(A > 0.5).astype(np.float64)", "A", expect="You returned the probabilities A")
edit(
    "predict_no_sigmoid",
    "sigmoid(w.T @ X + b)",
    "w.T @ X + b",
    expect="Apply the sigmoid before comparing with 0",
)
edit("predict_column", "sigmoid(w.T @ X + b)", "sigmoid(X.T @ w + b)", expect="The shape is transposed")
edit(
    "predict_bool", "(A > 0.5).astype(np.float64)", "A > 0.5", expect="Convert the comparison's result with "
)
edit("predict_reversed", "A > 0.5", "A < 0.5", expect="Predictions are reversed: 1.0 where A > 0.5")


# ----- model -----------------------------------------------------------------------------


edit = wrong.edits("model")
edit(
    "model_hardcoded_784",
    "initialize_with_zeros(X_train.shape[0])",
    "initialize_with_zeros(784)",
    expect="your code raised ValueError",
)
edit(
    "model_optimize_defaults",
    "Y_train, num_iterations, learning_rate, print_cost)",
    "Y_train)",
    expect='d["w"] is wrong',
)
edit(
    "model_test_on_train",
    "predict(w, b, X_test)",
    "predict(w, b, X_train)",
    expect='d["Y_prediction_test"] has shape (1, 12)',
)
edit(
    "model_initial_params", '    w, b = params["w"], params["b"]\n', "", expect="w is still the initial zeros"
)
edit(
    "model_global_data",
    [("X_train.shape[0]", "train_x.shape[0]"), ("X_train, Y_train, num", "train_x, train_y, num")],
    expect="your code raised ValueError",
)
edit(
    "model_old_defaults",
    "learning_rate=0.1",
    "learning_rate=0.5",
    expect="Keep the signature given in the notebook",
)
