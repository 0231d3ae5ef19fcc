# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Planar data classification with one hidden layer
#     minutes: 1
#     fast:
#       num_iterations: 2000
#       sweep_iterations: 1000
# ---

# %% [markdown]
# # Planar data classification with one hidden layer
#
# **What you will build:** a neural network with one hidden layer of tanh units and a sigmoid
# output, written from scratch in NumPy: its initialisation, forward pass, cost, backward pass
# and gradient-descent update, then the training loop and the prediction function.
#
# **What you will learn:** why a straight line cannot separate some data and a hidden layer
# can; how the chain rule turns into four lines of matrix algebra; what the number of hidden
# units does to the decision boundary.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes about a minute.
#
# Each exercise is a function. Write your code where it says `# YOUR CODE HERE` (delete the
# `raise NotImplementedError()` line), run the cell, then run the check cell below it. A check
# tries your function on several inputs and tells you which one went wrong and why.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression

from shared_utils.data import planar
from shared_utils.common import plotting
from shared_utils.checks import c1_03_planar_one_hidden_layer as check
from shared_utils import headline

# %% tags=["parameters"]
m = 400                  # points in the flower data set
seed = 1                 # seed of the data and of the initial weights
num_iterations = 10000   # gradient-descent steps for the main network (n_h = 4)
sweep_iterations = 5000  # steps for each network of the hidden-size sweep
hidden_sizes = [1, 2, 3, 4, 5, 20, 50]

# %% [markdown]
# ## 1. The data: a flower
#
# `planar.make_flower` draws points along the curve of a rose with eight petals and gives
# alternate petals to two classes, red (label 0) and blue (label 1). `X` holds one point per
# column, `Y` one label per column:

# %%
X, Y = planar.make_flower(m=m, seed=seed)
print("X:", X.shape, "  Y:", Y.shape, "  examples:", X.shape[1], "  blue points:", int(Y.sum()))

plt.figure(figsize=(5, 4.5))
plt.scatter(X[0], X[1], c=Y.ravel(), cmap=plt.cm.coolwarm_r, s=12, edgecolors="k", linewidths=0.3)
plt.title("The flower: two classes on alternate petals")
plt.show()

# %% [markdown]
# ## 2. A baseline: logistic regression
#
# Logistic regression, the network of the previous notebook, draws one straight line through
# the plane. scikit-learn fits one in a line of code (it wants one example per *row*, hence
# the `.T`). Look at where its line falls and at its accuracy:

# %%
clf = LogisticRegression().fit(X.T, Y.ravel())
baseline_accuracy = clf.score(X.T, Y.ravel())
plotting.plot_decision_boundary(lambda P: clf.predict(P.T), X, Y,
                                title=f"Logistic regression: {baseline_accuracy:.0%} correct")
plt.show()

# %% [markdown]
# The title gives its accuracy: hardly better than tossing a coin. Every straight line cuts
# through petals of both colours; the classes are not *linearly separable*. A hidden layer
# lets the network bend its boundary.
#
# ## 3. The network
#
# For one example $x$ (a column of 2 numbers), the network computes
#
# $$z^{[1]} = W^{[1]} x + b^{[1]}, \qquad a^{[1]} = \tanh\bigl(z^{[1]}\bigr)$$
# $$z^{[2]} = W^{[2]} a^{[1]} + b^{[2]}, \qquad \hat y = a^{[2]} = \sigma\bigl(z^{[2]}\bigr)$$
#
# and predicts blue when $a^{[2]} > 0.5$. The hidden layer has $n_h$ units; each computes its
# own tanh of a weighted sum of the inputs, and the output unit weighs those $n_h$ features.
# With all $m$ examples side by side as the columns of `X`, the same formulas become matrix
# products, and $b^{[1]}$ is broadcast across the columns.
#
# The cost is the cross-entropy averaged over the examples:
#
# $$J = -\frac{1}{m} \sum_{i=1}^{m} \Bigl( y^{(i)} \log a^{[2](i)} + \bigl(1 - y^{(i)}\bigr) \log\bigl(1 - a^{[2](i)}\bigr) \Bigr)$$
#
# Building it takes the usual steps: read the layer sizes, initialise the parameters, then
# repeat forward pass, cost, backward pass and update.
#
# ### 3.1 Layer sizes
#
# **Exercise 1, `layer_sizes`** (3 lines). Return `(n_x, n_h, n_y)`: the number of input
# features (rows of `X`), the hidden size, fixed at 4 for now, and the number of outputs (rows
# of `Y`). Read the sizes from the arguments; do not write 2 or 1.

