"""Plausible mistakes for course1_foundations/03_planar_one_hidden_layer.

Functions here call the notebook's other exercises by name (forward_propagation, ...);
the test rebinds them to the solution's namespace.  ``X`` and ``Y`` below play the
notebook's global flower data, for the mistakes that read a global instead of an argument.
"""

import numpy as np

from shared_utils.data.planar import make_flower
from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


X, Y = make_flower(m=400, seed=1)


# ----- layer_sizes ---------------------------------------------------------------------------


edit = wrong.edits("layer_sizes")
edit(
    "layer_sizes_hardcoded",
    [("X.shape[0]", "2"), ("Y.shape[0]", "1")],
    expect="Read the sizes from the arguments X and Y rather",
)
edit(
    "layer_sizes_examples_axis",
    [("X.shape[0]", "X.shape[1]"), ("Y.shape[0]", "Y.shape[1]")],
    expect="shape[1] is the number of examples m",
)
edit(
    "layer_sizes_hidden_from_x",
    "n_h = 4",
    "n_h = X.shape[0]",
    expect="The hidden layer has 4 units in this exercise",
)


# ----- initialize_parameters -------------------------------------------------------------


edit = wrong.edits("initialize_parameters")
edit(
    "initialize_parameters_zeros",
    [
        ("np.random.randn(n_h, n_x) * 0.01", "np.zeros((n_h, n_x))"),
        ("np.random.randn(n_y, n_h) * 0.01", "np.zeros((n_y, n_h))"),
    ],
    expect="Equal weights make every hidden unit learn the",
)
edit(
    "initialize_parameters_unscaled",
    [("randn(n_h, n_x) * 0.01", "randn(n_h, n_x)"), ("randn(n_y, n_h) * 0.01", "randn(n_y, n_h)")],
    expect="Multiply np.random.randn(...) by 0.01",
)
edit(
    "initialize_parameters_uniform",
    [("randn(n_h, n_x)", "rand(n_h, n_x)"), ("randn(n_y, n_h)", "rand(n_y, n_h)")],
    expect="np.random.rand is uniform on [0, 1)",
)
edit(
    "initialize_parameters_transposed",
    [("randn(n_h, n_x)", "randn(n_x, n_h)"), ("randn(n_y, n_h)", "randn(n_h, n_y)")],
    expect="The shape is transposed",
)
edit(
    "initialize_parameters_flat_bias",
    [("np.zeros((n_h, 1))", "np.zeros(n_h)"), ("np.zeros((n_y, 1))", "np.zeros(n_y)")],
    expect="Same number of values, different shape",
)
edit(
    "initialize_parameters_hardcoded",
    [
        ("randn(n_h, n_x)", "randn(4, 2)"),
        ("np.zeros((n_h, 1))", "np.zeros((4, 1))"),
        ("randn(n_y, n_h)", "randn(1, 4)"),
        ("np.zeros((n_y, 1))", "np.zeros((1, 1))"),
    ],
    expect='parameters["W1"] has shape (4, 2)',
)
edit(
    "initialize_parameters_reseeded",
    [
        ("    W1 = np.random", "    np.random.seed(2)\n    W1 = np.random"),
        ("    W2 = np.random", "    np.random.seed(2)\n    W2 = np.random"),
    ],
    expect="Do not reset the random seed between W1 and W2",
)


# ----- forward_propagation ---------------------------------------------------------------


edit = wrong.edits("forward_propagation")
edit(
    "forward_propagation_sigmoid_hidden",
    "np.tanh(Z1)",
    "1 / (1 + np.exp(-Z1))",
    expect="The hidden layer uses tanh, not the sigmoid",
)
edit(
    "forward_propagation_tanh_output",
    "1 / (1 + np.exp(-Z2))",
    "np.tanh(Z2)",
    expect="The output layer uses the sigmoid (A2 = 1 / (1 +",
)
edit(
    "forward_propagation_no_bias",
    [("W1 @ X + b1", "W1 @ X"), ("W2 @ A1 + b2", "W2 @ A1")],
    expect="Add the biases: Z1 = W1 @ X + b1 and Z2 = W2 @ A1",
)
edit("forward_propagation_cache_z2_as_a1", '"A1": A1', '"A1": Z1', expect='cache["A1"] is wrong')


# ----- compute_cost ----------------------------------------------------------------------


edit = wrong.edits("compute_cost")
edit(
    "compute_cost_no_mean",
    "-np.sum(logprobs) / m",
    "-np.sum(logprobs)",
    expect="You summed over the examples; the cost is the mean",
)
# the (1, 1) result of np.dot, not squeezed
edit(
    "compute_cost_array",
    "float(-np.sum(logprobs) / m)",
    "-np.sum(logprobs, keepdims=True) / m",
    expect="np.dot gives a (1, 1) array",
)
edit(
    "compute_cost_one_term",
    "Y * np.log(A2) + (1 - Y) * np.log(1 - A2)",
    "Y * np.log(A2)",
    expect="Both terms are needed",
)
# the per-example losses, never summed: not a case for np.squeeze
edit(
    "compute_cost_no_sum",
    "float(-np.sum(logprobs) / m)",
    "-logprobs / m",
    expect="values came back: the sum over the m examples is missing",
)
edit("compute_cost_sign", "float(-np.sum", "float(np.sum", expect="The cost is positive")
edit("compute_cost_hardcoded_m", "m = Y.shape[1]", "m = 400", expect="the cost is wrong")


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


