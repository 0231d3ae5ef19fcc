# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Initialization
#     save: shared_utils.course2.dnn
#     minutes: 2
#     fast:
#       num_iterations: 2000
#       symmetry_iterations: 500
#       demo_examples: 300
# ---

# %% [markdown]
# # Initialization
#
# **What you will build:** five ways of choosing the starting weights of a neural network:
# all zeros, large random numbers, He, Xavier (Glorot) and orthogonal. You will train the same
# small network (LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID, layer sizes `[2, 10, 5, 1]`) from each
# of them on a two-class problem of concentric circles, and compare cost curves, decision
# boundaries and accuracies. Then you will push random inputs through a deep network of ten
# layers and watch the size of its activations layer by layer.
#
# **What you will learn:** why a network must not start from equal weights (symmetry); why
# weights that are too large saturate the output and slow learning down; how He and Xavier pick
# the scale of the weights from the number of inputs of a layer, so that the signal keeps its
# size from layer to layer; what an orthogonal matrix adds; and how to test random code by its
# statistics rather than by one particular draw.
#
# **Time:** about 40 minutes of work; a full run of the notebook takes about a minute on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from shared_utils.common import compute, plotting
from shared_utils.common.metrics import accuracy
from shared_utils.data import planar
from shared_utils.course2 import init_signal
from shared_utils.checks import c2_01_initialization as check
from shared_utils.course1.dnn import (L_model_forward, compute_cost, linear_activation_backward, linear_backward,
                                      predict, update_parameters)
from shared_utils import headline

compute.single_threaded_blas()  # small matrix products: one BLAS thread is fastest here

# %% tags=["parameters"]
# Gradient-descent iterations of every training run on the circles.
num_iterations = 10000
# Iterations of the short run that shows the symmetry of equal weights (section 3).
symmetry_iterations = 2000
# Random input examples pushed through the deep plain network of section 9.
demo_examples = 1000

# %% [markdown]
# ## 1. The data: two circles
#
# Each example is a point of the plane, $x = (x_1, x_2)$; the blue points (label 1) form a
# small ring inside a ring of red points (label 0). No straight line separates them, so the
# network needs its hidden layers. `planar.make_2d("circles", m, seed)` draws such a set with a
# little noise; we draw 300 points to train on and 300 other points to test on. As everywhere in
# this course, examples are columns: `train_X` has shape `(2, 300)`, `train_Y` shape `(1, 300)`.

# %%
train_X, train_Y = planar.make_2d("circles", 300, seed=1)
test_X, test_Y = planar.make_2d("circles", 300, seed=2)
print("train_X:", train_X.shape, " train_Y:", train_Y.shape, " test_X:", test_X.shape, " test_Y:", test_Y.shape)

fig, axes = plt.subplots(1, 2, figsize=(8, 3.8))
for ax, (X, Y, name) in zip(axes, [(train_X, train_Y, "training set"), (test_X, test_Y, "test set")]):
    ax.scatter(X[0], X[1], c=Y.ravel(), cmap=plt.cm.coolwarm_r, s=12, edgecolors="k", linewidths=0.3)
    ax.set_title(name)
    ax.set_aspect("equal")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. The model, and the seeding convention
