# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Building a deep neural network, step by step
#     save: shared_utils.course1.dnn
#     minutes: 1
#     fast:
#       gd_steps: 600
# ---

# %% [markdown]
# # Building a deep neural network, step by step
#
# **What you will build:** every piece of a fully connected network with any number of
# layers, in NumPy: the initialisation, the forward pass through $L-1$ ReLU layers and a
# sigmoid output, the cross-entropy cost, the backward pass that turns the cost into a
# gradient for every weight, and the gradient-descent update. The next notebook assembles
# these pieces into a classifier for real images.
#
# **What you will learn:** how one small function per layer, called in a loop, scales to a
# network of any depth; what each layer must remember on the way forward (its *cache*) so
# that the way back is cheap; where the $\frac1m$ of the average goes.
#
# **Time:** about an hour of work; a full run of the notebook takes well under a minute.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it. Each check compares your function
# with TensorFlow on several networks and tells you which case went wrong and why.

# %% tags=["setup"]
import copy

import matplotlib.pyplot as plt
import numpy as np

from shared_utils.common import plotting
from shared_utils.course1 import diagrams
from shared_utils.checks import c1_04_deep_network_step_by_step as check

# %% [markdown]
# The two activations and their derivatives are given. Each `*_backward` helper takes the
# gradient `dA` flowing back into the activation and the `Z` it was applied to, and returns
# $dZ = dA \odot g'(Z)$ (element-wise).

# %% tags=["setup"]
#@save
from scipy.special import expit


def sigmoid(Z):
    """Element-wise 1 / (1 + exp(-Z)), by SciPy's expit, which never overflows for very negative Z."""
    return expit(Z)


def relu(Z):
    """Element-wise max(0, Z)."""
    return np.maximum(0, Z)


def sigmoid_backward(dA, Z):
    """dZ for a sigmoid unit: dA * s * (1 - s), with s = sigmoid(Z)."""
    s = sigmoid(Z)
    return dA * s * (1 - s)


def relu_backward(dA, Z):
    """dZ for a ReLU unit: dA where Z > 0, zero elsewhere."""
    return np.where(Z > 0, dA, 0.0)


# %% tags=["parameters"]
# Gradient-descent steps in the final demonstration, and its number of examples.
gd_steps = 1500
n_examples = 400

# %% [markdown]
# ## The plan
#
# A network with $L$ layers computes, for $l = 1, \dots, L$,
#
# $$Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \qquad A^{[l]} = g^{[l]}\bigl(Z^{[l]}\bigr),$$
#
# starting from the inputs $A^{[0]} = X$. Here $g^{[l]}$ is ReLU for the hidden layers and
# the sigmoid for the output layer $L$, whose $A^{[L]}$ is the predicted probability. As in
# the previous notebooks, examples are **columns**: with $n^{[l]}$ units in layer $l$ and $m$
# examples,
#
# | quantity | shape |
# |---|---|
# | $W^{[l]}$ | $(n^{[l]}, n^{[l-1]})$ |
# | $b^{[l]}$ | $(n^{[l]}, 1)$, broadcast over the $m$ columns |
# | $Z^{[l]}$, $A^{[l]}$ and their gradients | $(n^{[l]}, m)$ |
#
# The figure shows the whole round trip for $L = 3$. Going forward, each layer stores a
# cache: the inputs of its linear step and the $Z$ its activation received. Going back, each
# layer reads its own cache to turn the gradient it receives, $dA^{[l]}$, into $dW^{[l]}$,
# $db^{[l]}$ and the gradient for the layer before, $dA^{[l-1]}$. You will write one function
# per box, then the two loops that chain them.

# %%
fig = diagrams.forward_backward(L=3)
plt.show()

# %% [markdown]
# ## 1. Initialising the parameters
#
# The weights must start as different small random numbers: if every unit of a layer
# started with the same weights, they would all compute the same thing and receive the same
# update, forever. The biases can start at zero.
#
# **Exercise 1, `initialize_parameters_deep`** (3 to 4 lines). `layer_dims` lists the layer
# sizes, inputs first: `[5, 4, 3]` is a network with 5 inputs, a hidden layer of 4 units and
# an output layer of 3, so $L = 2$. Return a dict with, for $l = 1, \dots, L$:
#
# - `"W" + str(l)`: `np.random.randn(layer_dims[l], layer_dims[l-1]) * 0.01`
# - `"b" + str(l)`: zeros of shape `(layer_dims[l], 1)`
#
# Read $L$ from `layer_dims`; the check tries networks of several depths.

