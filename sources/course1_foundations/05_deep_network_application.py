# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: "Deep neural network for image classification: application"
#     save: shared_utils.course1.dnn
#     minutes: 3
#     fast:
#       baseline_iterations: 200
#       two_layer_iterations: 200
#       deep_iterations: 200
# ---

# %% [markdown]
# # Deep neural network for image classification: application
#
# **What you will build:** two networks that look at a photo from the Fashion-MNIST catalogue
# of tops, at 14×14 pixels as in notebook 2, and say whether it shows a **shirt** or another
# top (a T-shirt, a pullover or a coat): a two-layer network (one hidden layer) and a four-layer network. You
# assemble each one's training loop from the building blocks you wrote in notebook 4, choose
# the four-layer network's learning rate on validation images held back from the training set,
# and compare the networks on 2000 images they have never seen with the logistic regression of
# notebook 2, whose learning rate is chosen the same way.
#
# **What you will learn:** how forward pass, cost, backward pass and update combine into
# gradient descent for a network of any depth; why a deep network needs a different weight
# initialisation than a shallow one; how to compare two models fairly (the same training
# images, both learning rates chosen on the same validation images, one test set used once,
# training and test accuracy side by side, the gain with its standard error); and how much
# depth actually buys on a hard image problem.
#
# **Time:** about 30 minutes of work; a full run of the notebook takes two to three minutes on
# a two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from shared_utils.common import compute, plotting
from shared_utils.common.metrics import accuracy
from shared_utils.data import fashion
from shared_utils.checks import c1_05_deep_network_application as check
from shared_utils.course1.dnn import (L_model_backward, L_model_forward, compute_cost, linear_activation_backward,
                                      linear_activation_forward, update_parameters)
from shared_utils import headline

compute.single_threaded_blas()  # small matrix products: one BLAS thread is fastest here

# %% tags=["parameters"]
# Gradient-descent iterations of each logistic-regression run (the baseline).
baseline_iterations = 4000
# Iterations of the two-layer network.
two_layer_iterations = 2000
# Iterations of each run of the L-layer network.
deep_iterations = 4000

# %% [markdown]
# ## 1. The data: shirts among other tops
#
# These are the images of notebook 2: is this top a shirt (label 1) or any other top (label 0:
# a T-shirt, a pullover or a coat)? No single weighted sum of the
# pixels answers it well: the sleeves tell a shirt from a T-shirt, but a pullover and a coat
# have long sleeves too, and there the collar and the cut must decide. That is where hidden
# layers, which can combine several such tests, should pay. 8000 training and 2000 test photos,
# half of each set shirts, grey levels from 0 to 255. As in notebook 2, each photo is averaged
# down to 14×14 pixels (`fashion.halve_resolution`) and becomes one column of 196 numbers in
# [0, 1], so `train_x` has shape `(196, 8000)`; the photos shown stay at 28×28.
#
# Each model below has a learning rate to choose, and that choice must not be made on the test
# images: a test set that has helped choose a model no longer measures how it does on new
# pictures. So, as in section 9 of notebook 2, 1600 of the 8000 training images, drawn at random
# with the same seed (the very same 1600 images), are held back as a **validation set**. Every
# model trains on the other 6400 (the *fitting set*), every choice is made on the validation
# images, and the test images are used once, at the end.

# %%
data = fashion.load_fashion_shirt_vs_tops()
classes = data.classes
train_x, train_y = fashion.flatten_images(fashion.halve_resolution(data.train_x)), data.train_y
test_x, test_y = fashion.flatten_images(fashion.halve_resolution(data.test_x)), data.test_y
print("train_x:", train_x.shape, " train_y:", train_y.shape)
print("test_x: ", test_x.shape, " test_y: ", test_y.shape)
print(f"shirts in the training set: {train_y.mean():.1%}, in the test set: {test_y.mean():.1%}")

rng = np.random.default_rng(0)  # notebook 2's split: the same seed gives the same 1600 images
order = rng.permutation(train_x.shape[1])
val_idx, fit_idx = order[:1600], order[1600:]
fit_x, fit_y = train_x[:, fit_idx], train_y[:, fit_idx]
val_x, val_y = train_x[:, val_idx], train_y[:, val_idx]
print(f"fitting set {fit_x.shape}, validation set {val_x.shape}")

first = np.arange(16)
fig = plotting.show_images(data.train_x[first], [classes[c] for c in train_y[0, first]], ncols=8)
plt.show()