# %%
def layer_sizes(X, Y):
    """Sizes of the input, hidden and output layers for data X (n_x, m) and labels Y (n_y, m)."""
    ### BEGIN SOLUTION
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    ### END SOLUTION
    return (n_x, n_h, n_y)


# %%
check.layer_sizes(layer_sizes)

# %% [markdown]
# ### 3.2 Initial parameters
#
# If every weight started at the same value, every hidden unit would compute the same thing,
# receive the same gradient and stay identical forever: four units would be worth one. Small
# random weights break this symmetry. They are small so that tanh starts in its steep middle
# part, where gradients are large. The biases can start at zero.
#
# **Exercise 2, `initialize_parameters`** (4 lines). Return a dictionary with
#
# | key | shape | value |
# |---|---|---|
# | `"W1"` | `(n_h, n_x)` | `np.random.randn(...) * 0.01` |
# | `"b1"` | `(n_h, 1)` | zeros |
# | `"W2"` | `(n_y, n_h)` | `np.random.randn(...) * 0.01` |
# | `"b2"` | `(n_y, 1)` | zeros |

# %%
def initialize_parameters(n_x, n_h, n_y):
    """Small random weights and zero biases for a network n_x -> n_h (tanh) -> n_y (sigmoid)."""
    ### BEGIN SOLUTION
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    ### END SOLUTION
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


# %%
check.initialize_parameters(initialize_parameters)

# %% [markdown]
# ### 3.3 Forward propagation
#
# **Exercise 3, `forward_propagation`** (6 lines). Read the four parameters from the
# dictionary, then compute for all examples at once
#
# $$Z^{[1]} = W^{[1]} X + b^{[1]}, \quad A^{[1]} = \tanh(Z^{[1]}), \quad Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}, \quad A^{[2]} = \sigma(Z^{[2]})$$
#
# with `np.dot` (or `@`), `np.tanh` and the sigmoid written out with `np.exp`. Shapes:
# `Z1` and `A1` are `(n_h, m)`, `Z2` and `A2` are `(n_y, m)`. Return `A2` and a `cache`
# dictionary holding `"Z1"`, `"A1"`, `"Z2"` and `"A2"`: the backward pass will need them.

# %%
def forward_propagation(X, parameters):
    """Output A2 (n_y, m) of the network for X (n_x, m), and the cache of intermediate values."""
    ### BEGIN SOLUTION
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    ### END SOLUTION
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache


# %%
check.forward_propagation(forward_propagation)

# %% [markdown]
# ### 3.4 The cost
#
# **Exercise 4, `compute_cost`** (3 lines). The cross-entropy $J$ above, for `A2` and `Y` of
# shape `(1, m)`. Multiply element-wise (`*`), add with `np.sum`, divide by `m`, and return a
# plain Python number: `float(...)`. (`np.dot(Y, np.log(A2).T)` works too but gives a `(1, 1)`
# array, hence the `float`.)

# %%
def compute_cost(A2, Y):
    """Mean cross-entropy of the predicted probabilities A2 (1, m) against the labels Y (1, m)."""
    ### BEGIN SOLUTION
    m = Y.shape[1]
    logprobs = Y * np.log(A2) + (1 - Y) * np.log(1 - A2)
    cost = float(-np.sum(logprobs) / m)
    ### END SOLUTION
    return cost


# %%
check.compute_cost(compute_cost)

