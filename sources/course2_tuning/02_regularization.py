# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: "Regularization: L2, dropout and early stopping"
#     minutes: 1
#     fast:
#       num_iterations: 5000
#       max_iterations: 5000
#       demo_steps: 60
# ---

# %% [markdown]
# # Regularization: L2, dropout and early stopping
#
# **What you will build:** a three-layer network that reads a football pitch. Your club's
# goalkeeper kicks long, and the analyst has marked where 200 of those kicks came down and who
# won the header: a teammate or an opponent. The network learns which spots of the pitch are
# "ours". Left alone it learns the 200 kicks by heart, noise included; you will rein it in
# three ways: an **L2 penalty** on the weights, **dropout**, and **early stopping** on a
# validation set.
#
# **What you will learn:** how to recognise overfitting (training accuracy well above test
# accuracy, a decision boundary that bends around single points); how an L2 penalty changes
# the cost and every weight gradient; how inverted dropout works at training time and why
# nothing changes at test time; how early stopping picks the moment to stop, and what
# `keras.callbacks.EarlyStopping` does; and why "weight decay" and "L2" are the same thing
# with plain gradient descent but not with Adam.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes under a minute on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import inspect
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf

from shared_utils.common import compute, plotting
from shared_utils.common.metrics import accuracy
from shared_utils.data import planar
from shared_utils.checks import c2_02_regularization as check
from shared_utils.course1.dnn import compute_cost, initialize_parameters_lecun, relu, sigmoid, update_parameters
from shared_utils.course2.regularization import (backward_propagation, forward_propagation, plot_boundary,
                                         plot_kicks, predict_labels)
from shared_utils import headline

compute.single_threaded_blas()  # small matrix products: one BLAS thread is fastest here

# %% tags=["parameters"]
# Gradient-descent iterations of the baseline, L2 and dropout networks.
num_iterations = 20000
# Most iterations early stopping may run before its patience runs out.
max_iterations = 20000
# Steps of the optimizer demonstration at the end (weight decay versus L2).
demo_steps = 200

# %% [markdown]
# ## 1. The data: where the long kicks came down
#
# `planar.make_keeper_kicks` draws the kicks. Coordinates are in units of 10 m on a
# 105 m × 68 m pitch, with the centre spot at (0, 0); our keeper stands in the goal on the
# left (x = −5.25) and kicks towards the right. Label 1 (blue) means a teammate won the
# header, label 0 (red) an opponent. Who wins depends on who is nearest to where the ball
# comes down, but not always: a late jump, a misjudged bounce or a push now and then turns a
# header against the odds. That noise is what the network will be tempted to
# learn.
#
# The generator returns three parts drawn from the same distribution: 200 kicks to train on,
# 200 for **validation** (to make choices such as when to stop training) and 2000 for the
# final **test**, which no decision in this notebook may look at.

# %%
kicks = planar.make_keeper_kicks(m_train=200, m_val=200, m_test=2000, seed=1)
train_X, train_Y = kicks.X_train, kicks.Y_train
val_X, val_Y = kicks.X_val, kicks.Y_val
test_X, test_Y = kicks.X_test, kicks.Y_test
print("train_X:", train_X.shape, " train_Y:", train_Y.shape)
print("val_X:  ", val_X.shape, " test_X: ", test_X.shape)
print(f"headers won by a teammate: train {train_Y.mean():.1%}, test {test_Y.mean():.1%}")

fig, ax = plt.subplots(figsize=(8, 5.6))
plot_kicks(train_X, train_Y, ax=ax, players=True, title="200 long kicks: who won the header")
plt.show()

# %% [markdown]
# The squares and triangles mark where the players stood. The best any model can do is to
# give each spot to the side whose player is nearest: a patchwork of straight borders.
# `planar.keeper_kick_probability` knows the players' positions, so it tells us how well
# that perfect rule does on the test kicks. No network can be expected to beat it.