# %% [markdown]
# Half the images are shirts, by construction (the cell above prints the shares), so always
# giving the commoner answer would be right half the time: that is the floor. Section 5 trains
# notebook 2's logistic regression again, on the same fitting images as the networks and with its
# learning rate chosen on the same validation images, as the baseline to beat.
#
# ## 2. The building blocks
#
# Notebook 4 had you write the pieces of a deep network. The build of this workbook collects every
# cell of it marked `#@save`, solution included, into the module `shared_utils.course1.dnn`, so what
# the top of this notebook imports from there is exactly what you wrote and checked in notebook 4:
#
# | function | what it does | returns |
# |---|---|---|
# | `linear_activation_forward(A_prev, W, b, activation)` | one layer, $A = g(W A_{prev} + b)$, `"relu"` or `"sigmoid"` | `A, cache` |
# | `L_model_forward(X, parameters)` | [LINEAR→RELU] × (L−1) → LINEAR→SIGMOID | `AL, caches` |
# | `compute_cost(AL, Y)` | cross-entropy averaged over the $m$ examples | `cost` (a float) |
# | `linear_activation_backward(dA, cache, activation)` | one layer backwards | `dA_prev, dW, db` |
# | `L_model_backward(AL, Y, caches)` | the whole backward pass | `grads` (`"dW1"`, `"db1"`, ...) |
# | `update_parameters(parameters, grads, learning_rate)` | one gradient-descent step | new `parameters` |
#
# `parameters` is a dict with `"W1"`, `"b1"`, `"W2"`, ...; `W{l}` has shape
# $(n^{[l]}, n^{[l-1]})$ and `b{l}` shape $(n^{[l]}, 1)$.
#
# Three more functions are given in the next cell, which is marked `#@save` too, so the notebooks
# that follow can import them from the same module:
#
# | function | what it does | returns |
# |---|---|---|
# | `initialize_parameters_small(layers_dims, seed)` | notebook 4's rule, $\mathcal N(0,1) \times 0.01$, zero biases | `parameters` |
# | `initialize_parameters_lecun(layers_dims, seed)` | $\mathcal N(0,1)/\sqrt{n^{[l-1]}}$ (LeCun's rule), zero biases | `parameters` |
# | `predict(X, parameters)` | 1 where the network's output is above 0.5, else 0 | labels `(1, m)` |
#
# Both initialisers draw from their own generator, `np.random.default_rng(seed)`, so the same seed
# gives the same weights in every run (and in the checks), whatever ran before.
#
# Why two initialisers? At the end of notebook 4, weights of size 0.01 made a deeper network
# sit on a long plateau: each layer shrinks the signal by a large factor, so the
# gradients that reach the first layers are tiny. Dividing each layer's random weights by
# $\sqrt{n^{[l-1]}}$, the number of inputs of its neurons, keeps the signal at about the same
# size from layer to layer however wide the layers are. Course 2 studies this choice in depth;
# here the deep network simply uses it. The two-layer network keeps the small weights, which
# suit one hidden layer well enough.

# %%
#@save
def initialize_parameters_small(layers_dims, seed=1):
    """W{l}: N(0, 1) draws times 0.01, shape (n_l, n_{l-1}); b{l}: zeros (n_l, 1), seeded."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters["W" + str(l)] = rng.standard_normal((n, n_prev)) * 0.01
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


def initialize_parameters_lecun(layers_dims, seed=1):
    """W{l}: N(0, 1) draws / sqrt(n_{l-1}), shape (n_l, n_{l-1}); b{l}: zeros (n_l, 1), seeded."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters["W" + str(l)] = rng.standard_normal((n, n_prev)) / np.sqrt(n_prev)
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


def predict(X, parameters):
    """Labels 0/1 of shape (1, m) for X (n_x, m): 1 where the network's output is above 0.5."""
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(int)


# %%
for name, p in [("initialize_parameters_small((196, 7, 1))", initialize_parameters_small((196, 7, 1), seed=1)),
                ("initialize_parameters_lecun([196, 20, 7, 5, 1])", initialize_parameters_lecun([196, 20, 7, 5, 1], seed=1))]:
    print(name)
    for key, value in p.items():
        print(f"  {key}: shape {str(value.shape):<10} std {value.std():.4f}")

