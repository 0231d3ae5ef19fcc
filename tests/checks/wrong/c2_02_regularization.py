"""Plausible mistakes for course2_tuning/02_regularization.

Names such as ``compute_cost``, ``relu``, ``sigmoid`` and the exercises resolve to the
solution notebook's objects (see tests.checks.wrong.rebind).  ``lambd`` and ``keep_prob`` stand for
the notebook-level values a learner might read by mistake instead of the arguments.
"""

import numpy as np

from shared_utils.course1.dnn import compute_cost  # the helpers below are not rebound
from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


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


edit = wrong.edits("compute_cost_with_regularization")
edit("cost_lambd_over_m", "lambd / (2 * m)", "lambd / m", expect="The penalty is twice too big")


@wrong("compute_cost_with_regularization", expect="Only penalise the weights W1, W2, W3")
def cost_with_biases(A3, Y, parameters, lambd):
    m = Y.shape[1]
    total = _squares(parameters) + sum(np.sum(np.square(parameters[f"b{l}"])) for l in (1, 2, 3))
    return float(compute_cost(A3, Y) + lambd / (2 * m) * total)


edit("cost_no_one_over_m", "lambd / (2 * m)", "lambd / 2", expect="The penalty misses its 1/m")
edit("cost_forgets_W3", "+ np.sum(np.square(W3))", "", expect="W3's term is missing")
edit(
    "cost_sum_not_squares",
    [
        ("np.sum(np.square(W1))", "np.sum(W1)"),
        ("np.sum(np.square(W2))", "np.sum(W2)"),
        ("np.sum(np.square(W3))", "np.sum(W3)"),
    ],
    expect="Square the weights before summing them (np",
)
edit("cost_global_lambd", "parameters, lambd):", "parameters, lambd_):", expect="the cost is wrong")
# the wrong "m": the number of inputs
edit("cost_m_from_weights", "m = Y.shape[1]", 'm = parameters["W1"].shape[1]', expect="the cost is wrong")


# ----- backward_propagation_with_regularization -------------------------------------------


edit = wrong.edits("backward_propagation_with_regularization")
edit(
    "backward_half_term",
    "m = X.shape[1]",
    "m = X.shape[1]\n    lambd = lambd / 2",
    expect="The penalty's gradient is (lambd / m) * W",
)
edit(
    "backward_double_term",
    "m = X.shape[1]",
    "m = X.shape[1]\n    lambd = 2 * lambd",
    expect="The penalty's gradient is (lambd / m) * W",
)
edit(
    "backward_no_one_over_m",
    [
        ('lambd / m * cache["W1"]', 'lambd * cache["W1"]'),
        ('lambd / m * cache["W2"]', 'lambd * cache["W2"]'),
        ('lambd / m * cache["W3"]', 'lambd * cache["W3"]'),
    ],
    expect="The penalty's gradient misses its 1/m",
)
edit("backward_forgets_layer_1", ' + lambd / m * cache["W1"]', "", expect="dW1 has no penalty term")
edit(
    "backward_regularizes_biases",
    [
        (
            "db1 = np.sum(dZ1, axis=1, keepdims=True) / m",
            'db1 = np.sum(dZ1, axis=1, keepdims=True) / m + lambd / m * cache["b1"]',
        ),
        (
            "db2 = np.sum(dZ2, axis=1, keepdims=True) / m",
            'db2 = np.sum(dZ2, axis=1, keepdims=True) / m + lambd / m * cache["b2"]',
        ),
        (
            "db3 = np.sum(dZ3, axis=1, keepdims=True) / m",
            'db3 = np.sum(dZ3, axis=1, keepdims=True) / m + lambd / m * cache["b3"]',
        ),
    ],
    expect="The biases are not penalised",
)
edit(
    "backward_without_penalty",
    [
        (' + lambd / m * cache["W1"]', ""),
        (' + lambd / m * cache["W2"]', ""),
        (' + lambd / m * cache["W3"]', ""),
    ],
    expect="dW3 has no penalty term",
)
edit("backward_global_lambd", "cache, lambd):", "cache, lambd_):", expect='grads["dW3"] is wrong')


# ----- forward_propagation_with_dropout ---------------------------------------------------