# %%
bayes_test = float(np.mean((planar.keeper_kick_probability(test_X) > 0.5) == test_Y))
print(f"the best possible rule gets {bayes_test:.1%} of the test headers right")

# %% [markdown]
# ## 2. The network and its helpers
#
# The network has two hidden ReLU layers of 20 and 3 units and a sigmoid output, as in
# course 1 (LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID), with the same conventions:
# one example per column, `X` of shape `(2, m)`, `Y` of shape `(1, m)`, and `parameters`
# holding `W1` (20, 2), `b1` (20, 1), `W2` (3, 20), `b2` (3, 1), `W3` (1, 3), `b3` (1, 1).
#
# Because it always has three layers, its forward pass is written out layer by layer and
# keeps its cache in a **dict** instead of a list of tuples:
#
# | key | what it holds | shape |
# |---|---|---|
# | `"Z1"`, `"Z2"`, `"Z3"` | pre-activations $Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}$ | $(n^{[l]}, m)$ |
# | `"A1"`, `"A2"`, `"A3"` | activations (ReLU, ReLU, sigmoid) | $(n^{[l]}, m)$ |
# | `"W1"`, `"b1"`, ... `"b3"` | the parameters the pass used | as in `parameters` |
# | `"D1"`, `"D2"` | with dropout only: the masks (section 5) | like `A1`, `A2` |
#
# `forward_propagation` and `backward_propagation` from `shared_utils.course2.regularization` are the
# unregularized versions; read them, since your regularized versions start from them:

# %%
print(inspect.getsource(forward_propagation))
print(inspect.getsource(backward_propagation))

# %% [markdown]
# The training loop, `model`, is given. It is plain gradient descent on all 200 kicks at once
# (learning rate 0.3) and picks the pieces you are about to write: with `lambd > 0` the cost
# and gradients with the L2 penalty, with `keep_prob < 1` the forward and backward passes with
# dropout. The weights start as in course 1, $\mathcal N(0, 1)/\sqrt{n^{[l-1]}}$ with a fixed
# seed, and the same seed fixes NumPy's generator, which draws the dropout masks; so every run
# gives the same network.

# %%
layers_dims = [train_X.shape[0], 20, 3, 1]


def model(X, Y, learning_rate=0.3, num_iterations=20000, lambd=0.0, keep_prob=1.0, seed=1, print_cost=True):
    """Train the 3-layer network by gradient descent; return its parameters and the costs every 1000 steps."""
    if lambd > 0 and keep_prob < 1:
        raise ValueError("use L2 or dropout, not both at once, in this notebook")
    np.random.seed(seed)  # the dropout masks come from NumPy's global generator
    parameters = initialize_parameters_lecun(layers_dims, seed=seed)
    costs = []
    for i in range(num_iterations):
        if keep_prob < 1:
            A3, cache = forward_propagation_with_dropout(X, parameters, keep_prob)
        else:
            A3, cache = forward_propagation(X, parameters)
        if lambd > 0:
            cost = compute_cost_with_regularization(A3, Y, parameters, lambd)
            grads = backward_propagation_with_regularization(X, Y, cache, lambd)
        elif keep_prob < 1:
            cost = compute_cost(A3, Y)
            grads = backward_propagation_with_dropout(X, Y, cache, keep_prob)
        else:
            cost = compute_cost(A3, Y)
            grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 1000 == 0:
            costs.append(cost)
            if print_cost and i % 5000 == 0:
                print(f"cost after iteration {i:5d}: {cost:.4f}")
    return parameters, costs


results = {}  # name -> parameters of each trained network, for the comparison at the end

# %% [markdown]
# ## 3. The baseline: no regularization
#
# First the network as it is. Watch the two accuracies.

# %%
start = time.perf_counter()
parameters, costs = model(train_X, train_Y, num_iterations=num_iterations)
print(f"trained in {time.perf_counter() - start:.1f} s")
results["no regularization"] = parameters
print(f"train accuracy {accuracy(train_X, train_Y, parameters):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, parameters):.3f}")

