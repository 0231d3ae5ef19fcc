"""Plausible mistakes for course1_foundations/03_planar_one_hidden_layer.

Functions here call the notebook's other exercises by name (forward_propagation, ...);
the test rebinds them to the solution's namespace.  ``X`` and ``Y`` below play the
notebook's global flower data, for the mistakes that read a global instead of an argument.
"""

import numpy as np
from scipy import special

from shared_utils.data.planar import make_flower

X, Y = make_flower(m=400, seed=1)


# ----- layer_sizes ---------------------------------------------------------------------------


def layer_sizes_hardcoded(X, Y):
    return (2, 4, 1)


def layer_sizes_examples_axis(X, Y):
    return (X.shape[1], 4, Y.shape[1])


def layer_sizes_hidden_from_x(X, Y):
    return (X.shape[0], X.shape[0], Y.shape[0])


# ----- initialize_parameters -------------------------------------------------------------


def initialize_parameters_zeros(n_x, n_h, n_y):
    return {
        "W1": np.zeros((n_h, n_x)),
        "b1": np.zeros((n_h, 1)),
        "W2": np.zeros((n_y, n_h)),
        "b2": np.zeros((n_y, 1)),
    }


def initialize_parameters_unscaled(n_x, n_h, n_y):
    return {
        "W1": np.random.randn(n_h, n_x),
        "b1": np.zeros((n_h, 1)),
        "W2": np.random.randn(n_y, n_h),
        "b2": np.zeros((n_y, 1)),
    }


