"""Plausible mistakes for course1_foundations/04_deep_network_step_by_step.

Functions here call the notebook's own helpers (sigmoid, relu, relu_backward, ...) and
exercises by their plain names: the test rebinds them to the solution's namespace.
"""

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# Globals a learner's function might read instead of its arguments.
parameters = {
    "W1": np.full((3, 4), 0.1),
    "b1": np.zeros((3, 1)),
    "W2": np.full((1, 3), 0.1),
    "b2": np.zeros((1, 1)),
}
Y = np.array([[1.0, 0.0, 1.0, 0.0]])
learning_rate = 0.0075


# ----- initialize_parameters_deep -----


edit = wrong.edits("initialize_parameters_deep")
edit(
    "init_transposed",
    "randn(layer_dims[l], layer_dims[l - 1])",
    "randn(layer_dims[l - 1], layer_dims[l])",
    expect="The shape is transposed: W[l] has shape (n[l]",
)
edit(
    "init_hardcoded_two_layers",
    "range(1, len(layer_dims))",
    "range(1, 3)",
    expect="your code raised IndexError",
)
edit(
    "init_misses_last_layer",
    "range(1, len(layer_dims))",
    "range(1, len(layer_dims) - 1)",
    expect="the parameters dict is missing the key(s) 'W2'",
)
edit("init_uniform", "np.random.randn", "np.random.rand", expect="np.random.rand draws from [0, 1)")
edit("init_unscaled", " * 0.01", "", expect="Your weights have standard deviation 1")
edit(
    "init_flat_bias",
    "np.zeros((layer_dims[l], 1))",
    "np.zeros(layer_dims[l])",
    expect="Same number of values, different shape",
)
edit(
    "init_zero_weights",
    "np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01",
    "np.zeros((layer_dims[l], layer_dims[l - 1]))",
    expect="Equal weights make every unit of a layer learn",
)


# ----- linear_forward -----


edit = wrong.edits("linear_forward")
edit("linear_forward_no_bias", "Z = W @ A + b", "Z = W @ A", expect="You left out the bias: Z = W A + b")
edit(
    "linear_forward_cache_order",
    "cache = (A, W, b)",
    "cache = (W, A, b)",
    expect="linear_forward returns (Z, cache) with cache = (A",
)
edit(
    "linear_forward_cache_missing_b",
    "cache = (A, W, b)",
    "cache = (A, W)",
    expect="linear_forward returns (Z, cache) with cache = (A",
)
edit("linear_forward_transposed", "W @ A + b", "W.T @ A + b", expect="your code raised ValueError")


# ----- linear_activation_forward -----


edit = wrong.edits("linear_activation_forward")
edit(
    "laf_swapped",
    [
        ('if activation == "sigmoid":', 'if activation == "relu":'),
        ('elif activation == "relu":', 'elif activation == "sigmoid":'),
    ],
    expect='You applied relu where activation = "sigmoid"',
)
edit(
    "laf_flat_cache",
    "cache = (linear_cache, Z)",
    "cache = (*linear_cache, Z)",
    expect="linear_activation_forward returns (A",
)
edit(
    "laf_caches_A",
    "cache = (linear_cache, Z)",
    "cache = (linear_cache, A)",
    expect="The activation cache is Z",
)
edit(
    "laf_cache_reversed",
    "cache = (linear_cache, Z)",
    "cache = (Z, linear_cache)",
    expect="linear_forward returns (Z, cache) with cache = (A",
)


# ----- L_model_forward -----


edit = wrong.edits("L_model_forward")
edit(
    "lmf_relu_last",
    'str(L)], "sigmoid")',
    'str(L)], "relu")',
    expect="The output layer must use the sigmoid, not ReLU",
)
edit("lmf_hardcoded_L", "L = len(parameters) // 2", "L = 3", expect="your code raised KeyError")
edit("lmf_skips_last_hidden", "range(1, L):", "range(1, L - 1):", expect="your code raised ValueError")
edit(
    "lmf_forgets_last_cache",
    '"sigmoid")\n    caches.append(cache)\n',
    '"sigmoid")\n',
    expect="One cache is missing",
)
edit(
    "lmf_reads_global",
    "def L_model_forward(X, parameters):",
    "def L_model_forward(X, params):",
    expect="AL is wrong",
)


# ----- compute_cost -----


edit = wrong.edits("compute_cost")
edit("cost_no_mean", "np.log(1 - AL)) / m", "np.log(1 - AL))", expect="You forgot to divide by m")
edit(
    "cost_no_minus",
    "cost = -np.sum",
    "cost = np.sum",
    expect="The sign is wrong: the cost has a minus in front",
)
edit(
    "cost_missing_term",
    "Y * np.log(AL) + (1 - Y) * np.log(1 - AL)",
    "Y * np.log(AL)",
    expect="The (1 - Y) * log(1 - AL) term is missing",
)
edit(
    "cost_keeps_2d",
    "cost = float(np.squeeze(cost))",
    "cost = np.reshape(cost, (1, 1))",
    expect="Return np.squeeze(cost) or float(cost)",
)
edit("cost_m_from_rows", "m = Y.shape[1]", "m = AL.shape[0]", expect="You forgot to divide by m")
edit(
    "cost_reads_global",
    "def compute_cost(AL, Y):",
    "def compute_cost(AL, labels):",
    expect="the cost is wrong",
)