# %%
fig, ax = plt.subplots(figsize=(8, 5.6))
plot_boundary(lambda P: predict_labels(P, parameters), train_X, train_Y, ax=ax,
              title="No regularization: the pitch as the network sees it")
plt.show()

# %% [markdown]
# The network gets far more training headers right than test headers: it has learned the
# particular 200 kicks rather than the pitch. The figure shows how: thin spikes and islands of
# one colour reach out to grab single points of that colour deep inside the other side's
# region. Those points are the unlucky headers; no rule about positions can predict them, and
# the spikes they carve cost accuracy on new kicks. That is **overfitting**: high variance,
# a model that is too free for the amount of data it has.
#
# More data would help, but the club has only these kicks. The rest of this notebook
# constrains the network instead.
#
# ## 4. L2 regularization
#
# L2 regularization adds to the cost a penalty on the size of the weights:
#
# $$J_{\text{L2}} = \underbrace{-\frac1m \sum_{i=1}^m \Bigl(y^{(i)}\log a^{[3](i)} + (1-y^{(i)})\log\bigl(1-a^{[3](i)}\bigr)\Bigr)}_{\text{cross-entropy}}
# \;+\; \underbrace{\frac{\lambda}{2m} \sum_{l=1}^{3} \sum_{k,j} \bigl(W^{[l]}_{kj}\bigr)^2}_{\text{L2 penalty}}$$
#
# Only the weights are penalised, not the biases (a bias shifts a unit; it does not make the
# function steeper). $\lambda$ (`lambd` in code: `lambda` is a Python keyword) sets the trade:
# large weights can still be worth it, but only where they buy a clear drop in cross-entropy.
#
# **Exercise 1, `compute_cost_with_regularization`** (3 or 4 lines). Compute the cross-entropy
# part with `compute_cost(A3, Y)` (from `shared_utils.course1.dnn`) and add the penalty: for each of
# `W1`, `W2`, `W3`, `np.sum(np.square(W))`; `m` is the number of examples.

# %%
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """Cross-entropy of A3 (1, m) against Y (1, m) plus lambd / (2m) times the sum of the squared weights."""
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    ### BEGIN SOLUTION
    cross_entropy_cost = compute_cost(A3, Y)
    L2_regularization_cost = lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2))
                                                + np.sum(np.square(W3)))
    cost = cross_entropy_cost + L2_regularization_cost
    ### END SOLUTION
    return float(cost)


# %%
check.compute_cost_with_regularization(compute_cost_with_regularization)

# %% [markdown]
# The penalty changes the gradients too. The derivative of $\frac{\lambda}{2m} W^2$ with
# respect to $W$ is $\frac{\lambda}{m} W$ (the 2 of the square cancels the 2 of the
# denominator), so each weight gradient gets one extra term and nothing else changes:
#
# $$dW^{[l]} = \underbrace{\frac1m\, dZ^{[l]} A^{[l-1]T}}_{\text{as before}} + \frac{\lambda}{m} W^{[l]},
# \qquad db^{[l]} \text{ as before.}$$
#
# Each gradient step then multiplies every weight by $1 - \alpha\lambda/m$ before the usual
# step: the weights **decay** towards zero unless the data keeps pushing them out. That is why
# L2 regularization is also called *weight decay* (section 8 says when the two names part).
#
# **Exercise 2, `backward_propagation_with_regularization`** (about 12 lines). Start from
# `backward_propagation` printed above and add $\frac{\lambda}{m} W^{[l]}$ to `dW3`, `dW2` and
# `dW1`. Read the weights and activations from `cache` (its keys are in the table of
# section 2). Return a dict with at least `"dW1"`, `"db1"`, `"dW2"`, `"db2"`, `"dW3"`, `"db3"`.