def initialize_parameters_uniform(n_x, n_h, n_y):
    return {
        "W1": np.random.rand(n_h, n_x) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": np.random.rand(n_y, n_h) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }


def initialize_parameters_transposed(n_x, n_h, n_y):
    return {
        "W1": np.random.randn(n_x, n_h) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": np.random.randn(n_h, n_y) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }


def initialize_parameters_flat_bias(n_x, n_h, n_y):
    return {
        "W1": np.random.randn(n_h, n_x) * 0.01,
        "b1": np.zeros(n_h),
        "W2": np.random.randn(n_y, n_h) * 0.01,
        "b2": np.zeros(n_y),
    }


def initialize_parameters_hardcoded(n_x, n_h, n_y):
    return {
        "W1": np.random.randn(4, 2) * 0.01,
        "b1": np.zeros((4, 1)),
        "W2": np.random.randn(1, 4) * 0.01,
        "b2": np.zeros((1, 1)),
    }


def initialize_parameters_reseeded(n_x, n_h, n_y):
    np.random.seed(2)
    W1 = np.random.randn(n_h, n_x) * 0.01
    np.random.seed(2)
    W2 = np.random.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


# ----- forward_propagation ---------------------------------------------------------------


def forward_propagation_sigmoid_hidden(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = special.expit(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = special.expit(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def forward_propagation_tanh_output(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = np.tanh(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def forward_propagation_no_bias(X, parameters):
    Z1 = parameters["W1"] @ X
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1
    A2 = special.expit(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def forward_propagation_cache_z2_as_a1(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = special.expit(Z2)
    return A2, {"Z1": Z1, "A1": Z1, "Z2": Z2, "A2": A2}


# ----- compute_cost ----------------------------------------------------------------------


def compute_cost_no_mean(A2, Y):
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


def compute_cost_array(A2, Y):  # the (1, 1) result of np.dot, not squeezed
    m = Y.shape[1]
    return -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m


def compute_cost_one_term(A2, Y):
    return float(-np.mean(Y * np.log(A2)))


def compute_cost_sign(A2, Y):
    return float(np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


def compute_cost_hardcoded_m(A2, Y):
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / 400)


# ----- backward_propagation --------------------------------------------------------------


def _backward(
    parameters, cache, X, Y, derivative=lambda A1, Z1: 1 - A1**2, scale=None, transpose=False, keepdims=True
):
    m = X.shape[1] if scale is None else scale
    A1, A2, Z1 = cache["A1"], cache["A2"], cache["Z1"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=keepdims) / m
    dZ1 = (parameters["W2"].T @ dZ2) * derivative(A1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=keepdims) / m
    if transpose:
        dW1, dW2 = dW1.T, dW2.T
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def backward_propagation_no_mean(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, scale=1)


def backward_propagation_transposed(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, transpose=True)


def backward_propagation_db_no_keepdims(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, keepdims=False)


def backward_propagation_sigmoid_derivative(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: A1 * (1 - A1))


def backward_propagation_z_squared(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: 1 - Z1**2)


def backward_propagation_not_squared(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, derivative=lambda A1, Z1: 1 - A1)


def backward_propagation_global_x(parameters, cache, X_arg, Y_arg):  # reads the flower, not its arguments
    return _backward(parameters, cache, X, Y)


def backward_propagation_hardcoded_m(parameters, cache, X, Y):
    return _backward(parameters, cache, X, Y, scale=400)


# ----- update_parameters -----------------------------------------------------------------


def update_parameters_in_place(parameters, grads, learning_rate=1.2):
    for name in ("W1", "b1", "W2", "b2"):
        parameters[name] -= learning_rate * grads["d" + name]
    return parameters


def update_parameters_changes_dict(parameters, grads, learning_rate=1.2):
    for name in ("W1", "b1", "W2", "b2"):
        parameters[name] = parameters[name] - learning_rate * grads["d" + name]
    return parameters


def update_parameters_plus(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] + learning_rate * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


def update_parameters_fixed_rate(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] - 1.2 * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


def update_parameters_weights_only(parameters, grads, learning_rate=1.2):
    new = dict(parameters)
    new["W1"] = parameters["W1"] - learning_rate * grads["dW1"]
    new["W2"] = parameters["W2"] - learning_rate * grads["dW2"]
    return new


# ----- nn_model --------------------------------------------------------------------------


def nn_model_fixed_hidden(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, n_h, n_y = layer_sizes(X, Y)  # noqa: F821 - overwrites the n_h argument with 4
    parameters = initialize_parameters(n_x, n_h, n_y)  # noqa: F821
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)  # noqa: F821
        grads = backward_propagation(parameters, cache, X, Y)  # noqa: F821
        parameters = update_parameters(parameters, grads)  # noqa: F821
    return parameters


def nn_model_discards_update(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)  # noqa: F821
    parameters = initialize_parameters(n_x, n_h, n_y)  # noqa: F821
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)  # noqa: F821
        grads = backward_propagation(parameters, cache, X, Y)  # noqa: F821
        update_parameters(parameters, grads)  # noqa: F821
    return parameters


def nn_model_global_data(X_arg, Y_arg, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X_arg, Y_arg)  # noqa: F821
    parameters = initialize_parameters(n_x, n_h, n_y)  # noqa: F821
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)  # noqa: F821 - the flower, not X_arg
        grads = backward_propagation(parameters, cache, X, Y)  # noqa: F821
        parameters = update_parameters(parameters, grads)  # noqa: F821
    return parameters


def nn_model_own_init(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)  # noqa: F821
    parameters = {
        "W1": np.random.randn(n_h, n_x) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": np.random.randn(n_y, n_h) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)  # noqa: F821
        grads = backward_propagation(parameters, cache, X, Y)  # noqa: F821
        parameters = update_parameters(parameters, grads)  # noqa: F821
    return parameters


def nn_model_small_rate(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)  # noqa: F821
    parameters = initialize_parameters(n_x, n_h, n_y)  # noqa: F821
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)  # noqa: F821
        grads = backward_propagation(parameters, cache, X, Y)  # noqa: F821
        parameters = update_parameters(parameters, grads, 0.01)  # noqa: F821
    return parameters


# ----- predict ---------------------------------------------------------------------------


def predict_probabilities(parameters, X):
    A2, _ = forward_propagation(X, parameters)  # noqa: F821
    return A2


def predict_flat(parameters, X):
    A2, _ = forward_propagation(X, parameters)  # noqa: F821
    return (A2 > 0.5).astype(int).ravel()


def predict_threshold_zero(parameters, X):
    A2, _ = forward_propagation(X, parameters)  # noqa: F821
    return (A2 > 0).astype(int)


def predict_reversed(parameters, X):
    A2, _ = forward_propagation(X, parameters)  # noqa: F821
    return (A2 < 0.5).astype(int)


WRONG = {
    "layer_sizes": [layer_sizes_hardcoded, layer_sizes_examples_axis, layer_sizes_hidden_from_x],
    "initialize_parameters": [
        initialize_parameters_zeros,
        initialize_parameters_unscaled,
        initialize_parameters_uniform,
        initialize_parameters_transposed,
        initialize_parameters_flat_bias,
        initialize_parameters_hardcoded,
        initialize_parameters_reseeded,
    ],
    "forward_propagation": [
        forward_propagation_sigmoid_hidden,
        forward_propagation_tanh_output,
        forward_propagation_no_bias,
        forward_propagation_cache_z2_as_a1,
    ],
    "compute_cost": [
        compute_cost_no_mean,
        compute_cost_array,
        compute_cost_one_term,
        compute_cost_sign,
        compute_cost_hardcoded_m,
    ],
    "backward_propagation": [
        backward_propagation_no_mean,
        backward_propagation_transposed,
        backward_propagation_db_no_keepdims,
        backward_propagation_sigmoid_derivative,
        backward_propagation_z_squared,
        backward_propagation_not_squared,
        backward_propagation_global_x,
        backward_propagation_hardcoded_m,
    ],
    "update_parameters": [
        update_parameters_in_place,
        update_parameters_changes_dict,
        update_parameters_plus,
        update_parameters_fixed_rate,
        update_parameters_weights_only,
    ],
    "nn_model": [
        nn_model_fixed_hidden,
        nn_model_discards_update,
        nn_model_global_data,
        nn_model_own_init,
        nn_model_small_rate,
    ],
    "predict": [predict_probabilities, predict_flat, predict_threshold_zero, predict_reversed],
}