edit = wrong.edits("backward_propagation")
edit(
    "backward_propagation_no_mean",
    "m = X.shape[1]",
    "m = 1",
    expect="Divide every gradient by m (the cost is a mean",
)
edit(
    "backward_propagation_transposed",
    [("dZ2 @ A1.T / m", "A1 @ dZ2.T / m"), ("dZ1 @ X.T / m", "X @ dZ1.T / m")],
    expect="The shape is transposed",
)
edit(
    "backward_propagation_db_no_keepdims",
    [
        ("np.sum(dZ2, axis=1, keepdims=True)", "np.sum(dZ2, axis=1)"),
        ("np.sum(dZ1, axis=1, keepdims=True)", "np.sum(dZ1, axis=1)"),
    ],
    expect="Same number of values, different shape",
)
edit(
    "backward_propagation_sigmoid_derivative",
    "(1 - A1 ** 2)",
    "A1 * (1 - A1)",
    expect="tanh'(Z1) is 1 - A1**2",
)
edit(
    "backward_propagation_z_squared",
    "(1 - A1 ** 2)",
    '(1 - cache["Z1"] ** 2)',
    expect="tanh'(Z1) is 1 - A1**2 (A1, not Z1, is squared)",
)
edit("backward_propagation_not_squared", "(1 - A1 ** 2)", "(1 - A1)", expect="tanh'(Z1) is 1 - A1**2")
# reads the flower, not its arguments
edit(
    "backward_propagation_global_x",
    "cache, X, Y):",
    "cache, X_arg, Y_arg):",
    expect="your code raised ValueError",
)
edit("backward_propagation_hardcoded_m", "m = X.shape[1]", "m = 400", expect='grads["dW1"] is wrong')


# ----- update_parameters -----------------------------------------------------------------


@wrong("update_parameters", expect='Write `W1 = parameters["W1"] - learning_rate * grads["dW1"]`')
def update_parameters_in_place(parameters, grads, learning_rate=1.2):
    for name in ("W1", "b1", "W2", "b2"):
        parameters[name] -= learning_rate * grads["d" + name]
    return parameters


@wrong("update_parameters", expect="changed its argument `parameters` in place (parameters['W1']")
def update_parameters_changes_dict(parameters, grads, learning_rate=1.2):
    for name in ("W1", "b1", "W2", "b2"):
        parameters[name] = parameters[name] - learning_rate * grads["d" + name]
    return parameters


@wrong("update_parameters", expect="Step against the gradient")
def update_parameters_plus(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] + learning_rate * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


@wrong("update_parameters", expect="Use the learning_rate argument rather than a")
def update_parameters_fixed_rate(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] - 1.2 * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


edit = wrong.edits("update_parameters")
edit(
    "update_parameters_weights_only",
    [(' - learning_rate * grads["db1"]', ""), (' - learning_rate * grads["db2"]', "")],
    expect="The parameter did not change",
)


# ----- nn_model --------------------------------------------------------------------------


# noqa: F821 - overwrites the n_h argument with 4
# noqa: F821
# noqa: F821
# noqa: F821
# noqa: F821
edit = wrong.edits("nn_model")
edit(
    "nn_model_fixed_hidden", "n_x, _, n_y", "n_x, n_h, n_y", expect="Take n_x and n_y from layer_sizes(X, Y)"
)
# noqa: F821
# noqa: F821
# noqa: F821
# noqa: F821
# noqa: F821
edit(
    "nn_model_discards_update",
    "parameters = update_parameters(",
    "update_parameters(",
    expect="The parameters never changed",
)
# noqa: F821
# noqa: F821
# noqa: F821 - the flower, not X_arg
# noqa: F821
# noqa: F821
edit(
    "nn_model_global_data",
    [
        ("def nn_model(X, Y,", "def nn_model(X_arg, Y_arg,"),
        ("layer_sizes(X, Y)", "layer_sizes(X_arg, Y_arg)"),
    ],
    expect='the trained parameters["W1"] is wrong',
)


@wrong("nn_model", expect="Start from parameters = initialize_parameters(n_x")
def nn_model_own_init(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)  # noqa: F821
    parameters = {
        "W1": np.random.randn(n_h, n_x) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": np.random.randn(n_y, n_h) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }
    for _i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)  # noqa: F821
        grads = backward_propagation(parameters, cache, X, Y)  # noqa: F821
        parameters = update_parameters(parameters, grads)  # noqa: F821
    return parameters


# noqa: F821
# noqa: F821
# noqa: F821
# noqa: F821
# noqa: F821
edit(
    "nn_model_small_rate",
    "update_parameters(parameters, grads)",
    "update_parameters(parameters, grads, 0.01)",
    expect='the trained parameters["W1"] is wrong',
)


# ----- predict ---------------------------------------------------------------------------


# noqa: F821
edit = wrong.edits("predict")
edit("predict_probabilities", "(A2 > 0.5).astype(int)", "A2", expect="These are the probabilities A2")
# noqa: F821
edit(
    "predict_flat",
    "(A2 > 0.5).astype(int)",
    "(A2 > 0.5).astype(int).ravel()",
    expect="Same number of values, different shape",
)
# noqa: F821
edit("predict_threshold_zero", "A2 > 0.5", "A2 > 0", expect="Compare A2 with 0.5, not with 0")
# noqa: F821
edit("predict_reversed", "A2 > 0.5", "A2 < 0.5", expect="Predict 1 where A2 > 0")