# %%
def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Gradients of the L2-regularized cost for the pass that made `cache` (see the table in section 2)."""
    m = X.shape[1]
    ### BEGIN SOLUTION
    dZ3 = cache["A3"] - Y
    dW3 = dZ3 @ cache["A2"].T / m + lambd / m * cache["W3"]
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = cache["W3"].T @ dZ3
    dZ2 = dA2 * (cache["Z2"] > 0)
    dW2 = dZ2 @ cache["A1"].T / m + lambd / m * cache["W2"]
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = cache["W2"].T @ dZ2
    dZ1 = dA1 * (cache["Z1"] > 0)
    dW1 = dZ1 @ X.T / m + lambd / m * cache["W1"]
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
                 "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
    ### END SOLUTION
    return gradients


# %%
check.backward_propagation_with_regularization(backward_propagation_with_regularization)

# %% [markdown]
# Now train with $\lambda = 0.7$. (How was 0.7 chosen? In a real project, by comparing a few
# values on the **validation** kicks, never on the test kicks.)

# %%
parameters, costs_l2 = model(train_X, train_Y, num_iterations=num_iterations, lambd=0.7)
results["L2, lambd = 0.7"] = parameters
print(f"train accuracy {accuracy(train_X, train_Y, parameters):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, parameters):.3f}")

fig, ax = plt.subplots(figsize=(8, 5.6))
plot_boundary(lambda P: predict_labels(P, parameters), train_X, train_Y, ax=ax,
              title="L2 regularization, lambd = 0.7")
plt.show()

# %% [markdown]
# The spikes are gone. Small weights make a smooth function: a ReLU network's output can only
# bend as sharply as its weights allow, so the penalty trades a few training headers for a
# boundary that follows the players' territories. Training accuracy drops a little, test
# accuracy rises. Push $\lambda$ much higher and the boundary becomes too simple to follow the
# players' territories (high bias). Try it: with `lambd=5` in the cell above, both accuracies
# it prints fall below those of `lambd=0.7`.
#
# ## 5. Dropout
#
# Dropout switches off a random part of the hidden units at every training step: each unit is
# kept with probability `keep_prob` and silenced otherwise, afresh at every iteration. No unit
# can rely on one particular other unit being there, so the network cannot build the fragile
# chains of units that memorise single points; every step trains a different thinned network,
# and the full network behaves like an average of them.
#
# We use **inverted dropout**. For a hidden layer with activations $A^{[l]}$:
#
# 1. draw a mask $D^{[l]}$ of the same shape, 1 with probability `keep_prob` and 0 otherwise:
#    `D1 = (np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob).astype(int)`;
# 2. switch units off: `A1 = A1 * D1`;
# 3. scale the survivors up: `A1 = A1 / keep_prob`. On average the next layer then receives the
#    same total as without dropout, so at test time we simply use the full network, with no
#    mask and no rescaling.
#
# **Exercise 3, `forward_propagation_with_dropout`** (about 14 lines). Write the forward pass
# with dropout on the two hidden layers, `A1` and `A2`, after the ReLU. Neither the input `X`
# nor the output `A3` is dropped. Draw the masks with `np.random.rand` (not a generator of your
# own: `model` seeds NumPy's global one so that runs repeat), one fresh mask per layer. The
# cache stores `Z1`, `Z2` as computed (before any mask) and `A1`, `A2` after dropout, the
# values the next layer used.

# %%
def forward_propagation_with_dropout(X, parameters, keep_prob):
    """The 3-layer forward pass with inverted dropout on both hidden layers.

    Returns A3 (1, m) and the cache dict, with the masks D1 (n1, m) and D2 (n2, m) of 0s and 1s.
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    ### BEGIN SOLUTION
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    D1 = (np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob).astype(int)
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    D2 = (np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob).astype(int)
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    ### END SOLUTION
    cache = {"Z1": Z1, "D1": D1, "A1": A1, "W1": W1, "b1": b1, "Z2": Z2, "D2": D2, "A2": A2, "W2": W2,
             "b2": b2, "Z3": Z3, "A3": A3, "W3": W3, "b3": b3}
    return A3, cache


# %%
check.forward_propagation_with_dropout(forward_propagation_with_dropout)

