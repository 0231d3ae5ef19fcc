"""Plausible mistakes for course1_foundations/04_deep_network_step_by_step.

Functions here call the notebook's own helpers (sigmoid, relu, relu_backward, ...) and
exercises by their plain names: the test rebinds them to the solution's namespace.
"""

import copy

import numpy as np

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


def init_transposed(layer_dims):
    p = {}
    for l in range(1, len(layer_dims)):
        p["W" + str(l)] = np.random.randn(layer_dims[l - 1], layer_dims[l]) * 0.01
        p["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return p


def init_hardcoded_two_layers(layer_dims):
    p = {}
    for l in range(1, 3):
        p["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        p["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return p


def init_misses_last_layer(layer_dims):
    p = {}
    for l in range(1, len(layer_dims) - 1):
        p["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        p["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return p


def init_uniform(layer_dims):
    p = {}
    for l in range(1, len(layer_dims)):
        p["W" + str(l)] = np.random.rand(layer_dims[l], layer_dims[l - 1]) * 0.01
        p["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return p


def init_unscaled(layer_dims):
    p = {}
    for l in range(1, len(layer_dims)):
        p["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1])
        p["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return p


def init_flat_bias(layer_dims):
    p = {}
    for l in range(1, len(layer_dims)):
        p["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        p["b" + str(l)] = np.zeros(layer_dims[l])
    return p


def init_zero_weights(layer_dims):
    p = {}
    for l in range(1, len(layer_dims)):
        p["W" + str(l)] = np.zeros((layer_dims[l], layer_dims[l - 1]))
        p["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return p


# ----- linear_forward -----


def linear_forward_no_bias(A, W, b):
    return W @ A, (A, W, b)


def linear_forward_cache_order(A, W, b):
    return W @ A + b, (W, A, b)


def linear_forward_cache_missing_b(A, W, b):
    return W @ A + b, (A, W)


def linear_forward_transposed(A, W, b):
    return W.T @ A + b, (A, W, b)


# ----- linear_activation_forward -----


def laf_swapped(A_prev, W, b, activation):
    Z, lc = linear_forward(A_prev, W, b)
    A = relu(Z) if activation == "sigmoid" else sigmoid(Z)
    return A, (lc, Z)


def laf_flat_cache(A_prev, W, b, activation):
    Z = W @ A_prev + b
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (A_prev, W, b, Z)


def laf_caches_A(A_prev, W, b, activation):
    Z, lc = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (lc, A)


def laf_cache_reversed(A_prev, W, b, activation):
    Z, lc = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (Z, lc)


# ----- L_model_forward -----


def lmf_relu_last(X, parameters):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L + 1):
        A, c = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(c)
    return A, caches


def lmf_hardcoded_L(X, parameters):
    caches, A, L = [], X, 3
    for l in range(1, L):
        A, c = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(c)
    AL, c = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(c)
    return AL, caches


def lmf_skips_last_hidden(X, parameters):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L - 1):
        A, c = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(c)
    AL, c = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(c)
    return AL, caches


def lmf_forgets_last_cache(X, parameters):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L):
        A, c = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(c)
    AL, _ = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    return AL, caches


def lmf_reads_global(X, params):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L):
        A, c = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(c)
    AL, c = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(c)
    return AL, caches


# ----- compute_cost -----


def cost_no_mean(AL, Y):
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def cost_no_minus(AL, Y):
    return float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def cost_missing_term(AL, Y):
    return float(-np.mean(Y * np.log(AL)))


def cost_keeps_2d(AL, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m


def cost_m_from_rows(AL, Y):
    m = AL.shape[0]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def cost_reads_global(AL, labels):
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


# ----- linear_backward -----


def lb_no_mean(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)


def lb_db_no_keepdims(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1) / m


def lb_db_wrong_axis(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=0, keepdims=True) / m


def lb_dA_averaged(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ / m, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def lb_m_from_rows(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[0]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


# ----- linear_activation_backward -----


def lab_swapped(dA, cache, activation):
    linear_cache, Z = cache
    dZ = sigmoid_backward(dA, Z) if activation == "relu" else relu_backward(dA, Z)
    return linear_backward(dZ, linear_cache)


def lab_no_derivative(dA, cache, activation):
    linear_cache, Z = cache
    return linear_backward(dA, linear_cache)


def lab_always_relu(dA, cache, activation):
    linear_cache, Z = cache
    return linear_backward(relu_backward(dA, Z), linear_cache)


# ----- L_model_backward -----


def lmb_relu_last(AL, Y, caches):
    grads, L = {}, len(caches)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(
        dAL, caches[L - 1], "relu"
    )
    for l in range(L - 1, 0, -1):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            grads["dA" + str(l)], caches[l - 1], "relu"
        )
    return grads


def lmb_dA_shifted(AL, Y, caches):
    grads, L = {}, len(caches)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads["dA" + str(L)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(
        dAL, caches[L - 1], "sigmoid"
    )
    for l in range(L - 1, 0, -1):
        grads["dA" + str(l)], grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            grads["dA" + str(l + 1)], caches[l - 1], "relu"
        )
    return grads


def lmb_hardcoded_L(AL, Y, caches):
    grads, L = {}, 3
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(
        dAL, caches[L - 1], "sigmoid"
    )
    for l in range(L - 1, 0, -1):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            grads["dA" + str(l)], caches[l - 1], "relu"
        )
    return grads


def lmb_stops_before_layer_1(AL, Y, caches):
    grads, L = {}, len(caches)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(
        dAL, caches[L - 1], "sigmoid"
    )
    for l in range(L - 1, 1, -1):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            grads["dA" + str(l)], caches[l - 1], "relu"
        )
    return grads


def lmb_wrong_cache_index(AL, Y, caches):
    grads, L = {}, len(caches)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(
        dAL, caches[L - 1], "sigmoid"
    )
    for l in range(L - 1, 0, -1):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            grads["dA" + str(l)], caches[l % L], "relu"
        )
    return grads


def lmb_dAL_sign(AL, Y, caches):
    grads, L = {}, len(caches)
    dAL = Y / AL - (1 - Y) / (1 - AL)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(
        dAL, caches[L - 1], "sigmoid"
    )
    for l in range(L - 1, 0, -1):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            grads["dA" + str(l)], caches[l - 1], "relu"
        )
    return grads


# ----- update_parameters -----


def update_in_place(params, grads, learning_rate):
    L = len(params) // 2
    for l in range(1, L + 1):
        params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return params


def update_shallow_copy(params, grads, learning_rate):
    p = params.copy()
    L = len(p) // 2
    for l in range(1, L + 1):
        p["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        p["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return p


def update_ascent(params, grads, learning_rate):
    p = copy.deepcopy(params)
    for l in range(1, len(p) // 2 + 1):
        p["W" + str(l)] = p["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        p["b" + str(l)] = p["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return p


def update_misses_last_layer(params, grads, learning_rate):
    p = copy.deepcopy(params)
    for l in range(1, len(p) // 2):
        p["W" + str(l)] = p["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        p["b" + str(l)] = p["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return p


def update_reads_global_rate(params, grads, lr):
    p = copy.deepcopy(params)
    for l in range(1, len(p) // 2 + 1):
        p["W" + str(l)] = p["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        p["b" + str(l)] = p["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return p


def update_hardcoded_L(params, grads, learning_rate):
    p = copy.deepcopy(params)
    for l in range(1, 3):
        p["W" + str(l)] = p["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        p["b" + str(l)] = p["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return p


WRONG = {
    "initialize_parameters_deep": [
        init_transposed,
        init_hardcoded_two_layers,
        init_misses_last_layer,
        init_uniform,
        init_unscaled,
        init_flat_bias,
        init_zero_weights,
    ],
    "linear_forward": [
        linear_forward_no_bias,
        linear_forward_cache_order,
        linear_forward_cache_missing_b,
        linear_forward_transposed,
    ],
    "linear_activation_forward": [laf_swapped, laf_flat_cache, laf_caches_A, laf_cache_reversed],
    "L_model_forward": [
        lmf_relu_last,
        lmf_hardcoded_L,
        lmf_skips_last_hidden,
        lmf_forgets_last_cache,
        lmf_reads_global,
    ],
    "compute_cost": [
        cost_no_mean,
        cost_no_minus,
        cost_missing_term,
        cost_keeps_2d,
        cost_m_from_rows,
        cost_reads_global,
    ],
    "linear_backward": [lb_no_mean, lb_db_no_keepdims, lb_db_wrong_axis, lb_dA_averaged, lb_m_from_rows],
    "linear_activation_backward": [lab_swapped, lab_no_derivative, lab_always_relu],
    "L_model_backward": [
        lmb_relu_last,
        lmb_dA_shifted,
        lmb_hardcoded_L,
        lmb_stops_before_layer_1,
        lmb_wrong_cache_index,
        lmb_dAL_sign,
    ],
    "update_parameters": [
        update_in_place,
        update_shallow_copy,
        update_ascent,
        update_misses_last_layer,
        update_reads_global_rate,
        update_hardcoded_L,
    ],
}
