"""Plausible mistakes for course1_foundations/05_deep_network_application."""

import numpy as np

from shared_utils.course1.dnn import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters_lecun,
    initialize_parameters_small,
    linear_activation_backward,
    linear_activation_forward,
    update_parameters,
)
from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# the notebook's training set, as a learner's function might read it instead of its argument
train_x = np.random.default_rng(0).random((784, 40))
train_y = (np.arange(40) % 2).reshape(1, 40).astype(float)


def _two_layer(
    X,
    Y,
    layers_dims,
    learning_rate,
    num_iterations,
    output="sigmoid",
    every=100,
    update=True,
    init=initialize_parameters_small,
):
    parameters = init(layers_dims, seed=1)
    costs = []
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], output)
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, output)
        _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        if update:
            parameters = update_parameters(parameters, grads, learning_rate)
        if i % every == 0:
            costs.append(cost)
    return parameters, costs


@wrong("two_layer_model", expect="Start from `initialize_parameters")
def two_layer_relu_output(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _two_layer(X, Y, layers_dims, learning_rate, num_iterations, output="relu")


@wrong("two_layer_model", expect="Record the cost only every 100 iterations (when")
def two_layer_cost_every_iteration(
    X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False
):
    return _two_layer(X, Y, layers_dims, learning_rate, num_iterations, every=1)


@wrong("two_layer_model", expect="The parameters never change")
def two_layer_no_update(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    return _two_layer(X, Y, layers_dims, learning_rate, num_iterations, update=False)


@wrong("two_layer_model", expect="This matches a run with learning_rate=0.0075")
def two_layer_fixed_learning_rate(
    X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False
):
    return _two_layer(X, Y, layers_dims, 0.0075, num_iterations)


@wrong("two_layer_model", expect="Start from `initialize_parameters")
def two_layer_deep_init(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    return _two_layer(X, Y, layers_dims, learning_rate, num_iterations, init=initialize_parameters_lecun)


@wrong("two_layer_model", expect="Take every size from the arguments")
def two_layer_global_data(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    return _two_layer(
        train_x, train_y, (train_x.shape[0],) + tuple(layers_dims[1:]), learning_rate, num_iterations
    )


@wrong("two_layer_model", expect="Take every size from the arguments")
def two_layer_hidden_size_hardcoded(
    X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False
):
    return _two_layer(X, Y, (X.shape[0], 7, 1), learning_rate, num_iterations)


def _deep(
    X,
    Y,
    layers_dims,
    learning_rate,
    num_iterations,
    every=100,
    update=True,
    cost_after=False,
    init=initialize_parameters_lecun,
):
    parameters = init(layers_dims, seed=1)
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        if update:
            parameters = update_parameters(parameters, grads, learning_rate)
        if cost_after:
            cost = compute_cost(L_model_forward(X, parameters)[0], Y)
        if i % every == 0:
            costs.append(cost)
    return parameters, costs


@wrong("L_layer_model", expect="your code raised ValueError")
def L_layer_hardcoded_784(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    return _deep(X, Y, [784, 20, 7, 5, 1], learning_rate, num_iterations)


@wrong("L_layer_model", expect="Build the network from the sizes passed in")
def L_layer_hardcoded_hidden_layers(
    X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False
):
    return _deep(X, Y, [X.shape[0], 20, 7, 5, 1], learning_rate, num_iterations)


@wrong("L_layer_model", expect="The parameters never change")
def L_layer_no_update(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    return _deep(X, Y, layers_dims, learning_rate, num_iterations, update=False)


@wrong("L_layer_model", expect="Record the cost only every 100 iterations (when")
def L_layer_cost_every_iteration(
    X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False
):
    return _deep(X, Y, layers_dims, learning_rate, num_iterations, every=1)


@wrong("L_layer_model", expect="This matches a run with learning_rate=0.0075")
def L_layer_fixed_learning_rate(
    X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False
):
    return _deep(X, Y, layers_dims, 0.0075, num_iterations)


@wrong("L_layer_model", expect="Take every size from the arguments")
def L_layer_global_data(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    return _deep(train_x, train_y, [train_x.shape[0]] + list(layers_dims[1:]), learning_rate, num_iterations)


@wrong("L_layer_model", expect="These are the costs after the update")
def L_layer_cost_after_update(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    return _deep(X, Y, layers_dims, learning_rate, num_iterations, cost_after=True)


@wrong("L_layer_model", expect="the deep initialiser, with the sizes passed in")
def L_layer_small_init(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    def init(dims, seed):  # the 2-layer initialiser's 0.01 scaling, for any depth
        rng = np.random.default_rng(seed)
        return {
            k: v
            for l in range(1, len(dims))
            for k, v in (
                (f"W{l}", rng.standard_normal((dims[l], dims[l - 1])) * 0.01),
                (f"b{l}", np.zeros((dims[l], 1))),
            )
        }

    return _deep(X, Y, layers_dims, learning_rate, num_iterations, init=init)


@wrong("L_layer_model", expect="Work on a copy (e.g. `layers_dims = list(layers_dims)`)")
def L_layer_pops_layers_dims(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    n_y = layers_dims.pop()  # changes the caller's list
    return _deep(X, Y, layers_dims + [n_y], learning_rate, num_iterations)