#
# The network and its training are the ones you wrote in course 1; their tested versions live in
# `shared_utils.course1.dnn`, generated from the cells of course 1 marked `#@save` (`L_model_forward`,
# `update_parameters`, `predict`, and the cost and backward pass in two variants given below). Only the first line of training changes in this notebook: how `parameters` is
# filled before the first step. `parameters` is a dict with `"W1"`, `"b1"`, ..., `"WL"`, `"bL"`;
# for `layers_dims = [n_0, n_1, ..., n_L]` (here `[2, 10, 5, 1]`, so $L = 3$),
#
# - `W{l}` has shape $(n_l, n_{l-1})$: one row per unit of layer $l$, one column per input;
# - `b{l}` has shape $(n_l, 1)$ and **always starts at zero**: the biases do not need to break
#   any symmetry, the weights do that.
#
# **Seeding convention.** Every random initializer you write takes an argument `seed` (default
# 3) and creates *one* generator at its top, `rng = np.random.default_rng(seed)`, then draws the
# layers in order, `l = 1, 2, ..., L`, from that same `rng`. So the same seed always gives the
# same weights, another seed gives other weights, and no two layers share their numbers. The
# checks never compare your weights with one particular draw: they test the properties any right
# answer has (shapes, zero biases, and the statistics of thousands of weights), so
# `rng.standard_normal(shape)` and `rng.normal(0, 1, shape)` are both fine.
#
# Some of the starting points below make the network so sure of itself that its output is
# exactly 0 or 1 in floating point. Course 1's `compute_cost` then takes $\log 0$, and its
# `L_model_backward` divides 0 by 0 in $dA^{[L]}$: one such output turns every parameter into
# `nan`. The next cell (given, and saved to `shared_utils.course2.dnn` for the notebooks that
# follow) holds the two variants this notebook trains with: the cost with the probabilities
# clipped to $[10^{-12}, 1 - 10^{-12}]$, and the backward pass that starts from the simplified
# $dZ^{[L]} = A^{[L]} - Y$ of course 1, notebook 4, section 4.3, which never divides.

# %%
#@save
def compute_cost_clipped(AL, Y, eps=1e-12):
    """compute_cost with AL clipped to [eps, 1 - eps]: a saturated wrong output costs -log(eps), not inf."""
    return compute_cost(np.clip(AL, eps, 1 - eps), Y)