# %% [markdown]
# ### 3.5 Backward propagation
#
# Backpropagation applies the chain rule from the cost back to every parameter. For a
# sigmoid output with the cross-entropy cost, the gradient with respect to $Z^{[2]}$ is simply
# $A^{[2]} - Y$ (per example; the $\frac1m$ of the mean comes in with the weights). The
# derivative of tanh is $1 - \tanh^2$, and $A^{[1]}$ already *is* $\tanh(Z^{[1]})$:
#
# $$dZ^{[2]} = A^{[2]} - Y \qquad dW^{[2]} = \tfrac{1}{m}\, dZ^{[2]} A^{[1]T} \qquad db^{[2]} = \tfrac{1}{m} \textstyle\sum_{\text{examples}} dZ^{[2]}$$
# $$dZ^{[1]} = W^{[2]T} dZ^{[2]} \ast \bigl(1 - A^{[1]2}\bigr) \qquad dW^{[1]} = \tfrac{1}{m}\, dZ^{[1]} X^{T} \qquad db^{[1]} = \tfrac{1}{m} \textstyle\sum_{\text{examples}} dZ^{[1]}$$
#
# Here $\ast$ is the element-wise product and $A^{[1]2}$ squares each element
# (`A1 ** 2`). Every gradient has the shape of its parameter: `dW1` is `(n_h, n_x)`, `db1` is
# `(n_h, 1)`. The sums run over the examples, the columns: `np.sum(..., axis=1, keepdims=True)`.
#
# **Exercise 5, `backward_propagation`** (about 10 lines). Read `W2` from `parameters`, `A1`
# and `A2` from `cache`, take `m` from `X`, and return the dictionary of gradients
# `{"dW1", "db1", "dW2", "db2"}`.

# %%
def backward_propagation(parameters, cache, X, Y):
    """Gradients of the mean cross-entropy with respect to W1, b1, W2 and b2."""
    ### BEGIN SOLUTION
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    ### END SOLUTION
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


# %%
check.backward_propagation(backward_propagation)

# %% [markdown]
# ### 3.6 The update
#
# Gradient descent moves every parameter a small step against its gradient:
# $\theta \leftarrow \theta - \alpha \, d\theta$, with learning rate $\alpha$.
#
# **Exercise 6, `update_parameters`** (4 lines). Compute the four updated parameters; the
# last line returns them in a **new** dictionary. Write
# `W1 = parameters["W1"] - learning_rate * grads["dW1"]`, not `W1 -= ...`: the in-place form
# would change the arrays inside the caller's dictionary too, and the check looks for that.

# %%
def update_parameters(parameters, grads, learning_rate=1.2):
    """One gradient-descent step; returns a new dictionary, the input is left as it was."""
    ### BEGIN SOLUTION
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    b2 = parameters["b2"] - learning_rate * grads["db2"]
    ### END SOLUTION
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


# %%
check.update_parameters(update_parameters)

# %% [markdown]
# The learning rate is a *hyperparameter*: too small and training crawls, too large and each
# step overshoots the valley it aims for, so the cost grows instead of shrinking. Course 2
# studies this in detail; for the flower, 1.2 works well.
#
# ## 4. Putting it together
#
# **Exercise 7, `nn_model`** (about 10 lines). Get `n_x` and `n_y` from `layer_sizes`, but use
# the `n_h` you are given. Call `initialize_parameters(n_x, n_h, n_y)`, then repeat
# `num_iterations` times: forward propagation, cost, backward propagation, update (with the
# default learning rate). Keep the dictionary `update_parameters` returns. If `print_cost` is
# true, print the cost every 1000 iterations. Return the final parameters.

# %%
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    """Train the one-hidden-layer network on X (n_x, m), Y (1, m) by gradient descent."""
    ### BEGIN SOLUTION
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
        if print_cost and i % 1000 == 0:
            print(f"cost after iteration {i:5d}: {cost:.6f}")
    ### END SOLUTION
    return parameters


# %%
check.nn_model(nn_model)

# %% [markdown]
# **Exercise 8, `predict`** (2 lines). Run the forward pass and return 1 where $A^{[2]} > 0.5$,
# 0 elsewhere, as an array of shape `(1, m)` (`(A2 > 0.5).astype(int)`).

# %%
def predict(parameters, X):
    """Class 0 or 1 for each column of X (n_x, m), as an array of shape (1, m)."""
    ### BEGIN SOLUTION
    A2, _ = forward_propagation(X, parameters)
    predictions = (A2 > 0.5).astype(int)
    ### END SOLUTION
    return predictions


# %%
check.predict(predict)

# %% [markdown]
# ## 5. Training on the flower
#
# Four hidden units, 10 000 steps of gradient descent (the `num_iterations` parameter). The
# seed makes the random initial weights, and so the result, the same on every run.

# %%
np.random.seed(seed)
parameters = nn_model(X, Y, n_h=4, num_iterations=num_iterations, print_cost=True)

train_accuracy = float(np.mean(predict(parameters, X) == Y))
headline("training accuracy (flower, n_h = 4)", train_accuracy, target=0.9)
plotting.plot_decision_boundary(lambda P: predict(parameters, P), X, Y,
                                title=f"One hidden layer, n_h = 4: {train_accuracy:.1%} correct")