# %% [markdown]
# **Exercise 4, `backward_propagation_with_dropout`** (about 14 lines). The backward pass must
# go through the same thinned network as the forward pass: a unit that was switched off had no
# effect on the cost, so its gradient is zero, and a kept unit's output was multiplied by
# `1 / keep_prob`, so its gradient is too. After computing `dA2 = W3.T @ dZ3`, apply the mask
# `D2` **from the cache** (new random masks would describe a different network) and divide
# by `keep_prob`; the same for `dA1` with `D1`. Everything else is `backward_propagation`.
# Return a dict with at least `"dW1"`, `"db1"`, `"dW2"`, `"db2"`, `"dW3"`, `"db3"`.

# %%
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """Gradients of the cross-entropy for the dropout pass that made `cache` (with its masks D1, D2)."""
    m = X.shape[1]
    ### BEGIN SOLUTION
    dZ3 = cache["A3"] - Y
    dW3 = dZ3 @ cache["A2"].T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = cache["W3"].T @ dZ3
    dA2 = dA2 * cache["D2"] / keep_prob
    dZ2 = dA2 * (cache["Z2"] > 0)
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = cache["W2"].T @ dZ2
    dA1 = dA1 * cache["D1"] / keep_prob
    dZ1 = dA1 * (cache["Z1"] > 0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
                 "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
    ### END SOLUTION
    return gradients


# %%
check.backward_propagation_with_dropout(backward_propagation_with_dropout)

# %% [markdown]
# Train with `keep_prob = 0.8`: each hidden unit is silenced in one step out of five. The
# accuracies are measured on the full network, without dropout: `accuracy` uses
# `forward_propagation`, never the dropout version. Dropout is a training-time device only.

# %%
parameters, costs_dropout = model(train_X, train_Y, num_iterations=num_iterations, keep_prob=0.8)
results["dropout, keep_prob = 0.8"] = parameters
print(f"train accuracy {accuracy(train_X, train_Y, parameters):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, parameters):.3f}")

fig, ax = plt.subplots(figsize=(8, 5.6))
plot_boundary(lambda P: predict_labels(P, parameters), train_X, train_Y, ax=ax,
              title="Dropout, keep_prob = 0.8")
plt.show()

# %% [markdown]
# Again the spikes are gone and the test accuracy is up. Note the training cost curve below:
# with dropout it is noisy and can even rise, because every step measures a different thinned
# network, and it is not the cost of the network we finally use. To check that gradient descent works, plot the
# cost with dropout switched off (`keep_prob = 1`) first.

# %%
ax = plotting.plot_costs({"no regularization": costs, "L2": costs_l2, "dropout (thinned networks)": costs_dropout},
                         every=1000, title="Training cost, every 1000 iterations")
plt.show()

# %% [markdown]
# ## 6. Early stopping
#
# The baseline's test accuracy was better early in training than at the end: gradient descent
# first learns the broad territories and only later bends the boundary around single kicks.
# Early stopping watches the cost on the **validation** kicks while training, and keeps the
# parameters from the moment it was lowest.
#
# But when is "lowest"? The validation cost is noisy: it can rise for a few evaluations and
# then fall again. So we wait: training stops only after `patience` evaluations in a row
# without a new best.
#
# **Exercise 5, `best_epoch`** (about 8 lines). `val_costs` holds the validation costs
# $c_0, c_1, \dots$ measured so far, one per evaluation. Walk through them in order:
#
# - an evaluation is an **improvement** if its cost is strictly lower than every cost before
#   it (the first one always is; an equal cost is *not* an improvement);
# - `best` is the index of the latest improvement;
# - training stops at the first index `i` with `i - best >= patience`: `patience` evaluations
#   in a row without improvement. Return that index as `stop`, and `best` as it was at that
#   moment. The costs after `stop` would never have been measured, so they must not count.
#   If the patience never runs out, `stop` is `None`.
#
# Return `best, stop` (ints, or `None` for `stop`). `patience` is at least 1. For example, with
# `val_costs = [0.9, 0.7, 0.8, 0.7, 0.75, 0.6]` and `patience = 3`: the improvements are at 0
# and 1, index 2, 3 and 4 are not, and `4 - 1 >= 3`, so the answer is `(1, 4)`; the 0.6 at
# index 5 comes too late.

# %%
def best_epoch(val_costs, patience):
    """(best, stop): the index of the best validation cost and the index where training stops (or None)."""
    ### BEGIN SOLUTION
    best, best_cost = 0, float("inf")
    for i, cost in enumerate(val_costs):
        if cost < best_cost:
            best, best_cost = i, cost
        elif i - best >= patience:
            return best, i
    ### END SOLUTION
    return best, None


# %%
check.best_epoch(best_epoch)
print("example from the text:", best_epoch([0.9, 0.7, 0.8, 0.7, 0.75, 0.6], patience=3))

# %% [markdown]
# The check compared your function with Keras's own `keras.callbacks.EarlyStopping(
# monitor="val_loss", mode="min", patience=patience)`, fed the same costs one epoch at a time:
# your `stop` is the epoch at which it sets `model.stop_training`, and your `best` its
# `best_epoch`. Where the two do not line up:
#
# - Keras counts **epochs** (passes over the training set) and evaluates once per epoch; our
#   loop evaluates every `eval_every` steps of full-batch gradient descent. The logic is the
#   same; only the unit differs.
# - When training never stops early, Keras leaves `stopped_epoch` at 0; we return `None`,
#   which cannot be mistaken for a real index.
# - Keras also has `min_delta` (an improvement must beat the best by at least this much),
#   `baseline` and `start_from_epoch`; ours is `min_delta = 0`, no baseline, no warm-up. With
#   `patience = 0` Keras stops at the first evaluation without improvement; ours asks for 1 or more.
# - Keras keeps the **last** weights unless you pass `restore_best_weights=True`; the loop
#   below always returns the best ones, which is almost always what you want.
#
# The loop: evaluate on the validation kicks every 50 steps, keep a copy of the parameters at
# each evaluation (`update_parameters` returns a new dict, so a list of them is cheap here),
# ask `best_epoch` whether to stop, and return the parameters of the best evaluation.

# %%
def model_with_early_stopping(X, Y, X_val, Y_val, learning_rate=0.3, max_iterations=20000, eval_every=50,
                              patience=20, seed=1):
    """Plain gradient descent, stopped by best_epoch on the validation cost; returns the best parameters."""
    parameters = initialize_parameters_lecun(layers_dims, seed=seed)
    train_costs, val_costs, snapshots = [], [], []
    for i in range(max_iterations + 1):
        A3, cache = forward_propagation(X, parameters)
        if i % eval_every == 0:
            train_costs.append(compute_cost(A3, Y))
            val_costs.append(compute_cost(forward_propagation(X_val, parameters)[0], Y_val))
            snapshots.append(parameters)
            best, stop = best_epoch(val_costs, patience)
            if stop is not None:
                break
        if i < max_iterations:
            parameters = update_parameters(parameters, backward_propagation(X, Y, cache), learning_rate)
    history = {"train": train_costs, "val": val_costs, "best": best, "stop": stop, "every": eval_every}
    return snapshots[best], history


parameters, history = model_with_early_stopping(train_X, train_Y, val_X, val_Y, max_iterations=max_iterations)
results["early stopping"] = parameters
every = history["every"]
print(f"best validation cost at iteration {history['best'] * every}; "
      f"stopped at iteration {history['stop'] * every if history['stop'] is not None else 'none (ran to the end)'}")
print(f"train accuracy {accuracy(train_X, train_Y, parameters):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, parameters):.3f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(15, 5.2))
plotting.plot_costs({"training cost": history["train"], "validation cost": history["val"]}, every=every,
                    ylabel="cross-entropy", title="Early stopping watches the validation cost", ax=axes[0])
axes[0].axvline(history["best"] * every, color="green", ls="--", label="best (parameters kept)")
if history["stop"] is not None:
    axes[0].axvline(history["stop"] * every, color="grey", ls=":", label="stop (patience ran out)")
axes[0].legend()
plot_boundary(lambda P: predict_labels(P, parameters), train_X, train_Y, ax=axes[1],
              title=f"Early stopping: the network of iteration {history['best'] * every}")
plt.show()

# %% [markdown]
# The training cost keeps falling; the validation cost falls for a few hundred iterations,
# flattens, and then creeps up, as the network starts to spend its capacity on the noise. The
# early-stopped network is the one from the bottom of that curve: a simple boundary, much
# like L2's. Early stopping costs nothing to compute and needs no new hyperparameter in the
# cost, but it ties two jobs together: the same number of steps must both fit the data and
# keep the network simple, which makes it harder to tune one without the other. It also
# spends 200 kicks on validation that could otherwise have been used for training.
#
# ## 7. The four networks side by side

# %%
table = pd.DataFrame(
    {"train accuracy": [accuracy(train_X, train_Y, p) for p in results.values()],
     "test accuracy": [accuracy(test_X, test_Y, p) for p in results.values()]},
    index=list(results))
table["gap (train - test)"] = table["train accuracy"] - table["test accuracy"]
print(f"best possible rule on the test kicks: {bayes_test:.3f}")
table.round(3)

# %%
fig, axes = plt.subplots(2, 2, figsize=(15, 10.5))
for ax, (name, p) in zip(axes.ravel(), results.items()):
    plot_boundary(lambda P, p=p: predict_labels(P, p), train_X, train_Y, ax=ax,
                  title=f"{name}: test accuracy {accuracy(test_X, test_Y, p):.1%}")
fig.tight_layout()
plt.show()

# %% [markdown]
# All three remedies bring the test accuracy up towards the best possible rule and, above all,
# close most of the gap between what the network scores on the kicks it trained on and on new
# ones. None of them makes the network better at the training set: that is the point.
#
# The headline of this notebook is how much of the baseline's train-test gap the two penalties
# close: **the baseline's gap minus the larger of the L2 and dropout gaps**. It is positive only
# if *each* of them shrinks the gap. The cell below prints it; the target, **at least 3
# points**, lies well below what a full or a fast run measures, so that a change of CPU or of a
# few kicks cannot flip the verdict.

# %%
gaps = table["gap (train - test)"]
closed = gaps["no regularization"] - max(gaps["L2, lambd = 0.7"], gaps["dropout, keep_prob = 0.8"])
print(f"gap without regularization {gaps['no regularization']:.3f}; with L2 {gaps['L2, lambd = 0.7']:.3f}; "
      f"with dropout {gaps['dropout, keep_prob = 0.8']:.3f}")
met = headline("train-test gap closed by L2 and by dropout (the smaller of the two)", closed, target=0.03)

# %% [markdown]
# ## 8. Weight decay is not always L2
#
# With plain gradient descent, the L2 penalty turns every step into
# $W \leftarrow W - \alpha\,(dW_{\text{data}} + \tfrac{\lambda}{m} W) = (1 - \alpha\tfrac{\lambda}{m})\,W - \alpha\, dW_{\text{data}}$:
# a penalty in the cost and a "decay" of the weights by a fixed factor at each step are the same
# thing. Keras's optimizers have a `weight_decay` argument that does the second directly:
# before each step, `w -= learning_rate * weight_decay * w`.
#
# With an **adaptive** optimizer such as Adam (course 2, notebook 4) the two differ. Adam divides
# each parameter's gradient by a running estimate of its typical size, $\sqrt{\hat v}$. An L2
# penalty in the cost is part of the gradient, so it is divided too: a weight whose data
# gradients are large hardly decays at all, and one whose gradients are small decays fast.
# Loshchilov and Hutter (*Decoupled weight decay regularization*, ICLR 2019) showed that
# applying the decay separately, outside Adam's rescaling, regularizes better and makes the
# best decay less dependent on the learning rate. That is **AdamW**
# (`keras.optimizers.AdamW`), today the default for training large networks.
#
# A small demonstration. Two weights start at 1. Their data gradients are pure noise that
# alternates in sign and averages to zero, large for the first weight (±10) and small for the
# second (±0.1), so only the regularization moves them on average. Each optimizer runs
# `demo_steps` steps with learning rate 0.01 and $\lambda = 0.1$, either with $\lambda w$ added
# to the gradient (L2 in the cost) or with `weight_decay=0.1`.

# %%
def shrink(optimizer, l2_in_loss, steps, lambd=0.1, scale=(10.0, 0.1)):
    """The two weights after `steps` steps of alternating noise gradients (+ lambd * w if l2_in_loss)."""
    w = tf.Variable([1.0, 1.0], dtype=tf.float64)
    noise = tf.constant(scale, tf.float64)

    @tf.function
    def run():
        for t in tf.range(steps):
            g = tf.cast(1 - 2 * (t % 2), tf.float64) * noise
            if l2_in_loss:
                g = g + lambd * w
            optimizer.apply_gradients([(g, w)])

    run()
    return w.numpy()


demo = {
    "SGD, L2 in the cost": shrink(keras.optimizers.SGD(0.01), True, demo_steps),
    "SGD, weight_decay=0.1": shrink(keras.optimizers.SGD(0.01, weight_decay=0.1), False, demo_steps),
    "Adam, no penalty": shrink(keras.optimizers.Adam(0.01), False, demo_steps),
    "Adam, L2 in the cost": shrink(keras.optimizers.Adam(0.01), True, demo_steps),
    "AdamW, weight_decay=0.1": shrink(keras.optimizers.AdamW(0.01, weight_decay=0.1), False, demo_steps),
}
print(f"decay factor (1 - 0.01 * 0.1) ** {demo_steps} = {(1 - 0.001) ** demo_steps:.4f}")
pd.DataFrame(demo, index=["weight with large gradients", "weight with small gradients"]).T.round(4)

# %% [markdown]
# - The two SGD rows agree to many decimals: with plain gradient descent, weight decay *is* L2.
# - Adam with L2 in the cost treats the two weights very differently: the one with large
#   gradients ends almost where Adam without any penalty leaves it, while the one with small
#   gradients falls far below (towards 0 in a full run). The penalty's strength now depends on an accident of scale.
# - AdamW shrinks both weights by the same factor, about $(1 - \alpha\lambda)^{\text{steps}}$
#   times where plain Adam leaves them, as the decay intends.
#
# One more difference in conventions: our $\frac{\lambda}{2m}\lVert W\rVert^2$ grows weaker as
# the training set grows (the $1/m$), while Keras's `weight_decay` and
# `keras.regularizers.L2(l2)` (which adds `l2 * sum(W**2)` to the loss) do not divide by $m$.
# Translate $\lambda$ when you move between them.
#
# ## What you have learned
#
# - Overfitting shows as a gap between training and test accuracy and as a boundary that bends
#   around single, noisy examples. Measure on data the model never trained on, and choose
#   hyperparameters on a validation set, not on the test set.
# - **L2 regularization** adds $\frac{\lambda}{2m}\sum \lVert W^{[l]}\rVert^2$ to the cost and
#   $\frac{\lambda}{m}W^{[l]}$ to each weight gradient; small weights make smooth functions.
# - **Inverted dropout** multiplies each hidden layer by a fresh random 0/1 mask and divides by
#   `keep_prob` during training; the backward pass reuses the same masks; at test time the full
#   network runs unchanged.
# - **Early stopping** keeps the parameters with the lowest validation cost and stops after
#   `patience` evaluations without a new best, as `keras.callbacks.EarlyStopping` does.
# - **Weight decay** equals L2 under plain gradient descent but not under Adam; for adaptive
#   optimizers, decoupled weight decay (AdamW) is the one to use.