def L_model_backward_stable(AL, Y, caches):
    """L_model_backward with the output layer's dZ = AL - Y: finite even where AL is exactly 0 or 1."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    linear_cache, _ = caches[L - 1]
    dA_prev, dW, db = linear_backward(AL - Y, linear_cache)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in range(L - 1, 0, -1):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads


# %% [markdown]
# `model` below is given: it builds the initial parameters with the initializer you name and
# runs plain gradient descent, recording the cost every 100 iterations.

# %%
def model(X, Y, learning_rate=0.05, num_iterations=10000, initialization="he", seed=3, print_cost=False):
    """Train LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID, layers [n_x, 10, 5, 1], by gradient descent.

    X: (n_x, m), Y: (1, m). initialization: "zeros", "random", "he", "xavier" or "orthogonal".
    Returns the trained parameters and the costs before iterations 0, 100, 200, ...
    """
    layers_dims = [X.shape[0], 10, 5, 1]
    if initialization == "zeros":
        parameters = initialize_parameters_zeros(layers_dims)
    elif initialization == "random":
        parameters = initialize_parameters_random(layers_dims, seed=seed)
    elif initialization == "he":
        parameters = initialize_parameters_he(layers_dims, seed=seed)
    elif initialization == "xavier":
        parameters = initialize_parameters_xavier(layers_dims, seed=seed)
    elif initialization == "orthogonal":
        parameters = initialize_parameters_orthogonal(layers_dims, gain=np.sqrt(2), seed=seed)
    else:
        raise ValueError(f"unknown initialization {initialization!r}")
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        if i % 100 == 0:
            costs.append(compute_cost_clipped(AL, Y))
            if print_cost and i % 1000 == 0:
                print(f"cost after iteration {i:5d}: {costs[-1]:.4f}")
        grads = L_model_backward_stable(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


results = {}  # initialization name -> (trained parameters, costs)

# %% [markdown]
# ## 3. Zero initialization
#
# **Exercise 1, `initialize_parameters_zeros`** (3 lines). For every layer $l = 1, \dots, L$ with
# $L$ = `len(layers_dims) - 1`, set `W{l}` to zeros of shape `(layers_dims[l], layers_dims[l-1])`
# and `b{l}` to zeros of shape `(layers_dims[l], 1)`. Use the key `"W" + str(l)` (or
# `f"W{l}"`). Loop up to and including the last layer, and read the sizes from the argument;
# the function must work for any number of layers.

# %%
def initialize_parameters_zeros(layers_dims):
    """W{l}: zeros (n_l, n_{l-1}); b{l}: zeros (n_l, 1), for l = 1 .. len(layers_dims) - 1."""
    parameters = {}
    L = len(layers_dims) - 1  # the number of layers with weights
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    ### END SOLUTION
    return parameters


# %%
check.initialize_parameters_zeros(initialize_parameters_zeros)
for key, value in initialize_parameters_zeros([2, 10, 5, 1]).items():
    print(f"{key}: shape {value.shape}")

# %% [markdown]
# Now train from zeros and look at the result.

# %%
results["zeros"] = model(train_X, train_Y, num_iterations=num_iterations, initialization="zeros", print_cost=True)
params_zeros = results["zeros"][0]
print(f"\ntrain accuracy {accuracy(train_X, train_Y, params_zeros):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, params_zeros):.3f}")
print("predictions on the first 20 test points:", predict(test_X, params_zeros)[0, :20])
print("W1 after training:\n", params_zeros["W1"].T, "\n(printed transposed: one column per hidden unit)")
print("b3 after training:", params_zeros["b3"].ravel())

# %% [markdown]
# Nothing was learned. The cost stays at $\log 2 \approx 0.693$, the cost of answering 0.5 for
# every point, and the network predicts the same label everywhere, which is right for half the
# points. Here is why. With all weights zero, every hidden unit computes $z = 0$, so every hidden
# activation is $\mathrm{relu}(0) = 0$ and the output is $\sigma(b^{[3]})$ whatever the input.
# In the backward pass every weight's gradient is a product that contains either a zero weight
# or a zero activation, so it is zero. Only `b3` could move, towards the share of blue points,
# and with exactly half of the training points blue its gradient is zero as well.
#
# Zeros are an extreme case of a general problem: **symmetry**. Suppose instead that all weights
# start at the same non-zero value, 0.5. The units of a layer then compute the same function of
# the same inputs, receive the same gradient and take the same step, forever: a layer of ten
# units behaves like one unit copied ten times. The next cell shows it.

# %%
symmetric = {k: (v + 0.5 if k.startswith("W") else v) for k, v in initialize_parameters_zeros([2, 10, 5, 1]).items()}
for i in range(symmetry_iterations):
    AL, caches = L_model_forward(train_X, symmetric)
    symmetric = update_parameters(symmetric, L_model_backward_stable(AL, train_Y, caches), 0.05)
W1 = symmetric["W1"]
print(f"after {symmetry_iterations} iterations from W = 0.5 everywhere, the rows of W1 (one per hidden unit):")
print(np.round(W1, 4))
print("largest difference between two hidden units' weights:", float(np.abs(W1 - W1[0]).max()))
print(f"train accuracy {accuracy(train_X, train_Y, symmetric):.3f}")

# %% [markdown]
# Every row is the same: the ten units have learned exactly one feature between them, and one
# ReLU feature of the plane cannot draw a ring. The cure is to start the weights at **different
# random values**. Which random values is the subject of the rest of the notebook.
#
# ## 4. Large random initialization
#
# **Exercise 2, `initialize_parameters_random`** (4 lines). Create the generator
# `rng = np.random.default_rng(seed)` once, before the loop. For every layer, `W{l}` is
# `rng.standard_normal((layers_dims[l], layers_dims[l-1]))` **times 10** (standard normal
# numbers have standard deviation 1, so these have 10); `b{l}` is zeros of shape
# `(layers_dims[l], 1)`. The factor 10 is deliberately too large: we want to see what happens.

# %%
def initialize_parameters_random(layers_dims, seed=3):
    """W{l}: N(0, 1) draws times 10, shape (n_l, n_{l-1}); b{l}: zeros (n_l, 1)."""
    parameters = {}
    L = len(layers_dims) - 1
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    for l in range(1, L + 1):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    ### END SOLUTION
    return parameters


# %%
check.initialize_parameters_random(initialize_parameters_random)
for key, value in initialize_parameters_random([2, 10, 5, 1]).items():
    print(f"{key}: shape {value.shape}, std {value.std():.3f}")

# %% [markdown]
# Before training, look at what the untrained network says. With weights of size 10, the
# pre-activation of the output unit is in the hundreds or thousands, so the sigmoid gives
# exactly 0 or 1 (to machine precision) for almost every point: the network is *certain*, and
# wrong as often as a coin would be (the cell below counts). Each confidently wrong answer costs up to $-\log(10^{-12}) \approx
# 27.6$ (`compute_cost_clipped` clips the probabilities to $[10^{-12}, 1 - 10^{-12}]$, otherwise it would
# be infinite).

# %%
AL0, caches0 = L_model_forward(train_X, initialize_parameters_random([2, 10, 5, 1]))
Z3 = caches0[-1][1]
saturated = (AL0 < 1e-6) | (AL0 > 1 - 1e-6)
print(f"output pre-activation Z3: median |Z3| = {np.median(np.abs(Z3)):.1f}, largest {np.abs(Z3).max():.1f}")
print(f"outputs within 1e-6 of 0 or 1: {saturated.mean():.0%}")
print(f"wrong among those saturated outputs: {np.mean((AL0 > 0.5)[saturated] != train_Y.astype(bool)[saturated]):.0%}")
print(f"initial cost: {compute_cost_clipped(AL0, train_Y):.2f}   (log 2 = {np.log(2):.3f} for a network that answers 0.5)")

# %%
results["random"] = model(train_X, train_Y, num_iterations=num_iterations, initialization="random", print_cost=True)
params_random = results["random"][0]
print(f"\ntrain accuracy {accuracy(train_X, train_Y, params_random):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, params_random):.3f}")

# %% [markdown]
# The first steps remove the worst of the confidently wrong answers, and the cost drops from
# its huge start; then progress nearly stops. Where the sigmoid (or a ReLU with a huge negative
# input) is saturated its slope is about zero, and huge first-layer weights make the hidden
# units carve the plane into a few sharp, almost arbitrary regions that small gradient steps
# cannot move much. Bigger weights are not better weights.
#
# ## 5. He initialization
#
# How large, then? Take a unit of layer $l$ with $n_{l-1}$ inputs, $z = \sum_{j} w_j a_j$. If the
# weights are independent with mean 0 and variance $\mathrm{Var}(w)$,
# $\mathrm{Var}(z) = n_{l-1}\,\mathrm{Var}(w)\,\mathbb E[a^2]$. To keep $z$ the same size from
# layer to layer we need $\mathrm{Var}(w)$ proportional to $1/n_{l-1}$. A ReLU sets half of its
# inputs to zero, which halves $\mathbb E[a^2]$; He et al. (2015) make up for it with a factor 2:
#
# $$W^{[l]} \sim \mathcal N\!\left(0,\ \frac{2}{n_{l-1}}\right), \qquad
# \text{i.e.}\quad W^{[l]} = \texttt{rng.standard\_normal}((n_l, n_{l-1})) \times \sqrt{\frac{2}{n_{l-1}}}$$
#
# **Exercise 3, `initialize_parameters_he`** (4 lines). As exercise 2, but multiply by
# $\sqrt{2 / n_{l-1}}$ with $n_{l-1}$ = `layers_dims[l-1]`, the number of *inputs* of layer $l$
# (not its number of units). Biases zero, shape `(layers_dims[l], 1)`. (Keras has it as
# `keras.initializers.HeNormal`, which also cuts off draws beyond two standard deviations; ours
# is the plain normal.)

# %%
def initialize_parameters_he(layers_dims, seed=3):
    """W{l}: N(0, 2 / n_{l-1}) draws, shape (n_l, n_{l-1}); b{l}: zeros (n_l, 1)."""
    parameters = {}
    L = len(layers_dims) - 1
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    for l in range(1, L + 1):
        scale = np.sqrt(2 / layers_dims[l - 1])
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * scale
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    ### END SOLUTION
    return parameters


# %%
check.initialize_parameters_he(initialize_parameters_he)
for key, value in initialize_parameters_he([2, 10, 5, 1]).items():
    print(f"{key}: shape {value.shape}, std {value.std():.3f}")

# %%
results["he"] = model(train_X, train_Y, num_iterations=num_iterations, initialization="he", print_cost=True)
params_he = results["he"][0]
print(f"\ntrain accuracy {accuracy(train_X, train_Y, params_he):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, params_he):.3f}")

# %% [markdown]
# The cost starts near $\log 2$ (the untrained network is unsure, as it should be) and falls
# steadily to near zero.
#
# ## 6. Xavier (Glorot) initialization
#
# Glorot and Bengio (2010) asked for the signal to keep its size in *both* directions: forward,
# which needs $\mathrm{Var}(w) = 1/n_{l-1}$, and backward (the gradients), which needs
# $1/n_l$. Their compromise averages the two fans:
#
# $$W^{[l]} \sim \mathcal N\!\left(0,\ \frac{2}{n_{l-1} + n_l}\right)$$
#
# This is the **Glorot normal** rule, untruncated: `keras.initializers.GlorotNormal` has the same
# variance but cuts off draws beyond two standard deviations. Two relatives you will meet: the
# *uniform* version draws from $[-r, r]$ with $r = \sqrt{6 / (n_{l-1} + n_l)}$ (Keras's default
# `GlorotUniform`), and many texts call $\mathcal N(0, 1/n_{l-1})$ "Xavier" too (it is LeCun's
# rule; `shared_utils.course1.dnn.initialize_parameters_lecun` uses it). Here, Xavier means the rule
# above. It was designed for tanh and sigmoid, which are roughly linear near 0; with ReLU it is
# about $\sqrt 2$ too small per layer, as section 9 shows.
#
# **Exercise 4, `initialize_parameters_xavier`** (4 lines). As exercise 3, with the factor
# $\sqrt{2 / (n_{l-1} + n_l)}$, $n_{l-1}$ = `layers_dims[l-1]` and $n_l$ = `layers_dims[l]`.

# %%
def initialize_parameters_xavier(layers_dims, seed=3):
    """W{l}: N(0, 2 / (n_{l-1} + n_l)) draws, shape (n_l, n_{l-1}); b{l}: zeros (n_l, 1)."""
    parameters = {}
    L = len(layers_dims) - 1
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    for l in range(1, L + 1):
        scale = np.sqrt(2 / (layers_dims[l - 1] + layers_dims[l]))
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * scale
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    ### END SOLUTION
    return parameters


# %%
check.initialize_parameters_xavier(initialize_parameters_xavier)

# %%
results["xavier"] = model(train_X, train_Y, num_iterations=num_iterations, initialization="xavier")
print(f"train accuracy {accuracy(train_X, train_Y, results['xavier'][0]):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, results['xavier'][0]):.3f}")

# %% [markdown]
# ## 7. Orthogonal initialization
#
# He and Xavier get the *average* size of the signal right. An orthogonal matrix does better: it
# preserves the length of *every* vector it multiplies, exactly ($\|Qx\| = \|x\|$), so a stack
# of linear layers with orthogonal weights neither shrinks nor stretches any direction of the
# signal (Saxe et al., 2014). For a rectangular $W$ of shape $(n_l, n_{l-1})$ we ask for
# orthonormal rows when $n_l \le n_{l-1}$ ($W W^T = I$) and orthonormal columns otherwise
# ($W^T W = I$), then multiply by a **gain** $g$, so that $W W^T = g^2 I$ (or $W^T W = g^2 I$).
# With ReLU, $g = \sqrt 2$ plays the part of He's factor 2; `model` uses that.
#
# To draw a *uniformly random* orthogonal matrix, take the QR decomposition of a Gaussian one:
#
# 1. `A = rng.standard_normal((max(n_l, n_prev), min(n_l, n_prev)))`, a tall (or square) matrix;
# 2. `Q, R = np.linalg.qr(A)`: $Q$ has the shape of $A$ and orthonormal columns, $R$ is upper
#    triangular;
# 3. the **sign fix** `Q = Q * np.sign(np.diag(R))`: the QR decomposition is only unique up to
#    the signs of $R$'s diagonal, and NumPy's choice biases $Q$ (its diagonal comes out mostly
#    negative); flipping each column by that sign makes $Q$ uniformly distributed;
# 4. if $n_l < n_{l-1}$, transpose: `Q = Q.T`; then `W{l} = gain * Q`.
#
# This is what `keras.initializers.Orthogonal(gain)` does.
#
# **Exercise 5, `initialize_parameters_orthogonal`** (about 8 lines). Follow the four steps for
# every layer, drawing from one `rng = np.random.default_rng(seed)` created before the loop.
# Biases zero, shape `(layers_dims[l], 1)`.

# %%
def initialize_parameters_orthogonal(layers_dims, gain=1.0, seed=3):
    """W{l}: gain times a random orthogonal (n_l, n_{l-1}) matrix; b{l}: zeros (n_l, 1)."""
    parameters = {}
    L = len(layers_dims) - 1
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    for l in range(1, L + 1):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        A = rng.standard_normal((max(n, n_prev), min(n, n_prev)))
        Q, R = np.linalg.qr(A)
        Q = Q * np.sign(np.diag(R))
        if n < n_prev:
            Q = Q.T
        parameters[f"W{l}"] = gain * Q
        parameters[f"b{l}"] = np.zeros((n, 1))
    ### END SOLUTION
    return parameters


# %%
check.initialize_parameters_orthogonal(initialize_parameters_orthogonal)
W = initialize_parameters_orthogonal([2, 10, 5, 1], gain=np.sqrt(2))["W2"]
print("W2 has shape", W.shape, "; W2 @ W2.T =\n", np.round(W @ W.T, 10))

# %%
results["orthogonal"] = model(train_X, train_Y, num_iterations=num_iterations, initialization="orthogonal")
print(f"train accuracy {accuracy(train_X, train_Y, results['orthogonal'][0]):.3f}, "
      f"test accuracy {accuracy(test_X, test_Y, results['orthogonal'][0]):.3f}")

# %% [markdown]
# ## 8. The five initializations side by side
#
# First the cost curves, on a logarithmic axis so that both the huge start of large random
# weights and the small final costs are visible.

# %%
names = {"zeros": "zeros", "random": "large random", "he": "He", "xavier": "Xavier", "orthogonal": "orthogonal"}
ax = plotting.plot_costs({names[k]: costs for k, (_, costs) in results.items()}, every=100,
                         title=f"Training cost, learning rate 0.05, {num_iterations} iterations", logy=True)
ax.legend(loc="lower left")
plt.show()

# %%
fig, axes = plt.subplots(1, len(results), figsize=(3.4 * len(results), 3.4))
for ax, (key, (params, _)) in zip(axes, results.items()):
    plotting.plot_decision_boundary(lambda P, params=params: predict(P, params), test_X, test_Y, ax=ax,
                                    title=f"{names[key]}: test {accuracy(test_X, test_Y, params):.2f}")
fig.suptitle("Decision boundaries, test points")
fig.tight_layout()
plt.show()

# %%
table = pd.DataFrame({names[k]: {"train accuracy": accuracy(train_X, train_Y, p),
                                 "test accuracy": accuracy(test_X, test_Y, p),
                                 "first cost": costs[0], "last cost": costs[-1]}
                      for k, (p, costs) in results.items()}).T
print(table.round(4).to_string())

he_test = table.loc["He", "test accuracy"]
he_wins = bool(he_test > table.loc["zeros", "test accuracy"] and he_test > table.loc["large random", "test accuracy"])
print(f"\nHe beats zeros and large random on the test set: {he_wins}")
headline("test accuracy with He initialization", he_test, target=0.9)

# %% [markdown]
# Zeros learn nothing (symmetry); large random weights start with a huge cost, then creep and
# settle on a poor, jagged boundary; He, Xavier and orthogonal start near $\log 2$ and find the
# ring. On a network this shallow the three good rules end up alike: the scale matters much more
# than the fine print. The fine print starts to matter when the network is deep.
#
# ## 9. Why the scale matters more with depth
#
# Take a plain network of 10 layers of 100 units, every layer $A^{[l]} = g(W^{[l]} A^{[l-1]})$
# (biases zero, the same activation $g$ everywhere), feed it random inputs and measure the
# standard deviation of each layer's activations. If every layer multiplies the size of the
# signal by a factor $c$, layer 10 sees $c^{10}$: anything but $c \approx 1$ makes the signal
# (and, in the backward pass, the gradients) vanish or explode. `shared_utils.course2.init_signal`
# holds the small helpers used here (`plain_forward`, `layer_std` and two plots). The orthogonal
# weights get gain 1 in the tanh network and $\sqrt 2$ in the ReLU network. The zero
# initialization is left out: all its activations are 0.

# %%
deep_dims = [100] * 11  # 100 inputs, then 10 layers of 100 units
X_random = np.random.default_rng(0).standard_normal((100, demo_examples))
inits = {
    "small random (x 0.01)": lambda g: {k: v / 1000 for k, v in initialize_parameters_random(deep_dims).items()},
    "large random (x 10)": lambda g: initialize_parameters_random(deep_dims),
    "Xavier": lambda g: initialize_parameters_xavier(deep_dims),
    "He": lambda g: initialize_parameters_he(deep_dims),
    "orthogonal": lambda g: initialize_parameters_orthogonal(deep_dims, gain=1.0 if g == "tanh" else np.sqrt(2)),
}
activations = {g: {name: init_signal.plain_forward(X_random, make(g), g) for name, make in inits.items()}
               for g in ("tanh", "relu")}
stds = {g: {name: init_signal.layer_std(acts) for name, acts in by_init.items()} for g, by_init in activations.items()}
fig = init_signal.plot_layer_std(stds)
plt.show()
print(pd.DataFrame({g: {name: s[-1] for name, s in by_init.items()} for g, by_init in stds.items()})
      .rename(columns=lambda g: f"std at layer 10, {g}").to_string(float_format="{:.3g}".format))

# %% [markdown]
# Read the right panel (ReLU) first. A ReLU layer of 100 units with weights of standard
# deviation $\sigma$ scales the signal by $\sigma\sqrt{100/2}$. Small weights ($\sigma = 0.01$)
# shrink it by a factor $1/(0.01\sqrt{50}) \approx 14$ per layer: after ten layers nothing is
# left, and the gradients that reach the first layers are just as tiny (a *vanishing* signal).
# Large weights multiply it by $10\sqrt{50} \approx 71$ per layer, to astronomically large
# values (*exploding*). Xavier, built for symmetric activations, loses a
# factor $\sqrt 2$ per layer with ReLU, 32 over ten layers. He and the orthogonal initialization
# with gain $\sqrt 2$ keep the size of the signal from the first layer to the last.
#
# With tanh (left) small weights vanish just as fast. Large weights do not explode, since tanh
# cannot exceed 1, but the histograms below show what happens instead: almost every unit sits at
# -1 or +1, where tanh's slope is zero, so almost no gradient flows back (*saturation*, as at the
# output in section 4). Xavier and the orthogonal initialization with gain 1 lose a little of
# the signal in each layer, because tanh bends below the straight line $y = z$ (its standard
# deviation drifts down over the ten layers, to the value the table above prints: a slow drift,
# not the geometric collapse of small weights). He's larger weights make up for that bending and keep the
# activations spread over the whole interval (-1, 1) at every depth. Either way, the weights'
# scale has to be matched to the activation: that is the whole idea of these rules.

# %%
shown = ["small random (x 0.01)", "large random (x 10)", "Xavier", "He"]  # orthogonal looks like Xavier here
fig = init_signal.plot_activation_histograms({name: activations["tanh"][name] for name in shown}, layers=(1, 5, 10))
fig.suptitle("tanh network: activations at layers 1, 5 and 10", y=1.01)
plt.show()

# %% [markdown]
# ## Summary
#
# - Start the weights at **different random values**: equal weights (zeros included) make the
#   units of a layer identical forever. The biases may start at zero.
# - The **scale** of the random weights matters: too large saturates the output and slows
#   learning, too small (or too large) makes the signal of a deep network vanish (or explode)
#   geometrically with depth.
# - Pick the scale from the fan-in: **He**, $\mathcal N(0, 2/n_{l-1})$, for ReLU layers;
#   **Xavier** (Glorot), $\mathcal N(0, 2/(n_{l-1} + n_l))$, for tanh and sigmoid layers.
#   **Orthogonal** weights times a gain preserve the length of every vector, not just on average.
# - Random code is tested by its properties and statistics (shapes, zero biases, the variance
#   and shape of thousands of draws, $W W^T = g^2 I$), not by one particular draw; a seed
#   argument makes the draws reproducible.
#
# In Keras the same choices are the `kernel_initializer` argument of a layer:
# `keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal")`; Keras's default is
# `"glorot_uniform"`.