# ----- linear_backward -----


edit = wrong.edits("linear_backward")
edit(
    "lb_no_mean",
    [("dZ @ A_prev.T / m", "dZ @ A_prev.T"), ("keepdims=True) / m", "keepdims=True)")],
    expect="dW is missing the 1/m: dW = (1/m) dZ @ A_prev.T",
)
edit(
    "lb_db_no_keepdims",
    "np.sum(dZ, axis=1, keepdims=True)",
    "np.sum(dZ, axis=1)",
    expect="Same number of values, different shape",
)
edit("lb_db_wrong_axis", "axis=1", "axis=0", expect="db has shape (1, 4); expected shape (2, 1)")
edit("lb_dA_averaged", "dA_prev = W.T @ dZ", "dA_prev = W.T @ dZ / m", expect="dA_prev = W.T @ dZ has no 1/m")
edit("lb_m_from_rows", "A_prev.shape[1]", "A_prev.shape[0]", expect="dW is wrong")


# ----- linear_activation_backward -----


edit = wrong.edits("linear_activation_backward")
edit(
    "lab_swapped",
    [
        ('if activation == "relu":', 'if activation == "sigmoid":'),
        ('elif activation == "sigmoid":', 'elif activation == "relu":'),
    ],
    expect="You used the sigmoid derivative where activation",
)
edit(
    "lab_no_derivative",
    "linear_backward(dZ, linear_cache)",
    "linear_backward(dA, linear_cache)",
    expect="dZ = g'(Z) * dA: pass dA through relu_backward or",
)
edit(
    "lab_always_relu",
    "dZ = sigmoid_backward(dA, activation_cache)",
    "dZ = relu_backward(dA, activation_cache)",
    expect="You used the relu derivative where activation =",
)


# ----- L_model_backward -----


edit = wrong.edits("L_model_backward")
edit(
    "lmb_relu_last",
    'caches[L - 1], "sigmoid")',
    'caches[L - 1], "relu")',
    expect="dA1, dW2 and db2 come from layer L alone",
)
edit(
    "lmb_dA_shifted",
    [
        ('grads["dA" + str(L - 1)]', 'grads["dA" + str(L)]'),
        ('grads["dA" + str(l)], caches', 'grads["dA" + str(l + 1)], caches'),
        ('grads["dA" + str(l - 1)]', 'grads["dA" + str(l)]'),
    ],
    expect="The dA keys are shifted by one",
)
edit("lmb_hardcoded_L", "L = len(caches)", "L = 3", expect="your code raised IndexError")
edit(
    "lmb_stops_before_layer_1",
    "range(L - 1, 0, -1)",
    "range(L - 1, 1, -1)",
    expect="grads is missing the key(s) ['dA0', 'dW1', 'db1']",
)
edit("lmb_wrong_cache_index", "caches[l - 1]", "caches[l % L]", expect="your code raised ValueError")
edit(
    "lmb_dAL_sign",
    "dAL = -(Y / AL - (1 - Y) / (1 - AL))",
    "dAL = Y / AL - (1 - Y) / (1 - AL)",
    expect="The sign is flipped: dAL = -(Y / AL - (1 - Y) /",
)


# ----- update_parameters -----


edit = wrong.edits("update_parameters")
edit(
    "update_in_place",
    [
        ("copy.deepcopy(params)", "params"),
        ('parameters["W" + str(l)] = parameters["W" + str(l)] -', 'parameters["W" + str(l)] -='),
        ('parameters["b" + str(l)] = parameters["b" + str(l)] -', 'parameters["b" + str(l)] -='),
    ],
    expect="Start from `parameters = copy.deepcopy(params)`",
)
edit(
    "update_shallow_copy",
    [
        ("copy.deepcopy(params)", "params.copy()"),
        ('parameters["W" + str(l)] = parameters["W" + str(l)] -', 'parameters["W" + str(l)] -='),
        ('parameters["b" + str(l)] = parameters["b" + str(l)] -', 'parameters["b" + str(l)] -='),
    ],
    expect="Start from `parameters = copy.deepcopy(params)`",
)
edit(
    "update_ascent",
    [
        ('- learning_rate * grads["dW"', '+ learning_rate * grads["dW"'),
        ('- learning_rate * grads["db"', '+ learning_rate * grads["db"'),
    ],
    expect="Gradient descent steps against the gradient",
)
edit(
    "update_misses_last_layer",
    "range(1, L + 1)",
    "range(1, L)",
    expect="W2 was not updated: loop over every layer, l = 1 .",
)
edit(
    "update_reads_global_rate",
    "grads, learning_rate):",
    "grads, lr):",
    expect="Your step used a learning rate of 0.0075",
)
edit(
    "update_hardcoded_L",
    "range(1, L + 1)",
    "range(1, 3)",
    expect="W3 was not updated: loop over every layer, l = 1 .",
)