plt.show()

# %% [markdown]
# Where logistic regression did no better than chance, four tanh units get the great majority
# of the points right (the headline above prints the figure): each draws a line of its own,
# and the output unit combines those lines into a boundary that follows the petals. The points it still gets wrong lie mostly near the centre, where the petals of
# both colours meet, and in the noisy tips.
#
# ### Why the weights must differ at the start
#
# A quick experiment: start from weights that are all equal and train with your own
# functions. Every hidden unit receives the same gradient, so all four rows of `W1` stay
# equal to each other, and the network behaves like one with a single hidden unit.

# %%
equal = {"W1": np.full((4, 2), 0.1), "b1": np.zeros((4, 1)),
         "W2": np.full((1, 4), 0.1), "b2": np.zeros((1, 1))}
for i in range(2000):
    A2, cache = forward_propagation(X, equal)
    equal = update_parameters(equal, backward_propagation(equal, cache, X, Y))
print("W1 after 2000 steps from equal weights:\n", equal["W1"].round(4))
print(f"accuracy: {np.mean(predict(equal, X) == Y):.1%}")

# %% [markdown]
# ## 6. How many hidden units?
#
# The same training for several hidden-layer sizes (`sweep_iterations` steps each). Watch
# how the boundary changes.

# %%
fig, axes = plt.subplots(2, 4, figsize=(16, 7.5))
for ax, n_h in zip(axes.ravel(), hidden_sizes):
    np.random.seed(seed)
    params_h = nn_model(X, Y, n_h, num_iterations=sweep_iterations)
    acc = np.mean(predict(params_h, X) == Y)
    plotting.plot_decision_boundary(lambda P: predict(params_h, P), X, Y, ax=ax,
                                    title=f"n_h = {n_h}: {acc:.1%}")
    print(f"n_h = {n_h:3d}: training accuracy {acc:.1%}")
for ax in axes.ravel()[len(hidden_sizes):]:
    ax.axis("off")
fig.tight_layout()
plt.show()

# %% [markdown]
# - With one or two hidden units the network can only combine one or two lines: it captures
#   some petals and misses others, and its printed accuracy stays far below the others'.
# - From three units on, the boundary follows the flower, and the accuracy jumps to the level
#   of the four-unit network above.
# - Larger layers add little here: the boundary gets more detailed and starts to wrap around
#   single noisy points, a first sign of *overfitting*. Measured on the training points, that
#   looks like progress; on new points it would not be. Course 2 shows how regularisation
#   lets a big network keep the smooth boundary.
#
# ## 7. Other shapes of data
#
# The same network, four hidden units, on three other two-class sets from scikit-learn's
# generators. Logistic regression's accuracy is in each title for comparison.

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
for ax, name in zip(axes, ["moons", "circles", "blobs"]):
    X_set, Y_set = planar.make_2d(name, seed=seed)
    np.random.seed(seed)
    params_set = nn_model(X_set, Y_set, 4, num_iterations=sweep_iterations)
    acc = np.mean(predict(params_set, X_set) == Y_set)
    linear = LogisticRegression().fit(X_set.T, Y_set.ravel()).score(X_set.T, Y_set.ravel())
    plotting.plot_decision_boundary(lambda P: predict(params_set, P), X_set, Y_set, ax=ax,
                                    title=f"{name}: network {acc:.1%}, logistic {linear:.1%}")
fig.tight_layout()
plt.show()

# %% [markdown]
# A line already gets most of the moons right; the hidden layer adds the rest by bending the
# boundary between the two arcs. The circles defeat any line (it does no better than chance)
# and are solved exactly by a closed boundary. The blobs are split by a straight line, up to
# a stray point: the network does as well and has no use for its extra power there.
#
# ## What you have learned
#
# - A model that draws one straight line cannot classify data like the flower; a single
#   hidden layer of a few tanh units can bend the boundary around it.
# - Training is a loop of four steps: forward pass, cost, backward pass, update. Each is a
#   few lines of matrix algebra on all the examples at once.
# - The backward pass follows from the chain rule: $dZ^{[2]} = A^{[2]} - Y$ for a sigmoid with
#   cross-entropy, $1 - A^{[1]2}$ for tanh, and an average over the examples for every weight.
# - Random, small initial weights break the symmetry between hidden units.
# - More hidden units fit the training data ever more closely; beyond a point that is
#   overfitting, which regularisation (course 2) keeps in check.