# %%
#@save
def initialize_parameters_deep(layer_dims):
    """Parameters W1, b1, ..., WL, bL of a network with the given layer sizes (inputs first)."""
    parameters = {}
    ### BEGIN SOLUTION
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    ### END SOLUTION
    return parameters


# %%
check.initialize_parameters_deep(initialize_parameters_deep)

# %%
demo = initialize_parameters_deep([5, 4, 3])
for name, value in demo.items():
    print(f"{name}: shape {value.shape}")

# %% [markdown]
# ## 2. The forward pass
#
# ### 2.1 The linear step
#
# **Exercise 2, `linear_forward`** (2 lines). Compute $Z = WA + b$ for a whole batch at
# once (`np.dot(W, A)` or `W @ A`; the bias column is broadcast across the examples) and
# return `(Z, cache)` with `cache = (A, W, b)`: the backward pass will need all three.

# %%
#@save
def linear_forward(A, W, b):
    """Z = W A + b for activations A (n_prev, m), W (n, n_prev), b (n, 1); returns (Z, (A, W, b))."""
    ### BEGIN SOLUTION
    Z = W @ A + b
    cache = (A, W, b)
    ### END SOLUTION
    return Z, cache


# %%
check.linear_forward(linear_forward)

# %% [markdown]
# ### 2.2 A whole layer: linear step, then activation
#
# **Exercise 3, `linear_activation_forward`** (4 to 6 lines). Call `linear_forward`, then
# apply `sigmoid` or `relu` (given above) according to `activation`, which is the string
# `"sigmoid"` or `"relu"`. Return `(A, cache)` where
#
# `cache = (linear_cache, activation_cache) = ((A_prev, W, b), Z)`.

# %%
#@save
def linear_activation_forward(A_prev, W, b, activation):
    """One layer: A = g(W A_prev + b), g = "sigmoid" or "relu"; returns (A, ((A_prev, W, b), Z))."""
    ### BEGIN SOLUTION
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    cache = (linear_cache, Z)
    ### END SOLUTION
    return A, cache


# %%
check.linear_activation_forward(linear_activation_forward)

# %% [markdown]
# ### 2.3 The whole network
#
# **Exercise 4, `L_model_forward`** (6 to 8 lines). The parameters dict holds two arrays per
# layer, so `L = len(parameters) // 2`. Starting from `A = X`:
#
# 1. for `l` in `range(1, L)`: one ReLU layer with `W{l}`, `b{l}`; append its cache;
# 2. then layer `L` with the sigmoid, giving `AL` of shape `(1, m)`; append its cache too.
#
# Return `(AL, caches)`, where `caches` is a list of the $L$ caches in layer order
# (`caches[0]` for layer 1, ..., `caches[L-1]` for layer $L$).

# %%
#@save
def L_model_forward(X, parameters):
    """Forward pass: L-1 ReLU layers then a sigmoid layer; returns (AL, caches), one cache per layer."""
    caches = []
    A = X
    L = len(parameters) // 2
    ### BEGIN SOLUTION
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    ### END SOLUTION
    return AL, caches


# %%
check.L_model_forward(L_model_forward)

# %% [markdown]
# A quick look at what comes out for a small network and a batch of 6 examples:

# %%
np.random.seed(0)
demo_params = initialize_parameters_deep([4, 5, 3, 1])
demo_AL, demo_caches = L_model_forward(np.random.randn(4, 6), demo_params)
print("AL:", np.round(demo_AL, 4))
for l, ((A_prev, W, b), Z) in enumerate(demo_caches, start=1):
    print(f"cache of layer {l}: A_prev {A_prev.shape}, W {W.shape}, b {b.shape}, Z {Z.shape}")

# %% [markdown]
# With weights of size 0.01, every $Z$ is tiny and the output sits at $\sigma(0) = 0.5$: the
# untrained network has no opinion yet.
#
# ## 3. The cost
#
# For labels $Y$ of shape $(1, m)$ in $\{0, 1\}$ and predicted probabilities $A^{[L]}$, the
# cross-entropy cost is the average over the examples
#
# $$J = -\frac{1}{m} \sum_{i=1}^{m} \Bigl( y^{(i)} \log a^{[L](i)} + \bigl(1 - y^{(i)}\bigr) \log\bigl(1 - a^{[L](i)}\bigr) \Bigr).$$
#
# **Exercise 5, `compute_cost`** (2 to 3 lines). Return a single number (a Python float or a
# 0-d array, e.g. through `np.squeeze`), not an array of shape `(1, 1)`.