# %% [markdown]
# ## 3. A two-layer network
#
# The first model has one hidden layer of $n_h$ ReLU units and a sigmoid output:
#
# $$X \xrightarrow{\;W^{[1]}, b^{[1]}\;} \text{ReLU} \xrightarrow{\;W^{[2]}, b^{[2]}\;} \text{sigmoid} \to \hat y$$
#
# **Exercise 1, `two_layer_model`** (about 15 lines). Train it with gradient descent:
#
# 1. `n_x, n_h, n_y = layers_dims`, then
#    `parameters = initialize_parameters_small((n_x, n_h, n_y), seed=1)`.
# 2. Repeat `num_iterations` times:
#    - forward: `A1, cache1 = linear_activation_forward(X, W1, b1, "relu")`, then
#      `A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")`;
#    - the cost: `cost = compute_cost(A2, Y)`;
#    - the derivative of the cost with respect to the output,
#      $dA^{[2]} = -\left(\frac{Y}{A^{[2]}} - \frac{1 - Y}{1 - A^{[2]}}\right)$ (element-wise);
#    - backward: `dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")`, then
#      `dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")`;
#    - put `dW1, db1, dW2, db2` in a dict `grads` under those names and take one step,
#      `parameters = update_parameters(parameters, grads, learning_rate)`;
#    - when `i % 100 == 0`, append `cost` to `costs`; if `print_cost` is true, also print it
#      every 200 iterations.
# 3. Return `parameters, costs`.
#
# Read `W1`, `b1`, `W2`, `b2` from `parameters` at the start of every iteration: the update
# returns a new dict. Use the arguments `X`, `Y`, `layers_dims` and `learning_rate`, never
# the notebook's `train_x` or fixed numbers.

