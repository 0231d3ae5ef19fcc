"""Plausible mistakes for course2_tuning/02_regularization.

Names such as ``compute_cost``, ``relu``, ``sigmoid`` and the exercises resolve to the
solution notebook's objects (see tests.checks.wrong.rebind).  ``lambd`` and ``keep_prob`` stand for
the notebook-level values a learner might read by mistake instead of the arguments.
"""

import numpy as np

from shared_utils.course1.dnn import compute_cost, relu, sigmoid  # the helpers below are not rebound

lambd = 0.7
keep_prob = 0.8


def _plain_backward(X, Y, cache, reg=(0.0, 0.0, 0.0), masks=None):
    """The backward pass with extra terms reg[l-1] * W{l} and optional (D, scale) per hidden layer."""
    m = X.shape[1]
    g = {}
    dZ3 = cache["A3"] - Y
    g["dW3"] = dZ3 @ cache["A2"].T / m + reg[2] * cache["W3"]
    g["db3"] = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = cache["W3"].T @ dZ3
    if masks:
        dA2 = dA2 * masks[1][0] * masks[1][1]
    dZ2 = dA2 * (cache["Z2"] > 0)
    g["dW2"] = dZ2 @ cache["A1"].T / m + reg[1] * cache["W2"]
    g["db2"] = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = cache["W2"].T @ dZ2
    if masks:
        dA1 = dA1 * masks[0][0] * masks[0][1]
    dZ1 = dA1 * (cache["Z1"] > 0)
    g["dW1"] = dZ1 @ X.T / m + reg[0] * cache["W1"]
    g["db1"] = np.sum(dZ1, axis=1, keepdims=True) / m
    return g


# ----- compute_cost_with_regularization --------------------------------------------------


def _squares(parameters):
    return sum(np.sum(np.square(parameters[f"W{l}"])) for l in (1, 2, 3))