# %%
#@save
def compute_cost(AL, Y):
    """Mean binary cross-entropy of predictions AL (1, m) against labels Y (1, m)."""
    ### BEGIN SOLUTION
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    cost = float(np.squeeze(cost))
    ### END SOLUTION
    return cost


# %%
check.compute_cost(compute_cost)

# %% [markdown]
# ## 4. The backward pass
#
# ### 4.1 The linear step, backwards
#
# Suppose the gradient $dZ^{[l]}$ with respect to the layer's output $Z^{[l]}$ is known, one
# column per example. The chain rule through $Z = WA_{\text{prev}} + b$ gives
#
# $$dW^{[l]} = \frac{1}{m}\, dZ^{[l]} A^{[l-1]T}, \qquad
# db^{[l]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[l](i)}, \qquad
# dA^{[l-1]} = W^{[l]T} dZ^{[l]}.$$
#
# A word on the $\frac1m$. The cost $J$ averages the loss over the examples. We keep the
# per-example quantities $dA$ and $dZ$ **without** the average (column $i$ is the gradient of
# example $i$'s own loss) and take the average exactly once, where the examples meet: in
# $dW$ and $db$, which are shared by all of them. So $dW$ and $db$ are the gradients of $J$
# itself, ready for gradient descent, and $dA^{[l-1]}$ has no $\frac1m$.
#
# **Exercise 6, `linear_backward`** (4 lines). Unpack `A_prev, W, b = cache`, take
# `m = A_prev.shape[1]`, and return `(dA_prev, dW, db)` with shapes `(n_prev, m)`,
# `(n, n_prev)` (the shape of `W`) and `(n, 1)` (the shape of `b`: use `keepdims=True`).

# %%
#@save
def linear_backward(dZ, cache):
    """Gradients of the linear step Z = W A_prev + b, given dZ (n, m) and cache (A_prev, W, b)."""
    A_prev, W, b = cache
    ### BEGIN SOLUTION
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    ### END SOLUTION
    return dA_prev, dW, db


# %%
check.linear_backward(linear_backward)

# %% [markdown]
# ### 4.2 A whole layer, backwards
#
# The activation comes first on the way back: $dZ^{[l]} = dA^{[l]} \odot g'(Z^{[l]})$, which is
# what the given `relu_backward(dA, Z)` and `sigmoid_backward(dA, Z)` compute. Then the linear
# step as above.
#
# **Exercise 7, `linear_activation_backward`** (4 to 6 lines). Unpack
# `linear_cache, activation_cache = cache` (the activation cache is $Z$), compute `dZ` with
# the helper that matches `activation`, and return `linear_backward(dZ, linear_cache)`.

# %%
#@save
def linear_activation_backward(dA, cache, activation):
    """Gradients of one layer A = g(W A_prev + b); returns (dA_prev, dW, db)."""
    linear_cache, activation_cache = cache
    ### BEGIN SOLUTION
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    ### END SOLUTION
    return dA_prev, dW, db


# %%
check.linear_activation_backward(linear_activation_backward)

# %% [markdown]
# ### 4.3 The whole network, backwards
#
# The backward pass starts at the cost. For one example, the derivative of the loss with
# respect to the prediction $a = a^{[L]}$ is
#
# $$\frac{\partial}{\partial a}\Bigl(-y\log a - (1-y)\log(1-a)\Bigr) = -\Bigl(\frac{y}{a} - \frac{1-y}{1-a}\Bigr),$$
#
# so `dAL = -(Y / AL - (1 - Y) / (1 - AL))`, element-wise, shape `(1, m)`. (Through the
# sigmoid this becomes the famously simple $dZ^{[L]} = A^{[L]} - Y$.) Then walk the layers
# from $L$ down to 1, each one reading its own cache:
#
# - layer $L$: `linear_activation_backward(dAL, caches[L-1], "sigmoid")` gives
#   `dA{L-1}`, `dW{L}`, `db{L}`;
# - layers $l = L-1, \dots, 1$: `linear_activation_backward(grads["dA" + str(l)], caches[l-1], "relu")`
#   gives `dA{l-1}`, `dW{l}`, `db{l}`.
#
# **Exercise 8, `L_model_backward`** (8 to 10 lines). Store everything in the dict `grads`
# under the keys `"dA" + str(l - 1)`, `"dW" + str(l)` and `"db" + str(l)`, so that
# `grads` ends with `dA0 ... dA{L-1}`, `dW1 ... dWL` and `db1 ... dbL` (`dA0`, the gradient
# for the inputs, is computed along the way; nobody uses it). Take `L = len(caches)`.