# %%
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by gradient descent.

    X: (n_x, m) inputs; Y: (1, m) labels 0/1; layers_dims: (n_x, n_h, n_y).
    Returns the trained parameters and the list of costs at iterations 0, 100, 200, ...
    """
    costs = []
    ### BEGIN SOLUTION
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters_small((n_x, n_h, n_y), seed=1)
    for i in range(num_iterations):
        W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
        A1, cache1 = linear_activation_forward(X, W1, b1, "relu")
        A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost and i % 200 == 0:
                print(f"cost after iteration {i:5d}: {cost:.4f}")
    ### END SOLUTION
    return parameters, costs


# %%
check.two_layer_model(two_layer_model)

# %% [markdown]
# Now train it on the fitting images, with 7 hidden units. The default learning rate, 0.0075,
# moves the small initial weights very slowly: a run of this length would end far from
# trained. A rate of 0.1 gets much further in the same number of iterations. This network is a
# stepping stone, not one of the two models the headline compares, so its settings are simply
# fixed here; section 4 chooses the deep network's rate on the validation images.

# %%
n_x = train_x.shape[0]
two_layer_dims = (n_x, 7, 1)
two_layer_lr = 0.1
start = time.perf_counter()
two_layer_params, two_layer_costs = two_layer_model(fit_x, fit_y, two_layer_dims, learning_rate=two_layer_lr,
                                                    num_iterations=two_layer_iterations, print_cost=True)
print(f"trained in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# `predict` gives the labels; the accuracy is the share of labels it gets right. Both courses'
# notebooks measure it with one function, `accuracy(X, Y, parameters)` from
# `shared_utils.common.metrics`.

# %%
print(f"two-layer network: training accuracy {accuracy(fit_x, fit_y, two_layer_params):.4f}, "
      f"validation accuracy {accuracy(val_x, val_y, two_layer_params):.4f}")

# %% [markdown]
# ## 4. An L-layer network
#
# The deep model stacks $L - 1$ ReLU layers and a sigmoid output, with any sizes:
#
# $$X \to [\text{LINEAR} \to \text{ReLU}] \times (L-1) \to \text{LINEAR} \to \text{sigmoid} \to \hat y$$
#
# `layers_dims = [n_x, n_1, ..., n_L]` sets them: `[196, 20, 7, 5, 1]` has three hidden layers
# of 20, 7 and 5 units, so $L = 4$.
#
# **Exercise 2, `L_layer_model`** (about 10 lines). The library's functions already loop over
# the layers, so the training loop is short:
#
# 1. `parameters = initialize_parameters_lecun(layers_dims, seed=1)`.
# 2. Repeat `num_iterations` times: `AL, caches = L_model_forward(X, parameters)`,
#    `cost = compute_cost(AL, Y)`, `grads = L_model_backward(AL, Y, caches)`,
#    `parameters = update_parameters(parameters, grads, learning_rate)`; when `i % 100 == 0`,
#    append `cost` to `costs` (and print it every 200 iterations if `print_cost` is true).
# 3. Return `parameters, costs`.
#
# Nothing in it should depend on the number of layers or on the image size: the same function
# must train `[196, 1]`, `[196, 20, 7, 5, 1]` or `[12, 5, 3, 1]`.

# %%
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """Train [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID by gradient descent.

    X: (n_x, m) inputs; Y: (1, m) labels 0/1; layers_dims: [n_x, n_1, ..., n_L].
    Returns the trained parameters and the list of costs at iterations 0, 100, 200, ...
    """
    costs = []
    ### BEGIN SOLUTION
    parameters = initialize_parameters_lecun(layers_dims, seed=1)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost and i % 200 == 0:
                print(f"cost after iteration {i:5d}: {cost:.4f}")
    ### END SOLUTION
    return parameters, costs


# %%
check.L_layer_model(L_layer_model)

# %% [markdown]
# Train the four-layer network on the fitting images. Its weights start at a sensible scale,
# so it can take larger steps than 0.0075. How large? As in notebook 2, the rate is chosen on
# the validation images: the function below trains one model per candidate rate, prints each
# one's accuracy on the fitting and on the validation images, and returns every run with the
# rate that does best on the validation images (the first of them, if two tie). Section 5
# uses it again for the baseline.
#
# The candidates are 0.3 and 0.5. Much smaller rates get less far in the same number of
# iterations; larger ones make the cost jump up ever more often on the way (you will see such
# jumps in the curves below); and each candidate costs a full training run, so two is all this
# notebook spends.

# %%
def choose_learning_rate(layers_dims, rates, num_iterations):
    """Train L_layer_model on the fitting set at each rate; pick the best on the validation set.

    Returns {rate: (parameters, costs)} and the chosen rate.
    """
    runs, val_acc = {}, {}
    for lr in rates:
        print(f"learning rate {lr}:")
        start = time.perf_counter()
        runs[lr] = L_layer_model(fit_x, fit_y, layers_dims, learning_rate=lr, num_iterations=num_iterations,
                                 print_cost=True)
        val_acc[lr] = accuracy(val_x, val_y, runs[lr][0])
        print(f"  trained in {time.perf_counter() - start:.1f} s: training accuracy "
              f"{accuracy(fit_x, fit_y, runs[lr][0]):.4f}, validation accuracy {val_acc[lr]:.4f}")
    best = max(rates, key=lambda lr: val_acc[lr])
    print(f"learning rate chosen on the validation images: {best}")
    return runs, best


layers_dims = [n_x, 20, 7, 5, 1]
deep_rates = (0.3, 0.5)
deep_runs, deep_lr = choose_learning_rate(layers_dims, deep_rates, deep_iterations)
deep_params, deep_costs = deep_runs[deep_lr]

# %% [markdown]
# ## 5. The baseline: logistic regression is a network with no hidden layer
#
# With `layers_dims = [196, 1]` there is no hidden layer: `L_model_forward` computes
# $\sigma(W^{[1]} X + b^{[1]})$, which is exactly logistic regression, and `L_layer_model`
# trains it by the same gradient descent as notebook 2. The only difference is the start: small
# random weights here, zeros there. Logistic regression's cost has a single valley, so the
# start hardly matters.
#
# A fair baseline gets the same care as the model it is compared with. Its learning rate is
# chosen as in section 9 of notebook 2, on the same validation images, among the two
# candidates of notebook 2 that did not diverge there, 0.1 and 0.3 (at 1.0 its cost jumped far
# above its start and stayed there): two candidates, like the deep network. It trains on the
# same fitting images for as many iterations as each run of the deep network (the parameters
# cell sets both to the same number).

# %%
baseline_rates = (0.1, 0.3)
baseline_runs, baseline_lr = choose_learning_rate([n_x, 1], baseline_rates, baseline_iterations)
baseline_params, baseline_costs = baseline_runs[baseline_lr]

# %% [markdown]
# ## 6. Results
#
# The three models side by side: on the 6400 images they trained on, on the 1600 validation
# images that chose the learning rates, and on the 2000 test images, used here for the first
# time.

# %%
models = {
    f"logistic regression [{n_x}, 1], rate {baseline_lr}": (baseline_params, baseline_costs),
    f"two-layer {list(two_layer_dims)}, rate {two_layer_lr}": (two_layer_params, two_layer_costs),
    f"L-layer {layers_dims}, rate {deep_lr}": (deep_params, deep_costs),
}
table = pd.DataFrame(
    {"train accuracy": [accuracy(fit_x, fit_y, p) for p, _ in models.values()],
     "validation accuracy": [accuracy(val_x, val_y, p) for p, _ in models.values()],
     "test accuracy": [accuracy(test_x, test_y, p) for p, _ in models.values()]},
    index=list(models))
table["gap (train - test)"] = table["train accuracy"] - table["test accuracy"]
table.round(4)

# %%
ax = plotting.plot_costs({name: costs for name, (_, costs) in models.items()},
                         title="Training cost (cross-entropy), recorded every 100 iterations")
plt.show()

# %% [markdown]
# What to read in the table of a full run:
#
# - **Training accuracy grows with depth**, from logistic regression to the two-layer network
#   to the four-layer one. More layers and more weights fit the training images better. The
#   two-layer network, with its seven hidden units, its small start and its fixed rate, is
#   barely ahead of logistic regression: a hidden layer helps only once it is trained well.
# - **Test accuracy grows less.** Compare how far the first column rises from the first row
#   to the last with how far the test column does. The gap between training and test
#   accuracy, the last column, widens with depth: that is overfitting. Course 2 is about
#   closing it (regularisation, dropout, more data).
# - **The validation column** chose the learning rates. It is measured on 1600 images, nearly
#   as many as the test set, so its standard errors are only a little larger than the test
#   set's, and it tells a clearly worse rate from a better one. Where two candidate rates come
#   out close on it, as the deep network's may (section 4 prints both), the choice between
#   them is close to a coin toss, and the other rate could have done better or worse on the
#   test images: the honest answer is to report what the chosen one does, not to look at the
#   test images and choose again. And the validation images have been used to choose: their
#   accuracies are a little flattering, which is why the test set, untouched, gives the
#   verdict.
# - **The cost curves**: the four-layer network's falls well below logistic regression's; the
#   two-layer network's, in its shorter run, ends level with it. The sudden spikes of the deep
#   network's curve are steps that overshot: at these learning rates, full-batch gradient
#   descent is close to the edge of stability, and recovers within a few hundred iterations.
#
# Is the gain real? An accuracy $p$ measured on $m$ test images has a binomial standard error
# of $\sqrt{p(1 - p)/m}$: another draw of test images would move it by about that much. The
# two models are measured on the *same* images, though, so the error of their difference is
# smaller than the two errors added: write $d_i = 1$ where only the deep network is right on
# image $i$, $-1$ where only logistic regression is, $0$ otherwise; the gain is the mean of the
# $d_i$ and its standard error is their standard deviation over $\sqrt m$. Only the images on
# which the two disagree count. The cell below prints all three standard errors.

# %%
deep_right = predict(test_x, deep_params)[0] == test_y[0]
baseline_right = predict(test_x, baseline_params)[0] == test_y[0]
print(f"both right:                         {np.sum(deep_right & baseline_right):4d}")
print(f"only the L-layer network right:     {np.sum(deep_right & ~baseline_right):4d}")
print(f"only logistic regression right:     {np.sum(~deep_right & baseline_right):4d}")
print(f"both wrong:                         {np.sum(~deep_right & ~baseline_right):4d}")
m_test = test_y.shape[1]
for name, right in [("L-layer network", deep_right), ("logistic regression", baseline_right)]:
    p = right.mean()
    print(f"{name:<20} test accuracy {p:.4f}, standard error {np.sqrt(p * (1 - p) / m_test):.4f}")
d = deep_right.astype(float) - baseline_right
gain_se = d.std(ddof=1) / np.sqrt(m_test)
print(f"gain {d.mean():+.4f}, standard error of the paired difference {gain_se:.4f} "
      f"({d.mean() / gain_se:.1f} standard errors)")
only_deep, only_baseline = int(np.sum(deep_right & ~baseline_right)), int(np.sum(~deep_right & baseline_right))
mcnemar = stats.binomtest(only_deep, only_deep + only_baseline, 0.5, alternative="greater")
print(f"chance of {only_deep} or more wins in {only_deep + only_baseline} coin tosses: {mcnemar.pvalue:.4f}")
d_val = (predict(val_x, deep_params)[0] == val_y[0]).astype(float) - (predict(val_x, baseline_params)[0] == val_y[0])
print(f"on the validation images: gain {d_val.mean():+.4f}, "
      f"standard error {d_val.std(ddof=1) / np.sqrt(val_y.shape[1]):.4f}")

# %% [markdown]
# Most mistakes are shared (compare "both wrong" with the deep network's errors): those
# images are hard, whatever the model. On the images where the two disagree, if the models
# were equally good, each disagreement would be a coin toss; the line on coin tosses prints
# how often chance alone would give the deep network at least as many wins (McNemar's test).
# A gain of two or more standard errors, with a small chance probability, is not noise; a gain
# within one standard error could be. The last line measures the same gain on the validation
# images, which chose both learning rates: compare it with the test set's, measured once,
# after every choice was made.
#
# The headline of this notebook is the L-layer network's test-accuracy gain over logistic
# regression, printed below with its standard error. Against a baseline whose learning rate
# was chosen with the same care, on thousands of training images, depth buys several points:
# the target is **gain ≥ 0.05**, five points. The standard error printed with the gain says how
# far another draw of test images could move it; a gain that cleared the target by less than
# that would be one to measure again on more images before claiming it.

# %%
gain = table["test accuracy"].iloc[2] - table["test accuracy"].iloc[0]
print(f"L-layer network {table['test accuracy'].iloc[2]:.4f} vs logistic regression "
      f"{table['test accuracy'].iloc[0]:.4f} on the test images: gain {gain:+.4f} "
      f"(standard error {gain_se:.4f})")
met = headline("test accuracy gain over logistic regression", gain, target=0.05)

# %% [markdown]
# ## 7. What does the deep network get wrong?
#
# Every test image the L-layer network misclassifies (up to 32). Each title gives what it
# said, with its probability that the image is a shirt in brackets, and the true label.

# %%
probability = L_model_forward(test_x, deep_params)[0][0]
predicted = predict(test_x, deep_params)[0]
wrong = np.flatnonzero(predicted != test_y[0])
print(f"{wrong.size} of {test_y.shape[1]} test images misclassified")
shown = wrong[:32]
titles = [f"said {classes[predicted[i]]} ({probability[i]:.2f})\nis a {classes[test_y[0, i]]}" for i in shown]
fig = plotting.show_images(data.test_x[shown], titles, colors=["red"] * len(shown), ncols=8, size=1.6)
plt.show()

# %% [markdown]
# Some of these are hard even for a person at 28×28 pixels, and the network saw them at 14×14: a plain long-sleeved shirt looks
# much like a thin pullover or a light jacket, and a short-sleeved shirt like a T-shirt.
# Others are unusual garments (a very long or very short cut, a bold pattern) of which the
# training set holds few or no examples. Note the probabilities in brackets: some mistakes
# are made with near certainty. A network that has driven its training cost far down is
# confident about most of what it sees, including some of what it gets wrong.
#
# ## 8. Try it on any test image
#
# Change `index` to look at another test image and what each model makes of it. It starts at
# the first test image that the L-layer network gets right and logistic regression does not.

# %%
index = int(np.flatnonzero(deep_right & ~baseline_right)[0])
fig = plotting.show_images(data.test_x[[index]], [f"test image {index}: a {classes[test_y[0, index]]}"], size=2.5)
plt.show()
for name, (p, _) in models.items():
    prob = L_model_forward(test_x[:, [index]], p)[0][0, 0]
    print(f"{name:<32} P(shirt) = {prob:.3f}  ->  {classes[int(prob > 0.5)]}")

# %% [markdown]
# ## What you have learned
#
# - A training loop is four calls repeated: forward, cost, backward, update. Written once
#   against `layers_dims`, it trains a network of any depth and any width, including
#   logistic regression, the network with no hidden layer.
# - A deep network needs weights scaled to the width of the layer before (here
#   $1/\sqrt{n^{[l-1]}}$); with small fixed weights its gradients vanish before they reach the
#   first layers.
# - Compare models fairly: train them on the same images, choose every model's settings, the
#   baseline's too, on the same validation images, and measure them once on the same test
#   images. Look at training and test accuracy together: a network that gets most of its
#   training images right has learned them, not necessarily shirts.
# - Depth pays here, where one weighted sum of the pixels cannot decide: telling a shirt from
#   three kinds of other tops at once. It pays because there are enough training images for
#   its extra weights: thousands of small 14×14 photos rather than a few at full size. Even so
#   the deep network fits its training images better than new ones. What turns more of that
#   capacity into accuracy is regularisation and more data (course 2) and networks that see
#   images as images (convolutions, course 4).
# - A small difference needs a large test set and an image-by-image comparison before you
#   believe it; know the standard error of what you measure, and of the difference.