edit = wrong.edits("forward_propagation_with_dropout")
edit(
    "dropout_no_scaling",
    [("A1 = A1 * D1 / keep_prob", "A1 = A1 * D1"), ("A2 = A2 * D2 / keep_prob", "A2 = A2 * D2")],
    expect="Divide the kept activations by keep_prob",
)
edit(
    "dropout_inverted_comparison",
    [
        ("A1.shape[1]) < keep_prob", "A1.shape[1]) > keep_prob"),
        ("A2.shape[1]) < keep_prob", "A2.shape[1]) > keep_prob"),
    ],
    expect="Keep a unit where np.random.rand(...) < keep_prob",
)
edit(
    "dropout_mask_reused",
    "    D2 = (np.random.rand",
    "    D2 = D1 if D1.shape == A2.shape else (np.random.rand",
    expect="Draw a fresh mask for the second hidden layer",
)
edit(
    "dropout_on_input",
    "Z1 = W1 @ X + b1",
    "X = X * (np.random.rand(*X.shape) < keep_prob).astype(int) / keep_prob\n    Z1 = W1 @ X + b1",
    expect='cache["A1"] (after dropout) is wrong',
)
edit(
    "dropout_on_output",
    "A3 = sigmoid(Z3)",
    "A3 = sigmoid(Z3) * (np.random.rand(*Z3.shape) < keep_prob).astype(int) / keep_prob",
    expect="Do not apply dropout to the output layer",
)
edit(
    "dropout_mask_before_bias",
    [
        ("    A1 = relu(Z1)\n    D1", "    D1"),
        ("rand(A1.shape[0], A1.shape[1])", "rand(Z1.shape[0], Z1.shape[1])"),
        ("A1 = A1 * D1 / keep_prob", "A1 = relu((W1 @ X) * D1 + b1) / keep_prob"),
    ],
    expect='cache["A1"] (after dropout) is wrong',
)
edit(
    "dropout_one_draw_per_unit",
    [
        ("np.random.rand(A1.shape[0], A1.shape[1])", "np.random.rand(A1.shape[0], 1)"),
        ("np.random.rand(A2.shape[0], A2.shape[1])", "np.random.rand(A2.shape[0], 1)"),
    ],
    expect="Draw one random number per unit AND per example",
)
edit(
    "dropout_own_generator",
    [
        ("np.random.rand(A1.shape[0], A1.shape[1])", "np.random.default_rng().random(A1.shape)"),
        ("np.random.rand(A2.shape[0], A2.shape[1])", "np.random.default_rng().random(A2.shape)"),
    ],
    expect="Use np.random.rand(...) (NumPy's global generator",
)
edit(
    "dropout_keeps_half",
    [("A1.shape[1]) < keep_prob", "A1.shape[1]) < 0.5"), ("A2.shape[1]) < keep_prob", "A2.shape[1]) < 0.5")],
    expect="Keep a unit where np.random.rand(...) < keep_prob",
)
edit(
    "dropout_global_keep_prob",
    "parameters, keep_prob):",
    "parameters, keep_prob_):",
    expect='cache["A1"] (after dropout) is wrong',
)
edit(
    "dropout_scaled_mask_stored",
    [
        ("A1 = A1 * D1 / keep_prob", "D1 = D1 / keep_prob\n    A1 = A1 * D1"),
        ("A2 = A2 * D2 / keep_prob", "D2 = D2 / keep_prob\n    A2 = A2 * D2"),
    ],
    expect="The mask is (np.random.rand(...) < keep_prob)",
)
edit(
    "dropout_cache_before_mask",
    '"A1": A1,',
    '"A1": relu(Z1),',
    expect="cache['A1'] must be the activations after dropout",
)


# ----- backward_propagation_with_dropout --------------------------------------------------


edit = wrong.edits("backward_propagation_with_dropout")
edit(
    "backward_dropout_no_scaling",
    [('cache["D2"] / keep_prob', 'cache["D2"]'), ('cache["D1"] / keep_prob', 'cache["D1"]')],
    expect="Divide by keep_prob after applying each mask in",
)
edit(
    "backward_dropout_scaling_only_layer_2",
    'cache["D1"] / keep_prob',
    'cache["D1"]',
    expect="One of the two divisions by keep_prob is missing",
)


@wrong("backward_propagation_with_dropout", expect="Do not draw new masks in the backward pass")
def backward_dropout_new_masks(X, Y, cache, keep_prob):
    D1 = (np.random.rand(*cache["A1"].shape) < keep_prob).astype(int)
    D2 = (np.random.rand(*cache["A2"].shape) < keep_prob).astype(int)
    return _plain_backward(X, Y, cache, masks=((D1, 1 / keep_prob), (D2, 1 / keep_prob)))


edit(
    "backward_dropout_no_masks",
    [
        ('dA2 * cache["D2"] / keep_prob', "dA2 / keep_prob"),
        ('dA1 * cache["D1"] / keep_prob', "dA1 / keep_prob"),
    ],
    expect='grads["dW2"] is wrong',
)


@wrong("backward_propagation_with_dropout", expect='grads["dW1"] is wrong')
def backward_dropout_masks_swapped(X, Y, cache, keep_prob):
    if cache["D1"].shape != cache["D2"].shape:
        return _plain_backward(X, Y, cache, masks=((1.0, 1 / keep_prob), (cache["D2"], 1 / keep_prob)))
    return _plain_backward(X, Y, cache, masks=((cache["D2"], 1 / keep_prob), (cache["D1"], 1 / keep_prob)))


edit(
    "backward_dropout_times_keep_prob",
    [
        ('cache["D2"] / keep_prob', 'cache["D2"] * keep_prob'),
        ('cache["D1"] / keep_prob', 'cache["D1"] * keep_prob'),
    ],
    expect='grads["dW2"] is wrong',
)


# ----- best_epoch --------------------------------------------------------------------------


edit = wrong.edits("best_epoch")
edit(
    "best_epoch_ties_improve",
    "if cost < best_cost:",
    "if cost <= best_cost:",
    expect="A tie is not an improvement: compare with `<`",
)
edit(
    "best_epoch_one_late",
    "elif i - best >= patience:",
    "elif i - best > patience:",
    expect="A tie is not an improvement: compare with `<`",
)
edit(
    "best_epoch_global_argmin",
    "return best, i",
    "return int(np.argmin(val_costs)), i",
    expect="best is the best index among the costs seen up to",
)


@wrong("best_epoch", expect="Count the evaluations since the best cost so far")
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


edit(
    "best_epoch_last_index_when_no_stop",
    "return best, None",
    "return best, len(val_costs) - 1",
    expect="When the patience never runs out",
)
edit(
    "best_epoch_float_index",
    [("return best, i", "return float(best), i"), ("return best, None", "return float(best), None")],
    expect="Return indices (ints)",
)