# %%
#@save
def L_model_backward(AL, Y, caches):
    """Gradients of the cross-entropy cost for every layer, from the caches of L_model_forward."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    ### BEGIN SOLUTION
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in range(L - 1, 0, -1):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    ### END SOLUTION
    return grads


# %%
check.L_model_backward(L_model_backward)

# %% [markdown]
# ## 5. The update
#
# Gradient descent moves every parameter a small step against its gradient:
#
# $$W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}, \qquad b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}.$$
#
# **Exercise 9, `update_parameters`** (4 to 5 lines). Return a **new** dict and leave
# `params` as it was: start from `parameters = copy.deepcopy(params)` (`copy` is imported at
# the top), or build a fresh dict. Writing `parameters["W1"] -= ...` into the caller's arrays would
# quietly change them too. Take `L = len(params) // 2` and update every layer, 1 to $L$.

# %%
#@save
def update_parameters(params, grads, learning_rate):
    """One gradient-descent step on every W{l} and b{l}; returns a new parameters dict."""
    ### BEGIN SOLUTION
    parameters = copy.deepcopy(params)
    L = len(params) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    ### END SOLUTION
    return parameters


# %%
check.update_parameters(update_parameters)

# %% [markdown]
# ## 6. All the pieces together
#
# Nine functions, and a network of any depth can learn. A small made-up problem: four input
# features per example, and the label is 1 when $x_1 x_2 + \tfrac12 x_3 > 0$ (a rule no
# straight line can follow), with 8% of the labels flipped at random as noise. The loop below
# is all of training: forward, cost, backward, update, repeated.

# %%
rng = np.random.default_rng(3)
X_toy = rng.normal(size=(4, n_examples))
Y_toy = (X_toy[0] * X_toy[1] + 0.5 * X_toy[2] > 0).astype(float).reshape(1, -1)
Y_toy = np.where(rng.random(Y_toy.shape) < 0.08, 1 - Y_toy, Y_toy)


def gradient_descent(X, Y, layer_dims, learning_rate, steps, every=250):
    """Train with the notebook's functions; return the parameters and the cost every 10 steps."""
    np.random.seed(1)
    parameters = initialize_parameters_deep(layer_dims)
    costs = []
    for step in range(steps):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if step % 10 == 0:
            costs.append(cost)
        if step % every == 0 or step == steps - 1:
            print(f"  step {step:5d}   cost {cost:.4f}")
    accuracy = np.mean((AL > 0.5) == Y)
    print(f"  training accuracy {accuracy:.1%}")
    return parameters, costs


runs = {}
for dims in ([4, 16, 1], [4, 16, 8, 1]):
    print(f"layer_dims = {dims} (L = {len(dims) - 1})")
    _, runs[f"L = {len(dims) - 1}: {dims}"] = gradient_descent(X_toy, Y_toy, dims, 0.5, gd_steps)

# %%
ax = plotting.plot_costs(runs, every=10, title="Cross-entropy while training, learning rate 0.5")
plt.show()

# %% [markdown]
# Both costs fall from $\log 2 \approx 0.693$, the cost of answering 0.5 every time, to the
# final values printed above, well above 0 (the flipped labels keep them from reaching 0).
# Notice the flat start of the deeper network: with weights of size 0.01 a layer with $n$
# inputs multiplies the signal by a factor of order $0.01\sqrt n$, far below 1, so the
# gradients reaching the first layers are tiny and nothing much happens for hundreds of steps. Add layers and that plateau grows; a better choice of the initial scale
# removes it, as you will see when you tune deep networks in course 2.
#
# ## What you have learned
#
# - A deep network is one layer function used $L$ times: a linear step and an activation going
#   forward, the same two in reverse going back.
# - Each layer's cache, $((A^{[l-1]}, W^{[l]}, b^{[l]}), Z^{[l]})$, holds exactly what its
#   backward step needs, so nothing is computed twice.
# - The backward pass starts from $dA^{[L]}$, the cost's derivative, and hands $dA^{[l-1]}$
#   to the layer before; the $\frac1m$ of the average appears once, in $dW$ and $db$.
# - Gradient descent returns new parameters and leaves the old ones untouched.
#
# The next notebook uses these functions to train a deep classifier on real images.