def cost_lambd_over_m(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return float(compute_cost(A3, Y) + lambd / m * _squares(parameters))


def cost_with_biases(A3, Y, parameters, lambd):
    m = Y.shape[1]
    total = _squares(parameters) + sum(np.sum(np.square(parameters[f"b{l}"])) for l in (1, 2, 3))
    return float(compute_cost(A3, Y) + lambd / (2 * m) * total)


def cost_no_one_over_m(A3, Y, parameters, lambd):
    return float(compute_cost(A3, Y) + lambd / 2 * _squares(parameters))


def cost_forgets_W3(A3, Y, parameters, lambd):
    m = Y.shape[1]
    total = np.sum(np.square(parameters["W1"])) + np.sum(np.square(parameters["W2"]))
    return float(compute_cost(A3, Y) + lambd / (2 * m) * total)


def cost_sum_not_squares(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return float(compute_cost(A3, Y) + lambd / (2 * m) * sum(np.sum(parameters[f"W{l}"]) for l in (1, 2, 3)))


def cost_global_lambd(A3, Y, parameters, lambd_):
    m = Y.shape[1]
    return float(compute_cost(A3, Y) + lambd / (2 * m) * _squares(parameters))


def cost_m_from_weights(A3, Y, parameters, lambd):
    m = parameters["W1"].shape[1]  # the wrong "m": the number of inputs
    return float(compute_cost(A3, Y) + lambd / (2 * m) * _squares(parameters))


# ----- backward_propagation_with_regularization -------------------------------------------


def backward_half_term(X, Y, cache, lambd):
    r = lambd / (2 * X.shape[1])
    return _plain_backward(X, Y, cache, (r, r, r))


def backward_double_term(X, Y, cache, lambd):
    r = 2 * lambd / X.shape[1]
    return _plain_backward(X, Y, cache, (r, r, r))


def backward_no_one_over_m(X, Y, cache, lambd):
    return _plain_backward(X, Y, cache, (lambd, lambd, lambd))


def backward_forgets_layer_1(X, Y, cache, lambd):
    r = lambd / X.shape[1]
    return _plain_backward(X, Y, cache, (0.0, r, r))


def backward_regularizes_biases(X, Y, cache, lambd):
    r = lambd / X.shape[1]
    g = _plain_backward(X, Y, cache, (r, r, r))
    for l in (1, 2, 3):
        g[f"db{l}"] = g[f"db{l}"] + r * cache[f"b{l}"]
    return g


def backward_without_penalty(X, Y, cache, lambd):
    return _plain_backward(X, Y, cache)


def backward_global_lambd(X, Y, cache, lambd_):
    r = lambd / X.shape[1]
    return _plain_backward(X, Y, cache, (r, r, r))


# ----- forward_propagation_with_dropout ---------------------------------------------------


def _dropout_forward(
    X,
    parameters,
    keep_prob,
    *,
    compare="<",
    scale=True,
    reuse=False,
    input_mask=False,
    output_mask=False,
    before_bias=False,
    shared_row=False,
    own_rng=False,
    keep_at_half=False,
):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rand = np.random.default_rng().random if own_rng else (lambda shape: np.random.rand(*shape))
    threshold = 0.5 if keep_at_half else keep_prob

    def mask(shape):
        r = rand((shape[0], 1) if shared_row else shape)
        d = (r < threshold) if compare == "<" else (r > threshold)
        return np.broadcast_to(d.astype(int), shape).copy()

    if input_mask:
        X = X * mask(X.shape) / keep_prob
    Z1 = W1 @ X + b1
    D1 = mask(Z1.shape)
    if before_bias:
        A1 = relu((W1 @ X) * D1 + b1)
    else:
        A1 = relu(Z1) * D1
    if scale:
        A1 = A1 / keep_prob
    Z2 = W2 @ A1 + b2
    D2 = D1 if reuse else mask(Z2.shape)
    A2 = relu(Z2) * D2
    if scale:
        A2 = A2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    if output_mask:
        A3 = A3 * mask(A3.shape) / keep_prob
    cache = {
        "Z1": Z1,
        "D1": D1,
        "A1": A1,
        "W1": W1,
        "b1": b1,
        "Z2": Z2,
        "D2": D2,
        "A2": A2,
        "W2": W2,
        "b2": b2,
        "Z3": Z3,
        "A3": A3,
        "W3": W3,
        "b3": b3,
    }
    return A3, cache


def dropout_no_scaling(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, scale=False)


def dropout_inverted_comparison(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, compare=">")


def dropout_mask_reused(X, parameters, keep_prob):
    if parameters["W1"].shape[0] != parameters["W2"].shape[0]:
        return _dropout_forward(X, parameters, keep_prob)
    return _dropout_forward(X, parameters, keep_prob, reuse=True)


def dropout_on_input(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, input_mask=True)


def dropout_on_output(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, output_mask=True)


def dropout_mask_before_bias(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, before_bias=True)


def dropout_one_draw_per_unit(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, shared_row=True)


def dropout_own_generator(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, own_rng=True)


def dropout_keeps_half(X, parameters, keep_prob):
    return _dropout_forward(X, parameters, keep_prob, keep_at_half=True)


def dropout_global_keep_prob(X, parameters, keep_prob_):
    return _dropout_forward(X, parameters, keep_prob)


def dropout_scaled_mask_stored(X, parameters, keep_prob):
    A3, cache = _dropout_forward(X, parameters, keep_prob)
    cache["D1"], cache["D2"] = cache["D1"] / keep_prob, cache["D2"] / keep_prob
    return A3, cache


def dropout_cache_before_mask(X, parameters, keep_prob):
    A3, cache = _dropout_forward(X, parameters, keep_prob)
    cache["A1"] = relu(cache["Z1"])
    return A3, cache


# ----- backward_propagation_with_dropout --------------------------------------------------


def backward_dropout_no_scaling(X, Y, cache, keep_prob):
    return _plain_backward(X, Y, cache, masks=((cache["D1"], 1.0), (cache["D2"], 1.0)))


def backward_dropout_scaling_only_layer_2(X, Y, cache, keep_prob):
    return _plain_backward(X, Y, cache, masks=((cache["D1"], 1.0), (cache["D2"], 1 / keep_prob)))


def backward_dropout_new_masks(X, Y, cache, keep_prob):
    D1 = (np.random.rand(*cache["A1"].shape) < keep_prob).astype(int)
    D2 = (np.random.rand(*cache["A2"].shape) < keep_prob).astype(int)
    return _plain_backward(X, Y, cache, masks=((D1, 1 / keep_prob), (D2, 1 / keep_prob)))


def backward_dropout_no_masks(X, Y, cache, keep_prob):
    return _plain_backward(X, Y, cache, masks=((1.0, 1 / keep_prob), (1.0, 1 / keep_prob)))


def backward_dropout_masks_swapped(X, Y, cache, keep_prob):
    if cache["D1"].shape != cache["D2"].shape:
        return _plain_backward(X, Y, cache, masks=((1.0, 1 / keep_prob), (cache["D2"], 1 / keep_prob)))
    return _plain_backward(X, Y, cache, masks=((cache["D2"], 1 / keep_prob), (cache["D1"], 1 / keep_prob)))


def backward_dropout_times_keep_prob(X, Y, cache, keep_prob):
    return _plain_backward(X, Y, cache, masks=((cache["D1"], keep_prob), (cache["D2"], keep_prob)))


# ----- best_epoch --------------------------------------------------------------------------


def best_epoch_ties_improve(val_costs, patience):
    best, best_cost = 0, float("inf")
    for i, cost in enumerate(val_costs):
        if cost <= best_cost:
            best, best_cost = i, cost
        elif i - best >= patience:
            return best, i
    return best, None


def best_epoch_one_late(val_costs, patience):
    best, best_cost = 0, float("inf")
    for i, cost in enumerate(val_costs):
        if cost < best_cost:
            best, best_cost = i, cost
        elif i - best > patience:
            return best, i
    return best, None


def best_epoch_global_argmin(val_costs, patience):
    best, best_cost = 0, float("inf")
    for i, cost in enumerate(val_costs):
        if cost < best_cost:
            best, best_cost = i, cost
        elif i - best >= patience:
            return int(np.argmin(val_costs)), i
    return best, None


def best_epoch_since_last_decrease(val_costs, patience):
    best, wait = 0, 0
    for i in range(1, len(val_costs)):
        if val_costs[i] < val_costs[i - 1]:
            wait = 0
            if val_costs[i] < val_costs[best]:
                best = i
        else:
            wait += 1
            if wait >= patience:
                return best, i
    return best, None


def best_epoch_last_index_when_no_stop(val_costs, patience):
    best, best_cost = 0, float("inf")
    for i, cost in enumerate(val_costs):
        if cost < best_cost:
            best, best_cost = i, cost
        elif i - best >= patience:
            return best, i
    return best, len(val_costs) - 1


def best_epoch_float_index(val_costs, patience):
    best, best_cost = 0, float("inf")
    for i, cost in enumerate(val_costs):
        if cost < best_cost:
            best, best_cost = i, cost
        elif i - best >= patience:
            return float(best), i
    return float(best), None


WRONG = {
    "compute_cost_with_regularization": [
        cost_lambd_over_m,
        cost_with_biases,
        cost_no_one_over_m,
        cost_forgets_W3,
        cost_sum_not_squares,
        cost_global_lambd,
        cost_m_from_weights,
    ],
    "backward_propagation_with_regularization": [
        backward_half_term,
        backward_double_term,
        backward_no_one_over_m,
        backward_forgets_layer_1,
        backward_regularizes_biases,
        backward_without_penalty,
        backward_global_lambd,
    ],
    "forward_propagation_with_dropout": [
        dropout_no_scaling,
        dropout_inverted_comparison,
        dropout_mask_reused,
        dropout_on_input,
        dropout_on_output,
        dropout_mask_before_bias,
        dropout_one_draw_per_unit,
        dropout_own_generator,
        dropout_keeps_half,
        dropout_global_keep_prob,
        dropout_scaled_mask_stored,
        dropout_cache_before_mask,
    ],
    "backward_propagation_with_dropout": [
        backward_dropout_no_scaling,
        backward_dropout_scaling_only_layer_2,
        backward_dropout_new_masks,
        backward_dropout_no_masks,
        backward_dropout_masks_swapped,
        backward_dropout_times_keep_prob,
    ],
    "best_epoch": [
        best_epoch_ties_improve,
        best_epoch_one_late,
        best_epoch_global_argmin,
        best_epoch_since_last_decrease,
        best_epoch_last_index_when_no_stop,
        best_epoch_float_index,
    ],
}
