"""Plausible mistakes for course1_foundations/02_logistic_regression.

Names such as ``sigmoid``, ``propagate``, ``optimize``, ``predict`` and
``initialize_with_zeros`` resolve to the solution's functions (see tests.checks.wrong.rebind).
``train_x`` / ``train_y`` stand for the notebook's own data, which a learner may read by
mistake instead of the arguments.
"""

import math

import numpy as np

# the notebook's global training set, as a learner's function would find it
_rng = np.random.default_rng(0)
train_x = _rng.random((784, 1000))
train_y = (_rng.random((1, 1000)) < 0.5).astype(np.float64)


# ----- sigmoid ---------------------------------------------------------------------------


def sigmoid_sign(z):
    return 1 / (1 + np.exp(z))


def sigmoid_no_one(z):
    return 1 / np.exp(-z)


def sigmoid_math(z):  # math.exp only takes one number
    return 1 / (1 + math.exp(-z))


# ----- initialize_with_zeros ---------------------------------------------------------------


def initialize_with_zeros_flat(dim):
    return np.zeros(dim), 0.0


def initialize_with_zeros_row(dim):
    return np.zeros((1, dim)), 0.0


def initialize_with_zeros_784(dim):
    return np.zeros((784, 1)), 0.0


def initialize_with_zeros_int_b(dim):
    return np.zeros((dim, 1)), 0


def initialize_with_zeros_int_w(dim):
    return np.zeros((dim, 1), dtype=int), 0.0


# ----- propagate -------------------------------------------------------------------------


def propagate_no_one_over_m(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (A - Y).T, "db": np.sum(A - Y)}, float(cost)


def propagate_dw_transposed(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": (A - Y) @ X.T / m, "db": np.sum(A - Y) / m}, float(cost)


def propagate_cost_sign(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, float(cost)


def propagate_cost_sum(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, float(cost)


def propagate_gradient_sign(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (Y - A).T / m, "db": np.sum(Y - A) / m}, float(cost)


def propagate_global_data(w, b, X, Y):
    X, Y = train_x, train_y
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (A - Y).T / m, "db": np.sum(A - Y) / m}, float(cost)


def propagate_db_row(w, b, X, Y):  # db left as an array of m values
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return {"dw": X @ (A - Y).T / m, "db": (A - Y) / m}, float(cost)


# ----- optimize --------------------------------------------------------------------------


def optimize_in_place(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_costs_shifted(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if (i + 1) % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_costs_after_update(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(propagate(w, b, X, Y)[1])
    return {"w": w, "b": b}, grads, costs


def optimize_every_cost(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_fixed_rate(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - 0.009 * grads["dw"]
        b = b - 0.009 * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_b_not_updated(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_plus(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w + learning_rate * grads["dw"]
        b = b + learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def optimize_wrong_defaults(w, b, X, Y, num_iterations=1000, learning_rate=0.01, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


# ----- predict ---------------------------------------------------------------------------


def predict_probabilities(w, b, X):
    return sigmoid(w.T @ X + b)


def predict_no_sigmoid(w, b, X):
    return (w.T @ X + b > 0.5).astype(float)


def predict_column(w, b, X):
    return (sigmoid(X.T @ w + b) > 0.5).astype(float)


def predict_bool(w, b, X):
    return sigmoid(w.T @ X + b) > 0.5


def predict_reversed(w, b, X):
    return (sigmoid(w.T @ X + b) < 0.5).astype(float)


# ----- model -----------------------------------------------------------------------------


def model_hardcoded_784(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.1, print_cost=False
):
    w, b = initialize_with_zeros(784)
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


def model_optimize_defaults(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.1, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


def model_test_on_train(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.1, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_train),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


def model_initial_params(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.1, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


def model_global_data(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.1, print_cost=False
):
    w, b = initialize_with_zeros(train_x.shape[0])
    params, grads, costs = optimize(w, b, train_x, train_y, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


def model_old_defaults(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


WRONG = {
    "sigmoid": [sigmoid_sign, sigmoid_no_one, sigmoid_math],
    "initialize_with_zeros": [
        initialize_with_zeros_flat,
        initialize_with_zeros_row,
        initialize_with_zeros_784,
        initialize_with_zeros_int_b,
        initialize_with_zeros_int_w,
    ],
    "propagate": [
        propagate_no_one_over_m,
        propagate_dw_transposed,
        propagate_cost_sign,
        propagate_cost_sum,
        propagate_gradient_sign,
        propagate_global_data,
        propagate_db_row,
    ],
    "optimize": [
        optimize_in_place,
        optimize_costs_shifted,
        optimize_costs_after_update,
        optimize_every_cost,
        optimize_fixed_rate,
        optimize_b_not_updated,
        optimize_plus,
        optimize_wrong_defaults,
    ],
    "predict": [predict_probabilities, predict_no_sigmoid, predict_column, predict_bool, predict_reversed],
    "model": [
        model_hardcoded_784,
        model_optimize_defaults,
        model_test_on_train,
        model_initial_params,
        model_global_data,
        model_old_defaults,
    ],
}
